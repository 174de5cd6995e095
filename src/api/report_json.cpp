#include "report_json.hpp"

#include "call_center.hpp"

namespace hotline::api {
namespace {

using core::Json;

Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json PeriodJson(const reports::Period& p, const core::TimeZone& zone) {
  return {{"from", core::FormatIso(p.from, zone)}, {"to", core::FormatIso(p.to, zone)}};
}

Json UnitFiguresJson(const reports::UnitFigures& f) {
  return {{"received", f.received},
          {"completed", f.completed},
          {"completed_7d", f.completed_7d},
          {"completed_30d", f.completed_30d},
          {"completion_rate_7d", Opt(f.completion_rate_7d())},
          {"completion_rate_30d", Opt(f.completion_rate_30d())},
          {"pending", f.pending},
          {"overdue", f.overdue},
          {"extended", f.extended},
          {"returned", f.returned},
          {"withdrawn", f.withdrawn},
          {"redo", f.redo},
          {"redo_rate", Opt(f.redo_rate())},
          {"rated", f.rated},
          {"satisfaction", Opt(f.satisfaction())},
          {"satisfaction_rate", Opt(f.satisfaction_rate())}};
}

Json HotlineJson(const reports::HotlineFigures& h) {
  return {{"accepted", h.accepted},
          {"by_type", h.by_type},
          {"by_channel", h.by_channel},
          {"answered", h.answered},
          {"mediated", h.mediated},
          {"transferred", h.transferred},
          {"merged", h.merged},
          {"completed", h.completed},
          {"completed_7d", h.completed_7d},
          {"completed_30d", h.completed_30d},
          {"completion_rate_7d", Opt(h.completion_rate_7d())},
          {"completion_rate_30d", Opt(h.completion_rate_30d())},
          {"closed", h.closed},
          {"open", h.open},
          {"overdue", h.overdue},
          {"redo", h.redo},
          {"rated", h.rated},
          {"satisfaction", Opt(h.satisfaction())},
          {"satisfaction_rate", Opt(h.satisfaction_rate())}};
}

Json TopicsJson(const std::vector<reports::Topic>& topics, const char* name_field) {
  Json out = Json::array();
  for (const auto& t : topics) {
    out.push_back({{name_field, t.name},
                   {"count", t.count},
                   {"baseline_count", t.baseline_count},
                   {"expected", t.expected},
                   {"ratio", Opt(t.ratio)},
                   {"score", t.score},
                   {"sample_ticket_ids", t.sample_ticket_ids}});
  }
  return out;
}

Json AgentDayJson(const reports::AgentDay& a) {
  return {{"agent_id", a.agent_id},
          {"name", a.name},
          {"calls_answered", a.calls_answered},
          {"talk_s", a.talk_s},
          {"logged_in_s", a.logged_in_s},
          {"occupancy", Opt(a.occupancy)},
          {"surveys", a.surveys},
          {"survey_score", Opt(a.survey_score)},
          {"work_orders", a.work_orders},
          {"callbacks", a.callbacks}};
}

}  // namespace

Json DailyJson(const reports::DailyReport& r, const core::TimeZone& zone) {
  const auto& w = r.work_orders;
  Json agents = Json::array();
  for (const auto& a : r.agents) agents.push_back(AgentDayJson(a));
  Json out = PeriodJson(r.period, zone);
  out["date"] = core::FormatDate(r.date);
  out["calls"] = MeasuresJson(r.calls);
  out["surveys"] = {{"count", r.surveys}, {"mean", Opt(r.survey_score)}};
  out["work_orders"] = {{"created", w.created},
                        {"by_type", w.by_type},
                        {"by_channel", w.by_channel},
                        {"transferred", w.transferred},
                        {"replied", w.replied},
                        {"callbacks", w.callbacks},
                        {"callbacks_reached", w.callbacks_reached},
                        {"closed", w.closed}};
  out["agents"] = std::move(agents);
  return out;
}

Json MonthlyJson(const reports::MonthlyReport& r, const core::TimeZone& zone) {
  Json units = Json::array();
  for (const auto& line : r.units) {
    Json u = {{"unit_id", line.unit_id}, {"unit_name", line.name}, {"kind", line.kind}};
    u.update(UnitFiguresJson(line.figures));
    units.push_back(std::move(u));
  }
  Json out = PeriodJson(r.period, zone);
  out["month"] = reports::FormatMonth(r.month);
  out["as_of"] = core::FormatIso(r.as_of, zone);
  out["units"] = std::move(units);
  out["totals"] = UnitFiguresJson(r.totals);
  if (r.work_orders) out["work_orders"] = HotlineJson(*r.work_orders);
  return out;
}

Json HotTopicsJson(const reports::HotTopics& r, const core::TimeZone& zone) {
  return {{"days", r.days},
          {"baseline_days", r.baseline_days},
          {"window", PeriodJson(r.window, zone)},
          {"baseline", PeriodJson(r.baseline, zone)},
          {"work_orders", r.work_orders},
          {"baseline_work_orders", r.baseline_work_orders},
          {"categories", TopicsJson(r.categories, "category")},
          {"keywords", TopicsJson(r.keywords, "keyword")}};
}

Json StaffingJson(const reports::QueueFigures& f, const reports::StaffingInput& in) {
  Json out = {{"agents", f.agents},
              {"p_wait", f.p_wait},
              {"service_level", f.service_level},
              {"asa_s", f.asa_s},
              {"occupancy", f.occupancy},
              {"model", in.patience_s ? "erlang_a" : "erlang_c"},
              {"offered_load", in.calls_per_hour * in.aht_s / 3600.0}};
  if (f.p_abandon) out["p_abandon"] = *f.p_abandon;
  return out;
}

}  // namespace hotline::api

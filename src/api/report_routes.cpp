#include "report_routes.hpp"

#include <charconv>
#include <memory>

#include "cdr.hpp"
#include "hotline/reports/daily.hpp"
#include "hotline/reports/hot_topics.hpp"
#include "hotline/reports/monthly.hpp"
#include "hotline/reports/period.hpp"
#include "hotline/reports/staffing.hpp"
#include "report_json.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::Result;
using core::Role;
using storage::Connection;

const Access kSupervisors = Access::Roles({Role::kSupervisor, Role::kAdmin});
const Access kSupervisorsAndUnits = Access::Roles({Role::kSupervisor, Role::kAdmin, Role::kUnit});

/// A whole number from `min` to `max` in query parameter `name`, or `fallback` when absent.
Result<int> WholeParam(const Request& req, const char* name, int min, int max, int fallback) {
  auto text = req.Query(name);
  if (!text) return fallback;
  int v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max) {
    return Error::Validation(std::string(name) + ": must be a whole number from " + std::to_string(min) +
                                 " to " + std::to_string(max),
                             name);
  }
  return v;
}

/// A plain decimal number in query parameter `name` (no exponent, no hex; "inf" and "nan" parse
/// but fail every bound later), or nothing if absent.
Result<std::optional<double>> NumberParam(const Request& req, const char* name) {
  auto text = req.Query(name);
  if (!text) return std::optional<double>();
  double v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v, std::chars_format::fixed);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size()) {
    return Error::Validation(std::string(name) + ": must be a number", name);
  }
  return std::optional<double>(v);
}

Result<reports::StaffingInput> ReadStaffing(const Request& req, int service_level_s) {
  reports::StaffingInput in;
  in.target_s = service_level_s;
  struct Field {
    const char* name;
    double* target;
    bool required;
  };
  for (Field f : {Field{"calls_per_hour", &in.calls_per_hour, true}, Field{"aht_s", &in.aht_s, true},
                  Field{"target_sl", &in.target_sl, false}, Field{"target_s", &in.target_s, false}}) {
    auto v = NumberParam(req, f.name);
    if (!v) return v.error();
    if (*v) *f.target = **v;
    else if (f.required) return Error::Validation(std::string(f.name) + ": is required", f.name);
  }
  auto patience = NumberParam(req, "patience_s");
  if (!patience) return patience.error();
  in.patience_s = *patience;
  return in;
}

Response Daily(const ReportDeps& d, Request& req) {
  const core::TimePoint now = d.clock.Now();
  auto date = reports::LocalDay(now, d.zone);
  if (auto text = req.Query("date")) {
    auto parsed = core::ParseDate(*text);
    if (!parsed) return Response::Problem(Error::Validation("date: must be a date YYYY-MM-DD", "date"));
    date = *parsed;
  }
  const reports::Period day = reports::DayPeriod(date, d.zone);
  auto report = d.db.Read([&](Connection& c) {
    const auto calls = ReadCallRecords(c, day.from, day.to);
    return reports::BuildDaily(c, date, d.zone, now, calls, d.acd);
  });
  return Response::Json(200, DailyJson(report, d.zone));
}

Response Monthly(const ReportDeps& d, Request& req) {
  const core::TimePoint now = d.clock.Now();
  const auto today = reports::LocalDay(now, d.zone);
  auto month = today.year() / today.month();
  if (auto text = req.Query("month")) {
    auto parsed = reports::ParseMonth(*text);
    if (!parsed) return Response::Problem(Error::Validation("month: must be a month YYYY-MM", "month"));
    month = *parsed;
  }
  const std::string format = req.Query("format").value_or("json");
  if (format != "json" && format != "csv") {
    return Response::Problem(Error::Validation("format: must be json or csv", "format"));
  }
  // A unit user reads its own line only; the hotline's own figures are not its business.
  std::optional<int64_t> only_unit;
  if (req.Who().Is(Role::kUnit)) only_unit = req.Who().unit_id.value_or(0);
  auto report = d.db.Read([&](Connection& c) { return reports::BuildMonthly(c, month, d.zone, now, only_unit); });
  if (format == "json") return Response::Json(200, MonthlyJson(report, d.zone));
  Response res = Response::Text(200, reports::MonthlyCsv(report), "text/csv; charset=utf-8");
  res.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"monthly-" + reports::FormatMonth(month) + ".csv\"");
  return res;
}

Response HotTopics(const ReportDeps& d, Request& req) {
  auto days = WholeParam(req, "days", 1, reports::kMaxHotTopicDays, reports::kDefaultHotTopicDays);
  if (!days) return Response::Problem(days.error());
  auto limit = WholeParam(req, "limit", 1, reports::kMaxTopicLimit, reports::kDefaultTopicLimit);
  if (!limit) return Response::Problem(limit.error());
  const core::TimePoint now = d.clock.Now();
  auto topics = d.db.Read([&](Connection& c) { return reports::FindHotTopics(c, now, *days, *limit); });
  return Response::Json(200, HotTopicsJson(topics, d.zone));
}

Response Staffing(const ReportDeps& d, Request& req) {
  auto in = ReadStaffing(req, d.acd.service_level_s);
  if (!in) return Response::Problem(in.error());
  return Reply(reports::FewestAgents(*in), 200,
               [&](const reports::QueueFigures& f) { return StaffingJson(f, *in); });
}

}  // namespace

void RegisterReportRoutes(Router& router, ReportDeps deps) {
  auto d = std::make_shared<const ReportDeps>(deps);
  router.Add("GET", "/api/v1/reports/daily", kSupervisors, [d](Request& r) { return Daily(*d, r); });
  router.Add("GET", "/api/v1/reports/monthly", kSupervisorsAndUnits, [d](Request& r) { return Monthly(*d, r); });
  router.Add("GET", "/api/v1/reports/hot-topics", kSupervisors, [d](Request& r) { return HotTopics(*d, r); });
  router.Add("GET", "/api/v1/staffing", kSupervisors, [d](Request& r) { return Staffing(*d, r); });
}

}  // namespace hotline::api

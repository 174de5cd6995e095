#include "hotline/reports/daily.hpp"

#include <algorithm>

#include "hotline/acd/day_measures.hpp"
#include "hotline/workorder/work_order.hpp"
#include "reports/agent_time.hpp"

namespace hotline::reports {
namespace {

using storage::Connection;

constexpr auto kStateLookback = std::chrono::days(1);  // how far back to find a state at midnight

int64_t Ms(core::TimePoint t) { return core::ToUnixMillis(t); }

std::optional<double> Mean(int64_t sum, int count) {
  if (count == 0) return std::nullopt;
  return static_cast<double>(sum) / count;
}

WorkOrderDay CountWorkOrders(Connection& c, const Period& p) {
  WorkOrderDay w;
  for (auto t : workorder::AllTypes()) w.by_type[std::string(workorder::TypeName(t))] = 0;
  for (auto ch : workorder::AllChannels()) w.by_channel[std::string(workorder::ChannelName(ch))] = 0;
  auto created = c.Prepare(
      "SELECT type, channel, count(*) FROM tickets WHERE parent_id IS NULL AND accepted_at >= ?1"
      " AND accepted_at < ?2 GROUP BY type, channel");
  created->BindAll(Ms(p.from), Ms(p.to));
  while (created->Step()) {
    const int n = static_cast<int>(created->Int(2));
    w.created += n;
    w.by_type[created->Text(0)] += n;
    w.by_channel[created->Text(1)] += n;
  }
  auto actions = c.Prepare(
      "SELECT action, count(*), coalesce(sum(json_extract(fields, '$.reached') = 1), 0) FROM ticket_history"
      " WHERE action IN ('transfer', 'reply', 'callback') AND at >= ?1 AND at < ?2 GROUP BY action");
  actions->BindAll(Ms(p.from), Ms(p.to));
  while (actions->Step()) {
    const std::string a = actions->Text(0);
    const int n = static_cast<int>(actions->Int(1));
    if (a == "transfer") w.transferred = n;
    if (a == "reply") w.replied = n;
    if (a == "callback") {
      w.callbacks = n;
      w.callbacks_reached = static_cast<int>(actions->Int(2));
    }
  }
  auto closed = c.Prepare(
      "SELECT count(*) FROM tickets WHERE parent_id IS NULL AND closed_at >= ?1 AND closed_at < ?2");
  closed->BindAll(Ms(p.from), Ms(p.to));
  if (closed->Step()) w.closed = static_cast<int>(closed->Int(0));
  return w;
}

/// Per agent: time logged in and busy, from the agent_state events.
std::map<int64_t, AgentTime> MeasureAgents(Connection& c, const Period& p) {
  std::map<int64_t, std::string> at_start;
  auto before = c.Prepare(
      "SELECT agent_id, state, max(id) FROM call_events WHERE kind = 'agent_state'"
      " AND agent_id IS NOT NULL AND at >= ?1 AND at < ?2 GROUP BY agent_id");
  before->BindAll(Ms(p.from - kStateLookback), Ms(p.from));
  while (before->Step()) at_start[before->Int(0)] = before->OptText(1).value_or("");
  std::map<int64_t, std::vector<StateChange>> changes;
  auto during = c.Prepare(
      "SELECT agent_id, at, state FROM call_events WHERE kind = 'agent_state' AND agent_id IS NOT NULL"
      " AND at >= ?1 AND at < ?2 ORDER BY at, id");
  during->BindAll(Ms(p.from), Ms(p.to));
  while (during->Step()) {
    changes[during->Int(0)].push_back({core::FromUnixMillis(during->Int(1)), during->OptText(2).value_or("")});
  }
  std::map<int64_t, AgentTime> out;
  for (const auto& [agent, state] : at_start) out[agent] = MeasureAgentTime(state, changes[agent], p);
  for (const auto& [agent, list] : changes) {
    if (!at_start.contains(agent)) out[agent] = MeasureAgentTime("offline", list, p);
  }
  return out;
}

/// Runs `sql` (binding the period) and hands each (agent id, count, sum) row to `fn`.
template <class F>
void PerAgent(Connection& c, std::string_view sql, const Period& p, F&& fn) {
  auto q = c.Prepare(sql);
  q->BindAll(Ms(p.from), Ms(p.to));
  while (q->Step()) fn(q->Int(0), static_cast<int>(q->Int(1)), q->Int(2));
}

std::vector<AgentDay> AgentLines(Connection& c, const Period& day_so_far, const Period& day,
                                 const acd::DayMeasures& measures) {
  std::map<int64_t, AgentDay> agents;
  auto line = [&](int64_t id) -> AgentDay& {
    AgentDay& a = agents[id];
    a.agent_id = id;
    return a;
  };
  for (const auto& v : measures.agents) {
    AgentDay& a = line(v.agent_id);
    a.calls_answered = v.calls_answered;
    a.talk_s = v.talk_s;
  }
  for (const auto& [id, t] : MeasureAgents(c, day_so_far)) {
    if (t.logged_in.count() == 0) continue;
    AgentDay& a = line(id);
    a.logged_in_s = std::chrono::duration_cast<std::chrono::seconds>(t.logged_in).count();
    a.occupancy = t.occupancy();
  }
  PerAgent(c,
           "SELECT agent_id, count(*), sum(survey_score) FROM calls WHERE enqueued_at >= ?1 AND enqueued_at < ?2"
           " AND agent_id IS NOT NULL AND survey_score IS NOT NULL GROUP BY agent_id",
           day, [&](int64_t id, int n, int64_t sum) {
             AgentDay& a = line(id);
             a.surveys = n;
             a.survey_score = Mean(sum, n);
           });
  PerAgent(c,
           "SELECT owner, count(*), 0 FROM tickets WHERE parent_id IS NULL AND accepted_at >= ?1"
           " AND accepted_at < ?2 AND owner IS NOT NULL GROUP BY owner",
           day, [&](int64_t id, int n, int64_t) { line(id).work_orders = n; });
  PerAgent(c,
           "SELECT actor, count(*), 0 FROM ticket_history WHERE action = 'callback' AND at >= ?1 AND at < ?2"
           " AND actor IS NOT NULL GROUP BY actor",
           day, [&](int64_t id, int n, int64_t) { line(id).callbacks = n; });
  auto names = c.Prepare("SELECT coalesce(nullif(display_name, ''), username) FROM users WHERE id = ?1");
  std::vector<AgentDay> out;
  for (auto& [id, a] : agents) {
    names->Reset();
    names->Bind(1, id);
    if (names->Step()) a.name = names->Text(0);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

DailyReport BuildDaily(Connection& c, std::chrono::year_month_day date, const core::TimeZone& zone,
                       core::TimePoint now, std::span<const acd::CallRecord> calls,
                       const acd::AcdConfig& config) {
  DailyReport r;
  r.date = date;
  r.period = DayPeriod(date, zone);
  r.calls = acd::MeasureCalls(calls, config);
  r.calls.day = date;
  auto surveys = c.Prepare(
      "SELECT count(*), coalesce(sum(survey_score), 0) FROM calls WHERE enqueued_at >= ?1 AND enqueued_at < ?2"
      " AND survey_score IS NOT NULL");
  surveys->BindAll(Ms(r.period.from), Ms(r.period.to));
  if (surveys->Step()) {
    r.surveys = static_cast<int>(surveys->Int(0));
    r.survey_score = Mean(surveys->Int(1), r.surveys);
  }
  r.work_orders = CountWorkOrders(c, r.period);
  const Period so_far{r.period.from, std::clamp(now, r.period.from, r.period.to)};
  r.agents = AgentLines(c, so_far, r.period, r.calls);
  return r;
}

}  // namespace hotline::reports

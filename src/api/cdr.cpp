#include "cdr.hpp"

#include <array>
#include <string>

#include "hotline/core/json.hpp"

namespace hotline::api {
namespace {

using core::Json;
using storage::Connection;

std::optional<int64_t> Millis(const std::optional<core::TimePoint>& t) {
  if (!t) return std::nullopt;
  return core::ToUnixMillis(*t);
}

std::optional<core::TimePoint> Time(const std::optional<int64_t>& ms) {
  if (!ms) return std::nullopt;
  return core::FromUnixMillis(*ms);
}

constexpr std::array kCallStates = {acd::CallState::kQueued, acd::CallState::kRinging, acd::CallState::kTalking,
                                    acd::CallState::kEnded,  acd::CallState::kAbandoned, acd::CallState::kOverflow};

std::optional<acd::CallState> CallStateNamed(const std::string& name) {
  for (acd::CallState s : kCallStates) {
    if (acd::CallStateName(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace

void WriteCallRecord(Connection& c, const acd::CallRecord& r) {
  // enqueued_at too: the engine's (entering the queue) is what every wait is measured from.
  c.Prepare(
       "UPDATE calls SET state = ?2, agent_id = ?3, seat = ?4, incident_id = ?5, first_offered_at = ?6, "
       "offered_at = ?7, answered_at = ?8, ended_at = ?9, abandoned_at = ?10, wrap_up_end = ?11, "
       "predicted_ewt_s = ?12, offers = ?13, short_abandon = ?14, ended_by = ?15, callback = ?16, "
       "enqueued_at = ?17 WHERE id = ?1")
      ->BindAll(r.id, std::string(acd::CallStateName(r.state)), r.agent_id,
                r.seat ? std::optional<int64_t>(r.seat) : std::nullopt, r.incident_id,
                Millis(r.first_offered_at), Millis(r.offered_at), Millis(r.answered_at),
                Millis(r.ended_at), Millis(r.abandoned_at), Millis(r.wrap_up_end), r.predicted_ewt_s,
                r.offers, r.short_abandon,
                r.ended_by ? std::optional<std::string>(std::string(acd::PartyName(*r.ended_by)))
                           : std::nullopt,
                r.callback, core::ToUnixMillis(r.enqueued_at))
      .Run();
}

void WriteEvent(Connection& c, const acd::Event& e) {
  std::optional<std::string> state;
  Json data = Json::object();
  if (e.agent_state) state = std::string(acd::AgentStateName(*e.agent_state));
  if (e.call && !e.agent_state) state = std::string(acd::CallStateName(e.call->state));
  if (e.previous_state) data["previous"] = acd::AgentStateName(*e.previous_state);
  if (e.position) data["position"] = *e.position;
  if (e.ewt_s) data["ewt_s"] = *e.ewt_s;
  if (e.incident) data["incident_id"] = e.incident->id;
  c.Prepare("INSERT INTO call_events(at, kind, call_id, agent_id, seat, state, reason, data) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      ->BindAll(core::ToUnixMillis(e.at), std::string(acd::EventKindName(e.kind)),
                e.call_id ? std::optional<int64_t>(e.call_id) : std::nullopt,
                e.agent_id ? std::optional<int64_t>(e.agent_id) : std::nullopt,
                e.seat ? std::optional<int64_t>(e.seat) : std::nullopt, state,
                e.reason.empty() ? std::nullopt : std::optional<std::string>(e.reason),
                data.empty() ? std::nullopt : std::optional<std::string>(data.dump()))
      .Run();
  if (e.call) WriteCallRecord(c, *e.call);
}

namespace {

constexpr const char* kRecordColumns =
    "SELECT id, caller, called, coalesce(skill, ''), priority, coalesce(ivr_choice, ''), coalesce(category, ''), "
    "state, agent_id, coalesce(seat, 0), incident_id, enqueued_at, first_offered_at, offered_at, answered_at, "
    "ended_at, abandoned_at, wrap_up_end, predicted_ewt_s, offers, short_abandon, ended_by, callback FROM calls ";

acd::CallRecord RecordOf(storage::Statement& q) {
  acd::CallRecord r;
  r.id = q.Int(0);
  r.caller = q.Text(1);
  r.called = q.Text(2);
  r.skill = q.Text(3);
  r.priority = static_cast<int>(q.Int(4));
  r.ivr_choice = q.Text(5);
  r.category = q.Text(6);
  r.state = CallStateNamed(q.Text(7)).value_or(acd::CallState::kEnded);
  r.agent_id = q.OptInt(8);
  r.seat = static_cast<int>(q.Int(9));
  r.incident_id = q.OptInt(10);
  r.enqueued_at = core::FromUnixMillis(q.Int(11));
  r.first_offered_at = Time(q.OptInt(12));
  r.offered_at = Time(q.OptInt(13));
  r.answered_at = Time(q.OptInt(14));
  r.ended_at = Time(q.OptInt(15));
  r.abandoned_at = Time(q.OptInt(16));
  r.wrap_up_end = Time(q.OptInt(17));
  if (auto ewt = q.OptInt(18)) r.predicted_ewt_s = static_cast<int>(*ewt);
  r.offers = static_cast<int>(q.Int(19));
  r.short_abandon = q.Int(20) != 0;
  if (auto by = q.OptText(21)) {
    if (*by == "caller") r.ended_by = acd::Party::kCaller;
    if (*by == "agent") r.ended_by = acd::Party::kAgent;
  }
  r.callback = q.Int(22) != 0;
  return r;
}

}  // namespace

std::vector<acd::CallRecord> ReadCallRecords(Connection& c, core::TimePoint from, core::TimePoint to) {
  auto q = c.Prepare(std::string(kRecordColumns) +
                     "WHERE enqueued_at >= ?1 AND enqueued_at < ?2 "
                     "AND state IN ('queued', 'ringing', 'talking', 'ended', 'abandoned', 'overflow') "
                     "ORDER BY enqueued_at, id");
  q->BindAll(core::ToUnixMillis(from), core::ToUnixMillis(to));
  std::vector<acd::CallRecord> out;
  while (q->Step()) out.push_back(RecordOf(*q));
  return out;
}

std::vector<acd::CallRecord> ReadWaitingCalls(Connection& c) {
  auto q = c.Prepare(std::string(kRecordColumns) +
                     "WHERE state IN ('queued', 'ringing') ORDER BY enqueued_at, id");
  std::vector<acd::CallRecord> out;
  while (q->Step()) out.push_back(RecordOf(*q));
  return out;
}

namespace {

constexpr const char* kIncidentColumns =
    "SELECT i.id, i.title, i.keywords, i.ivr_message, i.opened_at, i.closed_at, i.skills, "
    "i.ivr_choices, (SELECT count(*) FROM calls c WHERE c.incident_id = i.id) FROM incidents i ";

/// A JSON array of strings as stored (NULL or anything else reads as none).
std::vector<std::string> StringList(const std::optional<std::string>& text) {
  std::vector<std::string> out;
  if (!text) return out;
  Json j = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

acd::IncidentView IncidentOf(storage::Statement& q) {
  acd::IncidentView v;
  v.id = q.Int(0);
  v.title = q.Text(1);
  v.keywords = StringList(q.Text(2));
  v.ivr_message = q.Text(3);
  v.opened_at = core::FromUnixMillis(q.Int(4));
  if (auto closed = q.OptInt(5)) v.closed_at = core::FromUnixMillis(*closed);
  v.skills = StringList(q.OptText(6));
  v.ivr_choices = StringList(q.OptText(7));
  v.calls_tagged = static_cast<int>(q.Int(8));
  return v;
}

std::vector<acd::IncidentView> IncidentsOf(storage::Statement& q) {
  std::vector<acd::IncidentView> out;
  while (q.Step()) out.push_back(IncidentOf(q));
  return out;
}

}  // namespace

std::optional<acd::IncidentView> ReadIncident(Connection& c, int64_t id) {
  auto q = c.Prepare(std::string(kIncidentColumns) + "WHERE i.id = ?1");
  q->Bind(1, id);
  if (!q->Step()) return std::nullopt;
  return IncidentOf(*q);
}

std::vector<acd::IncidentView> ReadIncidentsBefore(Connection& c, int64_t before_id, int limit) {
  auto q = c.Prepare(std::string(kIncidentColumns) + "WHERE i.id < ?1 ORDER BY i.id DESC LIMIT ?2");
  q->BindAll(before_id, int64_t{limit});
  return IncidentsOf(*q);
}

std::vector<acd::IncidentView> ReadOpenIncidents(Connection& c) {
  auto q = c.Prepare(std::string(kIncidentColumns) +
                     "WHERE i.closed_at IS NULL ORDER BY i.opened_at, i.id");
  return IncidentsOf(*q);
}

}  // namespace hotline::api

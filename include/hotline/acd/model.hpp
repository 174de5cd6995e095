#pragma once
// Values the ACD engine takes and gives: states, inputs, records and read views.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotline/core/clock.hpp"

namespace hotline::acd {

/// State of a call inside the ACD (the `state` of GET /api/v1/calls/{id}).
enum class CallState { kQueued, kRinging, kTalking, kEnded, kAbandoned, kOverflow };
/// State of an agent (SPEC §2).
enum class AgentState { kOffline, kReady, kRinging, kTalking, kWrapUp, kNotReady };
/// Who hung up a call.
enum class Party { kCaller, kAgent };

/// "queued", "ringing", "talking", "ended", "abandoned", "overflow".
std::string_view CallStateName(CallState state);
/// "offline", "ready", "ringing", "talking", "wrap_up", "not_ready".
std::string_view AgentStateName(AgentState state);
/// The agent state with that name, or nothing.
std::optional<AgentState> ParseAgentState(std::string_view name);
/// "caller" or "agent".
std::string_view PartyName(Party party);

/// Skill name → level 1..9 (1 = best); empty means every configured skill at level 5.
using SkillMap = std::map<std::string, int>;

/// A call reported by the gateway; the id comes from the database.
struct NewCall {
  int64_t id = 0;
  std::string caller;
  std::string called;
  std::string skill;  ///< empty: the first configured skill
  int priority = 0;   ///< 0..9, higher first
  std::string ivr_choice;
  std::string category;  ///< optional free text, only matched against incident keywords
  /// The agent owning an open work order of the caller (looked up by the call center when the
  /// call is created): offered the call first if ready (SPEC §2 "Sticky agent").
  std::optional<int64_t> sticky_agent_id;
};

/// A call that was waiting when the server stopped, to be queued again in its place.
struct RestoredCall {
  int64_t id = 0;
  std::string caller;
  std::string called;
  std::string skill;
  int priority = 0;
  std::string ivr_choice;
  core::TimePoint enqueued_at;
  std::optional<int> predicted_ewt_s;
  std::optional<int64_t> incident_id;
  bool callback = false;  ///< a callback request (virtual hold) that keeps its place
  std::optional<core::TimePoint> first_offered_at;  ///< kept from before the restart
  int offers = 0;                                   ///< offers made before the restart
};

/// A waiting call that could not be queued again after a restart, and why.
struct RestoreFailure {
  int64_t id = 0;
  std::string reason;
};

/// The answer to a new call.
struct Arrival {
  CallState state = CallState::kQueued;  ///< kQueued or kOverflow
  bool offered = false;  ///< already ringing an agent (position and ewt_s are then 0)
  int position = 0;      ///< 1 = next in line; 0 when not waiting
  int ewt_s = 0;         ///< estimated wait in seconds
  std::optional<int64_t> incident_id;
};

/// Where a logged-in agent sits.
struct SeatAssignment {
  int seat = 0;
  std::string extension;
  bool emergency = false;  ///< an emergency seat (calls only during an incident)
};

/// Everything known about one call: the CDR row.
struct CallRecord {
  int64_t id = 0;
  std::string caller;
  std::string called;
  std::string skill;
  int priority = 0;
  std::string ivr_choice;
  std::string category;
  CallState state = CallState::kQueued;
  std::optional<int64_t> agent_id;  ///< ringing, talking or (after the call) who talked
  int seat = 0;                     ///< the agent's seat, 0 while queued
  std::string extension;
  std::optional<int64_t> incident_id;
  std::optional<int64_t> sticky_agent_id;  ///< owner of the caller's open work order, if offered
  core::TimePoint enqueued_at;
  std::optional<core::TimePoint> first_offered_at;
  std::optional<core::TimePoint> offered_at;  ///< the latest offer
  std::optional<core::TimePoint> answered_at;
  std::optional<core::TimePoint> ended_at;
  std::optional<core::TimePoint> abandoned_at;
  std::optional<core::TimePoint> wrap_up_end;
  std::optional<int> predicted_ewt_s;  ///< the estimate made when it was queued
  int offers = 0;                      ///< how many times it rang an agent
  bool any_agent = false;              ///< waited past overflow_after_s: any agent may take it
  bool short_abandon = false;          ///< abandoned under short_abandon_s
  std::optional<Party> ended_by;
  bool restored = false;  ///< queued again after a restart
  /// Virtual hold: the caller left the queue asking to be called back. The call keeps its
  /// place; when its turn comes an agent is offered it and calls the caller back.
  bool callback = false;
};

/// A call as it is now: its record plus, while queued, its place and estimated wait.
struct CallView : CallRecord {
  std::optional<int> position;  ///< 1 = next in line
  std::optional<int> ewt_s;
};

/// An agent as it is now, with today's figures.
struct AgentView {
  int64_t agent_id = 0;
  int seat = 0;  ///< 0 when offline
  std::string extension;
  AgentState state = AgentState::kOffline;
  std::string reason;  ///< why not_ready
  core::TimePoint since;
  std::optional<int64_t> call_id;  ///< the call ringing, in talk or in wrap-up
  bool emergency_seat = false;
  bool seat_live = false;  ///< the seat may receive calls now
  SkillMap skills;
  int calls_answered = 0;           ///< today
  int64_t talk_s = 0;               ///< today, ended calls
  std::optional<double> occupancy;  ///< today: ringing+talking+wrap_up over logged-in time
};

/// A waiting call in a queue listing.
struct QueuedCall {
  int64_t call_id = 0;
  std::string caller;
  std::string skill;
  int priority = 0;
  int position = 0;
  int ewt_s = 0;
  int64_t wait_s = 0;
  core::TimePoint enqueued_at;
  std::optional<int64_t> incident_id;
  bool any_agent = false;
  bool callback = false;  ///< a callback request: the caller is not on the line
};

/// Today's figures (SPEC §2 "Measures"); a rate is absent (JSON null) while its denominator
/// is 0. A call counts on the local day it arrived. Its wait runs from enqueued_at to
/// answered_at (or abandoned_at), ring time and unanswered offers included; "within
/// service_level_s" means wait ≤ service_level_s. After a restart the figures are rebuilt
/// from the call records (MeasureCalls), so each call still counts once.
struct DayMeasures {
  std::chrono::year_month_day day;
  int offered = 0;  ///< every call once, overflowed ones included
  int answered = 0;
  int abandoned = 0;  ///< short ones included
  int short_abandoned = 0;
  int overflowed = 0;                 ///< turned away because the queue was full
  int callback_requests = 0;          ///< callers who chose to be called back (virtual hold)
  int answered_in_sl = 0;             ///< answered within service_level_s
  std::optional<double> answer_rate;  ///< answered / (offered − short_abandoned)
  /// answered_in_sl / (answered + abandoned after short_abandon_s + overflowed)
  std::optional<double> service_level;
  std::optional<double> asa_s;        ///< mean wait of answered calls
  std::optional<double> aht_s;        ///< mean talk + wrap-up of completed calls
  std::optional<double> ewt_error_s;  ///< mean |predicted − actual wait| of answered calls
  /// The longest wait of the day, whole seconds: of the calls answered or abandoned (per
  /// arrival day, like every figure) and, in the live view, of the calls still waiting.
  int64_t longest_wait_s = 0;
  int waiting = 0;                    ///< live
  std::vector<AgentView> agents;      ///< per agent: calls, talk time, occupancy
};

/// The queue as a wallboard shows it (GET /api/v1/queue without `today`).
struct QueueView {
  int waiting = 0;
  int ringing = 0;
  int64_t longest_wait_s = 0;
  std::map<std::string, int> agents;  ///< agent state name → count, every state present
  std::vector<QueuedCall> calls;      ///< in order
};

/// A supervisor's request to open an incident; the id comes from the database. A call matches
/// the incident when a keyword occurs in its skill, voice-menu choice or category (ASCII case
/// folded), when its skill is one of `skills`, or when its voice-menu choice is one of
/// `ivr_choices`.
struct IncidentInput {
  int64_t id = 0;
  std::string title;
  std::vector<std::string> keywords;
  std::string ivr_message;
  std::vector<std::string> skills;       ///< configured skill names
  std::vector<std::string> ivr_choices;  ///< voice-menu choices, matched exactly
  /// Restoring an incident that was open before a restart: when it opened, and the calls it
  /// had tagged then.
  std::optional<core::TimePoint> opened_at;
  int calls_tagged = 0;
};

/// An incident the engine knows.
struct IncidentView {
  int64_t id = 0;
  std::string title;
  std::vector<std::string> keywords;
  std::string ivr_message;
  std::vector<std::string> skills;
  std::vector<std::string> ivr_choices;
  core::TimePoint opened_at;
  std::optional<core::TimePoint> closed_at;
  int calls_tagged = 0;
};

}  // namespace hotline::acd

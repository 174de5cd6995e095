#pragma once
// What the engine tells the outside world. Every state change of a call or an agent is one
// Event (the queue_log row); each carries what a consumer needs without asking the engine.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hotline/acd/model.hpp"
#include "hotline/core/clock.hpp"

namespace hotline::acd {

enum class EventKind {
  kCallQueued,         ///< entered the queue (position, ewt_s set; may be offered at once after)
  kCallRouted,         ///< offered to an agent: `call.route` / `call.offered`
  kCallRequeued,       ///< back in the queue; `reason`: ring_timeout, declined or agent_logout
  kCallAnswered,       ///< picked up (first of accept / gateway `answered`)
  kCallEnded,          ///< talk over; `reason` is who hung up
  kCallCompleted,      ///< wrap-up over: the record of an answered call is final
  kCallAbandoned,      ///< caller hung up while queued or ringing: the record is final
  kCallOverflow,       ///< turned away at arrival, the queue being full: the record is final
  kCallAnyAgent,       ///< waited overflow_after_s: any agent may now take it
  kCallbackRequested,  ///< the caller left the queue to be called back; the call keeps its place
  kCallTagged,         ///< a call already waiting was tagged with an incident that just opened
  kAgentState,         ///< an agent changed state (login and logout included)
  kIncidentOpened,
  kIncidentClosed,
};

/// "call_queued", "call_routed", …, "agent_state", "incident_opened", "incident_closed".
std::string_view EventKindName(EventKind kind);

/// One change. `call` is set on call events, `agent_state` on agent events, `incident` on
/// incident events; the ids, seat and extension are copied to the top for easy routing.
struct Event {
  EventKind kind = EventKind::kCallQueued;
  core::TimePoint at;
  int64_t call_id = 0;   ///< 0 when no call is involved
  int64_t agent_id = 0;  ///< 0 when no agent is involved
  int seat = 0;
  std::string extension;
  std::string reason;                     ///< why (requeue, not_ready, hang-up party, login, …)
  std::optional<int> position;            ///< kCallQueued while waiting
  std::optional<int> ewt_s;               ///< kCallQueued while waiting
  std::optional<CallRecord> call;         ///< the call after the change
  std::optional<AgentState> agent_state;  ///< kAgentState: the new state
  std::optional<AgentState> previous_state;  ///< kAgentState: the state before
  std::optional<IncidentView> incident;
};

}  // namespace hotline::acd

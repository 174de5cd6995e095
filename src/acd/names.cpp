#include "hotline/acd/event.hpp"
#include "hotline/acd/model.hpp"

namespace hotline::acd {

std::string_view CallStateName(CallState state) {
  switch (state) {
    case CallState::kQueued:
      return "queued";
    case CallState::kRinging:
      return "ringing";
    case CallState::kTalking:
      return "talking";
    case CallState::kEnded:
      return "ended";
    case CallState::kAbandoned:
      return "abandoned";
    case CallState::kOverflow:
      return "overflow";
  }
  return "queued";
}

std::string_view AgentStateName(AgentState state) {
  switch (state) {
    case AgentState::kOffline:
      return "offline";
    case AgentState::kReady:
      return "ready";
    case AgentState::kRinging:
      return "ringing";
    case AgentState::kTalking:
      return "talking";
    case AgentState::kWrapUp:
      return "wrap_up";
    case AgentState::kNotReady:
      return "not_ready";
  }
  return "offline";
}

std::optional<AgentState> ParseAgentState(std::string_view name) {
  for (AgentState s : {AgentState::kOffline, AgentState::kReady, AgentState::kRinging,
                       AgentState::kTalking, AgentState::kWrapUp, AgentState::kNotReady}) {
    if (AgentStateName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view PartyName(Party party) { return party == Party::kAgent ? "agent" : "caller"; }

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kCallQueued:
      return "call_queued";
    case EventKind::kCallRouted:
      return "call_routed";
    case EventKind::kCallRequeued:
      return "call_requeued";
    case EventKind::kCallAnswered:
      return "call_answered";
    case EventKind::kCallEnded:
      return "call_ended";
    case EventKind::kCallCompleted:
      return "call_completed";
    case EventKind::kCallAbandoned:
      return "call_abandoned";
    case EventKind::kCallOverflow:
      return "call_overflow";
    case EventKind::kCallAnyAgent:
      return "call_any_agent";
    case EventKind::kCallbackRequested:
      return "callback_requested";
    case EventKind::kCallTagged:
      return "call_tagged";
    case EventKind::kAgentState:
      return "agent_state";
    case EventKind::kIncidentOpened:
      return "incident_opened";
    case EventKind::kIncidentClosed:
      return "incident_closed";
  }
  return "call_queued";
}

}  // namespace hotline::acd

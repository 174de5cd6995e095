#pragma once
// An agent's day from its state changes (the agent_state rows of call_events): time logged in
// and time busy with calls (ringing, talking, wrap-up), hence occupancy — which call records
// alone cannot give.
#include <optional>
#include <span>
#include <string>

#include "hotline/core/clock.hpp"
#include "hotline/reports/period.hpp"

namespace hotline::reports {

struct StateChange {
  core::TimePoint at;
  std::string state;  // an acd::AgentStateName
};

struct AgentTime {
  core::Millis logged_in{0};
  core::Millis busy{0};
  /// busy / logged_in; nothing when the agent was never logged in.
  std::optional<double> occupancy() const;
};

/// Time in each state over `period`, starting in `state_at_start` (the last state before
/// the period; offline when unknown) and changing as `changes` (in order) say.
AgentTime MeasureAgentTime(const std::string& state_at_start, std::span<const StateChange> changes,
                           const Period& period);

}  // namespace hotline::reports

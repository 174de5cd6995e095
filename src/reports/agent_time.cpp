#include "reports/agent_time.hpp"

#include <algorithm>

namespace hotline::reports {
namespace {

bool LoggedIn(const std::string& state) { return !state.empty() && state != "offline"; }
bool Busy(const std::string& state) { return state == "ringing" || state == "talking" || state == "wrap_up"; }

}  // namespace

std::optional<double> AgentTime::occupancy() const {
  if (logged_in.count() <= 0) return std::nullopt;
  return static_cast<double>(busy.count()) / static_cast<double>(logged_in.count());
}

AgentTime MeasureAgentTime(const std::string& state_at_start, std::span<const StateChange> changes,
                           const Period& period) {
  AgentTime t;
  std::string state = state_at_start;
  core::TimePoint since = period.from;
  auto close = [&](core::TimePoint until) {
    until = std::clamp(until, period.from, period.to);
    if (until <= since) return;
    if (LoggedIn(state)) t.logged_in += until - since;
    if (Busy(state)) t.busy += until - since;
    since = until;
  };
  for (const StateChange& c : changes) {
    close(c.at);
    state = c.state;
  }
  close(period.to);
  return t;
}

}  // namespace hotline::reports

#pragma once
// The `acd` section of the configuration (SPEC §2) and its validation.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"

namespace hotline::acd {

/// How a call chooses among ready agents of the same skill level (`acd.strategy`).
enum class Strategy { kLongestIdle, kFewestCalls, kLeastTalkTime, kRoundRobin };

/// "longest_idle", "fewest_calls", "least_talk_time" or "round_robin".
std::string_view StrategyName(Strategy strategy);
/// The strategy with that name, or nothing.
std::optional<Strategy> ParseStrategy(std::string_view name);

/// Settings of the call-distribution engine; defaults are SPEC's.
struct AcdConfig {
  int regular_seats = 28;     ///< seats 1..regular_seats (`acd.seats.regular`)
  int emergency_seats = 18;   ///< the seats after them, live only during an incident
  int ring_timeout_s = 15;    ///< an unanswered offer goes back to the queue after this
  int wrap_up_s = 30;         ///< after-call work; 0 sends the agent straight back to ready
  int overflow_after_s = 60;  ///< after this wait a call may go to any agent, skill or not
  int max_waiting = 200;      ///< a new call no agent can take overflows when MORE than this wait
  int short_abandon_s = 5;    ///< abandons under this are not held against the answer rate
  int service_level_s = 20;   ///< the service-level threshold
  Strategy strategy = Strategy::kLongestIdle;
  std::vector<std::string> skills{"consult", "complaint", "report"};
  std::string extension_pattern = "sip:seat{seat}@pbx.local";

  // Not in SPEC: the wait model and memory bounds.
  int default_talk_s = 180;           ///< talk time the wait model assumes before any call ended
  int arrival_window_s = 900;         ///< arrival rates are measured over this window
  int handle_window = 200;            ///< ended calls in the rolling talk and wrap-up means
  int retain_ended_s = 3600;          ///< finished calls stay readable in memory this long
  size_t max_retained_calls = 20000;  ///< and no more than this many finished calls

  /// Seats in all: regular + emergency.
  int total_seats() const { return regular_seats + emergency_seats; }
};

/// Checks ranges and names; the error names the offending field (e.g. "acd.wrap_up_s").
core::Result<void> ValidateConfig(const AcdConfig& config);

/// Reads the `acd` object of the configuration file over the defaults (absent keys keep
/// them), then validates: `{"seats": {"regular": 28, "emergency": 18}, "ring_timeout_s": 15, …}`.
core::Result<AcdConfig> ParseAcdConfig(const core::Json& acd);

/// The seat's extension: `extension_pattern` with every "{seat}" replaced by the number.
std::string SeatExtension(const AcdConfig& config, int seat);

}  // namespace hotline::acd

#pragma once
// Staffing (SPEC §6 GET /api/v1/staffing): the fewest agents that answer a target share of
// calls within a target wait, by Erlang C (M/M/n, callers wait for ever) or Erlang A
// (M/M/n+M, exponential patience: Palm's model as Garnett, Mandelbaum and Reiman solved it).
// Pure functions; every probability is computed in log space so that a thousand calls an
// hour and hundreds of agents neither overflow nor underflow.
#include <optional>

#include "hotline/core/error.hpp"

namespace hotline::reports {

/// What a supervisor asks for; `patience_s` selects Erlang A.
struct StaffingInput {
  double calls_per_hour = 0;
  double aht_s = 0;         ///< mean talk + wrap-up per call
  double target_sl = 0.8;   ///< share of all arrivals to answer within target_s, in (0, 1)
  double target_s = 20;     ///< the service-level threshold
  std::optional<double> patience_s;  ///< mean time a caller waits before hanging up
};

// Bounds of the inputs (a hotline of a few hundred seats, with margin).
inline constexpr double kMaxCallsPerHour = 100'000;
inline constexpr double kMaxAhtS = 7'200;
inline constexpr double kMaxTargetS = 3'600;
inline constexpr double kMaxPatienceS = 3'600;
inline constexpr double kMaxOfferedLoad = 5'000;  // erlangs: calls_per_hour * aht_s / 3600
inline constexpr int kMaxAgents = 20'000;

/// How a queue with `agents` agents performs. Figures are unrounded.
struct QueueFigures {
  int agents = 0;
  double p_wait = 0;         ///< share of arrivals that find every agent busy
  double service_level = 0;  ///< share of ALL arrivals answered within target_s
  double asa_s = 0;          ///< mean wait of the answered calls (those not delayed count 0)
  double occupancy = 0;      ///< carried load per agent
  std::optional<double> p_abandon;  ///< Erlang A only: share of arrivals that hang up
};

/// Checks every field against its bounds; the error names the field.
core::Result<void> ValidateStaffing(const StaffingInput& in);

/// log(1 / ErlangB(agents, load)): the inverse blocking probability, by the stable recursion
/// 1/B(k) = 1 + (k / load) / B(k - 1) carried out in logs.
double LogInverseErlangB(int agents, double load);

/// M/M/n without abandonment; nothing when the queue is unstable (agents <= offered load).
std::optional<QueueFigures> ErlangC(int agents, const StaffingInput& in);
/// M/M/n+M: callers hang up after an exponential patience of mean `in.patience_s` (which must
/// be set); `agents` >= 1. Stable at any load: those who wait too long leave.
QueueFigures ErlangA(int agents, const StaffingInput& in);

/// The fewest agents whose service level reaches target_sl (Erlang A when patience_s is
/// set), with their figures. Validates first.
core::Result<QueueFigures> FewestAgents(const StaffingInput& in);

}  // namespace hotline::reports

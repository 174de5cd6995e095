#pragma once
// The estimated-wait model. A waiting call is answered when an agent has served the calls
// ahead of it that do not give up first. The engine supplies when each serving agent will
// be free (from its state and the rolling talk/wrap-up means); after one round every agent
// frees up again once per cycle (ring + talk + wrap-up), a rate R = agents / cycle.
// Callers ahead abandon at the measured rate θ (abandons per second waited, the maximum-
// likelihood rate of exponential patience), so of k callers ahead only (R/θ)·ln(1 + θk/R)
// are still there to be served (the fluid limit of the queue draining at R + θ·k).
// Calls of higher priority arriving meanwhile jump ahead: the estimate is stretched by
// 1 / (1 − their load). Skills are not modelled: every serving agent counts for every call.
#include <array>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "hotline/acd/config.hpp"
#include "hotline/core/clock.hpp"

namespace hotline::acd {

/// The mean of the last `capacity` samples (milliseconds), or a default before any.
class RollingMean {
 public:
  RollingMean(size_t capacity, double default_s) : capacity_(capacity), default_s_(default_s) {}
  void Add(int64_t ms);
  double seconds() const {
    return samples_.empty() ? default_s_ : sum_ms_ / 1000.0 / samples_.size();
  }

 private:
  size_t capacity_;
  double default_s_;
  std::deque<int64_t> samples_;
  double sum_ms_ = 0;
};

class WaitModel {
 public:
  WaitModel(const AcdConfig& config, core::TimePoint start);

  void RecordArrival(core::TimePoint at, int priority);
  /// Forgets arrivals older than the window.
  void Prune(core::TimePoint now);
  void RecordRing(int64_t ms) { ring_.Add(ms); }
  /// A call left the queue after `waited_ms`, answered or abandoned.
  void RecordQueueExit(int64_t waited_ms, bool abandoned);
  /// Abandons per second of waiting, over the last handle_window exits.
  double abandon_rate() const;
  void RecordTalk(int64_t ms) { talk_.Add(ms); }
  void RecordWrap(int64_t ms) { wrap_.Add(ms); }

  double ring_s() const { return ring_.seconds(); }
  double talk_s() const { return talk_.seconds(); }
  double wrap_s() const { return wrap_.seconds(); }
  /// Seconds between two calls of one agent: ring, talk and wrap-up.
  double cycle_s() const { return ring_s() + talk_s() + wrap_s(); }
  /// Arrivals per second of calls with a priority above `priority`.
  double RateAbove(int priority, core::TimePoint now) const;

  /// Seconds until the call at `position` (1 = next) is answered; `frees` holds, ascending,
  /// the seconds until each serving agent is free.
  double Estimate(const std::vector<double>& frees, int position, int priority,
                  core::TimePoint now) const;

 private:
  core::Millis window_;
  core::TimePoint start_;
  std::deque<std::pair<core::TimePoint, int>> arrivals_;
  std::array<int, 10> by_priority_{};
  size_t exit_window_;
  std::deque<std::pair<int64_t, bool>> exits_;  // waited ms, abandoned
  int64_t exit_wait_ms_ = 0;
  int exit_abandons_ = 0;
  RollingMean ring_;
  RollingMean talk_;
  RollingMean wrap_;
};

}  // namespace hotline::acd

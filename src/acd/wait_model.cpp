#include "acd/wait_model.hpp"

#include <algorithm>
#include <cmath>

namespace hotline::acd {
namespace {

// Beyond this load of higher-priority calls the stretch factor stops growing (1 / 0.2 = 5x).
constexpr double kMaxJumpLoad = 0.8;
// A rate measured over less than this is too noisy; the span is stretched to it.
constexpr double kMinRateSpanS = 60.0;

}  // namespace

void RollingMean::Add(int64_t ms) {
  samples_.push_back(ms);
  sum_ms_ += double(ms);
  if (samples_.size() > capacity_) {
    sum_ms_ -= double(samples_.front());
    samples_.pop_front();
  }
}

WaitModel::WaitModel(const AcdConfig& config, core::TimePoint start)
    : window_(core::Millis(int64_t{config.arrival_window_s} * 1000)),
      start_(start),
      exit_window_(size_t(config.handle_window)),
      ring_(size_t(config.handle_window), 0.0),
      talk_(size_t(config.handle_window), double(config.default_talk_s)),
      wrap_(size_t(config.handle_window), double(config.wrap_up_s)) {}

void WaitModel::RecordArrival(core::TimePoint at, int priority) {
  arrivals_.emplace_back(at, priority);
  ++by_priority_[size_t(priority)];
  Prune(at);
}

void WaitModel::Prune(core::TimePoint now) {
  while (!arrivals_.empty() && arrivals_.front().first <= now - window_) {
    --by_priority_[size_t(arrivals_.front().second)];
    arrivals_.pop_front();
  }
}

void WaitModel::RecordQueueExit(int64_t waited_ms, bool abandoned) {
  exits_.emplace_back(waited_ms, abandoned);
  exit_wait_ms_ += waited_ms;
  exit_abandons_ += abandoned ? 1 : 0;
  if (exits_.size() > exit_window_) {
    exit_wait_ms_ -= exits_.front().first;
    exit_abandons_ -= exits_.front().second ? 1 : 0;
    exits_.pop_front();
  }
}

double WaitModel::abandon_rate() const {
  if (exit_abandons_ == 0 || exit_wait_ms_ <= 0) return 0;
  return exit_abandons_ / (double(exit_wait_ms_) / 1000.0);
}

double WaitModel::RateAbove(int priority, core::TimePoint now) const {
  int count = 0;
  for (int p = priority + 1; p < int(by_priority_.size()); ++p) count += by_priority_[size_t(p)];
  if (count == 0) return 0;
  double span_s =
      std::chrono::duration<double>(std::min<core::Millis>(now - start_, window_)).count();
  return count / std::max(span_s, kMinRateSpanS);
}

double WaitModel::Estimate(const std::vector<double>& frees, int position, int priority,
                           core::TimePoint now) const {
  const double cycle = cycle_s();
  const size_t n = frees.size();
  size_t ahead = size_t(std::max(position, 1) - 1);
  const double theta = abandon_rate();
  if (theta > 0 && ahead > 0) {
    const double rate = double(std::max<size_t>(n, 1)) / cycle;
    const double served = rate / theta * std::log1p(theta * double(ahead) / rate);
    ahead = std::min(ahead, size_t(served));
  }
  double base = n == 0 ? double(ahead + 1) * cycle : frees[ahead % n] + double(ahead / n) * cycle;
  base += ring_s();
  const double load = RateAbove(priority, now) * cycle / double(std::max<size_t>(n, 1));
  return base / (1.0 - std::min(load, kMaxJumpLoad));
}

}  // namespace hotline::acd

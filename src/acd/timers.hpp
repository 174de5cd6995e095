#pragma once
// The engine's ring and wrap-up deadlines, exact (no stale entries): each (kind, id) has at
// most one timer, and the owner remembers its due time so that it can cancel it. Overflow
// deadlines live in a FIFO of their own (see Engine::Impl) and only borrow the key type.
#include <cstdint>
#include <optional>
#include <set>
#include <tuple>

#include "hotline/core/clock.hpp"

namespace hotline::acd {

enum class TimerKind : uint8_t { kRing, kWrapUp, kOverflow };

struct TimerKey {
  core::TimePoint due;
  TimerKind kind = TimerKind::kRing;
  int64_t id = 0;  // call id (ring, overflow) or agent id (wrap-up)

  friend bool operator<(const TimerKey& a, const TimerKey& b) {
    return std::tie(a.due, a.kind, a.id) < std::tie(b.due, b.kind, b.id);
  }
};

class Timers {
 public:
  void Arm(const TimerKey& key) { set_.insert(key); }
  void Cancel(const TimerKey& key) { set_.erase(key); }
  bool Contains(const TimerKey& key) const { return set_.count(key) == 1; }
  std::optional<core::TimePoint> Next() const {
    if (set_.empty()) return std::nullopt;
    return set_.begin()->due;
  }
  /// Removes and returns the earliest timer due at or before `now`.
  std::optional<TimerKey> PopDue(core::TimePoint now) {
    if (set_.empty() || set_.begin()->due > now) return std::nullopt;
    TimerKey key = *set_.begin();
    set_.erase(set_.begin());
    return key;
  }
  size_t size() const { return set_.size(); }
  const std::set<TimerKey>& all() const { return set_; }

 private:
  std::set<TimerKey> set_;
};

}  // namespace hotline::acd

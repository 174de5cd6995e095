#pragma once
// Time source for all time-dependent logic (ring timeouts, wrap-up, deadlines, hours).
// Production code takes a `const Clock&`; tests pass a FakeClock and move it by hand.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace hotline::core {

using Millis = std::chrono::milliseconds;
/// Wall-clock instant in UTC, millisecond precision (what the API and the database store).
using TimePoint = std::chrono::sys_time<Millis>;

/// Milliseconds since the Unix epoch: the storage form of a TimePoint.
inline int64_t ToUnixMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromUnixMillis(int64_t ms) { return TimePoint(Millis(ms)); }

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::floor<Millis>(std::chrono::system_clock::now());
  }
};

/// A clock that moves only when told; safe to read from several threads.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = FromUnixMillis(1'767'225'600'000))  // 2026-01-01T00:00Z
      : now_ms_(ToUnixMillis(start)) {}
  TimePoint Now() const override { return FromUnixMillis(now_ms_.load()); }
  void Set(TimePoint t) { now_ms_.store(ToUnixMillis(t)); }
  void Advance(Millis d) { now_ms_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_ms_;
};

/// The system clock shifted by an offset that can be moved: it runs at real speed from wherever
/// it was set. Only for `hotline serve --clock` (integration tests and demos of "19:00 on a
/// holiday" or "31 days later"); never the production default.
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(TimePoint start) { Set(start); }
  TimePoint Now() const override { return system_.Now() + Millis(offset_ms_.load()); }
  void Set(TimePoint t) { offset_ms_.store((t - system_.Now()).count()); }
  void Advance(Millis d) { offset_ms_.fetch_add(d.count()); }

 private:
  SystemClock system_;
  std::atomic<int64_t> offset_ms_{0};
};

}  // namespace hotline::core

#pragma once
// A fake-clock engine and short helpers for the ACD unit tests. The tests link the copy of
// the engine built with HOTLINE_CHECK_INVARIANTS, so every event is checked as well.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hotline/acd/engine.hpp"

namespace hotline::acd::testing {

using std::chrono::seconds;

inline NewCall MakeCall(int64_t id, std::string skill = "consult", int priority = 0,
                        std::string caller = "13800000000") {
  NewCall c;
  c.id = id;
  c.caller = std::move(caller);
  c.called = "12320";
  c.skill = std::move(skill);
  c.priority = priority;
  return c;
}

/// A small center: 4 regular and 2 emergency seats, SPEC timers.
inline AcdConfig SmallConfig() {
  AcdConfig c;
  c.regular_seats = 4;
  c.emergency_seats = 2;
  return c;
}

/// The latest record of every call, as the CDR rows hold them after these events.
inline void Collect(std::vector<Event> events, std::map<int64_t, CallRecord>& records) {
  for (Event& e : events) {
    if (e.call) records[e.call->id] = std::move(*e.call);
  }
}

/// Means summed in another order may differ in the last bits.
inline void ExpectNear(const std::optional<double>& a, const std::optional<double>& b) {
  ASSERT_EQ(a.has_value(), b.has_value());
  if (a) {
    EXPECT_NEAR(*a, *b, 1e-9 * std::max(1.0, std::abs(*a)));
  }
}

inline void ExpectSameFigures(const DayMeasures& a, const DayMeasures& b) {
  EXPECT_EQ(a.offered, b.offered);
  EXPECT_EQ(a.answered, b.answered);
  EXPECT_EQ(a.abandoned, b.abandoned);
  EXPECT_EQ(a.short_abandoned, b.short_abandoned);
  EXPECT_EQ(a.overflowed, b.overflowed);
  EXPECT_EQ(a.callback_requests, b.callback_requests);
  EXPECT_EQ(a.answered_in_sl, b.answered_in_sl);
  ExpectNear(a.answer_rate, b.answer_rate);
  ExpectNear(a.service_level, b.service_level);
  ExpectNear(a.asa_s, b.asa_s);
  ExpectNear(a.aht_s, b.aht_s);
  ExpectNear(a.ewt_error_s, b.ewt_error_s);
}

class AcdTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(SmallConfig()); }
  void TearDown() override {
    if (engine_) {
      EXPECT_EQ(engine_->FindInvariantViolation(), std::nullopt);
    }
  }

  void Start(AcdConfig config, core::TimeZone zone = core::TimeZone::Utc()) {
    config_ = std::move(config);
    engine_ = std::make_unique<Engine>(config_, clock_, std::move(zone));
  }
  Engine& engine() { return *engine_; }

  /// Moves the clock and lets the engine fire what is due, like the runtime's timer.
  void Advance(std::chrono::milliseconds d) {
    clock_.Advance(d);
    engine_->Tick();
  }
  core::TimePoint Now() const { return clock_.Now(); }
  core::TimePoint At(seconds s) const { return start_ + s; }

  /// Logs an agent in (asserting success) and returns its seat.
  int LogIn(int64_t agent, SkillMap skills = {}, std::optional<int> seat = std::nullopt) {
    auto r = engine_->Login(agent, seat, skills);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? r->seat : 0;
  }
  Arrival Arrive(int64_t id, std::string skill = "consult", int priority = 0,
                 std::string caller = "13800000000") {
    auto r = engine_->CallArrived(MakeCall(id, std::move(skill), priority, std::move(caller)));
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : Arrival{};
  }
  void Ok(const core::Result<void>& r) {
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  }
  void NotReady(int64_t agent, std::string reason = "break") {
    Ok(engine_->SetState(agent, "not_ready", reason));
  }
  void Ready(int64_t agent) { Ok(engine_->SetState(agent, "ready")); }

  CallView Call(int64_t id) {
    auto r = engine_->GetCall(id);
    EXPECT_TRUE(r.has_value()) << "call " << id;
    return r ? *r : CallView{};
  }
  CallState StateOf(int64_t call) { return Call(call).state; }
  std::optional<int64_t> AgentOf(int64_t call) { return Call(call).agent_id; }
  AgentView Agent(int64_t id) {
    auto r = engine_->GetAgent(id);
    EXPECT_TRUE(r.has_value()) << "agent " << id;
    return r ? *r : AgentView{};
  }
  AgentState AgentStateOf(int64_t agent) { return Agent(agent).state; }

  /// Drains the events and keeps those of one kind.
  std::vector<Event> EventsOf(EventKind kind) {
    std::vector<Event> out;
    for (Event& e : engine_->DrainEvents()) {
      if (e.kind == kind) out.push_back(std::move(e));
    }
    return out;
  }

  /// Only `agent` is ready; a call arrives, is picked up and talks for `talk`.
  void GiveCall(int64_t agent, int64_t call, seconds talk) {
    Arrive(call);
    ASSERT_EQ(AgentOf(call), agent);
    Ok(engine_->Accept(agent, call));
    Advance(talk);
    Ok(engine_->Hangup(call, "caller"));
  }

  core::FakeClock clock_;
  core::TimePoint start_ = clock_.Now();
  AcdConfig config_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace hotline::acd::testing

// Measures that survive a restart (rebuilt from the call records) and virtual hold (a caller
// who asks to be called back keeps their place and is not counted as an abandon).
#include <map>

#include "acd_fixture.hpp"
#include "hotline/acd/day_measures.hpp"

namespace hotline::acd::testing {
namespace {

class Restart : public AcdTest {
 protected:
  /// A small morning: two answered and completed calls, a short and a long abandon, one
  /// turned away, one callback request and two calls still waiting.
  void PlayMorning() {
    AcdConfig config = SmallConfig();
    config.max_waiting = 3;  // call 9 finds 4 waiting: more than 3
    config.wrap_up_s = 10;
    Start(config);
    LogIn(1);
    GiveCall(1, 1, seconds(60));
    Advance(seconds(10));  // wrap-up ends by itself
    GiveCall(1, 2, seconds(30));
    Ok(engine().WrapDone(1));
    NotReady(1);
    Arrive(3);
    Advance(seconds(2));
    Ok(engine().Hangup(3, "caller"));  // short abandon
    Arrive(4);
    Advance(seconds(9));
    Ok(engine().Hangup(4, "caller"));  // counted abandon
    for (int64_t id : {5, 6, 7, 8}) Arrive(id);
    EXPECT_EQ(Arrive(9).state, CallState::kOverflow);
    Ok(engine().RequestCallback(5));
    Ok(engine().Hangup(5, "caller"));  // the caller leaves after the message: not an abandon
    Ok(engine().Hangup(8, "caller"));
    Collect(engine().DrainEvents(), records_);
  }

  std::vector<CallRecord> Finished() const {
    std::vector<CallRecord> out;
    for (const auto& [id, r] : records_) {
      if (r.state != CallState::kQueued && r.state != CallState::kRinging) out.push_back(r);
    }
    return out;
  }
  std::vector<RestoredCall> Waiting() const {
    std::vector<RestoredCall> out;
    for (const auto& [id, r] : records_) {
      if (r.state != CallState::kQueued && r.state != CallState::kRinging) continue;
      RestoredCall w;
      w.id = r.id;
      w.caller = r.caller;
      w.called = r.called;
      w.skill = r.skill;
      w.priority = r.priority;
      w.enqueued_at = r.enqueued_at;
      w.predicted_ewt_s = r.predicted_ewt_s;
      w.callback = r.callback;
      out.push_back(w);
    }
    return out;
  }

  std::map<int64_t, CallRecord> records_;
};

TEST_F(Restart, TheMorningCountsAsComputedByHand) {
  PlayMorning();
  DayMeasures m = engine().Today();
  EXPECT_EQ(m.offered, 9);  // calls 1–9: call 9, turned away, counts as offered too
  EXPECT_EQ(m.overflowed, 1);
  EXPECT_EQ(m.answered, 2);
  EXPECT_EQ(m.abandoned, 3);  // 3, 4 and 8; not 5, which asked to be called back
  EXPECT_EQ(m.short_abandoned, 2);  // 3 (2 s) and 8 (at once)
  ASSERT_TRUE(m.answer_rate);
  EXPECT_DOUBLE_EQ(*m.answer_rate, 2.0 / 7.0);  // answered / (offered − short abandons)
  EXPECT_EQ(m.callback_requests, 1);
  EXPECT_EQ(m.waiting, 3);  // 5 (callback), 6, 7
}

TEST_F(Restart, MeasureCallsAgreesWithTheLiveEngine) {
  PlayMorning();
  std::vector<CallRecord> all;
  for (const auto& [id, r] : records_) all.push_back(r);
  DayMeasures live = engine().Today();
  DayMeasures replayed = MeasureCalls(all, config_);
  ExpectSameFigures(live, replayed);
  ASSERT_EQ(replayed.agents.size(), 1u);
  EXPECT_EQ(replayed.agents[0].agent_id, 1);
  EXPECT_EQ(replayed.agents[0].calls_answered, 2);
  EXPECT_EQ(replayed.agents[0].talk_s, 90);
}

TEST_F(Restart, ARestartedEngineCountsEveryCallOnce) {
  PlayMorning();
  const DayMeasures before = engine().Today();
  const AgentView agent = Agent(1);
  // The process goes away; a new engine rebuilds its day from the records.
  engine_ = std::make_unique<Engine>(config_, clock_, core::TimeZone::Utc());
  Ok(engine().SeedMeasures(Finished()));
  auto restored = engine().Restore(Waiting());
  ASSERT_TRUE(restored.has_value());
  EXPECT_TRUE(restored->empty());
  ExpectSameFigures(engine().Today(), before);
  EXPECT_EQ(engine().Queue().waiting, 3);
  // The agent comes back offline with today's figures, and keeps them on logging in again.
  EXPECT_EQ(AgentStateOf(1), AgentState::kOffline);
  EXPECT_EQ(Agent(1).calls_answered, agent.calls_answered);
  EXPECT_EQ(Agent(1).talk_s, agent.talk_s);
  LogIn(1);
  EXPECT_EQ(Agent(1).calls_answered, 2);
  // The callback request kept its flag and its place: first in line, offered first.
  EXPECT_TRUE(Call(5).callback);
  EXPECT_EQ(AgentOf(5), 1);
  EXPECT_EQ(StateOf(5), CallState::kRinging);
}

TEST_F(Restart, SeedingNeedsAnEmptyEngineAndFinishedCalls) {
  PlayMorning();
  auto busy = engine().SeedMeasures(Finished());
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code, core::ErrorCode::kConflict);
  engine_ = std::make_unique<Engine>(config_, clock_, core::TimeZone::Utc());
  std::vector<CallRecord> all;
  for (const auto& [id, r] : records_) all.push_back(r);
  auto waiting = engine().SeedMeasures(all);
  ASSERT_FALSE(waiting);
  EXPECT_EQ(waiting.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(engine().Today().offered, 0);  // a refused seed counts nothing
}

TEST_F(Restart, RecordsOfEarlierDaysDoNotCountToday) {
  PlayMorning();
  std::vector<CallRecord> finished = Finished();
  clock_.Advance(std::chrono::hours(24));
  engine_ = std::make_unique<Engine>(config_, clock_, core::TimeZone::Utc());
  Ok(engine().SeedMeasures(finished));
  EXPECT_EQ(engine().Today().offered, 0);
  EXPECT_EQ(engine().Agents().size(), 0u);  // yesterday's figures are not today's
}

TEST_F(AcdTest, ACallbackRequestKeepsItsPlace) {
  Arrive(1);
  Arrive(2);
  Arrive(3);
  Ok(engine().RequestCallback(2));
  Ok(engine().RequestCallback(2));  // asked twice: once
  Ok(engine().Hangup(2, "caller"));
  EXPECT_EQ(StateOf(2), CallState::kQueued);
  EXPECT_EQ(Call(2).position, 2);
  LogIn(1);
  Ok(engine().Accept(1, 1));
  Ok(engine().Hangup(1, "agent"));
  Ok(engine().WrapDone(1));
  // Its turn: the agent is offered the callback and calls the caller back.
  EXPECT_EQ(AgentOf(2), 1);
  Ok(engine().Accept(1, 2));
  Ok(engine().Hangup(2, "agent"));
  DayMeasures m = engine().Today();
  EXPECT_EQ(m.answered, 2);
  EXPECT_EQ(m.abandoned, 0);
  EXPECT_EQ(m.callback_requests, 1);
}

TEST_F(AcdTest, ACallbackRequestIsAnEvent) {
  Arrive(1);
  engine().DrainEvents();
  Ok(engine().RequestCallback(1));
  auto events = EventsOf(EventKind::kCallbackRequested);
  ASSERT_EQ(events.size(), 1u);
  ASSERT_TRUE(events[0].call);
  EXPECT_TRUE(events[0].call->callback);
}

TEST_F(AcdTest, ARingingCallbackGoesBackWithoutBlamingTheAgent) {
  LogIn(1);
  LogIn(2);
  Arrive(1);
  const int64_t ringing = *AgentOf(1);
  NotReady(ringing == 1 ? 2 : 1);
  Ok(engine().RequestCallback(1));
  // The seat that rang is ready again (not no_answer), and is offered the callback at once.
  EXPECT_EQ(AgentStateOf(ringing), AgentState::kRinging);
  EXPECT_TRUE(Call(1).callback);
}

TEST_F(AcdTest, OnlyAWaitingCallCanAskForACallback) {
  LogIn(1);
  Arrive(1);
  Ok(engine().Accept(1, 1));
  auto talking = engine().RequestCallback(1);
  ASSERT_FALSE(talking);
  EXPECT_EQ(talking.error().code, core::ErrorCode::kInvalidTransition);
  auto unknown = engine().RequestCallback(99);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(engine().Today().callback_requests, 0);
}

}  // namespace
}  // namespace hotline::acd::testing

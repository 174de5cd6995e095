// The measures of SPEC §2, computed by hand on small scripted days.
#include <map>

#include "acd_fixture.hpp"
#include "hotline/acd/day_measures.hpp"

namespace hotline::acd::testing {
namespace {

TEST_F(AcdTest, AnswerRateLeavesShortAbandonsOut) {
  // The worked example: 4 offered, 2 answered, 1 abandoned after 6 s, 1 after 1 s.
  LogIn(1);
  for (int64_t id : {1, 2}) {
    Arrive(id);
    Ok(engine().Accept(1, id));
    Ok(engine().Hangup(id, "caller"));
    Ok(engine().WrapDone(1));
  }
  NotReady(1);
  Arrive(3);
  Arrive(4);
  Advance(seconds(1));
  Ok(engine().Hangup(4, "caller"));
  Advance(seconds(5));
  Ok(engine().Hangup(3, "caller"));
  DayMeasures m = engine().Today();
  EXPECT_EQ(m.offered, 4);
  EXPECT_EQ(m.answered, 2);
  EXPECT_EQ(m.abandoned, 2);
  EXPECT_EQ(m.short_abandoned, 1);
  ASSERT_TRUE(m.answer_rate);
  EXPECT_NEAR(*m.answer_rate, 2.0 / 3.0, 1e-9);
}

TEST_F(AcdTest, RatesAreAbsentBeforeAnyCall) {
  DayMeasures m = engine().Today();
  EXPECT_EQ(m.offered, 0);
  EXPECT_EQ(m.answer_rate, std::nullopt);
  EXPECT_EQ(m.service_level, std::nullopt);
  EXPECT_EQ(m.asa_s, std::nullopt);
  EXPECT_EQ(m.aht_s, std::nullopt);
  EXPECT_EQ(m.ewt_error_s, std::nullopt);
}

// One agent, wrap_up_s = 10, service_level_s = 20, short_abandon_s = 5:
//   call 1  arrives 0, rings at once, answered 5 (wait 5, in SL), ends 65, wrap-up timer 75
//   call 2  arrives 40, offered 75, answered 80 (wait 40), ends 100, WrapDone 104
//   call 3  arrives 90, abandons 93 (short)
//   call 4  arrives 95, abandons 102 (7 s: long)
//   call 5  arrives 110, rings unanswered until 125 (agent not_ready/no_answer), agent ready
//           130, answered 135 (wait 25), agent hangs up 155, wrap-up timer 165
TEST_F(AcdTest, ScriptedDayGivesTheMeasuresComputedByHand) {
  AcdConfig config = SmallConfig();
  config.wrap_up_s = 10;
  Start(config);
  auto until = [&](int t) { Advance(At(seconds(t)) - Now()); };
  LogIn(1);
  Arrive(1);
  until(5);
  Ok(engine().Accept(1, 1));
  until(40);
  Arrive(2);
  EXPECT_EQ(Call(2).predicted_ewt_s, 160);  // (180 − 35) talk left + 10 wrap-up + 5 ring
  until(65);
  Ok(engine().Hangup(1, "caller"));
  until(75);
  EXPECT_EQ(AgentOf(2), 1);
  until(80);
  Ok(engine().Accept(1, 2));
  until(90);
  Arrive(3);
  until(93);
  Ok(engine().Hangup(3, "caller"));
  until(95);
  Arrive(4);
  until(100);
  EXPECT_EQ(engine().Queue().longest_wait_s, 5);
  Ok(engine().Hangup(2, "caller"));
  until(102);
  Ok(engine().Hangup(4, "caller"));
  until(104);
  Ok(engine().WrapDone(1));
  until(110);
  Arrive(5);
  until(125);
  EXPECT_EQ(Agent(1).reason, "no_answer");
  until(130);
  Ready(1);
  until(135);
  Ok(engine().Accept(1, 5));
  until(155);
  Ok(engine().Hangup(5, "agent"));
  until(165);
  EXPECT_EQ(AgentStateOf(1), AgentState::kReady);

  DayMeasures m = engine().Today();
  EXPECT_EQ(m.offered, 5);  // call 5 once, though it rang twice
  EXPECT_EQ(m.answered, 3);
  EXPECT_EQ(m.abandoned, 2);
  EXPECT_EQ(m.short_abandoned, 1);
  EXPECT_EQ(m.answered_in_sl, 1);
  EXPECT_NEAR(*m.answer_rate, 3.0 / 4.0, 1e-9);
  EXPECT_NEAR(*m.service_level, 1.0 / 4.0, 1e-9);  // 1 of answered 3 + long abandon 1
  EXPECT_NEAR(*m.asa_s, (5.0 + 40.0 + 25.0) / 3.0, 1e-9);
  EXPECT_NEAR(*m.aht_s, (70.0 + 24.0 + 30.0) / 3.0, 1e-9);
  // Predicted 0 (no pick-up seen yet), 160, and 5 (the mean pick-up time of calls 1 and 2)
  // against waits of 5, 40 and 25.
  EXPECT_EQ(Call(5).predicted_ewt_s, 5);
  EXPECT_NEAR(*m.ewt_error_s, (5.0 + 120.0 + 20.0) / 3.0, 1e-9);
  EXPECT_EQ(Call(5).offers, 2);

  AgentView a = Agent(1);
  EXPECT_EQ(a.calls_answered, 3);
  EXPECT_EQ(a.talk_s, 60 + 20 + 20);
  // Logged in 165 s; idle only 104–110 (ready) and 125–130 (not_ready).
  ASSERT_TRUE(a.occupancy);
  EXPECT_NEAR(*a.occupancy, 154.0 / 165.0, 1e-9);
  ASSERT_EQ(m.agents.size(), 1u);
  EXPECT_NEAR(*m.agents[0].occupancy, 154.0 / 165.0, 1e-9);
}

TEST_F(AcdTest, OccupancyIsLiveWhileTheAgentTalks) {
  LogIn(1);
  Advance(seconds(10));
  Arrive(1);
  Ok(engine().Accept(1, 1));
  Advance(seconds(30));
  EXPECT_NEAR(*Agent(1).occupancy, 30.0 / 40.0, 1e-9);
}

TEST_F(AcdTest, MeasuresStartAfreshAtLocalMidnight) {
  auto zone = core::TimeZone::Named("Asia/Shanghai");
  ASSERT_TRUE(zone) << "tzdata is needed";
  // 2026-01-01T15:59:00Z is 23:59 in Shanghai.
  clock_.Set(core::FromUnixMillis(1'767'283'140'000));
  Start(SmallConfig(), *zone);
  LogIn(1);
  Arrive(1);
  Ok(engine().Accept(1, 1));
  Advance(seconds(30));
  Ok(engine().Hangup(1, "caller"));
  EXPECT_EQ(engine().Today().day,
            std::chrono::year_month_day(std::chrono::year(2026) / std::chrono::January / 1));
  EXPECT_EQ(engine().Today().offered, 1);
  Advance(seconds(45));  // 00:00:15 local
  DayMeasures m = engine().Today();
  EXPECT_EQ(m.day, std::chrono::year_month_day(std::chrono::year(2026) / std::chrono::January / 2));
  EXPECT_EQ(m.offered, 0);
  EXPECT_EQ(Agent(1).calls_answered, 0);
  EXPECT_EQ(Agent(1).talk_s, 0);
  // Since midnight: wrap-up until 00:00:00, then ready — occupancy 0 of 15 s.
  EXPECT_NEAR(*Agent(1).occupancy, 0.0, 1e-9);
}

TEST_F(AcdTest, OverflowedCallsCountAsOfferedAndUnanswered) {
  AcdConfig config = SmallConfig();
  config.max_waiting = 0;
  Start(config);
  EXPECT_EQ(Arrive(1).state, CallState::kQueued);  // none waited: not more than 0
  EXPECT_EQ(Arrive(2).state, CallState::kOverflow);
  DayMeasures m = engine().Today();
  EXPECT_EQ(m.offered, 2);
  EXPECT_EQ(m.overflowed, 1);
  EXPECT_NEAR(*m.answer_rate, 0.0, 1e-9);
  EXPECT_NEAR(*m.service_level, 0.0, 1e-9);
}

TEST_F(AcdTest, QueueCountsAgentsByState) {
  LogIn(1);
  LogIn(2);
  LogIn(3);
  NotReady(3);
  Arrive(1);
  Ok(engine().Accept(1, 1));
  Arrive(2);
  Arrive(3);
  Advance(seconds(4));
  QueueView q = engine().Queue();
  EXPECT_EQ(q.waiting, 1);
  EXPECT_EQ(q.ringing, 1);
  EXPECT_EQ(q.longest_wait_s, 4);
  EXPECT_EQ(q.agents.at("talking"), 1);
  EXPECT_EQ(q.agents.at("ringing"), 1);
  EXPECT_EQ(q.agents.at("not_ready"), 1);
  EXPECT_EQ(q.agents.at("ready"), 0);
  EXPECT_EQ(q.agents.at("offline"), 0);
  ASSERT_EQ(q.calls.size(), 1u);
  EXPECT_EQ(q.calls[0].call_id, 3);
  EXPECT_EQ(q.calls[0].position, 1);
}

TEST_F(AcdTest, LongestWaitIsKeptForTheDayNotOnlyWhileCallsWait) {
  Arrive(1);
  Advance(seconds(42));
  LogIn(1);  // takes call 1 after 42 s
  Ok(engine().Accept(1, 1));
  EXPECT_EQ(engine().Queue().longest_wait_s, 0);   // nobody waits now …
  EXPECT_EQ(engine().Today().longest_wait_s, 42);  // … but the day remembers
  Arrive(2);
  Advance(seconds(50));
  EXPECT_EQ(engine().Today().longest_wait_s, 50);  // a live wait beyond it counts
  Ok(engine().Hangup(2, "caller"));                // abandoned after 50 s
  Advance(seconds(5));
  EXPECT_EQ(engine().Today().longest_wait_s, 50);
  // The records give the same figure (what a restart and the daily report see).
  std::map<int64_t, CallRecord> records;
  Collect(engine().DrainEvents(), records);
  std::vector<CallRecord> all;
  for (const auto& [id, r] : records) all.push_back(r);
  EXPECT_EQ(MeasureCalls(all, config_).longest_wait_s, 50);
}

}  // namespace
}  // namespace hotline::acd::testing

// Which call goes to which agent: strategies, skills, priority, ring timeout, overflow,
// sticky agent, restore.
#include "acd_fixture.hpp"

namespace hotline::acd::testing {
namespace {

struct StrategyCase {
  Strategy strategy;
  int64_t expected_agent;
};

class StrategyOrder : public AcdTest, public ::testing::WithParamInterface<StrategyCase> {};

// Agents 1..4 on seats 1..4, each shaped so that every strategy picks a different one:
//   agent 1: ready longest, 3 calls, 30 s talk     agent 2: 1 call, 100 s talk
//   agent 3: 2 calls, 10 s talk (last offered)     agent 4: 2 calls, 50 s talk
TEST_P(StrategyOrder, PicksTheAgentTheStrategyNames) {
  AcdConfig config = SmallConfig();
  config.wrap_up_s = 0;
  config.strategy = GetParam().strategy;
  Start(config);
  for (int64_t a = 1; a <= 4; ++a) LogIn(a);
  for (int64_t a = 1; a <= 4; ++a) NotReady(a);
  int64_t call = 100;
  auto serve = [&](int64_t agent, int calls, int talk_each_s) {
    Ready(agent);
    for (int i = 0; i < calls; ++i) GiveCall(agent, ++call, seconds(talk_each_s));
    NotReady(agent);
  };
  serve(1, 3, 10);
  serve(2, 1, 100);
  serve(4, 2, 25);
  serve(3, 2, 5);
  for (int64_t a : {1, 2, 4, 3}) {
    Ready(a);
    Advance(seconds(1));
  }
  Arrive(999);
  EXPECT_EQ(AgentOf(999), GetParam().expected_agent) << StrategyName(GetParam().strategy);
}

INSTANTIATE_TEST_SUITE_P(AcdRouting, StrategyOrder,
                         ::testing::Values(StrategyCase{Strategy::kLongestIdle, 1},
                                           StrategyCase{Strategy::kFewestCalls, 2},
                                           StrategyCase{Strategy::kLeastTalkTime, 3},
                                           StrategyCase{Strategy::kRoundRobin, 4}));

TEST_F(AcdTest, RoundRobinGoesRoundTheSeatsFromTheLastOffered) {
  AcdConfig config = SmallConfig();
  config.strategy = Strategy::kRoundRobin;
  Start(config);
  // Logged in from seat 4 down: longest idle would start at seat 4.
  for (int seat = 4; seat >= 1; --seat) {
    LogIn(seat, {}, seat);
    Advance(seconds(1));
  }
  for (int64_t call = 1; call <= 4; ++call) {
    Arrive(call);
    EXPECT_EQ(AgentOf(call), call);
    Ok(engine().Accept(call, call));
  }
  // Seat 3 frees first, then seat 1: after seat 4 the round continues at seat 1.
  Ok(engine().Hangup(3, "caller"));
  Ok(engine().WrapDone(3));
  Advance(seconds(1));
  Ok(engine().Hangup(1, "caller"));
  Ok(engine().WrapDone(1));
  Arrive(5);
  EXPECT_EQ(AgentOf(5), 1);
  Arrive(6);
  EXPECT_EQ(AgentOf(6), 3);
}

TEST_F(AcdTest, LongestIdleAgentGetsTheCall) {
  LogIn(1);
  Advance(seconds(1));
  LogIn(2);
  Arrive(1);
  EXPECT_EQ(AgentOf(1), 1);
  Ok(engine().Accept(1, 1));
  Advance(seconds(20));
  Ok(engine().Hangup(1, "caller"));
  Ok(engine().WrapDone(1));  // agent 1 ready again, but agent 2 has been idle longer
  Arrive(2);
  EXPECT_EQ(AgentOf(2), 2);
}

TEST_F(AcdTest, BestSkillLevelWinsOverStrategy) {
  LogIn(1, {{"consult", 3}, {"complaint", 3}});
  Advance(seconds(1));
  LogIn(2, {{"complaint", 1}});
  LogIn(3, {{"consult", 1}});
  Arrive(1, "complaint");
  EXPECT_EQ(AgentOf(1), 2);  // level 1 beats agent 1's longer idle time
  Arrive(2, "complaint");
  EXPECT_EQ(AgentOf(2), 1);  // agent 3 lacks the skill
}

TEST_F(AcdTest, AgentWithoutSkillsHasEverySkillAtLevelFive) {
  LogIn(1);  // default: every skill at 5
  Advance(seconds(1));
  LogIn(2, {{"report", 4}});
  EXPECT_EQ(Agent(1).skills, (SkillMap{{"complaint", 5}, {"consult", 5}, {"report", 5}}));
  Arrive(1, "report");
  EXPECT_EQ(AgentOf(1), 2);  // 4 beats 5
  Arrive(2, "complaint");
  EXPECT_EQ(AgentOf(2), 1);
}

TEST_F(AcdTest, HigherPriorityFirstThenEarliestEnqueued) {
  Arrive(1, "consult", 0);
  Arrive(2, "consult", 5);
  Arrive(3, "consult", 0);
  Arrive(4, "consult", 9);
  EXPECT_EQ(Call(4).position, 1);
  EXPECT_EQ(Call(2).position, 2);
  EXPECT_EQ(Call(1).position, 3);
  EXPECT_EQ(Call(3).position, 4);
  LogIn(1);
  EXPECT_EQ(AgentOf(4), 1);
  LogIn(2);
  EXPECT_EQ(AgentOf(2), 2);
  LogIn(3);
  EXPECT_EQ(AgentOf(1), 3);
  EXPECT_EQ(Call(3).position, 1);
}

TEST_F(AcdTest, RingTimeoutRequeuesAtTheOriginalPlaceAndSetsNoAnswer) {
  LogIn(1);
  Arrive(1);
  Arrive(2);
  Arrive(3);
  ASSERT_EQ(StateOf(1), CallState::kRinging);
  engine().DrainEvents();
  Advance(seconds(14));
  EXPECT_EQ(StateOf(1), CallState::kRinging);
  Advance(seconds(1));
  EXPECT_EQ(StateOf(1), CallState::kQueued);
  EXPECT_EQ(Call(1).position, 1);
  EXPECT_EQ(Call(1).enqueued_at, start_);
  EXPECT_EQ(AgentStateOf(1), AgentState::kNotReady);
  EXPECT_EQ(Agent(1).reason, "no_answer");
  auto requeued = EventsOf(EventKind::kCallRequeued);
  ASSERT_EQ(requeued.size(), 1u);
  EXPECT_EQ(requeued[0].reason, "ring_timeout");
  EXPECT_EQ(requeued[0].agent_id, 1);
  EXPECT_EQ(requeued[0].at, At(seconds(15)));
  LogIn(2);
  EXPECT_EQ(AgentOf(1), 2);  // not call 2, which arrived later
  EXPECT_EQ(Call(1).offers, 2);
  EXPECT_EQ(Call(1).first_offered_at, start_);
}

TEST_F(AcdTest, LateCommandSeesTheRingTimeoutFirst) {
  LogIn(1);
  Arrive(1);
  clock_.Advance(seconds(16));  // no Tick: the runtime's timer was late
  auto r = engine().Accept(1, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidTransition);
  EXPECT_EQ(StateOf(1), CallState::kQueued);
}

TEST_F(AcdTest, CallGoesToAnyAgentAfterOverflowAfter) {
  LogIn(1, {{"consult", 1}});
  Arrive(1, "report");
  EXPECT_EQ(StateOf(1), CallState::kQueued);
  engine().DrainEvents();
  Advance(seconds(59));
  EXPECT_EQ(StateOf(1), CallState::kQueued);
  EXPECT_FALSE(Call(1).any_agent);
  Advance(seconds(1));
  EXPECT_EQ(StateOf(1), CallState::kRinging);
  EXPECT_EQ(AgentOf(1), 1);
  EXPECT_TRUE(Call(1).any_agent);
  EXPECT_EQ(EventsOf(EventKind::kCallAnyAgent).size(), 1u);
}

TEST_F(AcdTest, OverflowedCallStillPrefersASkilledAgent) {
  AcdConfig config = SmallConfig();
  config.overflow_after_s = 0;  // any agent at once
  Start(config);
  LogIn(1, {{"consult", 1}});
  Advance(seconds(5));
  LogIn(2, {{"report", 9}});
  Arrive(1, "report");
  EXPECT_EQ(AgentOf(1), 2);  // agent 1 has been idle longer, but lacks the skill
  Arrive(2, "report");
  EXPECT_EQ(AgentOf(2), 1);  // nobody else: any agent will do
}

TEST_F(AcdTest, MaxWaitingOverflowsOnlyWhenMoreThanItWait) {
  AcdConfig config = SmallConfig();
  config.max_waiting = 2;
  Start(config);
  EXPECT_EQ(Arrive(1).state, CallState::kQueued);
  EXPECT_EQ(Arrive(2).state, CallState::kQueued);
  // Exactly max_waiting wait: not more than it, so the next call still queues.
  Arrival third = Arrive(3);
  EXPECT_EQ(third.state, CallState::kQueued);
  EXPECT_EQ(third.position, 3);
  EXPECT_EQ(engine().Queue().waiting, 3);
  // Now more than max_waiting wait: a new call is answered overflow.
  Arrival fourth = Arrive(4);
  EXPECT_EQ(fourth.state, CallState::kOverflow);
  EXPECT_EQ(StateOf(4), CallState::kOverflow);
  EXPECT_EQ(engine().Queue().waiting, 3);
  auto overflow = EventsOf(EventKind::kCallOverflow);
  ASSERT_EQ(overflow.size(), 1u);
  EXPECT_EQ(overflow[0].call_id, 4);
  Ok(engine().Hangup(1, "caller"));  // back to exactly max_waiting
  EXPECT_EQ(Arrive(5).state, CallState::kQueued);
  EXPECT_EQ(Arrive(6).state, CallState::kOverflow);
  EXPECT_EQ(engine().Today().overflowed, 2);
  EXPECT_EQ(engine().Today().offered, 6);
}

TEST_F(AcdTest, MaxWaitingNeverTurnsAwayACallAReadyAgentCanTake) {
  AcdConfig config = SmallConfig();
  config.max_waiting = 0;
  Start(config);
  LogIn(1, {{"complaint", 1}});
  Arrive(1, "consult");
  EXPECT_EQ(Arrive(2, "consult").state, CallState::kOverflow);  // 1 waits: more than 0
  // A complaint call: the ready complaint agent takes it at once, however many wait.
  Arrival complaint = Arrive(3, "complaint");
  EXPECT_EQ(complaint.state, CallState::kQueued);
  EXPECT_TRUE(complaint.offered);
  EXPECT_EQ(AgentOf(3), 1);
  EXPECT_EQ(StateOf(3), CallState::kRinging);
  // The sticky owner, ready, takes the caller's call too.
  LogIn(2, {{"consult", 1}, {"complaint", 1}});  // takes call 1 at once
  EXPECT_EQ(AgentOf(1), 2);
  Arrive(4, "consult");  // waits
  LogIn(3, {{"report", 1}});
  NewCall sticky = MakeCall(5, "consult", 0, "13911112222");
  sticky.sticky_agent_id = 3;
  auto r = engine().CallArrived(sticky);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->state, CallState::kQueued);
  EXPECT_EQ(AgentOf(5), 3);
  EXPECT_EQ(engine().Today().overflowed, 1);
}

TEST_F(AcdTest, StickyAgentGetsTheCallWhenReady) {
  LogIn(1);
  Advance(seconds(5));
  LogIn(2);
  engine().DrainEvents();
  NewCall first = MakeCall(1, "consult", 0, "13911112222");
  first.sticky_agent_id = 2;
  ASSERT_TRUE(engine().CallArrived(first).has_value());
  EXPECT_EQ(AgentOf(1), 2);  // agent 1 idle longer, but agent 2 owns the work order
  EXPECT_EQ(Call(1).sticky_agent_id, 2);
  auto routed = EventsOf(EventKind::kCallRouted);
  ASSERT_EQ(routed.size(), 1u);
  EXPECT_EQ(routed[0].reason, "sticky");
  // The owner busy: the caller is not kept waiting for them.
  NewCall second = MakeCall(2, "consult", 0, "13911112222");
  second.sticky_agent_id = 2;
  ASSERT_TRUE(engine().CallArrived(second).has_value());
  EXPECT_EQ(AgentOf(2), 1);
  EXPECT_EQ(Call(2).sticky_agent_id, std::nullopt);
  // An owner who is not logged in (or unknown) changes nothing.
  Ok(engine().Hangup(1, "caller"));
  Ok(engine().Hangup(2, "caller"));
  NewCall third = MakeCall(3, "consult", 0, "13911112222");
  third.sticky_agent_id = 77;
  ASSERT_TRUE(engine().CallArrived(third).has_value());
  EXPECT_TRUE(AgentOf(3).has_value());
  EXPECT_EQ(Call(3).sticky_agent_id, std::nullopt);
}

TEST_F(AcdTest, RestoreKeepsTheOriginalOrder) {
  auto restored = [&](int64_t id, int priority, int ago_s) {
    RestoredCall r;
    r.id = id;
    r.caller = "1380000000" + std::to_string(id);
    r.skill = "consult";
    r.priority = priority;
    r.enqueued_at = Now() - seconds(ago_s);
    r.predicted_ewt_s = 30;
    return r;
  };
  Advance(seconds(100));
  RestoredCall bad_skill = restored(17, 0, 40);
  bad_skill.skill = "juggling";  // a skill no longer configured
  RestoredCall twice = restored(12, 0, 20);
  RestoredCall bad_priority = restored(18, 12, 45);
  auto done = engine().Restore({restored(11, 0, 10), bad_skill, restored(12, 0, 50),
                                restored(13, 3, 5), twice, restored(14, 0, 30), bad_priority});
  ASSERT_TRUE(done.has_value());
  // The calls that cannot come back are named; the others are restored all the same.
  ASSERT_EQ(done->size(), 3u);
  EXPECT_EQ((*done)[0].id, 17);
  EXPECT_NE((*done)[0].reason.find("juggling"), std::string::npos);
  EXPECT_EQ((*done)[1].id, 12);
  EXPECT_EQ((*done)[2].id, 18);
  EXPECT_FALSE(engine().GetCall(17).has_value());
  // One event row per restored call, in queue order, reason "restored".
  std::vector<std::pair<int64_t, int>> queued;
  for (const Event& e : EventsOf(EventKind::kCallQueued)) {
    EXPECT_EQ(e.reason, "restored");
    queued.emplace_back(e.call_id, e.position.value_or(0));
  }
  EXPECT_EQ(queued, (std::vector<std::pair<int64_t, int>>{{13, 1}, {12, 2}, {14, 3}, {11, 4}}));
  Arrive(15);
  std::vector<int64_t> order;
  for (const QueuedCall& c : engine().Queue().calls) order.push_back(c.call_id);
  EXPECT_EQ(order, (std::vector<int64_t>{13, 12, 14, 11, 15}));
  EXPECT_TRUE(Call(12).restored);
  EXPECT_EQ(Call(12).predicted_ewt_s, 30);
  EXPECT_EQ(Call(12).enqueued_at, Now() - seconds(50));
  EXPECT_EQ(engine().Queue().longest_wait_s, 50);
  auto again = engine().Restore({restored(16, 0, 1)});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
  LogIn(1);
  EXPECT_EQ(AgentOf(13), 1);
}

TEST_F(AcdTest, ReadyAgentTakesTheFirstCallItsSkillsAllow) {
  Arrive(1, "report");
  Arrive(2, "consult");
  Arrive(3, "consult", 4);
  LogIn(1, {{"consult", 2}});
  EXPECT_EQ(AgentOf(3), 1);
  EXPECT_EQ(StateOf(1), CallState::kQueued);
  EXPECT_EQ(StateOf(2), CallState::kQueued);
}

}  // namespace
}  // namespace hotline::acd::testing

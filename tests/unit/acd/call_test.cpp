// A call's life: arrival checks, pick-up (either report first), hang-up, records, eviction.
#include "acd_fixture.hpp"

namespace hotline::acd::testing {
namespace {

TEST_F(AcdTest, AcceptThenGatewayAnsweredIsOneAnswer) {
  LogIn(1);
  Arrive(1);
  engine().DrainEvents();
  Ok(engine().Accept(1, 1));
  Ok(engine().Answered(1));
  Ok(engine().Accept(1, 1));
  EXPECT_EQ(StateOf(1), CallState::kTalking);
  EXPECT_EQ(EventsOf(EventKind::kCallAnswered).size(), 1u);
  EXPECT_EQ(engine().Today().answered, 1);
}

TEST_F(AcdTest, GatewayAnsweredThenAcceptIsOneAnswer) {
  LogIn(1);
  Arrive(1);
  Advance(seconds(4));
  engine().DrainEvents();
  Ok(engine().Answered(1));
  Ok(engine().Accept(1, 1));
  EXPECT_EQ(Call(1).answered_at, At(seconds(4)));
  EXPECT_EQ(AgentStateOf(1), AgentState::kTalking);
  EXPECT_EQ(EventsOf(EventKind::kCallAnswered).size(), 1u);
  Ok(engine().Hangup(1, "caller"));
  Ok(engine().Answered(1));  // a late report after the hang-up: still harmless
}

TEST_F(AcdTest, AcceptingACallNotOfferedToYouIsRefused) {
  LogIn(1);
  LogIn(2);
  Arrive(1);
  ASSERT_EQ(AgentOf(1), 1);
  auto other = engine().Accept(2, 1);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::ErrorCode::kInvalidTransition);
  auto unknown_call = engine().Accept(1, 42);
  ASSERT_FALSE(unknown_call);
  EXPECT_EQ(unknown_call.error().code, core::ErrorCode::kNotFound);
  auto unknown_agent = engine().Accept(9, 1);
  ASSERT_FALSE(unknown_agent);
  EXPECT_EQ(unknown_agent.error().code, core::ErrorCode::kNotFound);
  NotReady(2);
  Arrive(2);  // queued: nobody free
  auto queued = engine().Answered(2);
  ASSERT_FALSE(queued);
  EXPECT_EQ(queued.error().code, core::ErrorCode::kInvalidTransition);
}

TEST_F(AcdTest, CallerHangupInQueueIsAnAbandon) {
  Arrive(1);
  Advance(seconds(7));
  Ok(engine().Hangup(1, "caller"));
  CallView c = Call(1);
  EXPECT_EQ(c.state, CallState::kAbandoned);
  EXPECT_EQ(c.abandoned_at, At(seconds(7)));
  EXPECT_FALSE(c.short_abandon);
  EXPECT_EQ(engine().Queue().waiting, 0);
  Ok(engine().Hangup(1, "caller"));  // repeated: a no-op
  EXPECT_EQ(engine().Today().abandoned, 1);
}

TEST_F(AcdTest, AbandonUnderShortAbandonSIsShort) {
  Arrive(1);
  Arrive(2);
  Advance(std::chrono::milliseconds(4'999));
  Ok(engine().Hangup(1, "caller"));
  Advance(std::chrono::milliseconds(1));
  Ok(engine().Hangup(2, "caller"));  // exactly 5 s: not under it
  EXPECT_TRUE(Call(1).short_abandon);
  EXPECT_FALSE(Call(2).short_abandon);
  DayMeasures today = engine().Today();
  EXPECT_EQ(today.abandoned, 2);
  EXPECT_EQ(today.short_abandoned, 1);
}

TEST_F(AcdTest, CallerHangupWhileRingingIsAnAbandonAndFreesTheAgent) {
  LogIn(1);
  Arrive(1);
  Advance(seconds(8));
  Ok(engine().Hangup(1, "caller"));
  EXPECT_EQ(StateOf(1), CallState::kAbandoned);
  EXPECT_EQ(AgentStateOf(1), AgentState::kReady);
  EXPECT_EQ(engine().NextDeadline(), std::nullopt);  // no ring timer left behind
  EXPECT_EQ(engine().Today().abandoned, 1);
}

TEST_F(AcdTest, HangupWhileTalkingEndsTheCallAndStartsWrapUp) {
  LogIn(1);
  Arrive(1);
  Ok(engine().Accept(1, 1));
  Advance(seconds(42));
  engine().DrainEvents();
  Ok(engine().Hangup(1, "agent"));
  CallView c = Call(1);
  EXPECT_EQ(c.state, CallState::kEnded);
  EXPECT_EQ(c.ended_by, Party::kAgent);
  EXPECT_EQ(c.ended_at, At(seconds(42)));
  EXPECT_EQ(AgentStateOf(1), AgentState::kWrapUp);
  auto ended = EventsOf(EventKind::kCallEnded);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].reason, "agent");
  EXPECT_EQ(Agent(1).talk_s, 42);
  auto bad = engine().Hangup(1, "nobody");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "by");
  auto unknown = engine().Hangup(77, "caller");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
}

TEST_F(AcdTest, RoutedEventCarriesWhatTheGatewayNeeds) {
  LogIn(1, {}, 3);
  engine().DrainEvents();
  Arrive(1);
  std::vector<Event> events = engine().DrainEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, EventKind::kCallQueued);
  EXPECT_EQ(events[1].kind, EventKind::kCallRouted);
  EXPECT_EQ(events[1].call_id, 1);
  EXPECT_EQ(events[1].agent_id, 1);
  EXPECT_EQ(events[1].seat, 3);
  EXPECT_EQ(events[1].extension, "sip:seat3@pbx.local");
  EXPECT_EQ(events[1].call->caller, "13800000000");
  EXPECT_EQ(events[2].kind, EventKind::kAgentState);
  EXPECT_EQ(events[2].agent_state, AgentState::kRinging);
  EXPECT_EQ(events[2].call_id, 1);
}

TEST_F(AcdTest, CompletedEventHoldsTheWholeRecord) {
  LogIn(1);
  NotReady(1);
  Arrive(1);
  Advance(seconds(3));
  Ready(1);
  Advance(seconds(2));
  Ok(engine().Accept(1, 1));
  Advance(seconds(60));
  Ok(engine().Hangup(1, "caller"));
  engine().DrainEvents();
  Advance(seconds(30));
  auto completed = EventsOf(EventKind::kCallCompleted);
  ASSERT_EQ(completed.size(), 1u);
  const CallRecord& r = *completed[0].call;
  EXPECT_EQ(r.enqueued_at, At(seconds(0)));
  EXPECT_EQ(r.offered_at, At(seconds(3)));
  EXPECT_EQ(r.answered_at, At(seconds(5)));
  EXPECT_EQ(r.ended_at, At(seconds(65)));
  EXPECT_EQ(r.wrap_up_end, At(seconds(95)));
  EXPECT_EQ(r.agent_id, 1);
  EXPECT_EQ(r.seat, 1);
  EXPECT_TRUE(r.predicted_ewt_s.has_value());
  EXPECT_EQ(r.abandoned_at, std::nullopt);
}

struct BadCall {
  NewCall call;
  const char* field;
};

class CallValidation : public AcdTest, public ::testing::WithParamInterface<BadCall> {};

TEST_P(CallValidation, RefusesBadInput) {
  auto r = engine().CallArrived(GetParam().call);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(r.error().field, GetParam().field);
  EXPECT_EQ(engine().Today().offered, 0);
}

INSTANTIATE_TEST_SUITE_P(AcdCalls, CallValidation,
                         ::testing::Values(BadCall{MakeCall(1, "cooking"), "skill"},
                                           BadCall{MakeCall(1, "consult", 10), "priority"},
                                           BadCall{MakeCall(1, "consult", -1), "priority"},
                                           BadCall{MakeCall(0), "call_id"},
                                           BadCall{MakeCall(1, "consult", 0, std::string(65, '1')),
                                                   "caller"}));

TEST_F(AcdTest, SameCallIdTwiceIsAConflictAndEmptySkillIsTheFirst) {
  NewCall c = MakeCall(1, "");
  ASSERT_TRUE(engine().CallArrived(c));
  EXPECT_EQ(Call(1).skill, "consult");
  auto again = engine().CallArrived(c);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
}

TEST_F(AcdTest, FinishedCallsAreEvictedAfterRetainEndedS) {
  AcdConfig config = SmallConfig();
  config.retain_ended_s = 60;
  Start(config);
  Arrive(1);
  Ok(engine().Hangup(1, "caller"));
  Advance(seconds(59));
  EXPECT_TRUE(engine().GetCall(1));
  Advance(seconds(1));
  auto gone = engine().GetCall(1);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, core::ErrorCode::kNotFound);
}

TEST_F(AcdTest, FinishedCallsAreBoundedInNumber) {
  AcdConfig config = SmallConfig();
  config.max_retained_calls = 2;
  Start(config);
  for (int64_t id = 1; id <= 3; ++id) {
    Arrive(id);
    Ok(engine().Hangup(id, "caller"));
  }
  EXPECT_FALSE(engine().GetCall(1));
  EXPECT_TRUE(engine().GetCall(2));
  EXPECT_TRUE(engine().GetCall(3));
}

TEST_F(AcdTest, NextDeadlineIsTheEarliestTimer) {
  EXPECT_EQ(engine().NextDeadline(), std::nullopt);
  Arrive(1);
  EXPECT_EQ(engine().NextDeadline(), At(seconds(60)));  // overflow_after_s
  LogIn(1);
  EXPECT_EQ(engine().NextDeadline(), At(seconds(15)));  // ring_timeout_s
}

}  // namespace
}  // namespace hotline::acd::testing

// Key 0 after `overflow`, during hours: the call the full queue turned away goes back into the
// queue under its own id (Engine::Readmit), counted once as offered and no longer as turned away.
#include <gtest/gtest.h>

#include "unit/acd/acd_fixture.hpp"

namespace hotline::acd {
namespace {

class ReadmitTest : public testing::AcdTest {
 protected:
  void SetUp() override {
    AcdConfig c = testing::SmallConfig();
    c.max_waiting = 0;  // one waiting call is already more than max_waiting
    Start(c);
  }
};

TEST_F(ReadmitTest, TurnedAwayCallComesBackUnderItsIdOnceThereIsRoom) {
  EXPECT_EQ(Arrive(1).state, CallState::kQueued);
  EXPECT_EQ(Arrive(2).state, CallState::kOverflow);
  // Still full: nothing changes.
  auto full = engine().Readmit(testing::MakeCall(2));
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->state, CallState::kOverflow);
  EXPECT_EQ(StateOf(2), CallState::kOverflow);
  engine().DrainEvents();

  Ok(engine().Hangup(1, "caller"));
  Advance(std::chrono::seconds(30));
  auto back = engine().Readmit(testing::MakeCall(2));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->state, CallState::kQueued);
  EXPECT_EQ(back->position, 1);
  CallView call = Call(2);
  EXPECT_EQ(call.state, CallState::kQueued);
  EXPECT_EQ(call.position, 1);
  EXPECT_EQ(call.enqueued_at, Now()) << "a new wait begins";
  auto queued = EventsOf(EventKind::kCallQueued);
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].call_id, 2);
  EXPECT_EQ(queued[0].reason, "readmitted");
  // Counted once: offered twice in all (calls 1 and 2), none turned away any more.
  DayMeasures today = engine().Today();
  EXPECT_EQ(today.offered, 2);
  EXPECT_EQ(today.overflowed, 0);

  // Asking again answers where the call is; an agent then gets it.
  auto again = engine().Readmit(testing::MakeCall(2));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->state, CallState::kQueued);
  EXPECT_EQ(again->position, 1);
  LogIn(7);
  EXPECT_EQ(StateOf(2), CallState::kRinging);
  EXPECT_EQ(AgentOf(2), 7);
}

TEST_F(ReadmitTest, ReadmittedCallOutlivesTheRetentionOfFinishedCalls) {
  AcdConfig c = testing::SmallConfig();
  c.max_waiting = 0;  // one waiting call is already more than max_waiting
  c.retain_ended_s = 60;
  Start(c);
  Arrive(1);
  EXPECT_EQ(Arrive(2).state, CallState::kOverflow);
  Ok(engine().Hangup(1, "caller"));
  ASSERT_TRUE(engine().Readmit(testing::MakeCall(2)).has_value());
  Advance(std::chrono::seconds(120));  // call 1 is evicted; call 2 waits on
  EXPECT_FALSE(engine().GetCall(1).has_value());
  EXPECT_EQ(StateOf(2), CallState::kQueued);
}

TEST_F(ReadmitTest, EvictedCallIsRebuiltAndAnsweredOrOverCallsAreRefused) {
  AcdConfig c = testing::SmallConfig();
  c.max_waiting = 0;  // one waiting call is already more than max_waiting
  c.retain_ended_s = 60;
  Start(c);
  Arrive(1);
  EXPECT_EQ(Arrive(2).state, CallState::kOverflow);
  Ok(engine().Hangup(1, "caller"));
  Advance(std::chrono::seconds(120));
  ASSERT_FALSE(engine().GetCall(2).has_value()) << "evicted";
  auto back = engine().Readmit(testing::MakeCall(2));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->state, CallState::kQueued);
  EXPECT_EQ(engine().Today().overflowed, 0);
  EXPECT_EQ(engine().Today().offered, 2);
  // Call 1 was abandoned: nothing to readmit.
  Arrive(3);  // full again is not the point: a finished call is refused whatever the queue
  auto refused = engine().Readmit(testing::MakeCall(2, "nope"));
  ASSERT_TRUE(refused.has_value()) << "already waiting: answered where it is";
  Ok(engine().Hangup(2, "caller"));
  auto over = engine().Readmit(testing::MakeCall(2));
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, core::ErrorCode::kInvalidTransition);
}

}  // namespace
}  // namespace hotline::acd

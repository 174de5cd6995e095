// The estimated wait: from the live queue, kept current, and the model on its own.
#include "acd/wait_model.hpp"
#include "acd_fixture.hpp"

namespace hotline::acd::testing {
namespace {

// Two agents in fresh calls; talk 180 s assumed (none ended yet), wrap-up 30 s, pick-up at
// once: each agent frees up in 210 s, and then every 210 s.
TEST_F(AcdTest, EstimateFollowsWhenTheAgentsFreeUp) {
  LogIn(1);
  LogIn(2);
  for (int64_t id : {1, 2}) {
    Arrive(id);
    Ok(engine().Accept(*AgentOf(id), id));
  }
  EXPECT_EQ(Arrive(3).ewt_s, 210);
  EXPECT_EQ(Arrive(4).ewt_s, 210);
  Arrival fifth = Arrive(5);
  EXPECT_EQ(fifth.position, 3);
  EXPECT_EQ(fifth.ewt_s, 420);
  Advance(seconds(60));  // recalculated while the callers wait
  EXPECT_EQ(Call(3).ewt_s, 150);
  EXPECT_EQ(Call(5).ewt_s, 360);
  EXPECT_EQ(Call(3).predicted_ewt_s, 210);  // the estimate at enqueue is kept
  QueueView q = engine().Queue();
  ASSERT_EQ(q.calls.size(), 3u);
  EXPECT_EQ(q.calls[2].ewt_s, 360);
}

TEST_F(AcdTest, IdleAgentWithoutTheSkillCapsTheEstimateAtOverflow) {
  LogIn(1, {{"consult", 1}});
  EXPECT_EQ(Arrive(1, "report").ewt_s, 60);
  Advance(seconds(20));
  EXPECT_EQ(Call(1).ewt_s, 40);
}

TEST_F(AcdTest, CallOfferedAtOnceHasNoWait) {
  LogIn(1);
  Arrival a = Arrive(1);
  EXPECT_TRUE(a.offered);
  EXPECT_EQ(a.state, CallState::kQueued);
  EXPECT_EQ(a.position, 0);
  EXPECT_EQ(a.ewt_s, 0);
  EXPECT_EQ(Call(1).position, std::nullopt);
}

class WaitModelTest : public ::testing::Test {
 protected:
  WaitModelTest() {
    config_.default_talk_s = 100;
    config_.wrap_up_s = 0;
    config_.arrival_window_s = 600;
  }
  AcdConfig config_;
  core::TimePoint t0_ = core::FromUnixMillis(1'767'225'600'000);
};

TEST_F(WaitModelTest, PositionsBeyondTheAgentsWaitWholeCycles) {
  WaitModel m(config_, t0_);
  const std::vector<double> frees{10, 20};
  EXPECT_DOUBLE_EQ(m.Estimate(frees, 1, 0, t0_), 10);
  EXPECT_DOUBLE_EQ(m.Estimate(frees, 2, 0, t0_), 20);
  EXPECT_DOUBLE_EQ(m.Estimate(frees, 3, 0, t0_), 110);
  EXPECT_DOUBLE_EQ(m.Estimate(frees, 4, 0, t0_), 120);
}

TEST_F(WaitModelTest, HigherPriorityArrivalsStretchTheEstimate) {
  WaitModel m(config_, t0_);
  for (int s : {100, 150, 200}) m.RecordArrival(t0_ + seconds(s), 9);
  const core::TimePoint now = t0_ + seconds(300);
  // 3 calls in 300 s, 100 s each, over 2 agents: load 0.5, so waits double.
  EXPECT_DOUBLE_EQ(m.Estimate({10, 20}, 1, 0, now), 20);
  EXPECT_DOUBLE_EQ(m.Estimate({10, 20}, 1, 9, now), 10);  // nothing jumps a priority-9 call
  m.Prune(t0_ + seconds(801));                            // all three out of the 600 s window
  EXPECT_DOUBLE_EQ(m.Estimate({10, 20}, 1, 0, t0_ + seconds(801)), 10);
}

TEST_F(WaitModelTest, CallersAheadWhoGiveUpShortenTheWait) {
  WaitModel m(config_, t0_);
  EXPECT_DOUBLE_EQ(m.Estimate({0}, 10, 0, t0_), 900);  // 9 ahead, 100 s each
  // 2 abandons in 200 s of waiting: θ = 0.01/s. One agent serves R = 0.01/s, so of the 9
  // ahead (R/θ)·ln(1 + 9θ/R) = ln 10 = 2.3 are served: 2 whole calls before this one.
  m.RecordQueueExit(50'000, true);
  m.RecordQueueExit(150'000, true);
  EXPECT_DOUBLE_EQ(m.abandon_rate(), 0.01);
  EXPECT_DOUBLE_EQ(m.Estimate({0}, 10, 0, t0_), 200);
  m.RecordQueueExit(0, false);  // answered at once: no time at risk, no abandon
  EXPECT_DOUBLE_EQ(m.abandon_rate(), 0.01);
}

TEST_F(WaitModelTest, MeansRollOverTheLastHandleWindowCalls) {
  config_.handle_window = 2;
  WaitModel m(config_, t0_);
  EXPECT_DOUBLE_EQ(m.talk_s(), 100);  // the default before any call
  for (int64_t ms : {100'000, 200'000, 300'000}) m.RecordTalk(ms);
  EXPECT_DOUBLE_EQ(m.talk_s(), 250);
  m.RecordRing(4'000);
  m.RecordWrap(6'000);
  EXPECT_DOUBLE_EQ(m.cycle_s(), 4 + 250 + 6);
}

}  // namespace
}  // namespace hotline::acd::testing

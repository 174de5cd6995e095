// Random commands in random order: the invariant-checking build aborts on the first broken
// invariant, at the end every caller still gets an agent (no one is lost or stuck), and the
// day's measures rebuilt from the call records equal the live ones.
#include <algorithm>
#include <map>
#include <random>

#include "acd_fixture.hpp"
#include "hotline/acd/day_measures.hpp"

namespace hotline::acd::testing {
namespace {

class RandomDay : public AcdTest, public ::testing::WithParamInterface<unsigned> {
 protected:
  void Keep(std::vector<Event> events) { Collect(std::move(events), records_); }
  std::map<int64_t, CallRecord> records_;
};

TEST_P(RandomDay, NoCallerIsLostAndNoAgentStuck) {
  AcdConfig config = SmallConfig();
  config.max_waiting = 30;
  config.strategy = Strategy(GetParam() % 4);
  config.wrap_up_s = int(GetParam() % 3) * 10;  // 0, 10 or 20
  Start(config);
  std::mt19937 rng(GetParam());
  auto pick = [&](int n) { return int(rng() % unsigned(n)); };
  const char* skills[] = {"consult", "complaint", "report"};
  int64_t next_call = 1;
  for (int step = 0; step < 3000; ++step) {
    const int64_t agent = 1 + pick(7);
    // Mostly recent calls, so that hang-ups and pick-ups meet live calls.
    const int64_t call =
        pick(4) ? std::max<int64_t>(1, next_call - 1 - pick(40)) : 1 + pick(int(next_call));
    switch (pick(12)) {
      case 0:
        engine().CallArrived(MakeCall(next_call++, skills[pick(3)], pick(10)));
        break;
      case 2: {
        SkillMap s;
        if (pick(2)) s[skills[pick(3)]] = 1 + pick(9);
        engine().Login(agent, pick(3) ? std::nullopt : std::optional<int>(1 + pick(6)), s);
        break;
      }
      case 3:
        if (pick(3) == 0) engine().Logout(agent);
        break;
      case 4:
        engine().SetState(agent, pick(2) ? "ready" : "not_ready", "break");
        break;
      case 5: {
        auto view = engine().GetAgent(agent);
        const bool offered = view && view->state == AgentState::kRinging && pick(8);
        engine().Accept(agent, offered ? *view->call_id : call);
        break;
      }
      case 6:
        engine().Answered(call);
        break;
      case 7:
        engine().Hangup(call, pick(2) ? "caller" : "agent");
        break;
      case 8:
        engine().WrapDone(agent);
        break;
      case 10:
        engine().RequestCallback(call);
        break;
      case 9:
        if (pick(2)) {
          engine().OpenIncident({1, "outbreak", {"report"}, ""});
        } else {
          engine().CloseIncident(1);
        }
        break;
      default:
        Advance(std::chrono::milliseconds(pick(20'000)));
        break;
    }
    ASSERT_EQ(engine().FindInvariantViolation(), std::nullopt) << "step " << step;
    Keep(engine().DrainEvents());
  }
  // Drain: every agent logged in and ready, every offer picked up and ended.
  engine().CloseIncident(1);
  for (int64_t a = 1; a <= 4; ++a) {
    engine().Login(a, std::nullopt, {});
    engine().SetState(a, "ready");
  }
  for (int round = 0; round < 10'000 && engine().Queue().waiting + engine().Queue().ringing > 0;
       ++round) {
    for (const AgentView& a : engine().Agents()) {
      if (a.state == AgentState::kRinging) engine().Accept(a.agent_id, *a.call_id);
      if (a.state == AgentState::kTalking) engine().Hangup(*a.call_id, "agent");
      if (a.state == AgentState::kWrapUp) engine().WrapDone(a.agent_id);
      if (a.state == AgentState::kNotReady) engine().SetState(a.agent_id, "ready");
    }
    Advance(seconds(1));
    Keep(engine().DrainEvents());
  }
  EXPECT_EQ(engine().Queue().waiting, 0);
  EXPECT_EQ(engine().Queue().ringing, 0);
  DayMeasures m = engine().Today();
  // Every call let in was answered or abandoned: none is still somewhere in between.
  EXPECT_EQ(m.answered + m.abandoned, m.offered - m.overflowed);
  EXPECT_GT(m.answered, 0);
  // The CDR rows tell the same day: what a restart or the daily report would compute.
  std::vector<CallRecord> today;
  for (const auto& [id, r] : records_) {
    if (std::chrono::floor<std::chrono::days>(r.enqueued_at) == std::chrono::floor<std::chrono::days>(Now())) {
      today.push_back(r);
    }
  }
  ExpectSameFigures(MeasureCalls(today, config_), m);
}

INSTANTIATE_TEST_SUITE_P(AcdInvariants, RandomDay, ::testing::Range(1u, 9u));

}  // namespace
}  // namespace hotline::acd::testing

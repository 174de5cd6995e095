// Whole days through the engine with a fake clock: an ordinary day of 1,000 calls and an
// outbreak hour of 5,000. Callers give up, agents pick up late or not at all, end wrap-up
// early; the engine's own timers fire when NextDeadline() says. Wall time per simulated day.
#include <benchmark/benchmark.h>

#include <chrono>
#include <queue>
#include <random>
#include <vector>

#include "hotline/acd/engine.hpp"

namespace hotline::acd {
namespace {

using std::chrono::milliseconds;

struct Scenario {
  int agents;
  int calls;
  int hours;
  bool incident;
  double patience_s;  // mean, exponential
};

enum class Act { kArrive, kGiveUp, kPickUp, kTalkEnd, kWrapDone, kBackFromNoAnswer };

struct Scheduled {
  core::TimePoint at;
  uint64_t seq;
  Act act;
  int64_t call;
  int64_t agent;
  bool operator>(const Scheduled& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

class Simulation {
 public:
  explicit Simulation(const Scenario& s, unsigned seed) : s_(s), rng_(seed) {
    AcdConfig config;
    engine_ = std::make_unique<Engine>(config, clock_, core::TimeZone::Utc());
    if (s.incident) (void)engine_->OpenIncident({1, "outbreak", {"report"}, ""});
    for (int64_t a = 1; a <= s.agents; ++a) (void)engine_->Login(a, std::nullopt, {});
    const double mean_gap_ms = double(s.hours) * 3'600'000.0 / s.calls;
    std::exponential_distribution<double> gap(1.0 / mean_gap_ms);
    core::TimePoint t = clock_.Now();
    for (int64_t id = 1; id <= s.calls; ++id) {
      t += milliseconds(int64_t(gap(rng_)));
      Push(t, Act::kArrive, id, 0);
    }
  }

  DayMeasures Run() {
    while (!plan_.empty() || engine_->NextDeadline()) {
      core::TimePoint next = plan_.empty() ? core::TimePoint::max() : plan_.top().at;
      if (auto d = engine_->NextDeadline(); d && *d < next) next = *d;
      if (next > clock_.Now()) clock_.Set(next);
      engine_->Tick();
      React();
      while (!plan_.empty() && plan_.top().at <= clock_.Now()) {
        Scheduled e = plan_.top();
        plan_.pop();
        Do(e);
        React();
      }
    }
    return engine_->Today();
  }

 private:
  void Push(core::TimePoint at, Act act, int64_t call, int64_t agent) {
    plan_.push({at, seq_++, act, call, agent});
  }
  milliseconds Seconds(double s) { return milliseconds(int64_t(s * 1000)); }
  double Exp(double mean) { return std::exponential_distribution<double>(1.0 / mean)(rng_); }
  double Uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng_);
  }

  void Do(const Scheduled& e) {
    switch (e.act) {
      case Act::kArrive: {
        NewCall c;
        c.id = e.call;
        c.caller = "1380000" + std::to_string(1000 + e.call % 9000);
        const unsigned kind = rng_() % 10;  // 90% consultations
        c.skill = kind < 8 ? "consult" : kind < 9 ? "complaint" : "report";
        c.priority = c.skill == "report" ? 5 : 0;
        auto r = engine_->CallArrived(c);
        if (r && r->state == CallState::kQueued) {
          Push(clock_.Now() + Seconds(Exp(s_.patience_s)), Act::kGiveUp, e.call, 0);
        }
        break;
      }
      case Act::kGiveUp: {
        auto c = engine_->GetCall(e.call);
        if (c && (c->state == CallState::kQueued || c->state == CallState::kRinging)) {
          (void)engine_->Hangup(e.call, "caller");
        }
        break;
      }
      case Act::kPickUp:
        (void)engine_->Accept(e.agent, e.call);
        break;
      case Act::kTalkEnd:
        (void)engine_->Hangup(e.call, rng_() % 2 ? "caller" : "agent");
        break;
      case Act::kWrapDone:
        (void)engine_->WrapDone(e.agent);
        break;
      case Act::kBackFromNoAnswer:
        (void)engine_->SetState(e.agent, "ready");
        break;
    }
  }

  // Agents answer what the engine tells them.
  void React() {
    for (const Event& e : engine_->DrainEvents()) {
      const core::TimePoint now = e.at;
      if (e.kind == EventKind::kCallRouted && rng_() % 20 != 0) {  // 1 in 20 rings out
        Push(now + Seconds(Uniform(1, 6)), Act::kPickUp, e.call_id, e.agent_id);
      } else if (e.kind == EventKind::kCallAnswered) {
        Push(now + Seconds(30 + Exp(150)), Act::kTalkEnd, e.call_id, e.agent_id);
      } else if (e.kind == EventKind::kCallEnded && rng_() % 2 == 0) {
        Push(now + Seconds(Uniform(3, 25)), Act::kWrapDone, 0, e.agent_id);
      } else if (e.kind == EventKind::kAgentState && e.reason == "no_answer") {
        Push(now + Seconds(10), Act::kBackFromNoAnswer, 0, e.agent_id);
      }
    }
  }

  Scenario s_;
  std::mt19937 rng_;
  core::FakeClock clock_;
  std::unique_ptr<Engine> engine_;
  std::priority_queue<Scheduled, std::vector<Scheduled>, std::greater<Scheduled>> plan_;
  uint64_t seq_ = 0;
};

void RunScenario(benchmark::State& state, const Scenario& scenario) {
  DayMeasures m;
  unsigned seed = 1;
  for (auto _ : state) {
    state.PauseTiming();
    Simulation sim(scenario, seed++);
    state.ResumeTiming();
    m = sim.Run();
  }
  state.counters["offered"] = m.offered;
  state.counters["answered"] = m.answered;
  state.counters["abandoned"] = m.abandoned;
  state.counters["overflowed"] = m.overflowed;
  state.counters["answer_rate"] = m.answer_rate.value_or(0);
  state.counters["asa_s"] = m.asa_s.value_or(0);
  state.counters["ewt_error_s"] = m.ewt_error_s.value_or(0);
}

// An ordinary day: 1,000 calls over 10 hours, 20 agents logged in.
void BM_SimulatedDay1000Calls(benchmark::State& state) {
  RunScenario(state, {20, 1'000, 10, false, 180});
}
BENCHMARK(BM_SimulatedDay1000Calls)->Unit(benchmark::kMillisecond);

// An outbreak hour: 5,000 calls, incident open, all 46 seats staffed, callers patient (5 min
// on average): the queue reaches max_waiting and the rest overflow to the voice menu.
void BM_OutbreakHour5000Calls(benchmark::State& state) {
  RunScenario(state, {46, 5'000, 1, true, 300});
}
BENCHMARK(BM_OutbreakHour5000Calls)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hotline::acd

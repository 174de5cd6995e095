// Routing decisions against a long queue: 46 agents, 10,000 waiting calls.
// Each decision is timed on its own; median and p99 are reported as counters (µs), over all
// samples and over those the OS did not switch away from (a shared machine preempts often).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include "hotline/acd/engine.hpp"

namespace hotline::acd {
namespace {

constexpr int kAgents = 46;
constexpr int kWaiting = 10'000;
const char* const kSkills[] = {"consult", "complaint", "report"};

AcdConfig LongQueueConfig() {
  AcdConfig config;
  config.max_waiting = 2 * kWaiting;  // the default (200) would turn most of them away
  return config;
}

struct Fixture {
  core::FakeClock clock;
  Engine engine{LongQueueConfig(), clock, core::TimeZone::Utc()};
  std::mt19937 rng{42};
  int64_t next_call = 1;

  Fixture() {
    (void)engine.OpenIncident({1, "outbreak", {}, ""});  // all 46 seats live
    for (int64_t a = 1; a <= kAgents; ++a) {
      SkillMap skills;  // a third with defaults, the others with two skills at mixed levels
      if (a % 3 == 1) skills = {{kSkills[a % 3], 1}, {kSkills[(a + 1) % 3], 4}};
      if (a % 3 == 2) skills = {{kSkills[a % 3], 2}, {kSkills[(a + 2) % 3], 7}};
      (void)engine.Login(a, std::nullopt, skills);
      // A call of the agent's first skill, which only it can take: the others are busy.
      NewCall first;
      first.id = next_call++;
      first.caller = "13800000000";
      first.skill = kSkills[a % 3];
      (void)engine.CallArrived(first);
      (void)engine.Accept(a, first.id);
      (void)engine.Hangup(first.id, "caller");  // the agent is now in wrap-up
    }
    for (int i = 0; i < kWaiting; ++i) AddCall();
    clock.Advance(std::chrono::seconds(20));  // still inside wrap-up, no timer due
    engine.DrainEvents();
  }

  void AddCall() {
    NewCall c;
    c.id = next_call++;
    c.caller = "13800000000";
    c.skill = kSkills[rng() % 3];
    c.priority = rng() % 10 == 0 ? int(rng() % 10) : 0;  // one call in ten is prioritised
    (void)engine.CallArrived(c);
  }
};

long ContextSwitches() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_nvcsw + usage.ru_nivcsw;
}

/// Per-sample latencies, split by whether the thread was switched out meanwhile.
struct Samples {
  std::vector<double> all;
  std::vector<double> quiet;

  template <class F>
  void Time(benchmark::State& state, F&& f) {
    const long switches = ContextSwitches();
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const auto t1 = std::chrono::steady_clock::now();
    const double us = std::chrono::duration<double, std::micro>(t1 - t0).count();
    all.push_back(us);
    if (ContextSwitches() == switches) quiet.push_back(us);
    state.SetIterationTime(us / 1e6);
  }
  void Report(benchmark::State& state) const;
};

double Percentile(std::vector<double> v, double p);

void Samples::Report(benchmark::State& state) const {
  state.counters["median_us"] = Percentile(all, 0.5);
  state.counters["p99_us"] = Percentile(all, 0.99);
  state.counters["quiet_median_us"] = Percentile(quiet, 0.5);
  state.counters["quiet_p99_us"] = Percentile(quiet, 0.99);
  state.counters["preempted"] = double(all.size() - quiet.size());
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

// An agent ends wrap-up: the engine picks the first call it may take and offers it.
void BM_RoutingDecision(benchmark::State& state) {
  Fixture f;
  Samples samples;
  int64_t agent = 1;
  for (auto _ : state) {
    samples.Time(state, [&] { benchmark::DoNotOptimize(f.engine.WrapDone(agent)); });
    // Put the agent back into wrap-up and refill the queue (not timed).
    auto a = f.engine.GetAgent(agent);
    (void)f.engine.Accept(agent, *a->call_id);
    (void)f.engine.Hangup(*a->call_id, "caller");
    f.AddCall();
    f.engine.DrainEvents();
    agent = agent % kAgents + 1;
  }
  samples.Report(state);
  state.counters["waiting"] = double(f.engine.Queue(0).waiting);
}
BENCHMARK(BM_RoutingDecision)->UseManualTime()->Iterations(100'000);

// A new call while every agent is busy: validated, queued, positioned and estimated.
void BM_CallArrivalIntoLongQueue(benchmark::State& state) {
  Fixture f;
  Samples samples;
  for (auto _ : state) {
    const int64_t id = f.next_call;
    samples.Time(state, [&] { f.AddCall(); });
    (void)f.engine.Hangup(id, "caller");  // keep the queue at 10,000 (not timed)
    f.engine.DrainEvents();
  }
  samples.Report(state);
}
BENCHMARK(BM_CallArrivalIntoLongQueue)->UseManualTime()->Iterations(100'000);

// The gateway polling a waiting call's position and estimated wait.
void BM_GetCallPositionAndEwt(benchmark::State& state) {
  Fixture f;
  std::uniform_int_distribution<int64_t> pick(kAgents + 1, f.next_call - 1);
  for (auto _ : state) benchmark::DoNotOptimize(f.engine.GetCall(pick(f.rng)));
}
BENCHMARK(BM_GetCallPositionAndEwt);

// The wallboard: counts and the first 50 waiting calls.
void BM_QueueSnapshot50(benchmark::State& state) {
  Fixture f;
  for (auto _ : state) benchmark::DoNotOptimize(f.engine.Queue(50));
}
BENCHMARK(BM_QueueSnapshot50)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hotline::acd

// Report latency over a hotline's database of 1,000 work orders a day (report_db.hpp):
// hot topics at 7, 30 and 90 days (p50/p99 wall), the monthly report of a month of 30,000 work
// orders with their histories, and staffing by Erlang C and A from 100 to 2,000 calls an hour.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "hotline/core/calendar.hpp"
#include "hotline/reports/hot_topics.hpp"
#include "hotline/reports/monthly.hpp"
#include "hotline/reports/staffing.hpp"
#include "report_db.hpp"

namespace hotline::reports::bench {
namespace {

storage::Database& Db() {
  static const std::unique_ptr<storage::Database> db = OpenReportDb();
  return *db;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

/// Runs `fn` once per iteration and reports the median and p99 of its wall time.
template <class F>
void Timed(benchmark::State& state, F&& fn) {
  std::vector<double> ms;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  state.counters["p50_ms"] = Percentile(ms, 0.50);
  state.counters["p99_ms"] = Percentile(ms, 0.99);
}

void BM_HotTopics(benchmark::State& state) {
  const int days = static_cast<int>(state.range(0));
  HotTopics r;
  Timed(state, [&] {
    r = Db().Read([&](storage::Connection& c) { return FindHotTopics(c, Now(), days); });
  });
  state.counters["work_orders"] = r.work_orders + r.baseline_work_orders;
  state.counters["keywords"] = static_cast<double>(r.keywords.size());
  state.counters["categories"] = static_cast<double>(r.categories.size());
}
BENCHMARK(BM_HotTopics)
    ->Arg(7)
    ->Arg(30)
    ->Arg(90)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3.0)
    ->MinWarmUpTime(0.5);

void BM_Monthly(benchmark::State& state) {
  static const core::Calendar calendar = *core::Calendar::Make({});
  const std::chrono::year_month march{std::chrono::year(2026), std::chrono::March};
  MonthlyReport r;
  Timed(state, [&] {
    r = Db().Read(
        [&](storage::Connection& c) { return BuildMonthly(c, march, calendar.zone(), Now()); });
  });
  state.counters["accepted"] = r.work_orders ? r.work_orders->accepted : 0;
  state.counters["received"] = r.totals.received;
}
BENCHMARK(BM_Monthly)->Unit(benchmark::kMillisecond)->MinTime(3.0)->MinWarmUpTime(0.5);

// Arguments: calls per hour, and patience in seconds (0: Erlang C).
void BM_Staffing(benchmark::State& state) {
  StaffingInput in{
      .calls_per_hour = static_cast<double>(state.range(0)), .aht_s = 240, .target_s = 20};
  if (state.range(1) > 0) in.patience_s = static_cast<double>(state.range(1));
  int agents = 0;
  for (auto _ : state) {
    auto r = FewestAgents(in);
    if (!r) state.SkipWithError("staffing failed");
    agents = r->agents;
    benchmark::DoNotOptimize(agents);
  }
  state.counters["agents"] = agents;
}
BENCHMARK(BM_Staffing)->ArgsProduct({{100, 500, 2000}, {0, 120}})->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hotline::reports::bench

BENCHMARK_MAIN();

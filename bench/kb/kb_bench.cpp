// Search latency per query (p50/p99) on knowledge bases of 3,000 and 100,000 entries, for
// whole questions and for every keystroke of them (as-you-type), and the time to build each
// index through Service::ImportJson. Target: p99 under 2 ms at 100,000 entries.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <time.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>

#include "corpus.hpp"
#include "hotline/kb/service.hpp"
#include "hotline/kb/tokenizer.hpp"
#include "support/temp_dir.hpp"

namespace hotline::kb::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kImportChunk = 10'000;

/// CPU time of this thread: on a shared machine wall time also counts other processes.
double ThreadCpuMicros() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

double Percentile(std::vector<double>& v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

struct Loaded {
  testing::TempDir dir;
  core::SystemClock clock;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<Service> kb;
  double build_s = 0;
  double optimize_s = 0;
};

std::vector<storage::Migration> KbMigrations() {
  std::vector<storage::Migration> out;
  for (const auto& m : storage::EmbeddedMigrations()) {
    if (m.name == "kb" || m.name == "kb_categories" || m.name == "kb_gaps_restore") out.push_back(m);
  }
  return out;
}

std::unique_ptr<Loaded> Build(size_t entries) {
  auto l = std::make_unique<Loaded>();
  storage::DatabaseOptions o;
  o.path = l->dir.File("kb.db");
  o.readers = 2;
  o.on_open.push_back([](storage::Connection& c) { RegisterTokenizer(c); });
  l->db = storage::Database::Open(o, KbMigrations());
  l->kb = std::make_unique<Service>(*l->db, l->clock);
  auto synonyms = ReadSourceJson("config/kb/synonyms.json");
  Synonyms map = synonyms.get<Synonyms>();
  l->kb->PutSynonyms(core::Actor::System(), map);
  core::Json corpus = MakeCorpus(ReadSourceJson("config/kb/starter.json"), entries);
  auto t0 = Clock::now();
  for (size_t i = 0; i < corpus.size(); i += kImportChunk) {
    core::Json chunk = core::Json::array();
    for (size_t k = i; k < std::min(corpus.size(), i + kImportChunk); ++k) chunk.push_back(corpus[k]);
    auto report = l->kb->ImportJson(core::Actor::System(), chunk);
    if (!report.ok()) throw std::runtime_error("import failed: " + report.errors[0].message);
  }
  l->build_s = std::chrono::duration<double>(Clock::now() - t0).count();
  t0 = Clock::now();
  l->kb->OptimizeIndex();
  l->optimize_s = std::chrono::duration<double>(Clock::now() - t0).count();
  return l;
}

Loaded& Get(size_t entries) {
  static std::map<size_t, std::unique_ptr<Loaded>> built;
  auto& slot = built[entries];
  if (!slot) slot = Build(entries);
  return *slot;
}

/// Searches per benchmark: HOTLINE_BENCH_SEARCHES (more, for a profiler), or 3,000.
benchmark::IterationCount Searches() {
  const char* env = std::getenv("HOTLINE_BENCH_SEARCHES");
  return env ? std::max<benchmark::IterationCount>(1, std::atoll(env)) : 3'000;
}

void BM_Search(benchmark::State& state) {
  size_t entries = static_cast<size_t>(state.range(0));
  bool as_you_type = state.range(1) != 0;
  Loaded& l = Get(entries);
  static const auto questions = Questions();
  static const auto keystrokes = Keystrokes(questions);
  const auto& queries = as_you_type ? keystrokes : questions;
  std::vector<double> micros, cpu;
  size_t i = 0;
  for (auto _ : state) {
    double c0 = ThreadCpuMicros();
    auto t0 = Clock::now();
    auto hits = l.kb->Search(queries[i++ % queries.size()],
                             {.limit = 10, .prefix = as_you_type, .record_gap = false});
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    cpu.push_back(ThreadCpuMicros() - c0);
    benchmark::DoNotOptimize(hits);
  }
  state.counters["p50_us"] = Percentile(micros, 0.50);
  state.counters["p99_us"] = Percentile(micros, 0.99);
  state.counters["cpu_p50_us"] = Percentile(cpu, 0.50);
  state.counters["cpu_p99_us"] = Percentile(cpu, 0.99);
  state.counters["build_s"] = l.build_s;
  state.counters["optimize_s"] = l.optimize_s;
  state.SetLabel(as_you_type ? "every keystroke, prefix mode" : "whole questions");
}

BENCHMARK(BM_Search)
    ->ArgNames({"entries", "as_you_type"})
    ->Args({3'000, 0})
    ->Args({3'000, 1})
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Iterations(Searches())
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hotline::kb::bench

BENCHMARK_MAIN();

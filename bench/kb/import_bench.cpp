// Import time (SPEC §4: import and export as JSON and CSV) and how long an import holds the
// database's single writer, which every other write (work orders, calls) waits for.
//
// For each size, a fresh knowledge base imports `n` entries grown from the starter content
// (bench/kb/corpus.cpp) as one JSON array and, into another fresh one, as the CSV file the
// first one exports. Meanwhile another thread issues an empty write every millisecond and
// records how long each waited: the longest wait is the writer hold time other writes see.
// Then the same file is imported again (every row unchanged: validation and lookups only).
//
//   build-test/bench/kb/import_bench [entries...]     (default 3200 10000)
//   reads config/kb/ under HOTLINE_SOURCE_DIR or the current directory
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "corpus.hpp"
#include "hotline/kb/service.hpp"
#include "hotline/kb/tokenizer.hpp"
#include "support/temp_dir.hpp"

namespace hotline::kb::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::vector<storage::Migration> KbMigrations() {
  std::vector<storage::Migration> out;
  for (const auto& m : storage::EmbeddedMigrations()) {
    if (m.name == "kb" || m.name == "kb_categories" || m.name == "kb_gaps_restore") out.push_back(m);
  }
  return out;
}

struct Fresh {
  testing::TempDir dir;
  core::SystemClock clock;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<Service> kb;
  Fresh() {
    storage::DatabaseOptions o;
    o.path = dir.File("kb.db");
    o.readers = 2;
    o.synchronous_full = true;  // as the server runs
    o.on_open.push_back([](storage::Connection& c) { RegisterTokenizer(c); });
    db = storage::Database::Open(std::move(o), KbMigrations());
    kb = std::make_unique<Service>(*db, clock);
  }
};

struct Measured {
  double total_ms = 0;     // the import call, parsing and checks included
  double max_wait_ms = 0;  // the longest an empty write waited meanwhile
  double p50_wait_ms = 0;
  ImportReport report;
};

/// Runs `import` while a prober thread measures how long empty writes wait.
template <class F>
Measured WithProbe(storage::Database& db, F import) {
  std::atomic<bool> done{false};
  std::vector<double> waits;
  std::thread prober([&] {
    while (!done.load()) {
      auto t0 = Clock::now();
      db.Write([](storage::Connection&) {});
      waits.push_back(Ms(Clock::now() - t0));
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  Measured m;
  auto t0 = Clock::now();
  m.report = import();
  m.total_ms = Ms(Clock::now() - t0);
  done = true;
  prober.join();
  if (!waits.empty()) {
    std::sort(waits.begin(), waits.end());
    m.max_wait_ms = waits.back();
    m.p50_wait_ms = waits[waits.size() / 2];
  }
  if (!m.report.ok()) {
    std::fprintf(stderr, "import refused: row %d %s\n", m.report.errors[0].row, m.report.errors[0].message.c_str());
    std::exit(1);
  }
  return m;
}

void Print(const char* what, size_t n, size_t bytes, const Measured& m) {
  std::printf("%-22s %7zu entries %8.1f KiB  import %8.1f ms (%6.0f entries/s)  writer held <= %7.1f ms"
              " (empty write p50 %.2f ms)  created %d updated %d unchanged %d\n",
              what, n, static_cast<double>(bytes) / 1024.0, m.total_ms,
              static_cast<double>(n) / (m.total_ms / 1000.0), m.max_wait_ms, m.p50_wait_ms, m.report.created,
              m.report.updated, m.report.unchanged);
}

void Run(size_t n) {
  core::Json corpus = MakeCorpus(ReadSourceJson("config/kb/starter.json"), n);
  std::string json_text = corpus.dump();
  Fresh a;
  auto json = WithProbe(*a.db, [&] { return a.kb->ImportJson(core::Actor::System(), core::Json::parse(json_text)); });
  Print("JSON into empty", n, json_text.size(), json);
  auto again = WithProbe(*a.db, [&] { return a.kb->ImportJson(core::Actor::System(), core::Json::parse(json_text)); });
  Print("JSON again (unchanged)", n, json_text.size(), again);
  std::string csv = a.kb->ExportCsv(core::TimeZone::Utc());
  Fresh b;
  auto from_csv = WithProbe(*b.db, [&] { return b.kb->ImportCsv(core::Actor::System(), csv); });
  Print("CSV into empty", n, csv.size(), from_csv);
}

}  // namespace
}  // namespace hotline::kb::bench

int main(int argc, char** argv) {
  std::vector<size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(static_cast<size_t>(std::atoll(argv[i])));
  if (sizes.empty()) sizes = {3200, 10000};
  for (size_t n : sizes) hotline::kb::bench::Run(n);
  return 0;
}

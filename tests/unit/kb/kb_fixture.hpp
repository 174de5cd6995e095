#pragma once
// A knowledge base on a fresh database with the kb schema (and the calls table of the ACD, which
// kb.open checks a call_id against; the other modules' schemas
// are not this module's business), the tokenizer registered as the server does it.
#include <memory>

#include "hotline/core/clock.hpp"
#include "hotline/kb/service.hpp"
#include "hotline/kb/tokenizer.hpp"
#include "hotline/storage/database.hpp"
#include "support/temp_dir.hpp"

namespace hotline::kb::testing {

inline std::vector<storage::Migration> KbMigrations() {
  std::vector<storage::Migration> out;
  for (const auto& m : storage::EmbeddedMigrations()) {
    if (m.name == "kb" || m.name == "kb_categories" || m.name == "kb_gaps_restore" || m.name == "acd") {
      out.push_back(m);
    }
  }
  return out;
}

inline std::unique_ptr<storage::Database> OpenKbDatabase(const std::string& path) {
  storage::DatabaseOptions o;
  o.path = path;
  o.synchronous_full = false;
  o.readers = 2;
  o.on_open.push_back([](storage::Connection& c) { RegisterTokenizer(c); });
  return storage::Database::Open(std::move(o), KbMigrations());
}

inline core::Actor Supervisor() { return {7, core::Role::kSupervisor, std::nullopt, "banzhang"}; }
inline core::Actor Agent() { return {9, core::Role::kAgent, std::nullopt, "zuoxi"}; }

/// A file database (so that reads use the reader pool, as in the server).
class KbTest : public ::testing::Test {
 protected:
  KbTest() : db_(OpenKbDatabase(dir_.File("kb.db"))), kb_(*db_, clock_) {
    // Entries' categories must be configured ones: the defaults and those the tests use.
    auto names = kb_.GetCategoryNames();
    for (const char* c : {"就医", "传染病", "疫苗接种"}) names[c] = c;
    EXPECT_TRUE(kb_.PutCategoryNames(Supervisor(), names).has_value());
  }

  Entry Add(std::string title, std::string body, std::vector<std::string> keywords = {},
            std::string category = "", bool voice = false) {
    auto e = kb_.Create(Supervisor(), {std::move(title), std::move(body), std::move(keywords),
                                       std::move(category), voice});
    EXPECT_TRUE(e.has_value()) << (e ? "" : e.error().message);
    return *e;
  }

  /// A row of the ACD's calls table handled by `agent_id` (what kb.open checks call_id against).
  int64_t AddCall(int64_t agent_id, const std::string& state,
                  std::optional<core::TimePoint> ended_at = std::nullopt) {
    return db_->Write([&](storage::Connection& c) {
      std::optional<int64_t> ended;
      if (ended_at) ended = core::ToUnixMillis(*ended_at);
      c.Prepare("INSERT INTO calls(caller, called, state, agent_id, enqueued_at, ended_at)"
                " VALUES ('13800001234', '12320', ?1, ?2, ?3, ?4)")
          ->BindAll(state, agent_id, core::ToUnixMillis(clock_.Now()), ended)
          .Run();
      return c.LastInsertId();
    });
  }

  /// Waits until asynchronous writes queued so far (gaps, usage) are committed.
  void FlushWrites() { db_->Write([](storage::Connection&) {}); }

  std::vector<std::string> Titles(std::string_view q, SearchOptions o = {}) {
    std::vector<std::string> out;
    for (const auto& h : kb_.Search(q, o)) out.push_back(h.title);
    return out;
  }

  hotline::testing::TempDir dir_;
  core::FakeClock clock_;
  std::unique_ptr<storage::Database> db_;
  Service kb_;
};

}  // namespace hotline::kb::testing

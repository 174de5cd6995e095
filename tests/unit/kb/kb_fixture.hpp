#pragma once
// A knowledge base on a fresh database with the kb schema only (the other modules' schemas
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
    if (m.name == "kb" || m.name == "kb_categories") out.push_back(m);
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
  KbTest() : db_(OpenKbDatabase(dir_.File("kb.db"))), kb_(*db_, clock_) {}

  Entry Add(std::string title, std::string body, std::vector<std::string> keywords = {},
            std::string category = "", bool voice = false) {
    auto e = kb_.Create(Supervisor(), {std::move(title), std::move(body), std::move(keywords),
                                       std::move(category), voice});
    EXPECT_TRUE(e.has_value()) << (e ? "" : e.error().message);
    return *e;
  }

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

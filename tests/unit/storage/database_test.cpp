#include "hotline/storage/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "hotline/core/error.hpp"
#include "support/temp_dir.hpp"

namespace hotline::storage {
namespace {

const std::vector<Migration> kSchema = {
    {1, "items", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"},
    {2, "flag", "ALTER TABLE items ADD COLUMN flag INTEGER NOT NULL DEFAULT 0;"},
};

int64_t CountItems(Database& db) {
  return db.Read([](Connection& c) {
    auto q = c.Prepare("SELECT count(*) FROM items");
    q->Step();
    return q->Int(0);
  });
}

void Insert(Connection& c, const std::string& name) {
  c.Prepare("INSERT INTO items(name) VALUES (?1)")->BindAll(name).Run();
}

TEST(Migrations, AppliesInOrderAndRecordsUserVersion) {
  testing::TempDir dir;
  auto db = Database::Open({.path = dir.File("a.db")}, kSchema);
  EXPECT_EQ(db->schema_version(), 2);
  db->Write([](Connection& c) { Insert(c, "x"); });
  db->Close();
  // Reopening applies nothing twice.
  auto again = Database::Open({.path = dir.File("a.db")}, kSchema);
  EXPECT_EQ(again->schema_version(), 2);
  EXPECT_EQ(CountItems(*again), 1);
}

TEST(Migrations, FailedMigrationRollsBackWhole) {
  testing::TempDir dir;
  std::vector<Migration> bad = kSchema;
  bad.push_back({3, "broken", "CREATE TABLE t3(a); THIS IS NOT SQL;"});
  EXPECT_THROW(Database::Open({.path = dir.File("b.db")}, bad), StorageError);
  auto db = Database::Open({.path = dir.File("b.db")}, kSchema);
  EXPECT_EQ(db->schema_version(), 2);
  bool has_t3 = db->Read([](Connection& c) {
    auto q = c.Prepare("SELECT count(*) FROM sqlite_master WHERE name='t3'");
    q->Step();
    return q->Int(0) > 0;
  });
  EXPECT_FALSE(has_t3);
}

TEST(GroupCommit, ConcurrentWritersAreAllCommittedAndVisible) {
  testing::TempDir dir;
  auto db = Database::Open({.path = dir.File("c.db")}, kSchema);
  constexpr int kThreads = 16, kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        db->Write([&](Connection& c) { Insert(c, std::to_string(t) + "-" + std::to_string(i)); });
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(CountItems(*db), kThreads * kEach);
  auto stats = db->stats();
  EXPECT_EQ(stats.writes, static_cast<uint64_t>(kThreads * kEach));
  // Batching happened: fewer commits than writes.
  EXPECT_LT(stats.commits, stats.writes);
}

TEST(GroupCommit, ErrorResultRollsBackOnlyItsOwnJob) {
  testing::TempDir dir;
  auto db = Database::Open({.path = dir.File("d.db")}, kSchema);
  core::Result<int> r = db->Write([](Connection& c) -> core::Result<int> {
    Insert(c, "doomed");
    return core::Error::Validation("no");
  });
  EXPECT_TRUE(r.has_error());
  db->Write([](Connection& c) { Insert(c, "kept"); });
  EXPECT_EQ(CountItems(*db), 1);
}

TEST(GroupCommit, ThrowingJobRethrowsAndLeavesOthersCommitted) {
  testing::TempDir dir;
  auto db = Database::Open({.path = dir.File("e.db")}, kSchema);
  db->Write([](Connection& c) { Insert(c, "dup"); });
  EXPECT_THROW(db->Write([](Connection& c) {
    Insert(c, "half");
    Insert(c, "dup");  // UNIQUE violation
  }), StorageError);
  EXPECT_EQ(CountItems(*db), 1);
}

bool Has(Database& db, const std::string& name) {
  return db.Read([&](Connection& c) {
    auto q = c.Prepare("SELECT count(*) FROM items WHERE name = ?1");
    q->Bind(1, name);
    q->Step();
    return q->Int(0) == 1;
  });
}

TEST(Rider, CommitsWithTheFirstSuccessfulWriteOnly) {
  testing::TempDir dir;
  auto db = Database::Open({.path = dir.File("r.db")}, kSchema);
  Database::Rider rider([](Connection& c) { Insert(c, "claim"); });
  // A write that fails takes nothing along; the rider waits for the next one.
  core::Result<int> failed = db->Write([](Connection& c) -> core::Result<int> {
    Insert(c, "doomed");
    return core::Error::Validation("no");
  });
  EXPECT_TRUE(failed.has_error());
  EXPECT_FALSE(rider.used());
  EXPECT_FALSE(Has(*db, "claim"));
  db->Write([](Connection& c) { Insert(c, "change"); });
  EXPECT_TRUE(rider.used());
  EXPECT_TRUE(Has(*db, "change"));
  EXPECT_TRUE(Has(*db, "claim"));
  db->Write([](Connection& c) { Insert(c, "later"); });  // the rider is used once
  EXPECT_EQ(CountItems(*db), 3);
}

TEST(Rider, AFailingRiderUndoesTheWriteItRodeWith) {
  testing::TempDir dir;
  auto db = Database::Open({.path = dir.File("s.db")}, kSchema);
  db->Write([](Connection& c) { Insert(c, "taken"); });
  Database::Rider rider([](Connection& c) { Insert(c, "taken"); });  // UNIQUE violation
  EXPECT_THROW(db->Write([](Connection& c) { Insert(c, "change"); }), StorageError);
  EXPECT_FALSE(Has(*db, "change"));
  EXPECT_FALSE(rider.used());
}

TEST(Rider, BelongsToItsThreadAndScope) {
  testing::TempDir dir;
  auto db = Database::Open({.path = dir.File("t.db")}, kSchema);
  {
    Database::Rider rider([](Connection& c) { Insert(c, "claim"); });
    std::thread other([&] { db->Write([](Connection& c) { Insert(c, "elsewhere"); }); });
    other.join();
    EXPECT_FALSE(rider.used());
  }
  db->Write([](Connection& c) { Insert(c, "after"); });
  EXPECT_FALSE(Has(*db, "claim"));
  EXPECT_EQ(CountItems(*db), 2);
}

TEST(Database, MemoryDatabaseServesReadsThroughWriter) {
  auto db = Database::Open({.path = ":memory:"}, kSchema);
  db->Write([](Connection& c) { Insert(c, "m"); });
  EXPECT_EQ(CountItems(*db), 1);
}

TEST(Database, BackupCopiesCommittedData) {
  testing::TempDir dir;
  auto db = Database::Open({.path = dir.File("f.db")}, kSchema);
  db->Write([](Connection& c) { Insert(c, "a"); Insert(c, "b"); });
  db->Backup(dir.File("copy.db"));
  auto copy = Database::Open({.path = dir.File("copy.db")}, kSchema);
  EXPECT_EQ(CountItems(*copy), 2);
}

TEST(Database, CloseFinishesQueuedAsyncWrites) {
  testing::TempDir dir;
  auto db = Database::Open({.path = dir.File("g.db")}, kSchema);
  std::atomic<int> done{0};
  for (int i = 0; i < 100; ++i) {
    db->WriteAsync([i](Connection& c) { Insert(c, "w" + std::to_string(i)); },
                   [&](bool ok) { done += ok ? 1 : 0; });
  }
  db->Close();
  EXPECT_EQ(done.load(), 100);
  auto again = Database::Open({.path = dir.File("g.db")}, kSchema);
  EXPECT_EQ(CountItems(*again), 100);
}

}  // namespace
}  // namespace hotline::storage

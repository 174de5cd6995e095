#include "hotline/storage/database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>

namespace hotline::storage {

namespace {

constexpr size_t kBatchBuckets = 9;  // batch sizes <= 1, 2, 4, …, 256

size_t BucketOf(size_t n) {
  size_t b = 0;
  while (b + 1 < kBatchBuckets && n > (size_t{1} << b)) ++b;
  return b;
}

bool IsMemory(const std::string& path) { return path == ":memory:" || path.empty(); }

}  // namespace

/// Read-only connections handed out one per reader at a time.
class Database::ReaderPool {
 public:
  ReaderPool(const DatabaseOptions& options) {
    for (int i = 0; i < options.readers; ++i) {
      auto c = std::make_unique<Connection>(options.path, /*read_only=*/true);
      for (const auto& hook : options.on_open) hook(*c);
      free_.push_back(c.get());
      all_.push_back(std::move(c));
    }
  }

  Connection* Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty(); });
    Connection* c = free_.back();
    free_.pop_back();
    return c;
  }

  void Release(Connection* c) {
    {
      std::lock_guard lock(mu_);
      free_.push_back(c);
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Connection*> free_;
  std::vector<std::unique_ptr<Connection>> all_;
};

Database::Database(DatabaseOptions options) : options_(std::move(options)) {
  stats_.batch_size_buckets.assign(kBatchBuckets, 0);
}

std::unique_ptr<Database> Database::Open(DatabaseOptions options,
                                         const std::vector<Migration>& migrations) {
  std::unique_ptr<Database> db(new Database(std::move(options)));
  const auto& o = db->options_;
  db->writer_ = std::make_unique<Connection>(IsMemory(o.path) ? ":memory:" : o.path, false);
  Connection& w = *db->writer_;
  if (!IsMemory(o.path)) w.Exec("PRAGMA journal_mode=WAL");
  w.Exec(o.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  w.Exec("PRAGMA foreign_keys=ON");
  for (const auto& hook : o.on_open) hook(w);
  db->schema_version_ = ApplyMigrations(w, migrations);
  if (!IsMemory(o.path)) db->readers_ = std::make_unique<ReaderPool>(o);
  db->thread_ = std::thread([raw = db.get()] { raw->WriterLoop(); });
  return db;
}

Database::~Database() { Close(); }

void Database::Close() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  readers_.reset();
  writer_.reset();
}

namespace {
thread_local Database::Rider* current_rider = nullptr;
}  // namespace

Database::Rider::Rider(std::function<void(Connection&)> work) : work_(std::move(work)), outer_(current_rider) {
  current_rider = this;
}

Database::Rider::~Rider() { current_rider = outer_; }

Database::Rider* Database::PendingRider() {
  return current_rider && !current_rider->used_ ? current_rider : nullptr;
}

void Database::Enqueue(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) throw StorageError(SQLITE_MISUSE, "database is closed");
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void Database::WriteAsync(std::function<void(Connection&)> fn, std::function<void(bool)> done) {
  Enqueue({[fn = std::move(fn)](Connection& c) {
             try {
               fn(c);
               return true;
             } catch (...) {
               return false;  // only this job's changes are rolled back
             }
           },
           std::move(done)});
}

void Database::WriterLoop() {
  for (;;) {
    std::vector<Job> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every queued write is done
      size_t n = std::min(queue_.size(), static_cast<size_t>(std::max(1, options_.max_batch)));
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    auto t0 = std::chrono::steady_clock::now();
    Connection& w = *writer_;
    bool committed = false;
    uint64_t failed = 0;
    try {
      w.Exec("BEGIN IMMEDIATE");
      for (auto& job : batch) {
        // A savepoint per job: one job's failure must not undo the others in its batch.
        w.Exec("SAVEPOINT job");
        bool keep = job.run(w);
        if (!keep) {
          w.Exec("ROLLBACK TO job");
          ++failed;
        }
        w.Exec("RELEASE job");
      }
      w.Exec("COMMIT");
      committed = true;
    } catch (const StorageError&) {
      try {
        w.Exec("ROLLBACK");
      } catch (const StorageError&) {
      }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    {
      std::lock_guard lock(mu_);
      stats_.commits += committed ? 1 : 0;
      stats_.writes += committed ? batch.size() - failed : 0;
      stats_.failed_writes += committed ? failed : batch.size();
      stats_.commit_seconds_sum += secs;
      stats_.batch_size_buckets[BucketOf(batch.size())]++;
    }
    for (auto& job : batch) {
      if (job.done) job.done(committed);
    }
  }
}

void Database::RunRead(const std::function<void(Connection&)>& fn) {
  if (!readers_) {
    // ":memory:" has no second connection: reads go through the writer's queue.
    std::exception_ptr error;
    auto promise = std::make_shared<std::promise<void>>();
    auto future = promise->get_future();
    Enqueue({[&](Connection& c) {
               try {
                 fn(c);
               } catch (...) {
                 error = std::current_exception();
               }
               return false;  // a read changes nothing
             },
             [promise](bool) { promise->set_value(); }});
    future.get();
    if (error) std::rethrow_exception(error);
    return;
  }
  Connection* c = readers_->Acquire();
  try {
    fn(*c);
  } catch (...) {
    readers_->Release(c);
    throw;
  }
  readers_->Release(c);
}

void Database::Backup(const std::string& dest_path) {
  Connection source(IsMemory(options_.path) ? ":memory:" : options_.path, true);
  Connection dest(dest_path, false);
  sqlite3_backup* b = sqlite3_backup_init(dest.handle(), "main", source.handle(), "main");
  if (!b) throw StorageError(sqlite3_errcode(dest.handle()), sqlite3_errmsg(dest.handle()));
  int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) throw StorageError(rc, std::string("backup failed: ") + sqlite3_errstr(rc));
}

DatabaseStats Database::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace hotline::storage

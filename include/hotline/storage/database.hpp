#pragma once
// The database: one writer thread that owns the only read-write connection and commits
// queued writes in batches (group commit), and a pool of read-only connections.
// A Write() returns only after the transaction holding it has committed.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <exception>
#include <future>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "hotline/storage/migrations.hpp"
#include "hotline/storage/sqlite.hpp"

namespace hotline::storage {

struct DatabaseOptions {
  std::string path = "hotline.db";  // ":memory:" serves reads through the writer too
  bool synchronous_full = true;     // PRAGMA synchronous=FULL (else NORMAL)
  int readers = 4;                  // read-only connections in the pool
  int max_batch = 256;              // writes per group commit at most
  /// Run on every connection right after it opens, before migrations (e.g. to register
  /// an FTS5 tokenizer).
  std::vector<std::function<void(Connection&)>> on_open;
};

/// Figures for /metrics.
struct DatabaseStats {
  uint64_t commits = 0;
  uint64_t writes = 0;           // jobs committed
  uint64_t failed_writes = 0;    // jobs rolled back (their own savepoint) or lost to a failed commit
  double commit_seconds_sum = 0;
  std::vector<uint64_t> batch_size_buckets;  // counts of batches with size <= 1,2,4,…,256
};

class Database {
 public:
  /// Opens the database, applies pending migrations, starts the writer. Throws StorageError.
  static std::unique_ptr<Database> Open(DatabaseOptions options,
                                        const std::vector<Migration>& migrations);
  ~Database();

  /// Runs fn(Connection&) on the writer thread inside the next batch's transaction, in a
  /// savepoint of its own, and returns fn's value once the batch has committed.
  /// If fn throws, or returns a boost::system::result holding an error, only fn's own
  /// changes are rolled back (and the exception is rethrown here).
  template <class F>
  auto Write(F&& fn) -> std::invoke_result_t<F&, Connection&>;

  /// Work that must commit with the calling thread's next successful Write(): it runs in that
  /// write's savepoint, right after it, and is used once. While a Rider is alive on a thread,
  /// that thread's first successful Write carries it. The dispatcher claims an Idempotency-Key
  /// this way, in the same transaction as the change the key guards.
  class Rider {
   public:
    explicit Rider(std::function<void(Connection&)> work);
    ~Rider();
    Rider(const Rider&) = delete;
    Rider& operator=(const Rider&) = delete;
    bool used() const { return used_; }

   private:
    friend class Database;
    std::function<void(Connection&)> work_;
    bool used_ = false;
    Rider* outer_;
  };

  /// Queues fn without waiting; `done(committed)` runs on the writer thread afterwards.
  void WriteAsync(std::function<void(Connection&)> fn, std::function<void(bool)> done = {});

  /// Runs fn(Connection&) on a read-only connection, on the calling thread.
  template <class F>
  auto Read(F&& fn) -> std::invoke_result_t<F&, Connection&>;

  /// Online backup to `dest_path` (SQLite's backup API), safe while serving.
  void Backup(const std::string& dest_path);

  /// Finishes every queued write, then stops the writer and closes all connections.
  void Close();

  DatabaseStats stats() const;
  int schema_version() const { return schema_version_; }

 private:
  struct Job {
    // Returns false when the job wants its own changes rolled back.
    std::function<bool(Connection&)> run;
    std::function<void(bool committed)> done;
  };
  class ReaderPool;

  explicit Database(DatabaseOptions options);
  void Enqueue(Job job);
  /// The calling thread's unused rider, if any.
  static Rider* PendingRider();
  void WriterLoop();
  void RunRead(const std::function<void(Connection&)>& fn);

  DatabaseOptions options_;
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<ReaderPool> readers_;
  int schema_version_ = 0;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_;
  DatabaseStats stats_;
};

namespace detail {
template <class T>
concept ErrorResult = requires(const T& r) { { r.has_error() } -> std::convertible_to<bool>; };
}  // namespace detail

template <class F>
auto Database::Write(F&& fn) -> std::invoke_result_t<F&, Connection&> {
  using R = std::invoke_result_t<F&, Connection&>;
  auto promise = std::make_shared<std::promise<void>>();
  auto future = promise->get_future();
  std::exception_ptr error;
  bool committed_ok = false;
  auto done = [promise, &error, &committed_ok](bool committed) {
    if (!committed && !error) error = std::make_exception_ptr(StorageError(1, "commit failed"));
    committed_ok = committed;
    promise->set_value();
  };
  Rider* rider = PendingRider();
  bool rode = false;
  auto ride = [&](Connection& c) {
    if (!rider) return;
    rider->work_(c);
    rode = true;
  };
  if constexpr (std::is_void_v<R>) {
    Enqueue({[&](Connection& c) {
               try {
                 fn(c);
                 ride(c);
                 return true;
               } catch (...) {
                 error = std::current_exception();
                 return false;
               }
             },
             done});
    future.get();
    if (rode && committed_ok && !error) rider->used_ = true;
    if (error) std::rethrow_exception(error);
  } else {
    std::optional<R> out;
    Enqueue({[&](Connection& c) {
               try {
                 out.emplace(fn(c));
                 if constexpr (detail::ErrorResult<R>) {
                   if (out->has_error()) return false;
                 }
                 ride(c);
                 return true;
               } catch (...) {
                 error = std::current_exception();
                 return false;
               }
             },
             done});
    future.get();
    if (rode && committed_ok && !error) rider->used_ = true;
    if (error) std::rethrow_exception(error);
    return std::move(*out);
  }
}

template <class F>
auto Database::Read(F&& fn) -> std::invoke_result_t<F&, Connection&> {
  using R = std::invoke_result_t<F&, Connection&>;
  if constexpr (std::is_void_v<R>) {
    RunRead([&](Connection& c) { fn(c); });
  } else {
    std::optional<R> out;
    RunRead([&](Connection& c) { out.emplace(fn(c)); });
    return std::move(*out);
  }
}

}  // namespace hotline::storage

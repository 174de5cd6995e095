#pragma once
// The threads that run application handlers. I/O threads never block on the database, so
// every handler call is posted here; a SerialQueue keeps one connection's messages in order.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace hotline::net {

/// A fixed pool of threads taking tasks from one FIFO queue.
class WorkerPool {
 public:
  WorkerPool() = default;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool();

  /// Starts `threads` workers (at least one). Tasks posted before run from then on.
  void Start(int threads);
  /// Queues a task; false (and `fn` is dropped) once Stop() has begun.
  bool Post(std::function<void()> fn);
  /// Blocks until no task is queued or running, or until `deadline`; true when idle.
  bool WaitIdle(std::chrono::steady_clock::time_point deadline);
  /// Refuses new tasks, runs the queued ones, joins the threads. Idempotent.
  void Stop();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable idle_cv_;
  std::deque<std::function<void()>> queue_;
  int busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

/// Runs tasks on a WorkerPool one at a time, in the order posted (one connection's messages).
class SerialQueue {
 public:
  explicit SerialQueue(WorkerPool& pool) : pool_(pool), state_(std::make_shared<State>()) {}

  /// Queues `fn` behind the earlier tasks of this queue. Runs it inline if the pool has stopped.
  void Post(std::function<void()> fn);

 private:
  struct State {
    std::mutex mu;
    std::deque<std::function<void()>> tasks;
    bool scheduled = false;  // a drain is queued on or running in the pool
  };
  static void Schedule(WorkerPool& pool, std::shared_ptr<State> state);
  static void Drain(WorkerPool& pool, const std::shared_ptr<State>& state);

  WorkerPool& pool_;
  std::shared_ptr<State> state_;
};

}  // namespace hotline::net

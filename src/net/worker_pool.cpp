#include "net/worker_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace hotline::net {
namespace {

// Tasks are wrapped by their posters; this is the last line so a bug cannot kill a worker.
void RunGuarded(std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    spdlog::error("net: worker task threw: {}", e.what());
  } catch (...) {
    spdlog::error("net: worker task threw a non-standard exception");
  }
}

// Drains at most this many tasks of one SerialQueue per turn, so that one chatty
// connection cannot hold a worker while other connections wait.
constexpr int kSerialBatch = 16;

}  // namespace

WorkerPool::~WorkerPool() { Stop(); }

void WorkerPool::Start(int threads) {
  std::lock_guard lock(mu_);
  if (stopping_ || !threads_.empty()) return;
  for (int i = 0; i < std::max(threads, 1); ++i) threads_.emplace_back([this] { Run(); });
}

bool WorkerPool::Post(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    queue_.push_back(std::move(fn));
  }
  work_cv_.notify_one();
  return true;
}

bool WorkerPool::WaitIdle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return idle_cv_.wait_until(lock, deadline, [&] { return queue_.empty() && busy_ == 0; });
}

void WorkerPool::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  work_cv_.notify_all();
  for (auto& t : threads) t.join();
  // Without threads (never started) the queue is dropped here, while its owners still exist.
  std::deque<std::function<void()>> rest;
  {
    std::lock_guard lock(mu_);
    rest.swap(queue_);
  }
  idle_cv_.notify_all();
}

void WorkerPool::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping and nothing left to run
    std::function<void()> fn = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    RunGuarded(fn);
    fn = nullptr;  // release captures (sessions) before counting the task as done
    lock.lock();
    --busy_;
    if (queue_.empty() && busy_ == 0) idle_cv_.notify_all();
  }
}

void SerialQueue::Post(std::function<void()> fn) {
  {
    std::lock_guard lock(state_->mu);
    state_->tasks.push_back(std::move(fn));
    if (state_->scheduled) return;
    state_->scheduled = true;
  }
  Schedule(pool_, state_);
}

void SerialQueue::Schedule(WorkerPool& pool, std::shared_ptr<State> state) {
  WorkerPool* p = &pool;
  auto job = [p, state] { Drain(*p, state); };
  if (!pool.Post(job)) Drain(pool, state);  // shutting down: run here rather than drop
}

void SerialQueue::Drain(WorkerPool& pool, const std::shared_ptr<State>& state) {
  for (int i = 0; i < kSerialBatch; ++i) {
    std::function<void()> fn;
    {
      std::lock_guard lock(state->mu);
      if (state->tasks.empty()) {
        state->scheduled = false;
        return;
      }
      fn = std::move(state->tasks.front());
      state->tasks.pop_front();
    }
    RunGuarded(fn);
  }
  Schedule(pool, state);
}

}  // namespace hotline::net

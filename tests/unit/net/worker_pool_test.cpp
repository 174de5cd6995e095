#include "net/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <vector>

namespace hotline::net {
namespace {

using namespace std::chrono_literals;

TEST(WorkerPool, RunsTasksPostedBeforeStartAndWaitsUntilIdle) {
  WorkerPool pool;
  std::atomic<int> done{0};
  for (int i = 0; i < 10; ++i) pool.Post([&] { ++done; });
  pool.Start(3);
  EXPECT_TRUE(pool.WaitIdle(std::chrono::steady_clock::now() + 5s));
  EXPECT_EQ(done, 10);
}

TEST(WorkerPool, StopRunsQueuedTasksThenRefusesNewOnes) {
  WorkerPool pool;
  std::atomic<int> done{0};
  pool.Start(1);
  for (int i = 0; i < 50; ++i) pool.Post([&] { ++done; });
  pool.Stop();
  EXPECT_EQ(done, 50);
  EXPECT_FALSE(pool.Post([&] { ++done; }));
  EXPECT_EQ(done, 50);
}

TEST(WorkerPool, ATaskThatThrowsDoesNotKillItsWorker) {
  WorkerPool pool;
  pool.Start(1);
  std::atomic<bool> ran{false};
  pool.Post([] { throw std::runtime_error("bug"); });
  pool.Post([&] { ran = true; });
  EXPECT_TRUE(pool.WaitIdle(std::chrono::steady_clock::now() + 5s));
  EXPECT_TRUE(ran);
}

TEST(SerialQueue, RunsOneQueuesTasksInOrderAndNeverConcurrently) {
  WorkerPool pool;
  pool.Start(8);
  SerialQueue queue(pool);
  std::vector<int> seen;  // unsynchronised on purpose: the queue must serialise
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  for (int i = 0; i < 500; ++i) {
    queue.Post([&, i] {
      if (running.fetch_add(1) != 0) overlapped = true;
      seen.push_back(i);
      running.fetch_sub(1);
    });
  }
  ASSERT_TRUE(pool.WaitIdle(std::chrono::steady_clock::now() + 5s));
  EXPECT_FALSE(overlapped);
  ASSERT_EQ(seen.size(), 500u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(seen[i], i);
}

}  // namespace
}  // namespace hotline::net

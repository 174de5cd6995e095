#pragma once
// A real Server on 127.0.0.1 and an ephemeral port, waited on by a thread of its own.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "hotline/net/server.hpp"

namespace hotline::net::testing {

inline ServerOptions LocalOptions() {
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.io_threads = 2;
  options.worker_threads = 4;
  return options;
}

class TestServer {
 public:
  TestServer(ServerOptions options, HttpHandler http, WsAcceptor ws = {})
      : server_(std::move(options), std::move(http), std::move(ws)) {
    port_ = server_.Start();  // listening once this returns: connections queue in the backlog
    waiter_ = std::thread([this] { server_.Wait(); });
  }
  ~TestServer() { Stop(); }

  /// Stops the server and returns once Wait() has returned.
  void Stop() {
    server_.Stop();
    if (waiter_.joinable()) waiter_.join();
  }
  uint16_t port() const { return port_; }
  Server& server() { return server_; }

 private:
  Server server_;
  uint16_t port_ = 0;
  std::thread waiter_;
};

/// Strings collected from other threads, with a bounded wait for the n-th one.
class Inbox {
 public:
  void Push(std::string s) {
    {
      std::lock_guard lock(mu_);
      items_.push_back(std::move(s));
    }
    cv_.notify_all();
  }
  /// Waits until at least `n` items arrived (5 s at most); returns a copy of them all.
  std::vector<std::string> WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(5), [&] { return items_.size() >= n; });
    return items_;
  }
  size_t size() {
    std::lock_guard lock(mu_);
    return items_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> items_;
};

}  // namespace hotline::net::testing

#pragma once
// What every connection shares (Beast's "shared_state"): the options, the application's
// handlers, the worker pool, and the list of open connections that shutdown walks.
// No Asio or Beast here, so that the files using it stay cheap to compile.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <variant>

#include "hotline/net/server.hpp"
#include "net/static_files.hpp"
#include "net/worker_pool.hpp"

namespace hotline::net {

/// An open connection as shutdown sees it. Both calls may come from any thread.
class Session {
 public:
  virtual ~Session() = default;
  /// Finish the current exchange, then close politely (WebSocket: a close frame).
  virtual void Shutdown() = 0;
  /// Close the socket now.
  virtual void Abort() = 0;
};

class ServerState {
 public:
  ServerState(ServerOptions options, HttpHandler http, WsAcceptor ws);

  const ServerOptions& options() const { return options_; }
  WorkerPool& pool() { return pool_; }

  /// Answers one request: a static page, or the application's handler. Never throws;
  /// an exception becomes a 500 problem that carries the request id and not what().
  Response Handle(Request& req);
  /// Asks the application about a WebSocket upgrade. Never throws.
  std::variant<WsCallbacks, Response> AcceptWebSocket(Request& req,
                                                      std::shared_ptr<WsClient> client);

  /// A process-unique connection id.
  uint64_t NextConnectionId() { return next_id_.fetch_add(1) + 1; }
  /// A fresh request id: 16 random hex digits.
  static std::string NewRequestId();

  /// Records an open connection; false when the server is shutting down (close it).
  bool Add(uint64_t id, std::weak_ptr<Session> session);
  /// Forgets a connection once its socket is closed (idempotent).
  void Remove(uint64_t id);
  bool stopping() const { return stopping_.load(); }
  /// Refuses new connections and asks every open one to shut down.
  void BeginShutdown();
  /// Closes every connection still open.
  void AbortAll();
  /// Blocks until no connection is open or until `deadline`; true when none is.
  bool WaitForSessions(std::chrono::steady_clock::time_point deadline);

  /// Runs `post` (which hands work to the io_context) unless the io_context is gone: the
  /// application may keep a WsClient, and call it, after the server was destroyed.
  /// `post` must not call IfIoAlive again.
  template <class F>
  bool IfIoAlive(F&& post) {
    std::shared_lock lock(io_mu_);
    if (!io_alive_) return false;
    post();
    return true;
  }
  /// Called before the io_context is destroyed.
  void MarkIoGone() {
    std::unique_lock lock(io_mu_);
    io_alive_ = false;
  }

 private:
  void ForEachSession(void (Session::*fn)());

  const ServerOptions options_;
  const HttpHandler http_;
  const WsAcceptor ws_;
  const StaticFiles static_files_;
  WorkerPool pool_;
  std::atomic<uint64_t> next_id_{0};
  std::atomic<bool> stopping_{false};

  std::mutex sessions_mu_;
  std::condition_variable sessions_cv_;
  std::unordered_map<uint64_t, std::weak_ptr<Session>> sessions_;

  std::shared_mutex io_mu_;
  bool io_alive_ = true;
};

}  // namespace hotline::net

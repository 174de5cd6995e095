#pragma once
// The HTTP/1.1 + WebSocket server (Boost.Beast inside, nothing of it in this header).
// I/O threads only parse and write; handlers run on a worker pool where they may block on
// the database. One strand per connection; one write in flight per socket.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hotline/net/message.hpp"

namespace hotline::net {

struct ServerOptions {
  std::string address = "0.0.0.0";
  uint16_t port = 8080;               // 0 picks a free port (tests)
  int io_threads = 2;                 // server.threads
  int worker_threads = 32;            // handlers may block on a database commit
  size_t body_limit = 1 << 20;        // 1 MiB: larger bodies answer 413 payload_too_large
  /// Routes that take larger bodies (a knowledge-base import, a recorded voice message):
  /// a request whose path starts with `path_prefix` and ends with `path_suffix` may send
  /// up to `limit` bytes.
  struct LargeBodyRoute {
    std::string path_prefix;
    std::string path_suffix;
    size_t limit = 0;
  };
  std::vector<LargeBodyRoute> large_body_routes;
  size_t header_limit = 8 * 1024;     // larger headers answer 431
  size_t ws_message_limit = 64 * 1024;
  size_t ws_queue_limit = 512;        // queued outbound frames before a slow client is dropped
  std::string static_root;            // folder holding console/ and dashboard/ ("" = none)
  int idle_timeout_s = 60;            // keep-alive connections idle longer are closed
  int shutdown_grace_ms = 5000;       // Wait(): time for in-flight requests and close handshakes
};

/// The body limit for a request to `path` (without the query).
size_t BodyLimitFor(const ServerOptions& options, std::string_view path);

/// One HTTP request in, one response out. Runs on a worker thread.
using HttpHandler = std::function<Response(Request&)>;

/// A connected WebSocket client as the application sees it. Thread-safe.
class WsClient {
 public:
  virtual ~WsClient() = default;
  /// Queues a text frame. A client whose queue is over the limit is closed instead.
  virtual void Send(std::string text) = 0;
  virtual void Close() = 0;
  virtual uint64_t id() const = 0;
};

/// What the application does with one accepted WebSocket connection.
struct WsCallbacks {
  std::function<void(const std::string& text)> on_message;  // worker thread, in order
  std::function<void()> on_close;                           // once, when the socket closes
};

/// Decides on an upgrade request (authentication happens here): callbacks to accept it, or a
/// Response to refuse it (sent as plain HTTP, e.g. 401).
using WsAcceptor =
    std::function<std::variant<WsCallbacks, Response>(Request&, std::shared_ptr<WsClient>)>;

class Server {
 public:
  Server(ServerOptions options, HttpHandler http, WsAcceptor ws);
  ~Server();

  /// Binds and starts the I/O and worker threads; returns the bound port. Throws on failure.
  uint16_t Start();
  /// Blocks until SIGINT/SIGTERM or Stop(); then stops accepting, lets in-flight requests
  /// finish (up to a few seconds), closes WebSockets and joins every thread.
  void Wait();
  /// Asks the server to stop (any thread).
  void Stop();

  /// Runs `fn` on the worker pool (for timers' follow-up work that may block).
  void PostWork(std::function<void()> fn);
  /// Runs `fn` after `delay_ms` on the worker pool, once.
  void PostDelayed(int64_t delay_ms, std::function<void()> fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::net

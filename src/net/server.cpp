#include "hotline/net/server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "net/listener.hpp"
#include "net/server_state.hpp"

namespace hotline::net {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
// After the grace period, how long aborted connections get to report their close.
constexpr auto kAbortWait = std::chrono::seconds(1);
}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, HttpHandler http, WsAcceptor ws)
      : state(std::make_shared<ServerState>(std::move(options), std::move(http), std::move(ws))),
        io(std::max(state->options().io_threads, 1)) {}
  ~Impl();

  uint16_t Start();
  void RequestStop();
  void WaitForStopRequest();
  void Shutdown();
  void RunIo();

  std::shared_ptr<ServerState> state;  // outlives io: sessions destroyed with io use it
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::shared_ptr<Listener> listener;
  std::optional<asio::signal_set> signals;
  std::vector<std::thread> io_threads;

  std::mutex mu;
  std::condition_variable cv;
  bool started = false;
  bool stop_requested = false;
  std::mutex shutdown_mu;  // one Shutdown() at a time
  bool shut_down = false;
};

Server::Impl::~Impl() {
  RequestStop();
  Shutdown();
  // Sessions still queued in the io_context are destroyed with it; none may post to it then.
  state->MarkIoGone();
  signals.reset();
  listener.reset();
}

uint16_t Server::Impl::Start() {
  std::lock_guard lock(mu);
  if (started || stop_requested)
    throw std::logic_error("Server::Start: already started or stopped");
  const ServerOptions& options = state->options();
  auto l = std::make_shared<Listener>(io, state);
  uint16_t port = l->Open(options.address, options.port);
  listener = std::move(l);
  signals.emplace(io, SIGINT, SIGTERM);
  signals->async_wait([this](boost::system::error_code ec, int signo) {
    if (ec) return;
    spdlog::info("net: signal {} received, shutting down", signo);
    RequestStop();
  });
  state->pool().Start(options.worker_threads);
  listener->Run();
  work.emplace(io.get_executor());
  for (int i = 0; i < std::max(options.io_threads, 1); ++i) {
    io_threads.emplace_back([this] { RunIo(); });
  }
  started = true;
  spdlog::debug("net: listening on {}:{}", options.address, port);
  return port;
}

void Server::Impl::RequestStop() {
  {
    std::lock_guard lock(mu);
    stop_requested = true;
  }
  cv.notify_all();
}

void Server::Impl::WaitForStopRequest() {
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return stop_requested; });
}

void Server::Impl::Shutdown() {
  std::lock_guard guard(shutdown_mu);
  if (shut_down) return;
  shut_down = true;
  {
    std::lock_guard lock(mu);
    if (!started) {
      state->pool().Stop();
      return;
    }
  }
  const auto grace = std::chrono::milliseconds(std::max(state->options().shutdown_grace_ms, 0));
  const auto deadline = Clock::now() + grace;
  listener->Stop();
  asio::post(io, [this] {
    boost::system::error_code ec;
    signals->cancel(ec);
  });
  state->BeginShutdown();  // idle connections close; busy ones close after their response
  bool idle = state->pool().WaitIdle(deadline);
  if (!state->WaitForSessions(deadline)) {
    spdlog::warn("net: connections still open after {} ms{}; closing them", grace.count(),
                 idle ? "" : " (handlers still running)");
    state->AbortAll();
    state->WaitForSessions(Clock::now() + kAbortWait);
  }
  work.reset();
  io.stop();
  for (auto& t : io_threads) t.join();
  io_threads.clear();
  state->pool().Stop();  // runs what is queued (on_close callbacks), then joins
}

void Server::Impl::RunIo() {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      // Completion handlers do not throw by design; if one does, keep the thread serving.
      spdlog::error("net: I/O handler threw: {}", e.what());
    }
  }
}

Server::Server(ServerOptions options, HttpHandler http, WsAcceptor ws)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(http), std::move(ws))) {}

Server::~Server() = default;

uint16_t Server::Start() { return impl_->Start(); }

void Server::Wait() {
  impl_->WaitForStopRequest();
  impl_->Shutdown();
}

void Server::Stop() { impl_->RequestStop(); }

void Server::PostWork(std::function<void()> fn) { impl_->state->pool().Post(std::move(fn)); }

void Server::PostDelayed(int64_t delay_ms, std::function<void()> fn) {
  auto timer = std::make_shared<asio::steady_timer>(
      impl_->io, std::chrono::milliseconds(std::max<int64_t>(delay_ms, 0)));
  timer->async_wait(
      [timer, state = impl_->state, fn = std::move(fn)](boost::system::error_code ec) mutable {
        if (!ec) state->pool().Post(std::move(fn));
      });
}

}  // namespace hotline::net

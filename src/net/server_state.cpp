#include "net/server_state.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <random>
#include <vector>

#include "hotline/core/phone.hpp"

namespace hotline::net {
namespace {

Response InternalError(const Request& req, std::string_view what) {
  // The client gets the request id to quote; the reason stays in the log.
  spdlog::error("net: request {} {} {} failed: {}", req.request_id, req.method,
                MaskTargetForLog(req.target), core::MaskPhonesInText(what));
  return Response::Problem({core::ErrorCode::kInternal, "internal error", {}}, req.request_id);
}

}  // namespace

ServerState::ServerState(ServerOptions options, HttpHandler http, WsAcceptor ws)
    : options_(std::move(options)),
      http_(std::move(http)),
      ws_(std::move(ws)),
      static_files_(options_.static_root) {}

Response ServerState::Handle(Request& req) {
  try {
    if (auto page = static_files_.Serve(req)) return std::move(*page);
    if (!http_) return Response::Problem(core::Error::NotFound(), req.request_id);
    return http_(req);
  } catch (const std::exception& e) {
    return InternalError(req, e.what());
  } catch (...) {
    return InternalError(req, "non-standard exception");
  }
}

std::variant<WsCallbacks, Response> ServerState::AcceptWebSocket(Request& req,
                                                                 std::shared_ptr<WsClient> client) {
  try {
    if (!ws_) return Response::Problem(core::Error::NotFound(), req.request_id);
    return ws_(req, std::move(client));
  } catch (const std::exception& e) {
    return InternalError(req, e.what());
  } catch (...) {
    return InternalError(req, "non-standard exception");
  }
}

std::string ServerState::NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t bits = rng();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[bits & 0xf];
    bits >>= 4;
  }
  return id;
}

bool ServerState::Add(uint64_t id, std::weak_ptr<Session> session) {
  std::lock_guard lock(sessions_mu_);
  if (stopping_) return false;
  sessions_.emplace(id, std::move(session));
  return true;
}

void ServerState::Remove(uint64_t id) {
  std::lock_guard lock(sessions_mu_);
  if (sessions_.erase(id) > 0 && sessions_.empty()) sessions_cv_.notify_all();
}

void ServerState::BeginShutdown() {
  {
    std::lock_guard lock(sessions_mu_);
    stopping_ = true;
  }
  ForEachSession(&Session::Shutdown);
}

void ServerState::AbortAll() { ForEachSession(&Session::Abort); }

bool ServerState::WaitForSessions(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(sessions_mu_);
  return sessions_cv_.wait_until(lock, deadline, [&] { return sessions_.empty(); });
}

void ServerState::ForEachSession(void (Session::*fn)()) {
  // Copy under the lock, call outside it: a session may Remove() itself meanwhile.
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(sessions_mu_);
    for (auto& [id, weak] : sessions_) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
  }
  for (auto& s : open) ((*s).*fn)();
}

}  // namespace hotline::net

#include "hotline/api/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "hotline/auth/passwords.hpp"
#include "hotline/core/phone.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::ErrorCode;
using storage::Connection;

constexpr size_t kMaxIdempotencyKey = 200;
// The status of an idempotency record whose request changed data but has no answer kept yet.
constexpr int kClaimed = 0;

std::string_view BearerToken(const Request& req) {
  std::string_view h = req.Header("authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (h.size() > kPrefix.size() && h.substr(0, kPrefix.size()) == kPrefix) {
    return h.substr(kPrefix.size());
  }
  return {};
}

// Log text without phone numbers or tokens.
std::string SafeTarget(const Request& req) {
  std::string t = core::MaskPhonesInText(req.target.empty() ? req.path : req.target);
  for (std::string_view secret : {"access_token=", "sig="}) {
    size_t p = t.find(secret);
    if (p == std::string::npos) continue;
    size_t end = t.find('&', p);
    t.replace(p + secret.size(), (end == std::string::npos ? t.size() : end) - p - secret.size(), "***");
  }
  return t;
}

// What a retry must repeat to get the first answer: method, path and body. A JSON body is
// compared in its canonical form (keys sorted, no spaces), so a client that serialises the
// same object again with other spacing or key order still counts as a retry.
std::string Fingerprint(const Request& req) {
  auto json = core::Json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  const std::string canonical = json.is_discarded() ? req.body : json.dump();
  return req.method + " " + req.path + " " + auth::Sha256(canonical);
}

// Keys stored before bodies were part of the fingerprint: compared by method and path only.
bool SameRequest(const std::string& stored, const std::string& fingerprint, const Request& req) {
  return stored == fingerprint || stored == req.method + " " + req.path;
}

}  // namespace

Dispatcher::Dispatcher(const Router& router, const auth::AuthService& auth, storage::Database& db,
                       Metrics& metrics, const core::Clock& clock)
    : router_(router), auth_(auth), db_(db), metrics_(metrics), clock_(clock) {}

core::Result<core::Actor> Dispatcher::Authenticate(const Request& req, bool allow_query_token) const {
  if (auto token = BearerToken(req); !token.empty()) return auth_.Authenticate(token);
  if (auto key = req.Header("x-api-key"); !key.empty()) return auth_.AuthenticateApiKey(key);
  if (allow_query_token) {
    if (auto token = req.Query("access_token")) return auth_.Authenticate(*token);
  }
  return Error{ErrorCode::kUnauthorized, "credentials required", {}};
}

Response Dispatcher::Handle(Request& req) {
  auto t0 = std::chrono::steady_clock::now();
  std::string route_name = "unmatched";
  Response res;
  try {
    res = Route(req, route_name);
  } catch (const core::ErrorException& e) {
    res = Response::Problem(e.error(), req.request_id);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, route_name, e.what());
    res = Response::Problem({ErrorCode::kInternal, "internal error; quote request id " + req.request_id, {}},
                            req.request_id);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  metrics_.ObserveRequest(req.method, route_name, res.status, secs);
  auto level = res.status >= 500 ? spdlog::level::err : spdlog::level::info;
  spdlog::log(level, "{} {} {} {} {:.1f}ms id={}", req.method, SafeTarget(req), route_name, res.status,
              secs * 1000, req.request_id);
  return res;
}

Response Dispatcher::Route(Request& req, std::string& route_name) {
  Match m = router_.Find(req.method, req.path);
  if (!m.route) {
    if (m.path_known) {
      Response r = Response::Json(405, {{"type", "about:blank"}, {"title", "Method Not Allowed"},
                                        {"status", 405}, {"code", "validation_failed"},
                                        {"detail", "method " + req.method + " is not allowed here"},
                                        {"request_id", req.request_id}});
      r.content_type = "application/problem+json";
      return r;
    }
    return Response::Problem(Error::NotFound("no such endpoint"), req.request_id);
  }
  route_name = m.route->pattern;
  req.path_params = std::move(m.params);
  if (!m.route->access.is_public) {
    auto actor = Authenticate(req, /*allow_query_token=*/false);
    if (!actor) return Response::Problem(actor.error(), req.request_id);
    if (!m.route->access.Allows(actor->role)) {
      return Response::Problem(Error::Forbidden("your role may not do this"), req.request_id);
    }
    req.actor = *actor;
  }
  std::string_view key = req.Header("idempotency-key");
  if (req.method == "POST" && !key.empty() && req.actor) return WithIdempotency(*m.route, req, key);
  return Invoke(*m.route, req);
}

Response Dispatcher::Invoke(const api::Route& route, Request& req) {
  Response res = route.handler(req);
  if (res.status >= 400 && res.content_type == "application/problem+json" && !req.request_id.empty()) {
    // Problem bodies carry the request id so a caller can quote it.
    auto body = core::Json::parse(res.body, nullptr, false);
    if (body.is_object() && !body.contains("request_id")) {
      body["request_id"] = req.request_id;
      res.body = body.dump();
    }
  }
  return res;
}

std::shared_ptr<std::mutex> Dispatcher::KeyLock(const std::string& scoped_key) {
  std::lock_guard lock(locks_mu_);
  auto& weak = key_locks_[scoped_key];
  auto strong = weak.lock();
  if (!strong) {
    strong = std::make_shared<std::mutex>();
    weak = strong;
  }
  if (key_locks_.size() > 4096) {  // forget locks nobody holds
    std::erase_if(key_locks_, [](const auto& kv) { return kv.second.expired(); });
  }
  return strong;
}

Response Dispatcher::WithIdempotency(const api::Route& route, Request& req, std::string_view key) {
  if (key.size() > kMaxIdempotencyKey) {
    return Response::Problem(Error::Validation("Idempotency-Key: at most 200 characters"), req.request_id);
  }
  const core::Actor& who = req.Who();
  std::string scope = who.role == core::Role::kTelephony ? "telephony" : std::to_string(who.user_id);
  const std::string fingerprint = Fingerprint(req);
  // Concurrent retries with one key wait for the first to finish, then replay its answer.
  auto lock = KeyLock(scope + "\n" + std::string(key));
  std::lock_guard guard(*lock);
  struct Stored {
    std::string fingerprint;
    int status;
    std::string body;
  };
  auto stored = db_.Read([&](Connection& c) -> std::optional<Stored> {
    auto q = c.Prepare("SELECT fingerprint, status, body FROM idempotency WHERE scope = ?1 AND key = ?2");
    q->BindAll(scope, key);
    if (!q->Step()) return std::nullopt;
    return Stored{q->Text(0), static_cast<int>(q->Int(1)), q->Text(2)};
  });
  if (stored) {
    if (!SameRequest(stored->fingerprint, fingerprint, req)) {
      // Replaying the first answer would report a change that this request did not ask for.
      return Response::Problem(
          Error::Conflict("Idempotency-Key was used for another request (another path or body); "
                          "use a new key for a new request"),
          req.request_id);
    }
    if (stored->status == kClaimed) {
      // The first request's change committed, but the server stopped before its answer was
      // kept: acting again would apply it twice.
      return Response::Problem(
          Error::Conflict("the request with this Idempotency-Key was applied, but its answer was lost when "
                          "the server stopped; read the resource to see the result"),
          req.request_id);
    }
    Response replay;
    replay.status = stored->status;
    replay.body = stored->body;
    replay.content_type = stored->status >= 400 ? "application/problem+json" : "application/json";
    replay.headers.emplace_back("Idempotent-Replayed", "true");
    return replay;
  }
  const int64_t now = core::ToUnixMillis(clock_.Now());
  Response res;
  {
    // The key is claimed in the same transaction as the handler's first change, so a crash
    // between that commit and the answer's record below cannot let a retry act again.
    storage::Database::Rider claim([&](Connection& c) {
      c.Prepare("INSERT OR REPLACE INTO idempotency(scope, key, fingerprint, status, body, created_at) "
                "VALUES (?1, ?2, ?3, ?4, '', ?5)")
          ->BindAll(scope, key, fingerprint, kClaimed, now)
          .Run();
    });
    res = Invoke(route, req);
  }
  // A 5xx after a committed change leaves the claim: a retry is told the change was applied.
  if (res.status < 500) {
    db_.Write([&](Connection& c) {
      c.Prepare("INSERT OR REPLACE INTO idempotency(scope, key, fingerprint, status, body, created_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
          ->BindAll(scope, key, fingerprint, res.status, res.body, now)
          .Run();
      // Keys are kept for a day, like Stripe's.
      c.Prepare("DELETE FROM idempotency WHERE created_at < ?1")->BindAll(now - 86'400'000).Run();
    });
  }
  return res;
}

}  // namespace hotline::api

#pragma once
// The one entry point of every REST request: routing, authentication (bearer token or the
// gateway's X-Api-Key), role checks (401 vs 403), Idempotency-Key replay, the mapping of
// errors and exceptions to problem bodies, one log line and the metrics.
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "hotline/api/http.hpp"
#include "hotline/api/metrics.hpp"
#include "hotline/api/router.hpp"
#include "hotline/auth/auth_service.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::api {

class Dispatcher {
 public:
  Dispatcher(const Router& router, const auth::AuthService& auth, storage::Database& db,
             Metrics& metrics, const core::Clock& clock);

  Response Handle(Request& req);
  /// The actor behind a request's credentials (Authorization: Bearer, access_token query
  /// parameter for browsers' WebSockets, or X-Api-Key), or unauthorized.
  core::Result<core::Actor> Authenticate(const Request& req, bool allow_query_token) const;

 private:
  Response Route(Request& req, std::string& route_name);
  Response Invoke(const api::Route& route, Request& req);
  Response WithIdempotency(const api::Route& route, Request& req, std::string_view key);
  std::shared_ptr<std::mutex> KeyLock(const std::string& scoped_key);

  const Router& router_;
  const auth::AuthService& auth_;
  storage::Database& db_;
  Metrics& metrics_;
  const core::Clock& clock_;
  std::mutex locks_mu_;
  std::unordered_map<std::string, std::weak_ptr<std::mutex>> key_locks_;
};

}  // namespace hotline::api

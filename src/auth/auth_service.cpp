#include "hotline/auth/auth_service.hpp"

#include <algorithm>

#include "hotline/auth/passwords.hpp"

namespace hotline::auth {
namespace {

using core::Error;
using core::ErrorCode;
using storage::Connection;

constexpr int64_t kMaxLockoutS = 15 * 60;

Error Unauthorized(std::string msg) { return Error{ErrorCode::kUnauthorized, std::move(msg), {}}; }

}  // namespace

AuthService::AuthService(storage::Database& db, const Directory& directory,
                         const core::Clock& clock, AuthConfig config)
    : db_(db), directory_(directory), clock_(clock), config_(std::move(config)) {}

bool AuthService::Locked(const std::string& key, core::TimePoint now) const {
  auto it = failures_.find(key);
  return it != failures_.end() && it->second.locked_until > now;
}

void AuthService::RecordFailure(const std::string& key, core::TimePoint now) {
  auto& f = failures_[key];
  ++f.count;
  if (f.count >= config_.free_failures) {
    int extra = std::min(f.count - config_.free_failures, 10);
    int64_t secs = std::min<int64_t>(int64_t{config_.lockout_s} << extra, kMaxLockoutS);
    f.locked_until = now + std::chrono::seconds(secs);
  }
}

core::Result<LoginResult> AuthService::Login(const std::string& username, std::string_view password,
                                             const std::string& remote_address) {
  auto now = clock_.Now();
  const std::string user_key = "u:" + username, addr_key = "a:" + remote_address;
  {
    std::lock_guard lock(mu_);
    if (Locked(user_key, now) || Locked(addr_key, now)) {
      return Error{ErrorCode::kRateLimited, "too many failed logins; try again later", {}};
    }
  }
  auto creds = directory_.Credentials(username);
  // Verify against a dummy hash for unknown names, so timing does not reveal which exist.
  static const std::string kDummy = HashPassword("not-a-real-password");
  bool ok = VerifyPassword(password, creds ? creds->second : kDummy) && creds &&
            !creds->first.disabled;
  if (!ok) {
    std::lock_guard lock(mu_);
    RecordFailure(user_key, now);
    RecordFailure(addr_key, now);
    return Unauthorized("wrong username or password");
  }
  {
    std::lock_guard lock(mu_);
    failures_.erase(user_key);
    failures_.erase(addr_key);
  }
  std::string token = RandomToken();
  auto expires = now + std::chrono::seconds(config_.token_ttl_s);
  db_.Write([&](Connection& c) {
    c.Prepare("INSERT INTO tokens(hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
        ->BindAll(Sha256(token), creds->first.id, core::ToUnixMillis(now), core::ToUnixMillis(expires))
        .Run();
    // Expired tokens are of no use to anyone: prune them as we go.
    c.Prepare("DELETE FROM tokens WHERE expires_at < ?1")->BindAll(core::ToUnixMillis(now) - 86'400'000).Run();
  });
  return LoginResult{std::move(token), creds->first, expires};
}

core::Result<core::Actor> AuthService::Authenticate(std::string_view token) const {
  if (token.empty() || token.size() > 256) return Unauthorized("missing or malformed token");
  auto now = core::ToUnixMillis(clock_.Now());
  auto actor = db_.Read([&](Connection& c) -> std::optional<core::Actor> {
    auto q = c.Prepare(
        "SELECT u.id, u.role, u.unit_id, u.username FROM tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.hash = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2 AND u.disabled = 0");
    q->BindAll(Sha256(token), now);
    if (!q->Step()) return std::nullopt;
    return core::Actor{q->Int(0), core::ParseRole(q->Text(1)).value_or(core::Role::kAgent),
                       q->OptInt(2), q->Text(3)};
  });
  if (!actor) return Unauthorized("token unknown, expired or revoked");
  return *actor;
}

core::Result<core::Actor> AuthService::AuthenticateApiKey(std::string_view key) const {
  if (config_.telephony_key.empty() || !ConstantTimeEquals(key, config_.telephony_key)) {
    return Unauthorized("wrong API key");
  }
  return core::Actor{0, core::Role::kTelephony, std::nullopt, "telephony"};
}

void AuthService::Logout(std::string_view token) {
  auto now = core::ToUnixMillis(clock_.Now());
  db_.Write([&](Connection& c) {
    c.Prepare("UPDATE tokens SET revoked_at = ?2 WHERE hash = ?1 AND revoked_at IS NULL")
        ->BindAll(Sha256(token), now)
        .Run();
  });
}

}  // namespace hotline::auth

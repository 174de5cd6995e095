#pragma once
// Logins, bearer tokens and the gateway's API key. Tokens are random, stored as SHA-256
// digests and looked up directly: a request never pays for a slow password hash.
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hotline/auth/directory.hpp"
#include "hotline/core/actor.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/error.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::auth {

struct AuthConfig {
  int64_t token_ttl_s = 12 * 3600;  // auth.token_ttl_s
  std::string telephony_key;        // auth.telephony_key or HOTLINE_TELEPHONY_KEY
  int free_failures = 5;            // failed logins before a name or address is slowed down
  int lockout_s = 30;               // first lockout; doubles with each further failure, ≤ 15 min
};

struct LoginResult {
  std::string token;
  User user;
  core::TimePoint expires_at;
};

class AuthService {
 public:
  AuthService(storage::Database& db, const Directory& directory, const core::Clock& clock,
              AuthConfig config);

  /// Checks the password; unauthorized when wrong, rate_limited while locked out.
  core::Result<LoginResult> Login(const std::string& username, std::string_view password,
                                  const std::string& remote_address);
  /// The actor behind a bearer token; unauthorized when unknown, expired or revoked.
  core::Result<core::Actor> Authenticate(std::string_view token) const;
  /// The gateway, when `key` is the configured telephony key.
  core::Result<core::Actor> AuthenticateApiKey(std::string_view key) const;
  /// Revokes one token (logout). Unknown tokens are ignored.
  void Logout(std::string_view token);

 private:
  struct Failures {
    int count = 0;
    core::TimePoint locked_until;
  };
  bool Locked(const std::string& key, core::TimePoint now) const;
  void RecordFailure(const std::string& key, core::TimePoint now);

  storage::Database& db_;
  const Directory& directory_;
  const core::Clock& clock_;
  AuthConfig config_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Failures> failures_;  // by "u:<name>" and "a:<address>"
};

}  // namespace hotline::auth

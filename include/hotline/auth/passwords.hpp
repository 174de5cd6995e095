#pragma once
// Password hashing (argon2id, PHC string format) and random tokens.
#include <string>
#include <string_view>

namespace hotline::auth {

/// An argon2id hash of `password` in PHC format ("$argon2id$v=19$m=…").
std::string HashPassword(std::string_view password);
/// Checks a password against a stored hash in constant time.
bool VerifyPassword(std::string_view password, const std::string& phc_hash);
/// `bytes` random bytes from the OS CSPRNG, base64url without padding.
std::string RandomToken(size_t bytes = 32);
/// SHA-256 of `text` (raw 32 bytes): how tokens are stored and looked up.
std::string Sha256(std::string_view text);
/// Compares two secrets without leaking where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace hotline::auth

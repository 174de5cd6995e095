#include "hotline/ivr/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <chrono>

namespace hotline::ivr {
namespace {

constexpr size_t kMacChars = 43;  // 32 bytes in unpadded base64url
constexpr size_t kMaxExpiryDigits = 12;

std::string Base64Url(const unsigned char* data, size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((n * 4 + 2) / 3);
  for (size_t i = 0; i < n; i += 3) {
    uint32_t chunk = static_cast<uint32_t>(data[i]) << 16;
    if (i + 1 < n) chunk |= static_cast<uint32_t>(data[i + 1]) << 8;
    if (i + 2 < n) chunk |= data[i + 2];
    size_t chars = n - i >= 3 ? 4 : n - i + 1;
    for (size_t k = 0; k < chars; ++k) out += kAlphabet[(chunk >> (18 - 6 * k)) & 0x3F];
  }
  return out;
}

// The expiry is the last line, so no call id can be made to collide with another id and expiry.
std::string Mac(std::string_view secret, std::string_view call_id, int64_t expires_s) {
  std::string message = "hotline-ivr-sig-v1\n";
  message.append(call_id);
  message += '\n';
  message += std::to_string(expires_s);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return Base64Url(mac, len);
}

int64_t UnixSeconds(core::TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

}  // namespace

std::string SignUrlParams(std::string_view secret, std::string_view call_id,
                          core::TimePoint expires) {
  int64_t exp = UnixSeconds(expires);
  return "sig=" + std::to_string(exp) + "." + Mac(secret, call_id, exp);
}

bool VerifySig(std::string_view secret, std::string_view call_id, std::string_view sig,
               core::TimePoint now) {
  if (secret.empty()) return false;
  size_t dot = sig.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > kMaxExpiryDigits) return false;
  std::string_view exp_text = sig.substr(0, dot);
  std::string_view mac = sig.substr(dot + 1);
  if (mac.size() != kMacChars) return false;
  int64_t exp = 0;
  auto [end, ec] = std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  if (ec != std::errc() || end != exp_text.data() + exp_text.size() || exp < 0) return false;
  std::string expected = Mac(secret, call_id, exp);
  // Constant time, so the MAC cannot be guessed byte by byte from response times.
  if (CRYPTO_memcmp(expected.data(), mac.data(), kMacChars) != 0) return false;
  return now < core::TimePoint(std::chrono::seconds(exp));
}

}  // namespace hotline::ivr

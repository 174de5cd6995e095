#pragma once
// Base64url (RFC 4648 §5) without padding: tokens, cursors, signatures.
#include <optional>
#include <string>
#include <string_view>

namespace hotline::core {

std::string Base64UrlEncode(std::string_view bytes);
/// Nothing when `text` is not base64url.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace hotline::core

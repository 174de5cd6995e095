#pragma once
// Chinese phone numbers: validation, normal form, and masking for logs.
#include <optional>
#include <string>
#include <string_view>

namespace hotline::core {

/// Normal form of a caller's number, or nothing when it is not one:
/// mainland mobiles ("13800138000", "+86 138-0013-8000" -> "13800138000"),
/// landlines with area code ("010-65612345", "(0755)12345678" -> "01065612345"),
/// short service numbers of 3–6 digits ("12320", "114").
std::optional<std::string> NormalizePhone(std::string_view raw);

/// "138****1234": keeps the first three and last four digits of a number.
std::string MaskPhone(std::string_view phone);

/// Masks every run of 7 or more digits in free text (log lines, URLs).
std::string MaskPhonesInText(std::string_view text);

}  // namespace hotline::core

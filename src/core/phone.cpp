#include "hotline/core/phone.hpp"

#include <cctype>

namespace hotline::core {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<std::string> NormalizePhone(std::string_view raw) {
  if (raw.size() > 32) return std::nullopt;
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (IsDigit(c)) {
      digits += c;
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  if (plus) {
    if (digits.rfind("86", 0) != 0) return std::nullopt;
    digits.erase(0, 2);
    // +86 10 65612345: a landline written without its trunk zero.
    if (!digits.empty() && digits[0] != '1' && digits[0] != '0') digits = "0" + digits;
    else if (digits.size() >= 2 && digits[0] == '1' && digits[1] == '0' && digits.size() != 11) {
      digits = "0" + digits;
    }
  } else if (digits.rfind("0086", 0) == 0) {
    digits.erase(0, 4);
  }
  if (digits.size() == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9') {
    return digits;  // mobile
  }
  if (digits.size() >= 10 && digits.size() <= 12 && digits[0] == '0' && digits[1] != '0') {
    return digits;  // landline: 0 + area code (2–3 digits) + 7–8 digit number
  }
  if (digits.size() >= 3 && digits.size() <= 6 && digits[0] == '1') {
    return digits;  // service numbers: 110, 114, 120, 12320, 95xxx…
  }
  return std::nullopt;
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone);
  std::string out(phone.substr(0, 3));
  out.append(phone.size() - 7, '*');
  if (phone.size() - 7 < 4) out.append(4 - (phone.size() - 7), '*');
  out.append(phone.substr(phone.size() - 4));
  return out;
}

std::string MaskPhonesInText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      out += text[i++];
      continue;
    }
    size_t j = i;
    while (j < text.size() && IsDigit(text[j])) ++j;
    std::string_view run = text.substr(i, j - i);
    out += run.size() >= 7 && run.size() <= 15 ? MaskPhone(run) : std::string(run);
    i = j;
  }
  return out;
}

}  // namespace hotline::core

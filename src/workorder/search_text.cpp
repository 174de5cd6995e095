#include "workorder/search_text.hpp"

#include <vector>

namespace hotline::workorder {
namespace {

// Splits UTF-8 text into runs of searchable characters, each character as its bytes.
// Separators: ASCII other than letters and digits, CJK and full-width punctuation, general
// punctuation, and bytes that are not valid UTF-8.
std::vector<std::vector<std::string>> Runs(std::string_view s) {
  std::vector<std::vector<std::string>> runs(1);
  auto cut = [&runs] {
    if (!runs.back().empty()) runs.emplace_back();
  };
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      cut();
      ++i;
      continue;
    }
    uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    bool word = n == 1 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                       : !((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
                           (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
                           (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
                           cp == 0x00A0 || cp == 0xFEFF);
    if (!word) {
      cut();
    } else {
      std::string ch(s.substr(i, n));
      if (n == 1 && c >= 'A' && c <= 'Z') ch[0] = static_cast<char>(c - 'A' + 'a');
      runs.back().push_back(std::move(ch));
    }
    i += n;
  }
  if (runs.back().empty()) runs.pop_back();
  return runs;
}

std::string RunGrams(const std::vector<std::string>& run) {
  if (run.size() == 1) return run[0];
  std::string out;
  for (size_t k = 0; k + 1 < run.size(); ++k) {
    if (k) out += ' ';
    out += run[k];
    out += run[k + 1];
  }
  return out;
}

}  // namespace

std::string Bigrams(std::string_view text) {
  std::string out;
  for (const auto& run : Runs(text)) {
    if (!out.empty()) out += '\n';
    out += RunGrams(run);
  }
  return out;
}

std::optional<std::string> BigramQuery(std::string_view query) {
  auto runs = Runs(query);
  if (runs.empty()) return std::nullopt;
  std::string out;
  for (const auto& run : runs) {
    if (run.size() < 2) return std::nullopt;
    if (!out.empty()) out += " AND ";
    // Grams hold no quotes (separators), so a quoted phrase needs no escaping.
    out += '"' + RunGrams(run) + '"';
  }
  return out;
}

}  // namespace hotline::workorder

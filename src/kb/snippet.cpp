#include "snippet.hpp"

#include <algorithm>

#include "text.hpp"

namespace hotline::kb::internal {
namespace {

// Characters of context kept before the first match of the excerpt.
constexpr size_t kLeadChars = 8;

bool MatchesAt(const std::vector<FoldedChar>& chars, size_t i, const Mark& m) {
  if (i + m.text.size() > chars.size()) return false;
  for (size_t k = 0; k < m.text.size(); ++k) {
    if (chars[i + k].cp != m.text[k]) return false;
  }
  if (!m.word) return true;
  bool starts_word = i == 0 || chars[i - 1].cls != CharClass::kWord;
  size_t end = i + m.text.size();
  bool ends_word = m.prefix || end == chars.size() || chars[end].cls != CharClass::kWord;
  return starts_word && ends_word;
}

std::vector<bool> Covered(const std::vector<FoldedChar>& chars, const std::vector<Mark>& marks) {
  std::vector<bool> covered(chars.size(), false);
  for (const auto& m : marks) {
    if (m.text.empty()) continue;
    for (size_t i = 0; i + m.text.size() <= chars.size(); ++i) {
      if (chars[i].cp != m.text[0] || !MatchesAt(chars, i, m)) continue;
      size_t end = i + m.text.size();
      // A word being typed ("hp") marks the whole word it begins ("HPV").
      while (m.prefix && end < chars.size() && chars[end].cls == CharClass::kWord) ++end;
      std::fill(covered.begin() + i, covered.begin() + end, true);
    }
  }
  return covered;
}

/// The first character of the window of `width` characters holding the most matched ones.
size_t BestStart(const std::vector<bool>& covered, size_t width) {
  size_t n = covered.size();
  if (n <= width) return 0;
  std::vector<size_t> sum(n + 1, 0);  // prefix sums of covered characters
  for (size_t i = 0; i < n; ++i) sum[i + 1] = sum[i] + (covered[i] ? 1 : 0);
  size_t best = 0, best_count = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!covered[i] || (i > 0 && covered[i - 1])) continue;  // only where a match begins
    size_t start = std::min(i > kLeadChars ? i - kLeadChars : 0, n - width);
    size_t count = sum[start + width] - sum[start];
    if (count > best_count) {
      best = start;
      best_count = count;
    }
  }
  return best;
}

}  // namespace

void AppendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': case '\r': case '\t': out += ' '; break;
      default: out += c;
    }
  }
}

std::string MakeSnippet(std::string_view text, const std::vector<Mark>& marks, size_t width) {
  auto chars = FoldText(text);
  auto covered = Covered(chars, marks);
  size_t start = BestStart(covered, width);
  size_t end = std::min(chars.size(), start + width);
  std::string out;
  if (start > 0) out += "…";
  bool open = false;
  for (size_t i = start; i < end; ++i) {
    if (covered[i] != open) {
      out += open ? "</mark>" : "<mark>";
      open = covered[i];
    }
    if (chars[i].cp == 0xFFFD) {
      AppendUtf8(out, 0xFFFD);  // an invalid byte must not reach JSON output
    } else {
      AppendEscaped(out, text.substr(chars[i].start, chars[i].end - chars[i].start));
    }
  }
  if (open) out += "</mark>";
  if (end < chars.size()) out += "…";
  return out;
}

}  // namespace hotline::kb::internal

#include "reports/topic_stats.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace hotline::reports {
namespace {

constexpr int kMaxIterations = 100'000;
constexpr double kEpsilon = 1e-15;
constexpr double kTiny = 1e-300;
constexpr size_t kMaxLatinWord = 20;

/// log P(a, x) by the series sum_n x^n / (a (a+1) … (a+n)); converges well for x < a + 1.
double LogLowerBySeries(double a, double x) {
  double term = 1 / a;
  double sum = term;
  for (int n = 1; n < kMaxIterations; ++n) {
    term *= x / (a + n);
    sum += term;
    if (term < sum * kEpsilon) break;
  }
  return std::log(sum) - x + a * std::log(x) - std::lgamma(a);
}

/// Q(a, x) = 1 - P(a, x) by Lentz's continued fraction; converges well for x >= a + 1.
double UpperByFraction(double a, double x) {
  double b = x + 1 - a;
  double c = 1 / kTiny;
  double d = 1 / b;
  double h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < kEpsilon) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F);
}

/// A Latin letter or digit, lower-cased (full-width forms folded), or 0.
char LatinOrDigit(char32_t c) {
  if (c >= 0xFF10 && c <= 0xFF5A) c -= 0xFEE0;  // full-width ０-９, Ａ-Ｚ, ａ-ｚ
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return static_cast<char>(c);
  return 0;
}

/// The next code point of `s` from `i` (advanced); invalid bytes read as U+FFFD. Overlong forms
/// and surrogates are invalid too, so that a character has one encoding and a keyword rebuilt
/// from code points has the bytes of the text.
char32_t NextSlow(std::string_view s, size_t& i) {
  static constexpr char32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};  // by length
  const auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t c = len == 1 ? b : b & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const auto cont = static_cast<unsigned char>(s[i + k]);
    if ((cont >> 6) != 2) {
      ++i;
      return 0xFFFD;
    }
    c = (c << 6) | (cont & 0x3F);
  }
  if (c < kLeast[len] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
    ++i;
    return 0xFFFD;
  }
  i += len;
  return c;
}

/// NextSlow with the common cases inline: ASCII, and the three bytes of a Chinese character.
inline char32_t Next(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  if ((b >> 4) == 14 && i + 2 < s.size()) {
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    const auto c2 = static_cast<unsigned char>(s[i + 2]);
    const char32_t c = (char32_t{b & 0x0Fu} << 12) | (char32_t{c1 & 0x3Fu} << 6) | (c2 & 0x3Fu);
    if ((c1 >> 6) == 2 && (c2 >> 6) == 2 && c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
      i += 3;
      return c;
    }
  }
  return NextSlow(s, i);
}

bool LatinWord(std::string_view word) {
  const bool has_letter =
      std::any_of(word.begin(), word.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
  return has_letter && word.size() >= 2 && word.size() <= kMaxLatinWord;
}

}  // namespace

double PoissonTailLog10(int k, double lambda) {
  if (k <= 0) return 0;
  const double a = k;
  if (lambda < a + 1) return LogLowerBySeries(a, lambda) / std::log(10.0);
  const double upper = std::min(1.0, UpperByFraction(a, lambda));
  return std::log1p(-upper) / std::log(10.0);
}

void ForEachKeyword(std::string_view text, const std::function<bool(std::string_view)>& fn) {
  // A Chinese run is contiguous in `text`: its sequences are views of it, no copies.
  std::vector<size_t> han;  // byte offsets of the run's characters, and of its end
  std::string latin;
  auto flush = [&] {
    for (size_t start = 0; han.size() > 2 && start + 2 < han.size(); ++start) {
      for (size_t len = 2; len <= kMaxKeywordChars && start + len < han.size(); ++len) {
        if (!fn(text.substr(han[start], han[start + len] - han[start]))) break;
      }
    }
    if (LatinWord(latin)) fn(latin);
    han.clear();
    latin.clear();
  };
  for (size_t i = 0; i < text.size();) {
    const size_t at = i;
    const char32_t c = Next(text, i);
    if (IsHan(c)) {
      if (!latin.empty()) flush();
      if (han.empty()) han.push_back(at);
      han.push_back(i);
    } else if (char l = LatinOrDigit(c)) {
      if (!han.empty()) flush();
      latin += l;
    } else {
      flush();
    }
  }
  flush();
}

std::vector<std::string> KeywordCandidates(std::string_view text) {
  std::vector<std::string> out;
  ForEachKeyword(text, [&](std::string_view k) {
    out.emplace_back(k);
    return true;
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size();) {
    Next(text, i);
    ++n;
  }
  return n;
}

void SplitKeywordText(std::string_view text, std::vector<char32_t>& han,
                      std::vector<std::string>& latin) {
  latin.clear();
  size_t run = han.size();  // where the current Chinese run starts
  std::string word;
  auto flush = [&] {
    if (han.size() - run >= 2) {
      han.push_back(0);
    } else {
      han.resize(run);
    }
    run = han.size();
    if (word.empty()) return;
    if (LatinWord(word)) latin.push_back(word);
    word.clear();
  };
  for (size_t i = 0; i < text.size();) {
    const char32_t c = Next(text, i);
    if (IsHan(c)) {
      if (!word.empty()) flush();
      han.push_back(c);
    } else if (char l = LatinOrDigit(c)) {
      if (han.size() > run) flush();
      word += l;
    } else {
      flush();
    }
  }
  flush();
}

void AppendUtf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string_view FirstChars(std::string_view text, size_t n) {
  size_t i = 0;
  // Eight bytes at a time while they are well-formed multi-byte text or ASCII: then every byte
  // but a continuation byte starts a character. A 0 byte, or a continuation byte right after an
  // ASCII one (which SQLite counts as a character of its own), ends the fast part.
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  uint8_t prev = 0;  // the byte before i
  while (std::endian::native == std::endian::little && i + 8 <= text.size()) {
    uint64_t x;
    std::memcpy(&x, text.data() + i, 8);
    // The high bit of each byte that is: a continuation byte (10xxxxxx), one after an ASCII
    // byte, a 0 byte.
    const uint64_t continuation = x & ~(x << 1) & kHigh;
    const uint64_t after_ascii = ((~x & kHigh) << 8) | (prev < 0x80 ? 0x80 : 0);
    const uint64_t zero = (x - kOnes) & ~x & kHigh;
    if ((continuation & after_ascii) != 0 || zero != 0) break;
    // 8 - the continuation bytes, summed into the top byte by the multiplication.
    const auto starts = static_cast<size_t>(8 - (((continuation >> 7) * kOnes) >> 56));
    if (starts >= n) break;
    n -= starts;
    i += 8;
    prev = static_cast<uint8_t>(x >> 56);
  }
  if (prev >= 0x80) {  // the rest of a character begun before i
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  for (; i < text.size() && text[i] != 0 && n > 0; --n) {
    if (static_cast<unsigned char>(text[i++]) < 0xC0) continue;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return text.substr(0, i);
}

}  // namespace hotline::reports

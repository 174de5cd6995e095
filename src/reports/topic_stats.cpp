#include "reports/topic_stats.hpp"

#include <algorithm>
#include <cmath>

namespace hotline::reports {
namespace {

constexpr int kMaxIterations = 100'000;
constexpr double kEpsilon = 1e-15;
constexpr double kTiny = 1e-300;
constexpr size_t kMaxGram = 4;
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
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x2FA1F);
}

/// A Latin letter or digit, lower-cased (full-width forms folded), or 0.
char LatinOrDigit(char32_t c) {
  if (c >= 0xFF10 && c <= 0xFF5A) c -= 0xFEE0;  // full-width ０-９, Ａ-Ｚ, ａ-ｚ
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return static_cast<char>(c);
  return 0;
}

/// The next code point of `s` from `i` (advanced); invalid bytes read as U+FFFD.
char32_t Next(std::string_view s, size_t& i) {
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
  i += len;
  return c;
}

bool LatinWord(std::string_view word) {
  const bool has_letter = std::any_of(word.begin(), word.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
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
      for (size_t len = 2; len <= kMaxGram && start + len < han.size(); ++len) {
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

uint64_t KeywordHash(std::string_view keyword) {
  uint64_t h = 14695981039346656037ull;
  for (char ch : keyword) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ull;
  }
  // Mix the high bits into the low ones, which pick the slot of an open-addressing table.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size();) {
    Next(text, i);
    ++n;
  }
  return n;
}

}  // namespace hotline::reports

#pragma once
// The arithmetic and text handling behind hot topics, kept apart to be tested alone.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::reports {

/// The longest Chinese keyword, in characters.
inline constexpr size_t kMaxKeywordChars = 4;

/// log10 P(X >= k) for X ~ Poisson(lambda), lambda > 0: the regularized lower incomplete gamma
/// P(k, lambda), by its series below k + 1 and Lentz's continued fraction above, in logs.
double PoissonTailLog10(int k, double lambda);

/// Calls `fn` with each keyword candidate of a text, in order, repeats included: lower-cased
/// Latin words of 2–20 letters and digits (not digits only; full-width forms folded), and every
/// 2-, 3- and 4-character sequence of each run of Chinese characters, shortest first from each
/// character. When `fn` returns false the longer sequences from that character are skipped (a
/// sequence is never more frequent than its beginning). The view is valid only during the call.
/// The definition of a keyword; KeywordCounter (keyword_counter.hpp) counts the same ones faster.
void ForEachKeyword(std::string_view text, const std::function<bool(std::string_view)>& fn);

/// The distinct keyword candidates of a text, sorted.
std::vector<std::string> KeywordCandidates(std::string_view text);

/// The number of characters (code points) of UTF-8 text.
size_t CodePoints(std::string_view text);

/// The first `n` characters of `text` as SQLite's substr(text, 1, n) counts them (a byte from
/// 0xC0 with the continuation bytes after it is one character; any other byte is one; a 0 byte
/// ends the text), so that a long description can be read whole and cut here.
std::string_view FirstChars(std::string_view text, size_t n);

/// The keyword material of a text as ForEachKeyword sees it: its runs of two or more Chinese
/// characters appended to `han`, each followed by a 0; its Latin words in `latin` (replaced).
void SplitKeywordText(std::string_view text, std::vector<char32_t>& han,
                      std::vector<std::string>& latin);

/// Appends the UTF-8 encoding of a code point.
void AppendUtf8(char32_t c, std::string& out);

}  // namespace hotline::reports

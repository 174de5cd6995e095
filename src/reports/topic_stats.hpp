#pragma once
// The arithmetic and text handling behind hot topics, kept apart to be tested alone.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::reports {

/// log10 P(X >= k) for X ~ Poisson(lambda), lambda > 0: the regularized lower incomplete gamma
/// P(k, lambda), by its series below k + 1 and Lentz's continued fraction above, in logs.
double PoissonTailLog10(int k, double lambda);

/// Calls `fn` with each keyword candidate of a text, in order, repeats included: lower-cased
/// Latin words of 2–20 letters and digits (not digits only; full-width forms folded), and every
/// 2-, 3- and 4-character sequence of each run of Chinese characters, shortest first from each
/// character. When `fn` returns false the longer sequences from that character are skipped (a
/// sequence is never more frequent than its beginning). The view is valid only during the call.
void ForEachKeyword(std::string_view text, const std::function<bool(std::string_view)>& fn);

/// The distinct keyword candidates of a text, sorted.
std::vector<std::string> KeywordCandidates(std::string_view text);

/// A 64-bit hash (FNV-1a, then mixed): keywords are counted by hash, their text kept only for
/// the few that occur often enough.
uint64_t KeywordHash(std::string_view keyword);

/// The number of characters (code points) of UTF-8 text.
size_t CodePoints(std::string_view text);

}  // namespace hotline::reports

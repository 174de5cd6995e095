#pragma once
// From what an agent typed to an FTS5 MATCH expression: folding, dropping the words that
// only make a question a question (怎么办, 吗), Chinese character pairs, words, the
// synonyms the team maintains, and the last word as a prefix while typing.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotline/kb/entry.hpp"

namespace hotline::kb::internal {

/// Synonyms in folded form, ready to be found in a folded query.
struct SynonymIndex {
  std::vector<std::pair<std::string, std::vector<std::string>>> terms;  // folded term -> folded expansions
};
SynonymIndex BuildSynonymIndex(const Synonyms& synonyms);

/// A sequence of folded characters to mark in a snippet.
struct Mark {
  std::u32string text;
  bool word = false;    // letters/digits: must start at a word boundary
  bool prefix = false;  // may end inside a word
};

struct QueryPlan {
  std::string match;        // FTS5 expression; empty when nothing in the query is searchable
  std::vector<Mark> marks;  // what the snippet marks
  std::string key;          // folded query with spaces collapsed: how a gap is counted
};

/// Terms at most in one expression: a pasted paragraph must not become a slow query.
inline constexpr size_t kMaxTerms = 32;

QueryPlan PlanQuery(std::string_view query, const SynonymIndex& synonyms, bool prefix);

}  // namespace hotline::kb::internal

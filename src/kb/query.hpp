#pragma once
// From what an agent typed to the FTS5 phrases to look for: folding, dropping the words that
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
  std::vector<std::string> terms;  // FTS5 phrases ("发烧", "hp"*), distinct; none: nothing searchable
  std::vector<Mark> marks;         // what the snippet marks
  std::string key;          // folded query with spaces collapsed: how a gap is counted
};

/// Terms at most in one search: a pasted paragraph must not become a slow query.
inline constexpr size_t kMaxTerms = 16;
/// A word being typed is searched as a prefix from this many characters on (numbers: more,
/// since a knowledge base holds many of them).
inline constexpr size_t kMinPrefixChars = 2;
inline constexpr size_t kMinNumberPrefixChars = 4;
/// Chinese synonym expansions are searched by their first characters, this many at most.
inline constexpr size_t kMaxPhraseChars = 4;

/// The topic a gap is counted under: the query folded, without punctuation, spaces (kept
/// between two Latin words) and question words, so that 狂犬病？, 狂犬病怎么办 and ＨＰＶ疫苗
/// / hpv 疫苗 each come to one topic. A query of question words only keeps them; empty when
/// nothing is left.
std::string GapTopic(std::string_view query);

QueryPlan PlanQuery(std::string_view query, const SynonymIndex& synonyms, bool prefix);

}  // namespace hotline::kb::internal

#pragma once
// Whether one work order's text matches a query, decided in C++ exactly as the text index
// decides it, so that a list can check rows found some other way (by another filter, or by
// a looser index expression) without asking FTS5 about each one.
//
// The index holds the grams of "subject\ndescription" as cut by FTS5's unicode61 tokenizer
// (remove_diacritics 0), and a query phrase matches at consecutive token positions. A plain
// gram (ASCII [0-9a-z] and CJK ideographs U+4E00–U+9FA5) is one token, itself: unicode61
// neither splits nor folds those characters. Any other gram may become no token, or a folded
// one (full-width letters, the Kelvin sign), and is handed to unicode61 itself. A phrase of
// one character is a prefix query ("X" *): it matches when some token begins with X.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "workorder/search_text.hpp"

struct sqlite3;

namespace hotline::workorder {

class TextMatcher {
 public:
  /// `query` must be plain; `db` lends unicode61 (through fts5_api) for grams that are not.
  TextMatcher(const TextQuery& query, sqlite3* db);
  ~TextMatcher();
  TextMatcher(const TextMatcher&) = delete;
  TextMatcher& operator=(const TextMatcher&) = delete;

  /// True when the index would match `query` for this subject and description.
  bool Matches(std::string_view subject, std::string_view description);

 private:
  class Unicode61;
  void AddTokens(const Gram& g);

  sqlite3* db_;
  std::vector<std::vector<uint64_t>> phrases_;
  std::vector<uint64_t> prefixes_;  // one-character phrases: some token starts with each
  std::vector<uint64_t> doc_;  // the tokens of the text being checked, reused
  std::unique_ptr<Unicode61> unicode61_;  // created on the first gram that needs it
};

}  // namespace hotline::workorder

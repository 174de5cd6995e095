#pragma once
// Text search over subject and description without a word segmenter: the text is indexed
// as overlapping character bigrams ("孩子发烧" -> "孩子 子发 发烧 烧"), and a query becomes a
// phrase of its bigrams, which matches exactly the texts that contain it as a substring.
//
// The last character of every run is indexed too, as a token of its own, so that a query
// of one character finds its rows through the index: every occurrence of a character either
// starts a bigram or ends its run, so the prefix query "X" * finds exactly the rows with X.
// (That token also keeps a phrase from running on into the next run.)
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::workorder {

/// One gram as the index holds it: two characters of a run, or one character that ends
/// its run (a run of one character, or the tail of a longer one).
struct Gram {
  std::string_view text;  // ASCII lower-cased
  bool run_start = false; // the first gram of its run
  bool plain = false;     // only [0-9a-z] and common CJK ideographs (see text_match.hpp)
  bool one_char = false;  // a run of one character, or a tail
  bool tail = false;      // the last character of a run of two or more: indexed, not queried
};

/// Calls `emit(const Gram&)` for every gram of `text`, in index order.
template <class Emit>
void ForEachGram(std::string_view text, Emit&& emit);

/// The gram text to index for `text` (runs of letters, digits and CJK characters; ASCII
/// lower-cased; each run as its bigrams and its last character).
std::string Bigrams(std::string_view text);

/// The text ticket_text holds for a work order: the one definition for writes and for
/// reindexing (hotline_ticket_grams, sql_functions.hpp).
std::string TicketGrams(std::string_view subject, std::string_view description);

/// A query as phrases of grams, one phrase per run: a row matches when it holds every phrase.
struct TextQuery {
  std::vector<std::vector<std::string>> phrases;
  /// Per phrase: a run of one character, matched as the first character of any gram.
  std::vector<bool> one_char;
  bool plain = true;  // every gram is plain: the FTS5 tokenizer keeps each one as it is
};

/// The phrases of a query, or nothing when it has no run at all, or some run of it is a
/// single character that is not plain (unicode61 may fold or drop it: the caller uses LIKE).
std::optional<TextQuery> ParseTextQuery(std::string_view query);

/// The FTS5 MATCH expression of `q`: each phrase quoted (a one-character one as a prefix,
/// "X" *), phrases joined by AND. With `keep` (one flag per gram, phrase by phrase), only
/// the kept grams: each run of kept grams of a phrase becomes a phrase of its own, so the
/// expression matches a superset of `q`'s rows.
std::string MatchExpression(const TextQuery& q, const std::vector<std::vector<bool>>* keep = nullptr);

/// MatchExpression of ParseTextQuery(query), when there is one.
std::optional<std::string> BigramQuery(std::string_view query);

// ---- implementation ----------------------------------------------------------------------

namespace text_internal {

/// One character of a text: its bytes (ASCII lower-cased), or a separator.
struct Char {
  char bytes[4];
  uint8_t size = 0;   // 0: a separator (or a byte that is not valid UTF-8)
  bool plain = false;
};

/// Decodes the character at `i`; `next` gets the offset after it.
inline Char Decode(std::string_view s, size_t i, size_t& next) {
  Char ch;
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    next = i + 1;
    return ch;
  }
  next = i + n;
  uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  bool word = n == 1 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                     : !((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
                         (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
                         (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
                         cp == 0x00A0 || cp == 0xFEFF);
  if (!word) return ch;
  for (size_t k = 0; k < n; ++k) ch.bytes[k] = s[i + k];
  ch.size = static_cast<uint8_t>(n);
  if (n == 1 && c >= 'A' && c <= 'Z') ch.bytes[0] = static_cast<char>(c - 'A' + 'a');
  // CJK Unified Ideographs of Unicode 1.1: letters (Lo) without case in every Unicode
  // version, so FTS5's unicode61 keeps them exactly as they are.
  // (Only in a valid 3-byte sequence: unicode61 writes tokens re-encoded.)
  ch.plain = n == 1 || (n == 3 && cp >= 0x4E00 && cp <= 0x9FA5 &&
                        (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80);
  return ch;
}

}  // namespace text_internal

template <class Emit>
void ForEachGram(std::string_view text, Emit&& emit) {
  using text_internal::Char;
  Char prev;
  size_t run = 0;  // characters in the current run
  char buf[8];
  auto end_run = [&] {
    if (run > 0) {
      emit(Gram{std::string_view(prev.bytes, prev.size), run == 1, prev.plain, true, run > 1});
    }
    run = 0;
  };
  for (size_t i = 0, next = 0; i < text.size(); i = next) {
    Char ch = text_internal::Decode(text, i, next);
    if (ch.size == 0) {
      end_run();
      continue;
    }
    if (run > 0) {
      std::copy(prev.bytes, prev.bytes + prev.size, buf);
      std::copy(ch.bytes, ch.bytes + ch.size, buf + prev.size);
      emit(Gram{std::string_view(buf, prev.size + ch.size), run == 1, prev.plain && ch.plain, false});
    }
    prev = ch;
    ++run;
  }
  end_run();
}

}  // namespace hotline::workorder

#pragma once
// Character-level text handling shared by the tokenizer, the query planner and snippets:
// UTF-8 decoding, folding (full-width -> half-width, upper -> lower case, traditional ->
// simplified) and the three classes a character can fall in.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::kb::internal {

enum class CharClass { kSeparator, kWord, kCjk };

/// One code point decoded from UTF-8; invalid bytes decode as U+FFFD of length 1.
struct Decoded {
  char32_t cp = 0;
  size_t len = 1;
};
Decoded DecodeUtf8(std::string_view s, size_t pos);
void AppendUtf8(std::string& out, char32_t cp);

/// The search form of a character: what the index and queries both see.
char32_t Fold(char32_t cp);
/// Class of an already folded character.
CharClass Classify(char32_t folded);

/// A folded character with where its original bytes sit in the source text.
struct FoldedChar {
  char32_t cp;
  CharClass cls;
  size_t start;  // byte offset of the original character
  size_t end;
};
/// Decodes and folds a whole text.
std::vector<FoldedChar> FoldText(std::string_view text);

}  // namespace hotline::kb::internal

#pragma once
// Text search over subject and description without a word segmenter: the text is indexed
// as overlapping character bigrams ("孩子发烧" -> "孩子 子发 发烧"), and a query becomes a
// phrase of its bigrams, which matches exactly the texts that contain it as a substring.
#include <optional>
#include <string>
#include <string_view>

namespace hotline::workorder {

/// The bigram text to index for `text` (runs of letters, digits and CJK characters;
/// ASCII lower-cased; a one-character run is indexed as itself).
std::string Bigrams(std::string_view text);

/// The FTS5 MATCH expression for a query, or nothing when some run of it is a single
/// character (no bigram to look up: the caller falls back to LIKE).
std::optional<std::string> BigramQuery(std::string_view query);

}  // namespace hotline::workorder

#pragma once
// The excerpt of an entry shown under its title in search results: the stretch of text with
// the most matches, HTML-escaped, matches wrapped in <mark>…</mark>.
#include <string>
#include <string_view>
#include <vector>

#include "query.hpp"

namespace hotline::kb::internal {

inline constexpr size_t kSnippetChars = 64;  // characters of text shown at most

/// An excerpt of `text` marking every occurrence of `marks` (compared after folding, so a
/// traditional or full-width occurrence is marked too). Without a match: the beginning.
std::string MakeSnippet(std::string_view text, const std::vector<Mark>& marks,
                        size_t width = kSnippetChars);

/// `text` escaped for HTML (& < > " ').
void AppendEscaped(std::string& out, std::string_view text);

}  // namespace hotline::kb::internal

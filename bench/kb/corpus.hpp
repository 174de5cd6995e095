#pragma once
// A large knowledge base made from the starter entries: each one varied by district,
// institution and year, with sentences of other entries mixed in, so that the vocabulary
// and its frequencies stay those of real entries while the count grows.
#include <string>
#include <vector>

#include "hotline/core/json.hpp"

namespace hotline::kb::bench {

/// The file under HOTLINE_SOURCE_DIR (or the current directory), parsed.
core::Json ReadSourceJson(const std::string& relative);

/// `count` entries (a JSON array importable by Service::ImportJson) grown from `starter`.
core::Json MakeCorpus(const core::Json& starter, size_t count, unsigned seed = 12320);

/// What agents type: the questions of the retrieval set.
std::vector<std::string> Questions();

/// Every prefix of each question, a character more each time: a search per keystroke.
std::vector<std::string> Keystrokes(const std::vector<std::string>& questions);

}  // namespace hotline::kb::bench

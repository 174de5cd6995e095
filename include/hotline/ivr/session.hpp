#pragma once
// Per-call voice-menu state, kept by the caller of Step() between requests (for example as a
// JSON column next to the call). Small on purpose: everything else is recomputed per request.
#include <string>

#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"
#include "hotline/ivr/menu.hpp"

namespace hotline::ivr {

/// Where the call is in the voice menu.
enum class Phase {
  kMenu,   // at `node`
  kQueue,  // waiting for an agent (the in-queue document)
  kEnded,  // said goodbye or left a message: every further step says goodbye again
};

struct Session {
  Phase phase = Phase::kMenu;
  std::string node;      // current node id
  std::string topic;     // the chosen knowledge-base topic, in a kEntries node
  int page = 0;          // the page of a topics or entries list (8 items a page)
  int errors = 0;        // consecutive invalid or missing inputs
  int no_input = 0;      // consecutive missing inputs (part of `errors`)
  bool greeted = false;  // the first document (with the incident message) was said

  /// {"phase", "node", "topic", "page", "errors", "no_input", "greeted"}.
  core::Json ToJson() const;
  /// Reads what ToJson wrote; a validation error names the bad field.
  static core::Result<Session> FromJson(const core::Json& json);
};

/// A new call, at the menu's root.
Session NewSession(const Menu& menu);

}  // namespace hotline::ivr

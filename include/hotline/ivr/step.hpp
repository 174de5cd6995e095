#pragma once
// One turn of the voice menu: the caller's keys in, what to say and do next out. The same
// StepResult answers `POST /api/v1/ivr/{call_id}/input` (ToJson) and is rendered as VoiceXML
// (vxml.hpp), so both kinds of gateway walk the same tree with the same rules.
//
// Conventions: a key that is not offered says `texts.invalid` and the menu again; no key at all
// (empty digits) says `texts.no_input` and the menu again; after `max_errors` such errors in a row
// the caller hears a goodbye and the action is `hangup`. A duty transfer leaves the session at the
// root, so a caller whose transfer fails comes back to the main menu.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/core/json.hpp"
#include "hotline/ivr/menu.hpp"
#include "hotline/ivr/session.hpp"

namespace hotline::ivr {

/// A duty number of a network unit ({name, kind, phone}); kind is "inspection" or "cdc".
struct DutyNumber {
  std::string name;
  std::string kind;
  std::string phone;
};

/// A knowledge-base entry marked `voice`.
struct VoiceEntry {
  std::string id;
  std::string title;
  std::string category;  // the topic it is listed under; empty means "其他"
  std::string body;
};

/// The call's place in the ACD queue, for the in-queue document.
struct QueueStatus {
  int position = 0;  // 1 = next; 0 = not known yet
  int ewt_s = 0;
  std::optional<std::string> extension;  // set once the call is routed to a seat
};

/// What the lead fills in per request; the menu itself never reads the database.
struct IvrContext {
  bool open_now = false;                        // core::Calendar::IsOpen(now)
  std::vector<std::string> incident_messages;   // every open incident's ivr_message, oldest first
  std::vector<DutyNumber> duty;
  std::vector<VoiceEntry> entries;  // in the order topics and entries should be listed
  std::optional<QueueStatus> queue;
};

/// The `action` of a step.
enum class Action { kMenu, kPlay, kTransfer, kRecord, kQueue, kHangup };
/// "menu", "play", "transfer", "record", "queue", "hangup".
std::string_view ActionName(Action action);

/// A key the caller may press now, and what it leads to.
struct OfferedOption {
  std::string digit;
  std::string say;
  Action action = Action::kMenu;
  std::string transfer_to;  // set when action is kTransfer
  std::string name;         // kTransfer: who answers, e.g. the inspection office's name
};

struct StepResult {
  Action action = Action::kMenu;
  std::string preamble;  // said once first: incident message, error notice, an entry read out
  std::string prompt;    // the node's own words, options included; what a re-prompt repeats
  std::vector<OfferedOption> options;
  std::optional<std::string> transfer_to;
  bool to_agent = false;     // kTransfer to a seat (after it the survey may run)
  std::optional<int> max_s;  // kRecord
  bool left_queue = false;   // the caller left the ACD queue for a message: dequeue the call
  std::string node;          // the node the session is in now (for logs and tests)
  std::optional<int> position;  // kQueue: place in line (1 = next), once known
  std::optional<int> ewt_s;     // kQueue: estimated wait, once known

  /// preamble + prompt: the JSON step's `prompt`.
  std::string Text() const;
  /// {prompt, action, node, options: [{digits, label, action, transfer_to?}], transfer_to?,
  /// max_s?, position?, ewt_s?}
  core::Json ToJson() const;
};

/// The value a VoiceXML document submits as `digits` when the browser reports a nomatch.
inline constexpr std::string_view kNoMatch = "nomatch";

/// What to say now without consuming input: the first document of a call (the incident message
/// plays first), a re-fetch, and each refresh of the in-queue document.
StepResult Current(const Menu& menu, Session& session, const IvrContext& context);
/// Applies the caller's keys (empty = no input) to the session.
StepResult Step(const Menu& menu, Session& session, std::string_view digits,
                const IvrContext& context);
/// The caller asked for an agent but the queue is full (`overflow` again): the main menu,
/// after `texts.queue_full`.
StepResult QueueRefused(const Menu& menu, Session& session, const IvrContext& context);
/// After a message was recorded: thanks, goodbye, hang up. `callback`: the caller left the
/// queue keeping their place (virtual hold), and is told an agent will call back in turn.
StepResult AfterRecording(const Menu& menu, Session& session, bool callback = false);

}  // namespace hotline::ivr

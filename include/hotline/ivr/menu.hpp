#pragma once
// The voice-menu tree (SPEC §5) as configuration: nodes, the keys they offer and what each key
// does, plus the fixed sentences the menu speaks. Loaded from JSON (config/ivr-menu.json, which is
// also compiled in as the default) and validated once at start-up.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"

namespace hotline::ivr {

/// What a node does when it is entered.
enum class NodeKind {
  kMenu,     // says its prompt and offers fixed options
  kTopics,   // lists the voice knowledge-base topics (keys 1-8), then its fixed options
  kEntries,  // lists the entries of the chosen topic (keys 1-8); a key reads one out
  kRecord,   // records a voice message
};

/// What a fixed option does when its key is pressed.
enum class OptionAction {
  kGoto,      // enter `target`
  kRepeat,    // say the current node again
  kBack,      // go to the node this one was entered from
  kAgent,     // queue for an agent; offered only while the hotline is open when `open_only`
  kTransfer,  // transfer to a duty number (`duty`) or a fixed number (`to`)
  kHangup,    // say goodbye and hang up
  kNext,      // topics/entries node: the next page of the list (offered only when there is one)
};

struct MenuOption {
  std::string digit;  // one DTMF key: 0-9, * or #
  std::string say;    // read out when offered; for a duty transfer {name} and {phone} are filled in
  OptionAction action = OptionAction::kRepeat;
  std::string target;      // kGoto: a node id
  std::string duty;        // kTransfer: "inspection" or "cdc", looked up in IvrContext::duty
  std::string to;          // kTransfer: a fixed number or SIP URI instead of a duty kind
  bool open_only = false;  // offered only while the hotline is open (an agent)
};

struct MenuNode {
  std::string id;
  NodeKind kind = NodeKind::kMenu;
  std::string prompt;  // said first; in a kEntries node {topic} is the chosen topic
  std::vector<MenuOption> options;
  std::string item;     // kTopics/kEntries: one listed line, with {topic} or {title}, and {digit};
                        // keys 1-8 list one page of items, a kNext option turns the page
  std::string entries;  // kTopics: the kEntries node a topic opens
  int max_s = 0;        // kRecord: the longest message, in seconds
  std::string parent;   // computed: where kBack goes (the root goes nowhere)
};

/// Sentences that are not part of one node. Placeholders are in braces.
struct MenuTexts {
  std::string invalid;          // a key that is not offered
  std::string no_input;         // nothing pressed in time
  std::string too_many_errors;  // said before the goodbye after max_errors errors in a row
  std::string goodbye;
  std::string transferring;      // {name}
  std::string transfer_failed;   // the voice browser says it when a transfer does not connect
  std::string queue_wait;        // put in the queue, position not known yet
  std::string queue_position;    // {position}, {wait}; offers key 1 for a message (virtual hold)
  std::string queue_connecting;  // an agent took the call
  std::string wait_minutes;      // {minutes}
  std::string wait_short;        // less than a minute
  std::string no_content;        // no voice entries to read out
  std::string record_missing;    // the message was empty
  std::string recorded;          // thanks for the message
  std::string callback_recorded;  // thanks for the message of a caller who keeps their place
  std::string survey;            // asks for 1-5
  std::string survey_thanks;
  std::string system_error;  // before the goodbye when the server cannot serve the call
  std::string queue_full;    // 0 pressed but the queue is still full: said before the menu
};

struct Menu {
  std::string root;
  int max_errors = 3;           // consecutive invalid or missing inputs before hanging up
  std::string voicemail_node;   // the kRecord node key 1 of the in-queue document goes to
  int input_timeout_s = 6;      // how long a menu waits for a key after its prompt
  int queue_refresh_s = 8;      // how often the in-queue document fetches itself again
  int transfer_timeout_s = 30;  // how long a transfer rings before it counts as not answered
  MenuTexts texts;
  std::map<std::string, MenuNode, std::less<>> nodes;

  /// The node with this id, or null.
  const MenuNode* Find(std::string_view id) const;
};

/// Validates a menu definition; the error message names the node (and option) at fault.
/// Sentences missing from `texts` are taken from the default menu.
core::Result<Menu> ParseMenu(const core::Json& json);

/// The compiled-in copy of config/ivr-menu.json.
std::string_view DefaultMenuJson();
/// DefaultMenuJson(), parsed once.
const Menu& DefaultMenu();

}  // namespace hotline::ivr

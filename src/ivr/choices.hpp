#pragma once
// Private to the ivr module: what a node offers right now, given the per-request context.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotline/ivr/menu.hpp"
#include "hotline/ivr/step.hpp"

namespace hotline::ivr::internal {

/// A key on offer now: a fixed option that applies, or a listed topic or entry.
struct Choice {
  enum class What { kGoto, kRepeat, kBack, kAgent, kTransfer, kHangup, kNext, kTopic, kEntry };
  What what = What::kRepeat;
  std::string digit;
  std::string say;
  std::string target;                 // kGoto
  std::string to;                     // kTransfer: number or URI
  std::string name;                   // kTransfer: who answers
  std::string topic;                  // kTopic
  const VoiceEntry* entry = nullptr;  // kEntry
};

/// Replaces each "{key}" in `text` with its value.
std::string Fill(std::string text,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values);

/// Items listed on one page of a topics or entries node (keys 1-8).
inline constexpr int kPageSize = 8;

/// The topics of the voice entries, in order of first appearance.
std::vector<std::string> TopicsOf(const IvrContext& context);
/// The entries of one topic, in context order.
std::vector<const VoiceEntry*> EntriesOf(const IvrContext& context, std::string_view topic);
/// How many items a topics or entries node lists now (0 for other nodes).
int ListedCount(const MenuNode& node, std::string_view topic, const IvrContext& context);

/// The keys `node` offers now: the listed items of `page` first (keys 1-8), then fixed options
/// that apply (an agent only while open, a duty transfer only when that duty number is known,
/// `next` only when a further page exists).
std::vector<Choice> Offer(const MenuNode& node, std::string_view topic, int page,
                          const IvrContext& context);

/// The step action pressing a choice leads to.
Action ActionOf(const Menu& menu, const Choice& choice);

}  // namespace hotline::ivr::internal

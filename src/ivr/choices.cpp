#include "choices.hpp"

#include <algorithm>

namespace hotline::ivr::internal {
namespace {

constexpr std::string_view kOtherTopic = "其他";

std::string_view TopicOf(const VoiceEntry& e) {
  return e.category.empty() ? kOtherTopic : std::string_view(e.category);
}

const DutyNumber* DutyOf(const IvrContext& context, std::string_view kind) {
  for (const auto& d : context.duty) {
    if (d.kind == kind && !d.phone.empty()) return &d;
  }
  return nullptr;
}

Choice::What WhatOf(OptionAction a) {
  switch (a) {
    case OptionAction::kGoto:
      return Choice::What::kGoto;
    case OptionAction::kRepeat:
      return Choice::What::kRepeat;
    case OptionAction::kBack:
      return Choice::What::kBack;
    case OptionAction::kAgent:
      return Choice::What::kAgent;
    case OptionAction::kTransfer:
      return Choice::What::kTransfer;
    case OptionAction::kHangup:
      return Choice::What::kHangup;
    case OptionAction::kNext:
      return Choice::What::kNext;
  }
  return Choice::What::kRepeat;
}

// The fixed option as offered now, or false when it does not apply.
bool FixedChoice(const MenuOption& opt, const IvrContext& context, Choice& out) {
  if (opt.open_only && !context.open_now) return false;
  out.what = WhatOf(opt.action);
  out.digit = opt.digit;
  out.say = opt.say;
  out.target = opt.target;
  if (opt.action != OptionAction::kTransfer) return true;
  if (opt.duty.empty()) {
    out.to = opt.to;
    out.say = Fill(opt.say, {{"name", ""}, {"phone", opt.to}});
    return true;
  }
  const DutyNumber* duty = DutyOf(context, opt.duty);
  if (!duty) return false;
  out.to = duty->phone;
  out.name = duty->name;
  out.say = Fill(opt.say, {{"name", duty->name}, {"phone", duty->phone}});
  return true;
}

}  // namespace

std::string Fill(std::string text,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  for (const auto& [key, value] : values) {
    std::string pattern = "{" + std::string(key) + "}";
    for (size_t at = text.find(pattern); at != std::string::npos;
         at = text.find(pattern, at + value.size())) {
      text.replace(at, pattern.size(), value);
    }
  }
  return text;
}

std::vector<std::string> TopicsOf(const IvrContext& context) {
  std::vector<std::string> topics;
  for (const auto& e : context.entries) {
    std::string_view t = TopicOf(e);
    if (std::find(topics.begin(), topics.end(), t) != topics.end()) continue;
    topics.emplace_back(t);
  }
  return topics;
}

std::vector<const VoiceEntry*> EntriesOf(const IvrContext& context, std::string_view topic) {
  std::vector<const VoiceEntry*> out;
  for (const auto& e : context.entries) {
    if (TopicOf(e) == topic) out.push_back(&e);
  }
  return out;
}

int ListedCount(const MenuNode& node, std::string_view topic, const IvrContext& context) {
  if (node.kind == NodeKind::kTopics) return static_cast<int>(TopicsOf(context).size());
  if (node.kind == NodeKind::kEntries) return static_cast<int>(EntriesOf(context, topic).size());
  return 0;
}

std::vector<Choice> Offer(const MenuNode& node, std::string_view topic, int page,
                          const IvrContext& context) {
  std::vector<Choice> choices;
  const size_t first = static_cast<size_t>(std::max(page, 0)) * kPageSize;
  auto on_page = [&](size_t i) { return i >= first && i < first + kPageSize; };
  size_t total = 0;
  if (node.kind == NodeKind::kTopics) {
    std::vector<std::string> topics = TopicsOf(context);
    total = topics.size();
    for (size_t i = 0; i < topics.size(); ++i) {
      if (!on_page(i)) continue;
      Choice c{.what = Choice::What::kTopic, .digit = std::to_string(choices.size() + 1)};
      c.say = Fill(node.item, {{"topic", topics[i]}, {"digit", c.digit}});
      c.topic = topics[i];
      choices.push_back(std::move(c));
    }
  } else if (node.kind == NodeKind::kEntries) {
    std::vector<const VoiceEntry*> entries = EntriesOf(context, topic);
    total = entries.size();
    for (size_t i = 0; i < entries.size(); ++i) {
      if (!on_page(i)) continue;
      Choice c{.what = Choice::What::kEntry, .digit = std::to_string(choices.size() + 1)};
      c.say = Fill(node.item, {{"title", entries[i]->title}, {"digit", c.digit}});
      c.entry = entries[i];
      choices.push_back(std::move(c));
    }
  }
  const bool more = total > first + kPageSize;
  for (const auto& opt : node.options) {
    if (opt.action == OptionAction::kNext && !more) continue;
    Choice c;
    if (FixedChoice(opt, context, c)) choices.push_back(std::move(c));
  }
  return choices;
}

Action ActionOf(const Menu& menu, const Choice& choice) {
  switch (choice.what) {
    case Choice::What::kGoto: {
      const MenuNode* target = menu.Find(choice.target);
      return target && target->kind == NodeKind::kRecord ? Action::kRecord : Action::kMenu;
    }
    case Choice::What::kAgent:
      return Action::kQueue;
    case Choice::What::kTransfer:
      return Action::kTransfer;
    case Choice::What::kHangup:
      return Action::kHangup;
    case Choice::What::kEntry:
      return Action::kPlay;
    default:
      return Action::kMenu;
  }
}

}  // namespace hotline::ivr::internal

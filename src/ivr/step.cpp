#include "hotline/ivr/step.hpp"

#include <algorithm>

#include "choices.hpp"

namespace hotline::ivr {
namespace {

using internal::Choice;

// One request's worth of menu walking; the session is updated in place.
class Walker {
 public:
  Walker(const Menu& menu, Session& session, const IvrContext& context)
      : menu_(menu), s_(session), ctx_(context) {}

  StepResult Current() {
    if (s_.phase == Phase::kEnded) return Goodbye("");
    if (s_.phase == Phase::kQueue) return InQueue();
    return Present(Here(), "");
  }

  StepResult Step(std::string_view digits) {
    if (s_.phase == Phase::kEnded) return Goodbye("");
    if (s_.phase == Phase::kQueue) return QueueStep(digits);
    const MenuNode& node = Here();
    if (node.kind == NodeKind::kRecord) return RecordStep(node, digits);
    if (digits.empty()) return Fail(node, true, menu_.texts.no_input);
    for (const Choice& c : internal::Offer(node, s_.topic, s_.page, ctx_)) {
      if (c.digit == digits) {
        s_.errors = 0;
        s_.no_input = 0;
        return Apply(node, c);
      }
    }
    return Fail(node, false, menu_.texts.invalid);
  }

  StepResult Goodbye(const std::string& lead) {
    s_.phase = Phase::kEnded;
    StepResult r;
    r.action = Action::kHangup;
    r.preamble = lead;
    r.prompt = menu_.texts.goodbye;
    r.node = s_.node;
    return r;
  }

  // The queue turned the caller away again: back to the main menu, with the notice first.
  StepResult QueueRefused() {
    s_.phase = Phase::kMenu;
    return Enter(menu_.root, menu_.texts.queue_full);
  }

  // Every open incident's message, oldest first: a caller hears them all before the menu.
  std::string Incident() const {
    std::string out;
    for (const auto& m : ctx_.incident_messages) out += m;
    return out;
  }

 private:
  // The session's node; a node that left the menu since (a reload) falls back to the root.
  const MenuNode& Here() {
    const MenuNode* node = menu_.Find(s_.node);
    if (!node) {
      s_.node = menu_.root;
      s_.topic.clear();
      s_.page = 0;
      node = menu_.Find(menu_.root);
    }
    // The list may have shrunk since the page was turned: start again at its first page.
    if (s_.page > 0 && s_.page * internal::kPageSize >= internal::ListedCount(*node, s_.topic, ctx_)) {
      s_.page = 0;
    }
    return *node;
  }

  StepResult Apply(const MenuNode& node, const Choice& c) {
    switch (c.what) {
      case Choice::What::kGoto:
        return Enter(c.target, "");
      case Choice::What::kRepeat:
        return Present(node, node.id == menu_.root ? Incident() : "");
      case Choice::What::kBack:
        return Enter(node.parent, "");
      case Choice::What::kAgent:
        s_.phase = Phase::kQueue;
        return InQueue();
      case Choice::What::kTransfer:
        return Transfer(c);
      case Choice::What::kHangup:
        return Goodbye("");
      case Choice::What::kNext:
        ++s_.page;
        return Present(node, "");
      case Choice::What::kTopic:
        s_.topic = c.topic;
        return Enter(node.entries, "");
      case Choice::What::kEntry: {
        StepResult r = Present(node, c.entry->title + "。" + c.entry->body);
        r.action = Action::kPlay;
        return r;
      }
    }
    return Present(node, "");
  }

  StepResult Enter(const std::string& id, const std::string& preamble) {
    const MenuNode* node = menu_.Find(id);
    if (!node) node = menu_.Find(menu_.root);
    if (node->kind != NodeKind::kEntries) s_.topic.clear();
    s_.node = node->id;
    s_.page = 0;
    return Present(*node, preamble);
  }

  // Says the node. A list with nothing in it sends the caller back where they came from.
  StepResult Present(const MenuNode& node, const std::string& preamble) {
    std::vector<Choice> choices = internal::Offer(node, s_.topic, s_.page, ctx_);
    bool listed = node.kind == NodeKind::kTopics || node.kind == NodeKind::kEntries;
    bool empty = listed && std::none_of(choices.begin(), choices.end(), [](const Choice& c) {
                   return c.what == Choice::What::kTopic || c.what == Choice::What::kEntry;
                 });
    if (empty && !node.parent.empty()) return Enter(node.parent, preamble + menu_.texts.no_content);
    StepResult r;
    r.node = node.id;
    r.preamble = empty ? preamble + menu_.texts.no_content : preamble;
    if (node.kind == NodeKind::kRecord) {
      r.action = Action::kRecord;
      r.prompt = node.prompt;
      r.max_s = node.max_s;
      return r;
    }
    r.prompt = internal::Fill(node.prompt, {{"topic", s_.topic}});
    for (const Choice& c : choices) {
      r.prompt += c.say;
      r.options.push_back({c.digit, c.say, internal::ActionOf(menu_, c), c.to, c.name});
    }
    return r;
  }

  StepResult Fail(const MenuNode& node, bool no_input, const std::string& notice) {
    ++s_.errors;
    s_.no_input = no_input ? s_.no_input + 1 : 0;
    if (s_.errors >= menu_.max_errors) return Goodbye(menu_.texts.too_many_errors);
    return Present(node, notice);
  }

  StepResult Transfer(const Choice& c) {
    // Back at the root: if the transfer does not connect, the caller hears the main menu.
    s_.node = menu_.root;
    s_.topic.clear();
    s_.page = 0;
    StepResult r;
    r.action = Action::kTransfer;
    r.transfer_to = c.to;
    r.prompt = internal::Fill(menu_.texts.transferring, {{"name", c.name}});
    r.node = s_.node;
    return r;
  }

  StepResult RecordStep(const MenuNode& node, std::string_view digits) {
    if (digits == "*" && !node.parent.empty()) {
      s_.errors = 0;
      s_.no_input = 0;
      return Enter(node.parent, "");
    }
    if (digits.empty()) return Fail(node, true, menu_.texts.record_missing);
    return Fail(node, false, menu_.texts.invalid);
  }

  StepResult InQueue() {
    StepResult r;
    r.node = s_.node;
    if (ctx_.queue && ctx_.queue->extension) {
      r.action = Action::kTransfer;
      r.to_agent = true;
      r.transfer_to = *ctx_.queue->extension;
      r.prompt = menu_.texts.queue_connecting;
      return r;
    }
    r.action = Action::kQueue;
    r.prompt = menu_.texts.queue_wait;
    if (ctx_.queue && ctx_.queue->position > 0) {
      r.position = ctx_.queue->position;
      r.ewt_s = ctx_.queue->ewt_s;
      r.prompt = internal::Fill(menu_.texts.queue_position,
                                {{"position", std::to_string(ctx_.queue->position)},
                                 {"wait", WaitText(ctx_.queue->ewt_s)}});
    }
    if (!menu_.voicemail_node.empty()) r.options.push_back({"1", "", Action::kRecord, "", ""});
    return r;
  }

  // Key 1 leaves the queue for a message (virtual hold); anything else keeps waiting.
  StepResult QueueStep(std::string_view digits) {
    if (digits != "1" || menu_.voicemail_node.empty()) return InQueue();
    s_.phase = Phase::kMenu;
    StepResult r = Enter(menu_.voicemail_node, "");
    r.left_queue = true;
    return r;
  }

  std::string WaitText(int ewt_s) const {
    if (ewt_s < 60) return menu_.texts.wait_short;
    return internal::Fill(menu_.texts.wait_minutes,
                          {{"minutes", std::to_string((ewt_s + 59) / 60)}});
  }

  const Menu& menu_;
  Session& s_;
  const IvrContext& ctx_;
};

// Gateways may send the terminating '#' along with the key.
std::string_view Trim(std::string_view digits) {
  if (digits.size() > 1 && digits.back() == '#') digits.remove_suffix(1);
  return digits;
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kMenu:
      return "menu";
    case Action::kPlay:
      return "play";
    case Action::kTransfer:
      return "transfer";
    case Action::kRecord:
      return "record";
    case Action::kQueue:
      return "queue";
    case Action::kHangup:
      return "hangup";
  }
  return "menu";
}

std::string StepResult::Text() const { return preamble + prompt; }

core::Json StepResult::ToJson() const {
  core::Json j{{"prompt", Text()}, {"action", ActionName(action)}, {"node", node}};
  core::Json opts = core::Json::array();
  for (const auto& o : options) {
    core::Json oj{{"digits", o.digit}, {"label", o.say}, {"action", ActionName(o.action)}};
    if (!o.transfer_to.empty()) oj["transfer_to"] = o.transfer_to;
    opts.push_back(std::move(oj));
  }
  j["options"] = std::move(opts);
  if (transfer_to) j["transfer_to"] = *transfer_to;
  if (max_s) j["max_s"] = *max_s;
  if (position) j["position"] = *position;
  if (ewt_s) j["ewt_s"] = *ewt_s;
  return j;
}

StepResult Current(const Menu& menu, Session& session, const IvrContext& context) {
  Walker w(menu, session, context);
  if (!session.greeted) {
    session.greeted = true;
    // A first document always says the incident message, wherever the session stands.
    StepResult r = w.Current();
    std::string incident = w.Incident();
    if (r.preamble.rfind(incident, 0) != 0) r.preamble = incident + r.preamble;
    return r;
  }
  return w.Current();
}

StepResult Step(const Menu& menu, Session& session, std::string_view digits,
                const IvrContext& context) {
  bool first = !session.greeted;
  session.greeted = true;
  Walker w(menu, session, context);
  StepResult r = w.Step(Trim(digits));
  std::string incident = w.Incident();
  if (first && r.preamble.rfind(incident, 0) != 0) r.preamble = incident + r.preamble;
  return r;
}

StepResult QueueRefused(const Menu& menu, Session& session, const IvrContext& context) {
  return Walker(menu, session, context).QueueRefused();
}

StepResult AfterRecording(const Menu& menu, Session& session, bool callback) {
  IvrContext none;
  return Walker(menu, session, none).Goodbye(callback ? menu.texts.callback_recorded : menu.texts.recorded);
}

}  // namespace hotline::ivr

#include "hotline/ivr/menu.hpp"

#include <deque>
#include <optional>
#include <stdexcept>

namespace hotline::ivr {
namespace {

using core::Error;
using core::Json;
using core::Result;

constexpr std::string_view kKeys = "0123456789*#";
constexpr size_t kMaxPrompt = 4000;  // bytes of UTF-8
constexpr size_t kMaxSay = 1000;
constexpr size_t kMaxNodes = 200;
constexpr size_t kMaxOptions = 12;  // one per key

struct TextField {
  const char* key;
  std::string MenuTexts::*member;
};

constexpr TextField kTextFields[] = {
    {"invalid", &MenuTexts::invalid},
    {"no_input", &MenuTexts::no_input},
    {"too_many_errors", &MenuTexts::too_many_errors},
    {"goodbye", &MenuTexts::goodbye},
    {"transferring", &MenuTexts::transferring},
    {"transfer_failed", &MenuTexts::transfer_failed},
    {"queue_wait", &MenuTexts::queue_wait},
    {"queue_position", &MenuTexts::queue_position},
    {"queue_connecting", &MenuTexts::queue_connecting},
    {"wait_minutes", &MenuTexts::wait_minutes},
    {"wait_short", &MenuTexts::wait_short},
    {"no_content", &MenuTexts::no_content},
    {"record_missing", &MenuTexts::record_missing},
    {"recorded", &MenuTexts::recorded},
    {"callback_recorded", &MenuTexts::callback_recorded},
    {"survey", &MenuTexts::survey},
    {"survey_thanks", &MenuTexts::survey_thanks},
    {"system_error", &MenuTexts::system_error},
    {"queue_full", &MenuTexts::queue_full},
};

bool ValidNodeId(const std::string& id) {
  if (id.empty() || id.size() > 40) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::optional<NodeKind> KindNamed(const std::string& s) {
  if (s == "menu") return NodeKind::kMenu;
  if (s == "topics") return NodeKind::kTopics;
  if (s == "entries") return NodeKind::kEntries;
  if (s == "record") return NodeKind::kRecord;
  return std::nullopt;
}

std::optional<OptionAction> ActionNamed(const std::string& s) {
  if (s == "goto") return OptionAction::kGoto;
  if (s == "repeat") return OptionAction::kRepeat;
  if (s == "back") return OptionAction::kBack;
  if (s == "agent") return OptionAction::kAgent;
  if (s == "transfer") return OptionAction::kTransfer;
  if (s == "hangup") return OptionAction::kHangup;
  if (s == "next") return OptionAction::kNext;
  return std::nullopt;
}

// Reads one menu definition, stopping at the first problem. Every message says where it is.
class MenuParser {
 public:
  explicit MenuParser(const MenuTexts* fallback) : fallback_(fallback) {}

  Result<Menu> Parse(const Json& json) {
    if (!json.is_object()) return Error::Validation("ivr menu: must be a JSON object", "ivr.menu");
    if (ReadSettings(json) && ReadTexts(json) && ReadNodes(json) && CheckLinks()) {
      ComputeParents();
      return menu_;
    }
    return *error_;
  }

 private:
  bool Fail(const std::string& where, const std::string& message) {
    if (!error_) error_ = Error::Validation("ivr menu: " + where + ": " + message, "ivr.menu");
    return false;
  }

  // A string member of `obj`; absent gives `nullopt` (a failure when `required`).
  std::optional<std::string> Str(const Json& obj, const char* key, const std::string& where,
                                 bool required, size_t max_len) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) Fail(where, std::string("'") + key + "' is required");
      return std::nullopt;
    }
    if (!it->is_string()) {
      Fail(where, std::string("'") + key + "' must be a string");
      return std::nullopt;
    }
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() > max_len || !core::IsValidUtf8(s)) {
      Fail(where, std::string("'") + key + "' is not valid UTF-8 of at most " +
                      std::to_string(max_len) + " bytes");
      return std::nullopt;
    }
    return s;
  }

  bool Int(const Json& obj, const char* key, const std::string& where, int min, int max, int& out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return true;  // keeps the default
    if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
      return Fail(where, std::string("'") + key + "' must be an integer in " + std::to_string(min) +
                             ".." + std::to_string(max));
    }
    out = it->get<int>();
    return true;
  }

  bool ReadSettings(const Json& json) {
    auto root = Str(json, "root", "top level", true, 40);
    if (!root) return false;
    menu_.root = *root;
    menu_.voicemail_node = Str(json, "voicemail_node", "top level", false, 40).value_or("");
    return !error_ && Int(json, "max_errors", "top level", 1, 10, menu_.max_errors) &&
           Int(json, "input_timeout_s", "top level", 1, 60, menu_.input_timeout_s) &&
           Int(json, "queue_refresh_s", "top level", 2, 120, menu_.queue_refresh_s) &&
           Int(json, "transfer_timeout_s", "top level", 5, 300, menu_.transfer_timeout_s);
  }

  bool ReadTexts(const Json& json) {
    auto it = json.find("texts");
    static const Json kEmpty = Json::object();
    const Json& texts = (it == json.end() || it->is_null()) ? kEmpty : *it;
    if (!texts.is_object()) return Fail("texts", "must be an object");
    for (const auto& f : kTextFields) {
      auto s = Str(texts, f.key, "texts", fallback_ == nullptr, kMaxPrompt);
      if (error_) return false;
      menu_.texts.*f.member = s ? *s : fallback_->*f.member;
    }
    return true;
  }

  bool ReadNodes(const Json& json) {
    auto it = json.find("nodes");
    if (it == json.end() || !it->is_array() || it->empty() || it->size() > kMaxNodes) {
      return Fail("nodes", "must be an array of 1.." + std::to_string(kMaxNodes) + " nodes");
    }
    for (size_t i = 0; i < it->size(); ++i) {
      if (!ReadNode((*it)[i], i)) return false;
    }
    return true;
  }

  bool ReadNode(const Json& json, size_t index) {
    std::string where = "node #" + std::to_string(index + 1);
    if (!json.is_object()) return Fail(where, "must be an object");
    MenuNode node;
    auto id = Str(json, "id", where, true, 40);
    if (!id) return false;
    if (!ValidNodeId(*id)) return Fail(where, "id '" + *id + "' must be 1-40 of a-z, 0-9, _");
    where = "node '" + *id + "'";
    if (menu_.nodes.count(*id)) return Fail(where, "id is used twice");
    node.id = *id;
    auto type = Str(json, "type", where, true, 20);
    if (!type) return false;
    auto kind = KindNamed(*type);
    if (!kind) return Fail(where, "unknown type '" + *type + "' (menu, topics, entries, record)");
    node.kind = *kind;
    auto prompt = Str(json, "prompt", where, true, kMaxPrompt);
    if (!prompt) return false;
    node.prompt = *prompt;
    if (!ReadKindFields(json, where, node) || !ReadOptions(json, where, node)) return false;
    menu_.nodes.emplace(node.id, std::move(node));
    return true;
  }

  bool ReadKindFields(const Json& json, const std::string& where, MenuNode& node) {
    if (node.kind == NodeKind::kRecord) {
      node.max_s = 120;
      return Int(json, "max_s", where, 5, 600, node.max_s);
    }
    if (node.kind == NodeKind::kTopics || node.kind == NodeKind::kEntries) {
      auto item = Str(json, "item", where, true, kMaxSay);
      if (!item) return false;
      if (item->find("{digit}") == std::string::npos) return Fail(where, "'item' must say {digit}");
      node.item = *item;
    }
    if (node.kind == NodeKind::kTopics) {
      auto entries = Str(json, "entries", where, true, 40);
      if (!entries) return false;
      node.entries = *entries;
    }
    return true;
  }

  bool ReadOptions(const Json& json, const std::string& where, MenuNode& node) {
    auto it = json.find("options");
    if (it == json.end() || it->is_null()) {
      if (node.kind == NodeKind::kMenu) return Fail(where, "a menu needs 'options'");
      return true;
    }
    if (!it->is_array() || it->size() > kMaxOptions) {
      return Fail(where, "'options' must be an array of at most 12");
    }
    if (node.kind == NodeKind::kMenu && it->empty()) return Fail(where, "a menu needs options");
    for (size_t i = 0; i < it->size(); ++i) {
      if (!ReadOption((*it)[i], where + ", option #" + std::to_string(i + 1), node)) return false;
    }
    return true;
  }

  bool ReadOption(const Json& json, const std::string& where, MenuNode& node) {
    if (!json.is_object()) return Fail(where, "must be an object");
    MenuOption opt;
    auto digit = Str(json, "digit", where, true, 8);
    if (!digit) return false;
    if (digit->size() != 1 || kKeys.find((*digit)[0]) == std::string_view::npos) {
      return Fail(where, "'digit' must be one key of 0-9, * or #");
    }
    for (const auto& o : node.options) {
      if (o.digit == *digit) return Fail(where, "key '" + *digit + "' is offered twice");
    }
    bool listed = node.kind == NodeKind::kTopics || node.kind == NodeKind::kEntries;
    if (listed && (*digit)[0] >= '1' && (*digit)[0] <= '8') {
      return Fail(where, "keys 1-8 list the items here; use 0, 9, * or #");
    }
    opt.digit = *digit;
    auto say = Str(json, "say", where, true, kMaxSay);
    auto action = Str(json, "action", where, true, 20);
    if (!say || !action) return false;
    opt.say = *say;
    auto act = ActionNamed(*action);
    if (!act) return Fail(where, "unknown action '" + *action + "'");
    opt.action = *act;
    if (opt.action == OptionAction::kNext && !listed) {
      return Fail(where, "'next' turns the page of a topics or entries list only");
    }
    if (!ReadActionFields(json, where, opt)) return false;
    node.options.push_back(std::move(opt));
    return true;
  }

  bool ReadActionFields(const Json& json, const std::string& where, MenuOption& opt) {
    if (auto it = json.find("open_only"); it != json.end() && !it->is_null()) {
      if (!it->is_boolean()) return Fail(where, "'open_only' must be true or false");
      opt.open_only = it->get<bool>();
    }
    if (opt.action == OptionAction::kGoto) {
      auto target = Str(json, "target", where, true, 40);
      if (!target) return false;
      opt.target = *target;
    }
    if (opt.action != OptionAction::kTransfer) return true;
    opt.duty = Str(json, "duty", where, false, 20).value_or("");
    opt.to = Str(json, "to", where, false, 200).value_or("");
    if (error_) return false;
    if (opt.duty.empty() == opt.to.empty()) {
      return Fail(where, "a transfer needs either 'duty' or 'to'");
    }
    if (!opt.duty.empty() && opt.duty != "inspection" && opt.duty != "cdc") {
      return Fail(where, "unknown duty kind '" + opt.duty + "' (inspection, cdc)");
    }
    return true;
  }

  bool CheckLinks() {
    const MenuNode* root = menu_.Find(menu_.root);
    if (!root) return Fail("root", "no node '" + menu_.root + "'");
    if (root->kind != NodeKind::kMenu && root->kind != NodeKind::kTopics) {
      return Fail("root", "node '" + menu_.root + "' must be a menu or topics node");
    }
    if (!menu_.voicemail_node.empty()) {
      const MenuNode* vm = menu_.Find(menu_.voicemail_node);
      if (!vm || vm->kind != NodeKind::kRecord) {
        return Fail("voicemail_node", "'" + menu_.voicemail_node + "' is not a record node");
      }
    }
    for (const auto& [id, node] : menu_.nodes) {
      if (!CheckNodeLinks(node)) return false;
    }
    return true;
  }

  bool CheckNodeLinks(const MenuNode& node) {
    std::string where = "node '" + node.id + "'";
    if (node.kind == NodeKind::kTopics) {
      const MenuNode* entries = menu_.Find(node.entries);
      if (!entries || entries->kind != NodeKind::kEntries) {
        return Fail(where, "'entries' names no entries node ('" + node.entries + "')");
      }
    }
    for (const auto& opt : node.options) {
      std::string at = where + ", key '" + opt.digit + "'";
      if (opt.action == OptionAction::kBack && node.id == menu_.root) {
        return Fail(at, "the root has nothing to go back to");
      }
      if (opt.action != OptionAction::kGoto) continue;
      const MenuNode* target = menu_.Find(opt.target);
      if (!target) return Fail(at, "goes to an unknown node '" + opt.target + "'");
      if (target->kind == NodeKind::kEntries) {
        return Fail(at, "an entries node ('" + opt.target + "') opens only from a topics node");
      }
    }
    return true;
  }

  // `back` returns to the node a node is first reached from, walking breadth-first from the root.
  void ComputeParents() {
    std::deque<std::string> todo{menu_.root};
    std::map<std::string, bool, std::less<>> seen{{menu_.root, true}};
    auto visit = [&](const std::string& from, const std::string& to) {
      if (seen[to]) return;
      seen[to] = true;
      menu_.nodes[to].parent = from;
      todo.push_back(to);
    };
    while (!todo.empty()) {
      const MenuNode& node = menu_.nodes[todo.front()];
      todo.pop_front();
      if (node.kind == NodeKind::kTopics) visit(node.id, node.entries);
      for (const auto& opt : node.options) {
        if (opt.action == OptionAction::kGoto) visit(node.id, opt.target);
      }
    }
    for (auto& [id, node] : menu_.nodes) {
      if (!seen[id]) node.parent = menu_.root;
    }
  }

  const MenuTexts* fallback_;
  std::optional<Error> error_;
  Menu menu_;
};

}  // namespace

const MenuNode* Menu::Find(std::string_view id) const {
  auto it = nodes.find(id);
  return it == nodes.end() ? nullptr : &it->second;
}

Result<Menu> ParseMenu(const core::Json& json) {
  return MenuParser(&DefaultMenu().texts).Parse(json);
}

const Menu& DefaultMenu() {
  static const Menu menu = [] {
    // The default must carry every sentence itself: there is nothing to fall back on.
    auto parsed = MenuParser(nullptr).Parse(Json::parse(DefaultMenuJson()));
    if (!parsed) throw std::logic_error("built-in ivr menu: " + parsed.error().message);
    return *parsed;
  }();
  return menu;
}

}  // namespace hotline::ivr

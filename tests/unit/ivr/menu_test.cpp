// The menu tree is configuration: the shipped file, the built-in default, and rejection of bad
// definitions with a message that names the node.
#include "hotline/ivr/menu.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace hotline::ivr {
namespace {

using core::Json;

Json DefaultJson() { return Json::parse(DefaultMenuJson()); }

Json& NodeById(Json& menu, const std::string& id) {
  for (auto& n : menu["nodes"]) {
    if (n["id"] == id) return n;
  }
  throw std::runtime_error("no node " + id);
}

TEST(IvrMenu, ShippedFileIsTheBuiltInDefault) {
  const char* src = std::getenv("HOTLINE_SOURCE_DIR");
  if (!src) GTEST_SKIP() << "HOTLINE_SOURCE_DIR not set";
  std::ifstream in(std::string(src) + "/config/ivr-menu.json");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(Json::parse(text.str()), DefaultJson());
  EXPECT_TRUE(ParseMenu(Json::parse(text.str())).has_value());
}

TEST(IvrMenu, DefaultTreeHasTheSpecChoices) {
  const Menu& m = DefaultMenu();
  EXPECT_EQ(m.root, "main");
  EXPECT_EQ(m.max_errors, 3);
  const MenuNode* main = m.Find("main");
  ASSERT_NE(main, nullptr);
  std::map<std::string, const MenuOption*> by_key;
  for (const auto& o : main->options) by_key[o.digit] = &o;
  ASSERT_EQ(by_key.size(), 5u);
  EXPECT_EQ(by_key["1"]->target, "emergency");
  EXPECT_EQ(by_key["2"]->target, "consult");
  EXPECT_EQ(by_key["3"]->target, "message");
  EXPECT_EQ(by_key["9"]->action, OptionAction::kRepeat);
  EXPECT_EQ(by_key["0"]->action, OptionAction::kAgent);
  EXPECT_TRUE(by_key["0"]->open_only);
  EXPECT_EQ(m.Find("message")->kind, NodeKind::kRecord);
  EXPECT_EQ(m.Find("message")->max_s, 120);
}

TEST(IvrMenu, BackGoesToTheNodeItWasReachedFrom) {
  const Menu& m = DefaultMenu();
  EXPECT_EQ(m.Find("main")->parent, "");
  EXPECT_EQ(m.Find("emergency")->parent, "main");
  EXPECT_EQ(m.Find("consult_topic")->parent, "consult");
}

TEST(IvrMenu, MissingSentencesComeFromTheDefault) {
  Json j = DefaultJson();
  j.erase("texts");
  auto m = ParseMenu(j);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->texts.goodbye, DefaultMenu().texts.goodbye);
}

struct BadMenuCase {
  const char* what;
  std::function<void(Json&)> mutate;
  const char* message_names;  // the node (or setting) the message must name
};

TEST(IvrMenu, RefusesBadMenusNamingTheNode) {
  const std::vector<BadMenuCase> cases = {
      {"unknown root", [](Json& j) { j["root"] = "lobby"; }, "lobby"},
      {"goto unknown node",
       [](Json& j) { NodeById(j, "main")["options"][0]["target"] = "nowhere"; }, "node 'main'"},
      {"duplicate key", [](Json& j) { NodeById(j, "emergency")["options"][1]["digit"] = "1"; },
       "node 'emergency'"},
      {"two keys in one option", [](Json& j) { NodeById(j, "main")["options"][0]["digit"] = "11"; },
       "node 'main'"},
      {"unknown action", [](Json& j) { NodeById(j, "main")["options"][1]["action"] = "dance"; },
       "node 'main'"},
      {"unknown duty kind",
       [](Json& j) { NodeById(j, "emergency")["options"][0]["duty"] = "police"; },
       "node 'emergency'"},
      {"transfer without target",
       [](Json& j) { NodeById(j, "emergency")["options"][0].erase("duty"); }, "node 'emergency'"},
      {"unknown node type", [](Json& j) { NodeById(j, "consult")["type"] = "maze"; },
       "node 'consult'"},
      {"menu without options", [](Json& j) { NodeById(j, "emergency").erase("options"); },
       "node 'emergency'"},
      {"record too long", [](Json& j) { NodeById(j, "message")["max_s"] = 100000; },
       "node 'message'"},
      {"topic key clashes with listed items",
       [](Json& j) { NodeById(j, "consult")["options"][0]["digit"] = "3"; }, "node 'consult'"},
      {"topics without entries node", [](Json& j) { NodeById(j, "consult")["entries"] = "main"; },
       "node 'consult'"},
      {"item without {digit}", [](Json& j) { NodeById(j, "consult_topic")["item"] = "{title}"; },
       "node 'consult_topic'"},
      {"duplicate node id", [](Json& j) { NodeById(j, "message")["id"] = "consult"; },
       "node 'consult'"},
      {"back from the root",
       [](Json& j) {
         NodeById(j, "main")["options"].push_back(
             {{"digit", "*"}, {"say", "返回"}, {"action", "back"}});
       },
       "node 'main'"},
      {"voicemail node is not a record", [](Json& j) { j["voicemail_node"] = "main"; }, "main"},
      {"prompt not a string", [](Json& j) { NodeById(j, "main")["prompt"] = 5; }, "node 'main'"},
      {"no nodes", [](Json& j) { j["nodes"] = Json::array(); }, "nodes"},
      {"max_errors zero", [](Json& j) { j["max_errors"] = 0; }, "max_errors"},
      {"next page on a menu node",
       [](Json& j) {
         NodeById(j, "emergency")["options"].push_back(
             {{"digit", "0"}, {"say", "下一页"}, {"action", "next"}});
       },
       "node 'emergency'"},
  };
  for (const auto& tc : cases) {
    Json j = DefaultJson();
    tc.mutate(j);
    auto m = ParseMenu(j);
    ASSERT_FALSE(m.has_value()) << tc.what;
    EXPECT_EQ(m.error().code, core::ErrorCode::kValidationFailed) << tc.what;
    EXPECT_NE(m.error().message.find(tc.message_names), std::string::npos)
        << tc.what << ": " << m.error().message;
  }
}

TEST(IvrMenu, AcceptsAFixedNumberTransferAndAHangupOption) {
  Json j = DefaultJson();
  NodeById(j, "emergency")["options"].push_back(
      {{"digit", "0"}, {"say", "转接总值班请按0。"}, {"action", "transfer"}, {"to", "12320"}});
  NodeById(j, "emergency")["options"].push_back(
      {{"digit", "#"}, {"say", "结束通话请按井号键。"}, {"action", "hangup"}});
  auto m = ParseMenu(j);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->Find("emergency")->options.size(), 6u);
}

}  // namespace
}  // namespace hotline::ivr

// Every VoiceXML document the renderer can produce validates against the W3C VoiceXML 2.1 schema
// (shared/schemas/voicexml21), and carries signed URLs and escaped text.
#include "hotline/ivr/vxml.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "hotline/ivr/signature.hpp"
#include "ivr_fixtures.hpp"
#include "support/temp_dir.hpp"

namespace hotline::ivr {
namespace {

using testing::At;
using testing::NightContext;

const core::TimePoint kNow = core::FromUnixMillis(1'767'225'600'000);

constexpr int kSeatTimeout = 15;  // acd.ring_timeout_s

VxmlRenderer Renderer(const Menu& menu = DefaultMenu(), std::string base = "") {
  return VxmlRenderer(menu,
                      {std::move(base),
                       [](std::string_view call_id) {
                         return SignUrlParams("secret", call_id, kNow + std::chrono::minutes(10));
                       }},
                      kSeatTimeout);
}

using Docs = std::vector<std::pair<std::string, std::string>>;  // name, document

StepResult StepFrom(Session s, std::string_view digits, const IvrContext& c) {
  return Step(DefaultMenu(), s, digits, c);
}

// One document for every kind of step, error path, and the survey.
Docs AllDocuments() {
  const Menu& m = DefaultMenu();
  VxmlRenderer r = Renderer();
  IvrContext night = NightContext();
  IvrContext day = night;
  day.open_now = true;
  IvrContext incident = night;
  incident.incident_messages = {"本市发生诺如病毒疫情 <通报> & 提醒", "第二起事件。"};
  IvrContext odd = night;  // text that must be escaped, and a control character
  odd.entries.push_back({"kb9", "A&B <\"特殊\"> 'x'", "症状 & 体征", "第一行\n第二行\x01结束 ]]>"});
  const std::string id = "call-7";
  Docs docs;
  auto add = [&](const std::string& name, const StepResult& step) {
    docs.emplace_back(name, r.Render(id, step));
  };
  Session fresh = NewSession(m);
  add("greeting-with-incident", Current(m, fresh, incident));
  Session at_main = At("main");
  add("main-open-hours", Current(m, at_main, day));
  add("main-invalid-key", StepFrom(At("main"), "7", night));
  add("main-no-input", StepFrom(At("main"), "", night));
  add("emergency", StepFrom(At("main"), "1", night));
  add("consult-topics", StepFrom(At("main"), "2", night));
  add("topic-entries", StepFrom(At("consult"), "1", night));
  add("entry-played", StepFrom(At("consult_topic", "疫苗"), "1", night));
  add("escaped-entries", StepFrom(At("consult"), "3", odd));
  add("escaped-entry-played", StepFrom(At("consult_topic", "症状 & 体征"), "1", odd));
  add("no-content", StepFrom(At("main"), "2", IvrContext{}));
  add("record", StepFrom(At("main"), "3", night));
  add("record-no-input", StepFrom(At("message"), "", night));
  add("duty-transfer", StepFrom(At("emergency"), "1", night));
  Session tired = At("main");
  tired.errors = m.max_errors - 1;
  add("goodbye-too-many-errors", Step(m, tired, "7", night));
  Session recorded = At("message");
  add("after-recording", AfterRecording(m, recorded));
  Session held = At("message");
  add("after-recording-callback", AfterRecording(m, held, true));
  add("queue-entered", StepFrom(At("main"), "0", day));
  Session queued = At("main");
  queued.phase = Phase::kQueue;
  day.queue = QueueStatus{4, 200, std::nullopt};
  add("queue-position", Step(m, queued, "", day));
  add("queue-to-message", Step(m, queued, "1", day));
  queued.phase = Phase::kQueue;
  day.queue = QueueStatus{1, 0, "sip:seat7@pbx.local"};
  add("routed-to-seat", Current(m, queued, day));
  IvrContext many = night;  // a topic of twelve entries: two pages
  for (int i = 1; i <= 12; ++i) many.entries.push_back({"m", "条目" + std::to_string(i), "疫苗", "正文"});
  Session paged = At("consult_topic", "疫苗");
  add("long-list-first-page", Current(m, paged, many));
  add("long-list-next-page", Step(m, paged, "0", many));
  Session refused = At("main");
  add("queue-full-back-to-menu", QueueRefused(m, refused, day));
  Session over = At("main");
  over.phase = Phase::kEnded;
  add("ended-call-goodbye", Current(m, over, night));
  docs.emplace_back("survey", r.RenderSurvey(id));
  docs.emplace_back("error-goodbye", r.RenderError());
  docs.emplace_back("survey-thanks", r.RenderGoodbye(m.texts.survey_thanks));
  docs.emplace_back("goodbye-escaped", r.RenderGoodbye("再见 <&> \"'"));
  // Without a voicemail node the in-queue document waits with a pause instead of a field.
  core::Json j = core::Json::parse(DefaultMenuJson());
  j.erase("voicemail_node");
  auto no_vm = ParseMenu(j);
  Session q = At("main");
  q.phase = Phase::kQueue;
  IvrContext waiting = night;
  waiting.queue = QueueStatus{2, 30, std::nullopt};
  docs.emplace_back(
      "queue-without-voicemail",
      Renderer(*no_vm, "https://hotline.example:8443").Render(id, Current(*no_vm, q, waiting)));
  return docs;
}

std::string RunCommand(const std::string& command, int& status) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) {
    status = -1;
    return out;
  }
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  status = pclose(p);
  return out;
}

// The schema folder: $HOTLINE_VXML_SCHEMA_DIR, else shared/schemas/voicexml21 in the source
// tree's folder or any folder above it (the worktree sits below the shared folder).
std::optional<std::filesystem::path> FindSchema() {
  if (const char* dir = std::getenv("HOTLINE_VXML_SCHEMA_DIR"); dir && *dir) return dir;
  std::vector<std::filesystem::path> starts = {std::filesystem::current_path()};
  if (const char* src = std::getenv("HOTLINE_SOURCE_DIR"); src && *src) starts.insert(starts.begin(), src);
  for (auto dir : starts) {
    for (dir = std::filesystem::absolute(dir); !dir.empty(); dir = dir.parent_path()) {
      auto schema = dir / "shared" / "schemas" / "voicexml21";
      if (std::filesystem::exists(schema / "vxml.xsd")) return schema;
      if (dir == dir.parent_path()) break;
    }
  }
  return std::nullopt;
}

// xmllint is installed by scripts/test.sh, so its absence fails the test. The schema lives
// outside the repository (../shared); a checkout without it skips, saying so, unless
// HOTLINE_REQUIRE_VXML_SCHEMA=1 asks for the validation to be mandatory.
bool SchemaRequired() {
  const char* required = std::getenv("HOTLINE_REQUIRE_VXML_SCHEMA");
  return required && std::string(required) == "1";
}

TEST(IvrVxml, EveryDocumentValidatesAgainstVoiceXml21Schema) {
  std::optional<std::filesystem::path> found = FindSchema();
  ASSERT_EQ(std::system("command -v xmllint >/dev/null 2>&1"), 0)
      << "xmllint is missing (Debian: libxml2-utils)";
  if (!found && !SchemaRequired()) {
    GTEST_SKIP() << "no VoiceXML 2.1 schema: set HOTLINE_VXML_SCHEMA_DIR or put "
                    "shared/schemas/voicexml21 above the source tree";
  }
  ASSERT_TRUE(found) << "no VoiceXML 2.1 schema and HOTLINE_REQUIRE_VXML_SCHEMA=1";
  const std::filesystem::path schema = *found;

  hotline::testing::TempDir dir;
  std::string files;
  Docs docs = AllDocuments();
  for (const auto& [name, doc] : docs) {
    std::ofstream(dir.File(name + ".vxml")) << doc;
    files += " '" + dir.File(name + ".vxml") + "'";
  }
  int status = 0;
  std::string out = RunCommand("XML_CATALOG_FILES='" + (schema / "catalog.xml").string() +
                                   "' xmllint --noout --nonet --schema '" +
                                   (schema / "vxml.xsd").string() + "'" + files + " 2>&1",
                               status);
  EXPECT_EQ(status, 0) << out;
  for (const auto& [name, doc] : docs) {
    EXPECT_NE(out.find(dir.File(name + ".vxml") + " validates"), std::string::npos) << name << "\n"
                                                                                    << doc << "\n"
                                                                                    << out;
  }
}

TEST(IvrVxml, EveryServerUrlCarriesAValidSignature) {
  std::regex url_attr(R"re((?:next|src)="([^"#][^"]*)")re");
  for (const auto& [name, doc] : AllDocuments()) {
    int urls = 0;
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), url_attr);
         it != std::sregex_iterator(); ++it) {
      std::string url = (*it)[1];
      std::smatch sig;
      ASSERT_TRUE(std::regex_search(url, sig, std::regex("[?&]sig=([^&]+)")))
          << name << ": " << url;
      EXPECT_TRUE(VerifySig("secret", "call-7", sig[1].str(), kNow)) << name << ": " << url;
      ++urls;
    }
    bool ends_call = name.find("goodbye") != std::string::npos || name.rfind("after-recording", 0) == 0 ||
                     name == "survey-thanks";
    EXPECT_EQ(urls == 0, ends_call) << name << " links back to the server: " << urls;
  }
}

TEST(IvrVxml, MenusAreVoiceXmlMenusWhoseChoicesGoBackToTheServer) {
  Session s = At("main");
  std::string doc = Renderer().Render("call-7", Step(DefaultMenu(), s, "1", NightContext()));
  EXPECT_NE(doc.find(R"(<menu id="menu">)"), std::string::npos) << doc;
  EXPECT_EQ(doc.find("<field"), std::string::npos) << "menus are <menu>, not forms with a field";
  EXPECT_NE(doc.find(R"(<choice dtmf="9" next="/ivr/vxml/call-7?sig=)"), std::string::npos) << doc;
  EXPECT_NE(doc.find("&amp;digits=9\"/>"), std::string::npos) << doc;
  EXPECT_NE(doc.find("&amp;digits=\"/>"), std::string::npos) << "no input goes to the server";
  EXPECT_NE(doc.find("&amp;digits=nomatch"), std::string::npos) << "a bad key goes to the server";
  // Duty transfers run in place.
  EXPECT_NE(doc.find(R"(<choice dtmf="1" next="#transfer_1"/>)"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"(<choice dtmf="2" next="#transfer_2"/>)"), std::string::npos);
  EXPECT_NE(doc.find(R"(dest="tel:01012345678")"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"(dest="tel:01087654321")"), std::string::npos);
  EXPECT_NE(doc.find(R"(connecttimeout="30s")"), std::string::npos) << "the menu's transfer timeout";
  // Back with *, and the main menu offers exactly its keys (no agent at night).
  doc = Renderer().Render("call-7", Step(DefaultMenu(), s, "*", NightContext()));
  for (const char* k : {"1", "2", "3", "9"}) {
    EXPECT_NE(doc.find(std::string("<choice dtmf=\"") + k + "\""), std::string::npos) << k << doc;
  }
  EXPECT_EQ(doc.find(R"(<choice dtmf="0")"), std::string::npos) << doc;
}

TEST(IvrVxml, EveryDocumentCatchesErrorsAndEveryEndDisconnects) {
  for (const auto& [name, doc] : AllDocuments()) {
    EXPECT_NE(doc.find(R"(<catch event="error">)"), std::string::npos) << name;
    bool ends_call = name.find("goodbye") != std::string::npos ||
                     name.rfind("after-recording", 0) == 0 || name == "survey-thanks";
    if (ends_call) {
      EXPECT_NE(doc.find("<disconnect/>"), std::string::npos) << name << doc;
    }
  }
  std::string error = Renderer().RenderError();
  EXPECT_NE(error.find(DefaultMenu().texts.system_error), std::string::npos) << error;
  EXPECT_NE(error.find(DefaultMenu().texts.goodbye), std::string::npos);
}

TEST(IvrVxml, RecordSubmitsTheAudioToTheRecordingUrl) {
  Session s = At("main");
  std::string doc = Renderer().Render("call-7", Step(DefaultMenu(), s, "3", NightContext()));
  EXPECT_NE(doc.find(R"(maxtime="120s")"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"(<submit next="/ivr/vxml/call-7/recording?sig=)"), std::string::npos);
  EXPECT_NE(doc.find(R"(enctype="multipart/form-data")"), std::string::npos);
}

TEST(IvrVxml, QueueDocumentRefetchesItselfAndRoutedCallTransfersToTheSeat) {
  IvrContext c = NightContext();
  c.queue = QueueStatus{2, 90, std::nullopt};
  Session s = At("main");
  s.phase = Phase::kQueue;
  VxmlRenderer r = Renderer(DefaultMenu(), "https://gw.example");
  std::string doc = r.Render("call-7", Current(DefaultMenu(), s, c));
  EXPECT_NE(doc.find("第2位"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"(<goto next=")" + r.DocumentUrl("call-7") + R"(" maxage="0"/>)"),
            std::string::npos)
      << doc;
  EXPECT_NE(doc.find(R"(value="8s")"), std::string::npos) << "refresh interval";
  EXPECT_NE(doc.find(R"(<choice dtmf="1" next=")"), std::string::npos) << "key 1: a message";
  c.queue->extension = "sip:seat7@pbx.local";
  doc = r.Render("call-7", Current(DefaultMenu(), s, c));
  EXPECT_NE(doc.find(R"(dest="sip:seat7@pbx.local")"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"(connecttimeout="15s")"), std::string::npos) << "acd.ring_timeout_s";
  EXPECT_NE(doc.find(r.SurveyUrl("call-7")), std::string::npos) << "survey after the call";
}

TEST(IvrVxml, EscapesTextAndCallIds) {
  IvrContext c = NightContext();
  c.entries = {{"kb9", "A&B <x>", "T", "body"}};
  Session s = At("consult");
  std::string doc = Renderer().Render("a b/&", Step(DefaultMenu(), s, "1", c));
  EXPECT_NE(doc.find("A&amp;B &lt;x&gt;"), std::string::npos) << doc;
  EXPECT_EQ(doc.find("A&B"), std::string::npos);
  EXPECT_NE(doc.find("/ivr/vxml/a%20b%2F%26?sig="), std::string::npos) << doc;
}

TEST(IvrVxml, SurveyAsksForOneToFiveAndSubmitsTheScore) {
  VxmlRenderer r = Renderer();
  std::string doc = r.RenderSurvey("call-7");
  for (const char* k : {"1", "2", "3", "4", "5"}) {
    EXPECT_NE(doc.find(std::string("<choice dtmf=\"") + k + "\" next=\"/ivr/vxml/call-7/survey?sig="),
              std::string::npos)
        << k << doc;
    EXPECT_NE(doc.find(std::string("&amp;score=") + k + "\""), std::string::npos) << k;
  }
  EXPECT_EQ(doc.find(R"(dtmf="6")"), std::string::npos);
}

}  // namespace
}  // namespace hotline::ivr

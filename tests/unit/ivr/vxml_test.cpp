// Every VoiceXML document the renderer can produce validates against the W3C VoiceXML 2.1 schema
// (shared/schemas/voicexml21), and carries signed URLs and escaped text.
#include "hotline/ivr/vxml.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

VxmlRenderer Renderer(const Menu& menu = DefaultMenu(), std::string base = "") {
  return VxmlRenderer(menu, {std::move(base), [](std::string_view call_id) {
                               return SignUrlParams("secret", call_id,
                                                    kNow + std::chrono::minutes(10));
                             }});
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
  incident.incident_message = "本市发生诺如病毒疫情 <通报> & 提醒";
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
  docs.emplace_back("survey", r.RenderSurvey(id));
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

TEST(IvrVxml, EveryDocumentValidatesAgainstVoiceXml21Schema) {
  const char* src = std::getenv("HOTLINE_SOURCE_DIR");
  if (!src) GTEST_SKIP() << "HOTLINE_SOURCE_DIR not set";
  std::filesystem::path schema =
      std::filesystem::path(src) / ".." / "shared" / "schemas" / "voicexml21";
  if (!std::filesystem::exists(schema / "vxml.xsd")) GTEST_SKIP() << "no schema at " << schema;
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) GTEST_SKIP() << "no xmllint";

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

TEST(IvrVxml, MenuKeysGoBackToTheServerAndDutyTransfersRunInPlace) {
  Session s = At("main");
  std::string doc = Renderer().Render("call-7", Step(DefaultMenu(), s, "1", NightContext()));
  EXPECT_NE(doc.find(R"(<submit next="/ivr/vxml/call-7?sig=)"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"(namelist="digits")"), std::string::npos);
  EXPECT_NE(doc.find("&amp;digits=\"/>"), std::string::npos) << "no input goes to the server";
  EXPECT_NE(doc.find("&amp;digits=nomatch"), std::string::npos);
  EXPECT_NE(doc.find(R"(dest="tel:01012345678")"), std::string::npos) << doc;
  EXPECT_NE(doc.find(R"(dest="tel:01087654321")"), std::string::npos);
  EXPECT_NE(doc.find(R"(<goto next="#transfer_1"/>)"), std::string::npos);
  EXPECT_NE(doc.find("<item>*</item>"), std::string::npos) << "a bad key must reach the server";
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
  c.queue->extension = "sip:seat7@pbx.local";
  doc = r.Render("call-7", Current(DefaultMenu(), s, c));
  EXPECT_NE(doc.find(R"(dest="sip:seat7@pbx.local")"), std::string::npos) << doc;
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
    EXPECT_NE(doc.find(std::string("<item>") + k + "</item>"), std::string::npos) << k;
  }
  EXPECT_EQ(doc.find("<item>6</item>"), std::string::npos);
  EXPECT_NE(doc.find(R"(namelist="score")"), std::string::npos);
  EXPECT_NE(doc.find(r.SurveyUrl("call-7")), std::string::npos);
}

}  // namespace
}  // namespace hotline::ivr

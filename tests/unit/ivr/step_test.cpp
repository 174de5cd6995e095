// The voice menu's rules (SPEC §5): every key of every node, errors, hours, incidents, queue.
#include "hotline/ivr/step.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ivr_fixtures.hpp"

namespace hotline::ivr {
namespace {

using testing::At;
using testing::NightContext;

const Menu& M() { return DefaultMenu(); }

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct KeyCase {
  const char* node;
  const char* topic;
  const char* digits;
  Action action;
  const char* next_node;  // where the session stands afterwards
  const char* next_topic;
  bool error;               // a re-prompt with the "invalid" notice
  const char* transfer_to;  // for transfers
  const char* says;         // a piece of text the caller must hear
};

TEST(IvrStep, EveryKeyOfEveryNodeOfTheDefaultMenu) {
  const std::vector<KeyCase> cases = {
      // main (closed): 1 emergency, 2 consult, 3 message, 9 repeat, 0 refused at night
      {"main", "", "1", Action::kMenu, "emergency", "", false, "", "010-12345678"},
      {"main", "", "2", Action::kMenu, "consult", "", false, "", "疫苗，请按1"},
      {"main", "", "3", Action::kRecord, "message", "", false, "", "提示音后"},
      {"main", "", "9", Action::kMenu, "main", "", false, "", "欢迎致电"},
      {"main", "", "0", Action::kMenu, "main", "", true, "", "输入有误"},
      {"main", "", "4", Action::kMenu, "main", "", true, "", "输入有误"},
      {"main", "", "*", Action::kMenu, "main", "", true, "", "输入有误"},
      {"main", "", "#", Action::kMenu, "main", "", true, "", "输入有误"},
      {"main", "", "12", Action::kMenu, "main", "", true, "", "输入有误"},
      {"main", "", "1#", Action::kMenu, "emergency", "", false, "", "突发公共卫生事件"},
      // emergency: announces both duty numbers; 1 inspection, 2 CDC, 9 repeat, * back
      {"emergency", "", "1", Action::kTransfer, "main", "", false, "010-12345678", "市卫生监督所"},
      {"emergency", "", "2", Action::kTransfer, "main", "", false, "010-87654321", "疾病预防控制"},
      {"emergency", "", "9", Action::kMenu, "emergency", "", false, "", "010-87654321"},
      {"emergency", "", "*", Action::kMenu, "main", "", false, "", "欢迎致电"},
      {"emergency", "", "3", Action::kMenu, "emergency", "", true, "", "输入有误"},
      // consult: topics in order of first appearance
      {"consult", "", "1", Action::kMenu, "consult_topic", "疫苗", false, "", "狂犬疫苗，请按2"},
      {"consult", "", "2", Action::kMenu, "consult_topic", "就医", false, "", "发热门诊，请按1"},
      {"consult", "", "3", Action::kMenu, "consult", "", true, "", "输入有误"},
      {"consult", "", "9", Action::kMenu, "consult", "", false, "", "就医，请按2"},
      {"consult", "", "*", Action::kMenu, "main", "", false, "", "欢迎致电"},
      // entries of a topic: a key reads the entry out, then the list again
      {"consult_topic", "疫苗", "1", Action::kPlay, "consult_topic", "疫苗", false, "",
       "每年接种一次"},
      {"consult_topic", "疫苗", "2", Action::kPlay, "consult_topic", "疫苗", false, "", "冲洗伤口"},
      {"consult_topic", "疫苗", "3", Action::kMenu, "consult_topic", "疫苗", true, "", "输入有误"},
      {"consult_topic", "疫苗", "9", Action::kMenu, "consult_topic", "疫苗", false, "",
       "流感疫苗接种，请按1"},
      {"consult_topic", "疫苗", "*", Action::kMenu, "consult", "", false, "", "疫苗，请按1"},
      // message: * goes back; any other key is an error and records again
      {"message", "", "*", Action::kMenu, "main", "", false, "", "欢迎致电"},
      {"message", "", "5", Action::kRecord, "message", "", true, "", "提示音后"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(std::string(tc.node) + " key '" + tc.digits + "'");
    Session s = At(tc.node, tc.topic);
    StepResult r = Step(M(), s, tc.digits, NightContext());
    EXPECT_EQ(ActionName(r.action), ActionName(tc.action));
    EXPECT_EQ(s.node, tc.next_node);
    EXPECT_EQ(r.node, tc.next_node);
    EXPECT_EQ(s.topic, tc.next_topic);
    EXPECT_EQ(s.phase, Phase::kMenu);
    EXPECT_EQ(s.errors, tc.error ? 1 : 0);
    EXPECT_EQ(Contains(r.Text(), M().texts.invalid), tc.error) << r.Text();
    EXPECT_TRUE(Contains(r.Text(), tc.says)) << r.Text();
    EXPECT_EQ(r.transfer_to.value_or(""), tc.transfer_to);
  }
}

TEST(IvrStep, RecordStepCarriesMaxSeconds) {
  Session s = At("main");
  StepResult r = Step(M(), s, "3", NightContext());
  ASSERT_EQ(r.action, Action::kRecord);
  EXPECT_EQ(r.max_s, 120);
  EXPECT_EQ(r.ToJson()["max_s"], 120);
  EXPECT_EQ(r.ToJson()["action"], "record");
}

TEST(IvrStep, NoInputRepromptsWithTheMenu) {
  Session s = At("emergency");
  StepResult r = Step(M(), s, "", NightContext());
  EXPECT_EQ(r.action, Action::kMenu);
  EXPECT_EQ(r.preamble, M().texts.no_input);
  EXPECT_TRUE(Contains(r.prompt, "转接请按1")) << r.prompt;
  EXPECT_EQ(s.errors, 1);
  EXPECT_EQ(s.no_input, 1);
  EXPECT_EQ(s.node, "emergency");
}

TEST(IvrStep, ThreeConsecutiveErrorsSayGoodbyeAndHangUp) {
  Session s = At("main");
  EXPECT_EQ(Step(M(), s, "7", NightContext()).action, Action::kMenu);
  EXPECT_EQ(Step(M(), s, "", NightContext()).action, Action::kMenu);
  StepResult r = Step(M(), s, "8", NightContext());
  EXPECT_EQ(r.action, Action::kHangup);
  EXPECT_TRUE(Contains(r.Text(), M().texts.too_many_errors));
  EXPECT_TRUE(Contains(r.Text(), M().texts.goodbye));
  EXPECT_EQ(s.phase, Phase::kEnded);
  // Whatever comes after the goodbye gets the goodbye again.
  EXPECT_EQ(Step(M(), s, "1", NightContext()).action, Action::kHangup);
  EXPECT_EQ(Current(M(), s, NightContext()).action, Action::kHangup);
}

TEST(IvrStep, AValidKeyResetsTheErrorCount) {
  Session s = At("main");
  Step(M(), s, "7", NightContext());
  Step(M(), s, "", NightContext());
  Step(M(), s, "2", NightContext());  // valid: into consult
  EXPECT_EQ(s.errors, 0);
  EXPECT_EQ(s.no_input, 0);
  Step(M(), s, "7", NightContext());
  StepResult r = Step(M(), s, "7", NightContext());
  EXPECT_EQ(r.action, Action::kMenu) << "two errors after a valid key are not three";
}

TEST(IvrStep, AgentIsRefusedOutsideHoursAndNotOffered) {
  Session s = At("main");
  StepResult r = Current(M(), s, NightContext());
  EXPECT_FALSE(Contains(r.prompt, "人工服务")) << r.prompt;
  for (const auto& o : r.options) EXPECT_NE(o.digit, "0");
  r = Step(M(), s, "0", NightContext());
  EXPECT_EQ(r.action, Action::kMenu);
  EXPECT_EQ(s.errors, 1);
  EXPECT_EQ(s.phase, Phase::kMenu);
}

TEST(IvrStep, AgentDuringHoursQueuesTheCall) {
  IvrContext day = NightContext();
  day.open_now = true;
  Session s = At("main");
  EXPECT_TRUE(Contains(Current(M(), s, day).prompt, "人工服务，请按0"));
  StepResult r = Step(M(), s, "0", day);
  EXPECT_EQ(r.action, Action::kQueue);
  EXPECT_EQ(s.phase, Phase::kQueue);
  EXPECT_EQ(r.prompt, M().texts.queue_wait);
}

TEST(IvrStep, IncidentMessagePlaysFirstOnTheFirstDocumentAndOnRepeat) {
  IvrContext c = NightContext();
  const std::string msg = "目前本市发生诺如病毒聚集性疫情，请注意饮食卫生。";
  c.incident_messages = {msg};
  Session s = NewSession(M());
  StepResult first = Current(M(), s, c);
  EXPECT_EQ(first.Text().rfind(msg, 0), 0u) << first.Text();
  EXPECT_TRUE(s.greeted);
  EXPECT_FALSE(Contains(Current(M(), s, c).Text(), msg)) << "a re-fetch";
  StepResult repeat = Step(M(), s, "9", c);
  EXPECT_EQ(repeat.Text().rfind(msg, 0), 0u) << repeat.Text();
  EXPECT_FALSE(Contains(Step(M(), s, "7", c).Text(), msg)) << "an error";
}

TEST(IvrStep, EveryOpenIncidentsMessagePlaysFirstOldestFirst) {
  IvrContext c = NightContext();
  c.incident_messages = {"诺如病毒疫情通报。", "食物中毒事件通报。"};
  Session s = NewSession(M());
  StepResult first = Current(M(), s, c);
  EXPECT_EQ(first.Text().rfind("诺如病毒疫情通报。食物中毒事件通报。", 0), 0u) << first.Text();
  StepResult repeat = Step(M(), s, "9", c);
  EXPECT_EQ(repeat.Text().rfind("诺如病毒疫情通报。食物中毒事件通报。", 0), 0u) << repeat.Text();
}

TEST(IvrStep, IncidentMessagePrecedesAFirstKeyWithoutGreeting) {
  IvrContext c = NightContext();
  c.incident_messages = {"疫情通报。"};
  Session s = NewSession(M());
  StepResult r = Step(M(), s, "1", c);
  EXPECT_EQ(r.Text().rfind("疫情通报。", 0), 0u) << r.Text();
  EXPECT_EQ(s.node, "emergency");
}

TEST(IvrStep, MissingDutyNumberIsNeitherOfferedNorAccepted) {
  IvrContext c = NightContext();
  c.duty.pop_back();  // no CDC number
  Session s = At("emergency");
  StepResult menu = Current(M(), s, c);
  EXPECT_FALSE(Contains(menu.prompt, "转接请按2")) << menu.prompt;
  StepResult r = Step(M(), s, "2", c);
  EXPECT_EQ(r.action, Action::kMenu);
  EXPECT_EQ(s.errors, 1);
}

TEST(IvrStep, EmptyKnowledgeBaseSendsTheCallerBack) {
  IvrContext c = NightContext();
  c.entries.clear();
  Session s = At("main");
  StepResult r = Step(M(), s, "2", c);
  EXPECT_EQ(s.node, "main");
  EXPECT_TRUE(Contains(r.preamble, M().texts.no_content)) << r.Text();
  // A topic that vanished between two requests falls back to the topics list.
  Session gone = At("consult_topic", "已删除的主题");
  r = Current(M(), gone, NightContext());
  EXPECT_EQ(gone.node, "consult");
  EXPECT_TRUE(Contains(r.Text(), "疫苗，请按1"));
}

TEST(IvrStep, NoInputInRecordAsksForTheMessageAgain) {
  Session s = At("message");
  StepResult r = Step(M(), s, "", NightContext());
  EXPECT_EQ(r.action, Action::kRecord);
  EXPECT_EQ(r.preamble, M().texts.record_missing);
  EXPECT_EQ(s.no_input, 1);
}

TEST(IvrStep, AfterRecordingThanksAndHangsUp) {
  Session s = At("message");
  StepResult r = AfterRecording(M(), s);
  EXPECT_EQ(r.action, Action::kHangup);
  EXPECT_TRUE(Contains(r.Text(), M().texts.recorded));
  EXPECT_EQ(s.phase, Phase::kEnded);
}

TEST(IvrStep, AfterACallbackRequestTheCallerHearsTheyKeepTheirPlace) {
  Session s = At("message");
  StepResult r = AfterRecording(M(), s, true);
  EXPECT_EQ(r.action, Action::kHangup);
  EXPECT_TRUE(Contains(r.Text(), M().texts.callback_recorded));
  EXPECT_FALSE(Contains(r.Text(), M().texts.recorded));
}

TEST(IvrStep, QueueAnnouncesPositionAndWaitAndOffersAMessage) {
  IvrContext c = NightContext();
  c.open_now = true;
  c.queue = QueueStatus{3, 150, std::nullopt};
  Session s = At("main");
  s.phase = Phase::kQueue;
  StepResult r = Current(M(), s, c);
  EXPECT_EQ(r.action, Action::kQueue);
  EXPECT_TRUE(Contains(r.prompt, "第3位")) << r.prompt;
  EXPECT_TRUE(Contains(r.prompt, "约3分钟")) << r.prompt;
  c.queue->ewt_s = 20;
  EXPECT_TRUE(Contains(Current(M(), s, c).prompt, M().texts.wait_short));
  // Other keys keep the caller waiting, without counting errors.
  r = Step(M(), s, "5", c);
  EXPECT_EQ(r.action, Action::kQueue);
  EXPECT_EQ(s.errors, 0);
  r = Step(M(), s, "1", c);
  EXPECT_EQ(r.action, Action::kRecord);
  EXPECT_TRUE(r.left_queue);
  EXPECT_EQ(s.phase, Phase::kMenu);
  EXPECT_EQ(s.node, "message");
}

TEST(IvrStep, RoutedCallTransfersToTheSeatExtension) {
  IvrContext c = NightContext();
  c.queue = QueueStatus{1, 0, "sip:seat7@pbx.local"};
  Session s = At("main");
  s.phase = Phase::kQueue;
  StepResult r = Current(M(), s, c);
  EXPECT_EQ(r.action, Action::kTransfer);
  EXPECT_TRUE(r.to_agent);
  EXPECT_EQ(r.transfer_to, "sip:seat7@pbx.local");
}

TEST(IvrStep, MenuFromAnOlderConfigFallsBackToTheRoot) {
  Session s = At("node_removed_since");
  StepResult r = Step(M(), s, "2", NightContext());
  EXPECT_EQ(s.node, "consult");
  EXPECT_EQ(r.action, Action::kMenu);
}

TEST(IvrStepJson, CarriesPromptActionOptionsAndTransferTarget) {
  Session s = At("main");
  auto j = Step(M(), s, "1", NightContext()).ToJson();
  EXPECT_EQ(j["action"], "menu");
  ASSERT_TRUE(j["options"].is_array());
  ASSERT_GE(j["options"].size(), 2u);
  EXPECT_EQ(j["options"][0]["digits"], "1");
  EXPECT_EQ(j["options"][0]["action"], "transfer");
  EXPECT_EQ(j["options"][0]["transfer_to"], testing::kInspectionPhone);
  j = Step(M(), s, "2", NightContext()).ToJson();
  EXPECT_EQ(j["action"], "transfer");
  EXPECT_EQ(j["transfer_to"], testing::kCdcPhone);
  EXPECT_TRUE(Contains(j["prompt"].get<std::string>(), "市疾病预防控制中心"));
}

// The conformance walk (shared/conformance/05-ivr) on one session: 1, 1, 7, 3.
TEST(IvrStepJson, TransferReturnsToTheMainMenuSoTheNextChoiceWorks) {
  Session s = NewSession(M());
  Current(M(), s, NightContext());
  EXPECT_EQ(Step(M(), s, "1", NightContext()).action, Action::kMenu);
  EXPECT_EQ(Step(M(), s, "1", NightContext()).action, Action::kTransfer);
  EXPECT_EQ(Step(M(), s, "7", NightContext()).action, Action::kMenu);
  EXPECT_EQ(Step(M(), s, "3", NightContext()).action, Action::kRecord);
}

// Twenty voice entries in one topic, and eleven topics: lists page through with key 0.
IvrContext LongLists() {
  IvrContext c = NightContext();
  c.entries.clear();
  for (int i = 1; i <= 20; ++i) {
    c.entries.push_back({"e" + std::to_string(i), "条目" + std::to_string(i), "疫苗", "正文" + std::to_string(i)});
  }
  for (int t = 2; t <= 11; ++t) {
    c.entries.push_back({"t" + std::to_string(t), "话题条目" + std::to_string(t), "话题" + std::to_string(t), "正文"});
  }
  return c;
}

TEST(IvrStep, LongListsPageThroughWithTheNextKey) {
  IvrContext c = LongLists();
  Session s = At("consult_topic", "疫苗");
  StepResult page1 = Current(M(), s, c);
  EXPECT_TRUE(Contains(page1.prompt, "条目8，请按8")) << page1.prompt;
  EXPECT_FALSE(Contains(page1.prompt, "条目9，"));
  EXPECT_TRUE(Contains(page1.prompt, "更多内容，请按0"));
  StepResult page2 = Step(M(), s, "0", c);
  EXPECT_EQ(s.page, 1);
  EXPECT_EQ(s.errors, 0);
  EXPECT_TRUE(Contains(page2.prompt, "条目9，请按1")) << page2.prompt;
  EXPECT_TRUE(Contains(page2.prompt, "条目16，请按8"));
  // A key on page 2 reads that page's entry; repeat stays on the page.
  EXPECT_TRUE(Contains(Step(M(), s, "3", c).preamble, "条目11。正文11"));
  EXPECT_TRUE(Contains(Step(M(), s, "9", c).prompt, "条目9，请按1"));
  StepResult page3 = Step(M(), s, "0", c);
  EXPECT_TRUE(Contains(page3.prompt, "条目20，请按4")) << page3.prompt;
  EXPECT_FALSE(Contains(page3.prompt, "更多内容")) << "no page after the last";
  StepResult past = Step(M(), s, "0", c);
  EXPECT_TRUE(Contains(past.Text(), M().texts.invalid)) << "0 is not offered on the last page";
  // Back to the topics, which start at their first page again; eleven topics make two pages.
  StepResult topics = Step(M(), s, "*", c);
  EXPECT_EQ(s.node, "consult");
  EXPECT_EQ(s.page, 0);
  EXPECT_TRUE(Contains(topics.prompt, "话题8，请按8")) << topics.prompt;
  StepResult more = Step(M(), s, "0", c);
  EXPECT_TRUE(Contains(more.prompt, "话题9，请按1")) << more.prompt;
  EXPECT_TRUE(Contains(more.prompt, "话题11，请按3"));
  Step(M(), s, "2", c);
  EXPECT_EQ(s.node, "consult_topic");
  EXPECT_EQ(s.topic, "话题10");
  EXPECT_EQ(s.page, 0);
  // A list that shrank under a turned page starts again at its first page.
  Session stale = At("consult_topic", "疫苗");
  stale.page = 2;
  EXPECT_TRUE(Contains(Current(M(), stale, NightContext()).prompt, "流感疫苗接种，请按1"));
}

TEST(IvrStepJson, QueueStepCarriesPositionAndWait) {
  IvrContext c = NightContext();
  c.open_now = true;
  c.queue = QueueStatus{2, 95, std::nullopt};
  Session s = At("main");
  auto j = Step(M(), s, "0", c).ToJson();
  EXPECT_EQ(j["action"], "queue");
  EXPECT_EQ(j["position"], 2);
  EXPECT_EQ(j["ewt_s"], 95);
  c.queue = QueueStatus{};  // not known yet: no figures
  s = At("main");
  j = Step(M(), s, "0", c).ToJson();
  EXPECT_FALSE(j.contains("position"));
  EXPECT_FALSE(j.contains("ewt_s"));
}

TEST(IvrStep, AFullQueueSendsTheCallerBackToTheMainMenu) {
  IvrContext c = NightContext();
  c.open_now = true;
  Session s = At("main");
  Step(M(), s, "0", c);
  ASSERT_EQ(s.phase, Phase::kQueue);
  StepResult r = QueueRefused(M(), s, c);
  EXPECT_EQ(r.action, Action::kMenu);
  EXPECT_EQ(s.phase, Phase::kMenu);
  EXPECT_EQ(s.node, "main");
  EXPECT_EQ(r.preamble.rfind(M().texts.queue_full, 0), 0u) << r.Text();
  EXPECT_TRUE(Contains(r.prompt, "人工服务，请按0"));
}

TEST(IvrSession, RoundTripsThroughJson) {
  Session s = At("consult_topic", "疫苗");
  s.phase = Phase::kQueue;
  s.errors = 2;
  s.no_input = 1;
  s.page = 3;
  auto back = Session::FromJson(s.ToJson());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->phase, Phase::kQueue);
  EXPECT_EQ(back->node, "consult_topic");
  EXPECT_EQ(back->topic, "疫苗");
  EXPECT_EQ(back->errors, 2);
  EXPECT_EQ(back->no_input, 1);
  EXPECT_EQ(back->page, 3);
  EXPECT_TRUE(back->greeted);
}

TEST(IvrSession, RefusesMalformedState) {
  for (const char* text : {R"({"phase":"dancing","node":"main"})", R"({"phase":"menu"})",
                           R"({"phase":"menu","node":"main","errors":-1})", R"([1,2])"}) {
    EXPECT_FALSE(Session::FromJson(core::Json::parse(text)).has_value()) << text;
  }
}

}  // namespace
}  // namespace hotline::ivr

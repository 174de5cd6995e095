#include <gtest/gtest.h>

#include "kb_fixture.hpp"

namespace hotline::kb::testing {
namespace {

using V = std::vector<std::string>;

class Search : public KbTest {
 protected:
  /// Waits until asynchronous writes queued so far (gaps, usage) are committed.
  void Flush() {
    db_->Write([](storage::Connection&) {});
  }
};

TEST_F(Search, TwoCharacterWordsMatch) {
  Add("儿童发烧怎么办", "体温超过38.5度可以服用退烧药。");
  Add("预约挂号", "可通过电话或网上预约挂号。");
  Add("疫苗接种", "带好接种本。");
  EXPECT_EQ(Titles("发烧"), (V{"儿童发烧怎么办"}));
  EXPECT_EQ(Titles("挂号"), (V{"预约挂号"}));
  EXPECT_EQ(Titles("疫苗"), (V{"疫苗接种"}));
}

TEST_F(Search, TitleHitRanksAboveBodyHit) {
  Add("医院停车须知", "来院看病、挂号、发烧门诊都可停车。发烧病人请走东门。");
  Add("发烧门诊在哪里", "发热门诊位于门诊楼一层。");
  EXPECT_EQ(Titles("发烧"), (V{"发烧门诊在哪里", "医院停车须知"}));
}

TEST_F(Search, KeywordHitRanksAboveBodyHit) {
  Add("犬伤处置", "伤口用肥皂水冲洗15分钟。", {"狂犬病", "狗咬"});
  Add("动物园须知", "园内有狂犬病宣传栏，请勿喂食。狂犬病可防。");
  auto hits = Titles("狂犬病");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0], "犬伤处置");
}

TEST_F(Search, AsciiWordsAndNumbersMatchInAnyCaseAndWidth) {
  Add("HPV疫苗预约", "九价HPV疫苗需预约。");
  Add("甲型H1N1流感", "症状与普通流感相似。");
  Add("热线电话", "卫生热线12320全天服务。");
  EXPECT_EQ(Titles("hpv"), (V{"HPV疫苗预约"}));
  EXPECT_EQ(Titles("ＨＰＶ"), (V{"HPV疫苗预约"}));
  EXPECT_EQ(Titles("h1n1"), (V{"甲型H1N1流感"}));
  EXPECT_EQ(Titles("１２３２０"), (V{"热线电话"}));
}

TEST_F(Search, TraditionalQueryFindsSimplifiedEntryAndBack) {
  Add("预约挂号", "可通过电话预约。");
  Add("發燒處理", "先量體溫。");
  EXPECT_EQ(Titles("掛號"), (V{"预约挂号"}));
  EXPECT_EQ(Titles("发烧"), (V{"發燒處理"}));
}

TEST_F(Search, QuestionWordsDoNotRankByPhrasing) {
  Add("发烧了怎么办", "多喝水，及时就医。");
  Add("被狗咬伤的处理", "立即冲洗伤口，尽快接种狂犬病疫苗。");
  EXPECT_EQ(Titles("狗咬了怎么办"), (V{"被狗咬伤的处理"}));
}

TEST_F(Search, SynonymsExpandTheQuery) {
  Add("狂犬病暴露处置", "伤口冲洗后接种疫苗。");
  EXPECT_TRUE(Titles("被狗咬").empty());
  ASSERT_TRUE(kb_.PutSynonyms(Supervisor(), {{"狗咬", {"狂犬病"}}}).has_value());
  EXPECT_EQ(Titles("被狗咬"), (V{"狂犬病暴露处置"}));
  EXPECT_EQ(Titles("被狗咬了"), (V{"狂犬病暴露处置"}));
}

TEST_F(Search, SynonymsPersistAcrossRestart) {
  ASSERT_TRUE(kb_.PutSynonyms(Supervisor(), {{"打疫苗", {"接种"}}}).has_value());
  Add("接种须知", "接种后留观30分钟。");
  Service again(*db_, clock_);
  EXPECT_EQ(again.GetSynonyms().at("打疫苗"), std::vector<std::string>{"接种"});
  std::vector<std::string> titles;
  for (const auto& h : again.Search("打疫苗")) titles.push_back(h.title);
  EXPECT_EQ(titles, (V{"接种须知"}));
}

TEST_F(Search, PrefixModeCompletesTheLastWord) {
  Add("HPV疫苗预约", "九价需预约。");
  EXPECT_TRUE(Titles("hp").empty());
  auto hits = kb_.Search("hp", {.prefix = true});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].title, "HPV疫苗预约");
  EXPECT_EQ(hits[0].snippet, "九价需预约。");
  EXPECT_EQ(kb_.Search("九价 hp", {.prefix = true}).at(0).snippet, "<mark>九价</mark>需预约。");
  Add("HPV检测", "hpv-dna检测与HPV疫苗无关");
  EXPECT_EQ(kb_.Search("dna hp", {.prefix = true}).at(0).snippet,
            "<mark>hpv</mark>-<mark>dna</mark>检测与<mark>HPV</mark>疫苗无关");
  // A word followed by a space is complete.
  EXPECT_TRUE(Titles("hp ", {.prefix = true}).empty());
}

TEST_F(Search, SnippetMarksTheMatchAndEscapesHtml) {
  Add("退烧", "<b>注意</b>：孩子发烧超过38.5度时服药。");
  auto hits = kb_.Search("发烧");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].snippet, "&lt;b&gt;注意&lt;/b&gt;：孩子<mark>发烧</mark>超过38.5度时服药。");
  EXPECT_GT(hits[0].score, 0);
}

TEST_F(Search, SnippetMarksTraditionalTextAndJoinsAdjacentPairs) {
  Add("犬伤", "被狗咬傷要打狂犬病疫苗");
  auto hits = kb_.Search("狂犬病");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].snippet, "被狗咬傷要打<mark>狂犬病</mark>疫苗");
}

TEST_F(Search, LongBodySnippetIsCutAroundTheMatch) {
  std::string body(200, 'x');
  body += " 发烧 ";
  body += std::string(200, 'y');
  Add("长文", body);
  auto hits = kb_.Search("发烧");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].snippet.find("<mark>发烧</mark>"), std::string::npos);
  EXPECT_EQ(hits[0].snippet.rfind("…", 0), 0u);
  EXPECT_LT(hits[0].snippet.size(), 120u);
}

TEST_F(Search, SoftDeleteHidesFromSearch) {
  auto e = Add("发烧门诊", "位于一层。");
  ASSERT_EQ(Titles("发烧").size(), 1u);
  ASSERT_TRUE(kb_.Delete(Supervisor(), e.id).has_value());
  EXPECT_TRUE(Titles("发烧").empty());
}

TEST_F(Search, EditedEntryIsFoundByItsNewWordsOnly) {
  auto e = Add("门诊时间", "周一至周五。");
  ASSERT_TRUE(kb_.Update(Supervisor(), e.id, {.title = std::string("挂号时间")}).has_value());
  EXPECT_TRUE(Titles("门诊").empty());
  EXPECT_EQ(Titles("挂号"), (V{"挂号时间"}));
}

TEST_F(Search, LimitBoundsTheResults) {
  for (int i = 0; i < 8; ++i) Add("疫苗问答" + std::to_string(i), "疫苗");
  EXPECT_EQ(Titles("疫苗", {.limit = 3}).size(), 3u);
  EXPECT_EQ(Titles("疫苗", {.limit = 500}).size(), 8u);  // clamped to kMaxSearchLimit, not refused
}

TEST_F(Search, QueriesWithNoResultAreCountedAsGaps) {
  Add("发烧", "多喝水");
  Titles("新冠 疫苗");
  Titles("新冠　疫苗 ");  // the same query after folding and collapsing spaces
  Titles("艾灸");
  Titles("发烧");                        // found something: not a gap
  Titles("不存在", {.prefix = true});    // still typing: not a gap
  Titles("不存在", {.record_gap = false});
  Flush();
  auto page = kb_.Gaps(std::nullopt, 10);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].query, "新冠疫苗");  // the topic: no spaces between Chinese words
  EXPECT_EQ(page.items[0].last_query, "新冠 疫苗");
  EXPECT_EQ(page.items[0].count, 2);
  EXPECT_EQ(page.items[1].query, "艾灸");
  EXPECT_EQ(page.items[1].count, 1);
  EXPECT_FALSE(page.next.has_value());
}

TEST_F(Search, GapsArePagedByCountThenQuery) {
  for (const char* q : {"甲", "乙", "乙", "丙", "丙", "丙"}) Titles(q);
  Flush();
  auto first = kb_.Gaps(std::nullopt, 2);
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].query, "丙");
  EXPECT_EQ(first.items[1].query, "乙");
  ASSERT_TRUE(first.next.has_value());
  auto second = kb_.Gaps(first.next, 2);
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].query, "甲");
  EXPECT_FALSE(second.next.has_value());
}

TEST_F(Search, NothingSearchableFindsNothingAndIsNoGap) {
  Add("发烧", "多喝水");
  EXPECT_TRUE(Titles("？！。,.").empty());
  EXPECT_TRUE(Titles("").empty());
  Flush();
  EXPECT_TRUE(kb_.Gaps(std::nullopt, 10).items.empty());
}

TEST_F(Search, QuotesAndOperatorsInAQueryAreText) {
  Add("HPV疫苗", "九价");
  EXPECT_NO_THROW(Titles("\"hpv\" OR NEAR( * ^ -"));
  EXPECT_EQ(Titles("hpv\" OR \""), (V{"HPV疫苗"}));
}

}  // namespace
}  // namespace hotline::kb::testing

namespace hotline::kb::testing {
namespace {

// With a tiny budget every search is narrowed to its rarest word first and widened when the
// MaxScore bound says another entry could still win: the result must not change.
TEST_F(Search, NarrowedRankingGivesTheSameResultsAsFullRanking) {
  const char* words[] = {"发烧", "疫苗", "挂号", "狂犬病", "医院", "儿童", "预约", "门诊", "HPV", "体检"};
  for (int i = 0; i < 40; ++i) {
    std::string title = std::string(words[i % 10]) + words[(i * 3 + 1) % 10];
    std::string body = std::string(words[(i * 7 + 2) % 10]) + "，" + words[(i + 5) % 10] + "。" + std::to_string(i);
    Add(title + std::to_string(i), body);
  }
  Service narrow(*db_, clock_, {.candidate_budget = 1, .scan_cap = 1000});
  for (const char* q : {"发烧疫苗", "儿童医院挂号", "狂犬病 HPV", "预约体检门诊", "医院"}) {
    std::vector<std::string> full = Titles(q), narrowed;
    for (const auto& h : narrow.Search(q, {.record_gap = false})) narrowed.push_back(h.title);
    EXPECT_EQ(narrowed, full) << q;
    EXPECT_FALSE(full.empty()) << q;
  }
}

}  // namespace
}  // namespace hotline::kb::testing

#include "kb/ranking.hpp"

#include <gtest/gtest.h>

#include "kb_fixture.hpp"

namespace hotline::kb::testing {
namespace {

class Ranking : public KbTest {};

TEST_F(Ranking, FrequencyIsCountedBelowTheProbeCapAndEstimatedAbove) {
  // "发烧" in every other entry of 400, "挂号" in four.
  for (int i = 0; i < 400; ++i) {
    Add("条目" + std::to_string(i), (i % 2 == 0 ? "发烧" : "咳嗽") + std::string(i % 100 == 0 ? "挂号" : ""));
  }
  SearchTuning tuning{.probe_cap = 50};
  internal::DocFreqCache cache(tuning);
  auto df = db_->Read([&](storage::Connection& c) {
    return cache.Lookup(c, {"\"挂号\"", "\"发烧\"", "\"没有\""}, 400);
  });
  EXPECT_EQ(df[0], 4);
  EXPECT_NEAR(df[1], 200, 20);
  EXPECT_EQ(df[2], 0);
}

TEST_F(Ranking, TooCommonWordsAreDropped) {
  for (int i = 0; i < 10; ++i) Add("发烧" + std::to_string(i), i < 2 ? "挂号" : "多喝水");
  SearchTuning tuning;
  internal::DocFreqCache cache(tuning);
  internal::RankTrace trace;
  db_->Read([&](storage::Connection& c) {
    return internal::RankEntries(c, {"\"发烧\"", "\"挂号\""}, cache, tuning, 3, &trace);
  });
  EXPECT_EQ(trace.terms, 1u);
}

TEST_F(Ranking, AbsentWordsAreDroppedAndOneRareWordNarrowsTheSearch) {
  // 发烧 in a third of the entries; a word in more than half of them would rank nothing.
  for (int i = 0; i < 30; ++i) {
    Add((i % 3 == 0 ? "发烧" : "咳嗽") + std::to_string(i), i == 6 ? "狂犬病" : "多喝水");
  }
  SearchTuning tuning{.candidate_budget = 5};
  internal::DocFreqCache cache(tuning);
  internal::RankTrace trace;
  auto ranked = db_->Read([&](storage::Connection& c) {
    return internal::RankEntries(c, {"\"狂犬\"", "\"发烧\"", "\"不存在\""}, cache, tuning, 3, &trace);
  });
  EXPECT_EQ(trace.terms, 2u);  // 不存在 occurs nowhere
  EXPECT_EQ(trace.gate, 1u);   // 狂犬 alone narrows
  ASSERT_FALSE(ranked.empty());
  EXPECT_EQ(kb_.Get(ranked[0].id)->content.title, "发烧6");
  // One entry holds the rare word, three were asked for: the second pass fills up.
  EXPECT_EQ(trace.passes, 2);
  EXPECT_EQ(ranked.size(), 3u);
}

// More body-only mentions than a pass scores (scan_cap): the entries with the word in their
// title or keywords, created after all of them, must still come first.
TEST_F(Ranking, TitleAndKeywordMatchesBeatBodyMentionsBeyondTheScanCap) {
  for (int i = 0; i < 30; ++i) Add("条目" + std::to_string(i), "提到发烧和狂犬病" + std::to_string(i));
  for (int i = 0; i < 40; ++i) Add("其他" + std::to_string(i), "挂号" + std::to_string(i));  // words stay under half
  auto by_title = Add("狂犬病人发烧怎么办", "多喝水");
  auto by_keyword = Add("门诊须知", "一层", {"发烧", "狂犬病"});
  Service capped(*db_, clock_, {.candidate_budget = 1, .scan_cap = 5});
  for (const char* q : {"发烧", "发烧 狂犬病"}) {
    auto hits = capped.Search(q, {.limit = 3, .record_gap = false});
    ASSERT_EQ(hits.size(), 3u) << q;
    EXPECT_EQ(hits[0].id, by_title.id) << q;
    EXPECT_EQ(hits[1].id, by_keyword.id) << q;
  }
  // The title/keyword index follows edits, deletion and restore.
  ASSERT_TRUE(kb_.Delete(Supervisor(), by_title.id).has_value());
  EXPECT_EQ(capped.Search("发烧", {.limit = 3, .record_gap = false}).at(0).id, by_keyword.id);
  ASSERT_TRUE(kb_.Restore(Supervisor(), by_title.id).has_value());
  EXPECT_EQ(capped.Search("发烧", {.limit = 3, .record_gap = false}).at(0).id, by_title.id);
  ASSERT_TRUE(kb_.Update(Supervisor(), by_keyword.id, {.keywords = std::vector<std::string>{"门诊"}}).has_value());
  auto after = capped.Search("发烧", {.limit = 3, .record_gap = false});
  EXPECT_EQ(after.at(0).id, by_title.id);
  EXPECT_NE(after.at(1).id, by_keyword.id);  // no longer about 发烧
  internal::RankTrace trace;
  SearchTuning tuning{.scan_cap = 5};
  internal::DocFreqCache cache(tuning);
  db_->Read([&](storage::Connection& c) {
    return internal::RankEntries(c, {"\"发烧\""}, cache, tuning, 3, &trace);
  });
  EXPECT_TRUE(trace.head_pass);
}

// One character: the entries holding it in the title or keywords first, even when it is
// common in bodies.
TEST_F(Ranking, OneCharacterQueriesPreferTitlesAndKeywords) {
  for (int i = 0; i < 30; ++i) Add("条目" + std::to_string(i), "家里的狗" + std::to_string(i));
  auto dog = Add("被狗咬伤", "冲洗伤口");
  Service capped(*db_, clock_, {.scan_cap = 5});
  auto hits = capped.Search("狗", {.limit = 3, .record_gap = false});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, dog.id);
  EXPECT_EQ(Titles("狗").at(0), "被狗咬伤");
  auto prefixed = capped.Search("狗", {.limit = 3, .prefix = true, .record_gap = false});
  ASSERT_FALSE(prefixed.empty());
  EXPECT_EQ(prefixed[0].id, dog.id);
}

}  // namespace
}  // namespace hotline::kb::testing

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

}  // namespace
}  // namespace hotline::kb::testing

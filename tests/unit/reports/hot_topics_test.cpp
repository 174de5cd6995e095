// Hot topics over work orders written by the real service: a week with a new topic against
// four ordinary weeks.
#include "hotline/reports/hot_topics.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "report_fixture.hpp"

namespace hotline::reports {
namespace {

using workorder::Type;

class HotTopicsTest : public testing::ReportDb {
 protected:
  void Seed() {
    // Long before the baseline: must not count at all.
    At(2026, 2, 10, 9, 0);
    for (int i = 0; i < 5; ++i) Create(Type::kConsult, "蜱虫咬伤旧事", "", "蚊虫叮咬");
    // Four ordinary weeks: registration questions, a fever now and then.
    for (unsigned d = 24; d <= 28; d += 2) {
      At(2026, 2, d, 10, 0);
      Create(Type::kConsult, "孩子发烧挂号", "", "挂号");
    }
    for (unsigned d = 2; d <= 22; d += 2) {
      At(2026, 3, d, 10, 0);
      Create(Type::kConsult, "孩子发烧挂号", "", "挂号");
    }
    // The week up to Monday 30 March: ticks bite five people; registration as usual.
    const char* bites[] = {"孩子被蜱虫咬伤", "蜱虫咬伤怎么处理", "老人蜱虫咬伤后发烧",
                           "蜱虫咬伤需要打针吗", "在公园里蜱虫咬伤"};
    for (int i = 0; i < 5; ++i) {
      At(2026, 3, 24 + i, 11, 0);
      ids_.push_back(Create(Type::kConsult, bites[i], "", "蚊虫叮咬"));
    }
    At(2026, 3, 29, 9, 0);
    Create(Type::kConsult, "孩子发烧挂号", "", "挂号");
    At(2026, 3, 30, 12, 0);
  }

  HotTopics Find(int days, int limit = kDefaultTopicLimit) {
    return db_->Read(
        [&](storage::Connection& c) { return FindHotTopics(c, clock_.Now(), days, limit); });
  }

  std::vector<int64_t> ids_;
};

TEST_F(HotTopicsTest, FindsTheNewCategoryAndItsKeywordOnce) {
  Seed();
  HotTopics r = Find(7);
  EXPECT_EQ(r.window.from, Local(2026, 3, 23, 12, 0));
  EXPECT_EQ(r.baseline.from, Local(2026, 2, 23, 12, 0));
  EXPECT_EQ(r.work_orders, 6);
  EXPECT_EQ(r.baseline_work_orders, 14);

  ASSERT_EQ(r.categories.size(), 1u);
  const Topic& c = r.categories[0];
  EXPECT_EQ(c.name, "蚊虫叮咬");
  EXPECT_EQ(c.count, 5);
  EXPECT_EQ(c.baseline_count, 0);  // the February ones are older than the baseline
  EXPECT_EQ(c.expected, 0);
  EXPECT_FALSE(c.ratio);
  EXPECT_NEAR(c.score,
              -std::log10(1 - std::exp(-0.25) * (1 + 0.25 + 0.25 * 0.25 / 2 +
                                                 std::pow(0.25, 3) / 6 + std::pow(0.25, 4) / 24)),
              1e-9);
  EXPECT_EQ(c.sample_ticket_ids, (std::vector<int64_t>{ids_[4], ids_[3], ids_[2]}));

  ASSERT_EQ(r.keywords.size(), 1u);  // 蜱虫, 咬伤, 蜱虫咬 … are the same five work orders
  EXPECT_EQ(r.keywords[0].name, "蜱虫咬伤");
  EXPECT_EQ(r.keywords[0].count, 5);
}

TEST_F(HotTopicsTest, SteadyTopicsDoNotRise) {
  Seed();
  for (const auto& k : Find(7).keywords) {
    EXPECT_NE(k.name, "发烧");
    EXPECT_NE(k.name, "挂号");
  }
}

TEST_F(HotTopicsTest, ALongerWindowWeighsTheBurstAgainstOlderBites) {
  Seed();
  HotTopics r = Find(30);
  EXPECT_EQ(r.baseline_days, 120);
  // Over thirty days the five February bites are the baseline: five more is no surprise.
  for (const auto& c : r.categories) EXPECT_NE(c.name, "蚊虫叮咬");
  EXPECT_EQ(Find(7, 1).keywords.size(), 1u);
}

TEST_F(HotTopicsTest, ANinetyDayWindowHasNoBaselineHereAndTakesEveryBiteAsNew) {
  Seed();
  HotTopics r = Find(kMaxHotTopicDays);
  EXPECT_EQ(kMaxHotTopicDays, 90);
  EXPECT_EQ(r.baseline_days, 360);
  EXPECT_EQ(r.work_orders, 25);  // back to 30 December: everything seeded
  EXPECT_EQ(r.baseline_work_orders, 0);
  auto bites = std::find_if(r.keywords.begin(), r.keywords.end(),
                            [](const Topic& t) { return t.name == "蜱虫咬伤"; });
  ASSERT_NE(bites, r.keywords.end());
  EXPECT_EQ(bites->count, 10);
  EXPECT_EQ(bites->baseline_count, 0);
}

TEST_F(HotTopicsTest, NothingRisesInAnEmptyDatabase) {
  HotTopics r = Find(7);
  EXPECT_EQ(r.work_orders, 0);
  EXPECT_TRUE(r.categories.empty());
  EXPECT_TRUE(r.keywords.empty());
}

}  // namespace
}  // namespace hotline::reports

// The audit's gaps: gaps grouped by topic and dismissed, usage from a search checked against
// the agent's call and listed, restore of a deleted entry, categories and keywords checked.
#include <gtest/gtest.h>

#include "kb/query.hpp"
#include "kb_fixture.hpp"

namespace hotline::kb::testing {
namespace {

using core::ErrorCode;

class KbGaps : public KbTest {};

TEST(GapTopic, FoldsDropsPunctuationSpacesAndQuestionWords) {
  EXPECT_EQ(internal::GapTopic("狂犬病？"), "狂犬病");
  EXPECT_EQ(internal::GapTopic("狂犬病?"), "狂犬病");
  EXPECT_EQ(internal::GapTopic(" 狂犬病怎么办 "), "狂犬病");
  EXPECT_EQ(internal::GapTopic("狂犬病　怎么办？！"), "狂犬病");
  EXPECT_EQ(internal::GapTopic("ＨＰＶ 疫苗"), "hpv疫苗");
  EXPECT_EQ(internal::GapTopic("HPV疫苗"), "hpv疫苗");
  EXPECT_EQ(internal::GapTopic("狂犬病疫苗價格"), "狂犬病疫苗价格");  // traditional -> simplified
  EXPECT_EQ(internal::GapTopic("h1n1, flu"), "h1n1 flu");
  EXPECT_EQ(internal::GapTopic("怎么办"), "怎么办");  // question words only: kept
  EXPECT_EQ(internal::GapTopic("？！ ,"), "");
  // A topic is its own topic (what dismissing by the listed topic relies on).
  for (const char* q : {"狂犬病？", "ＨＰＶ 疫苗", "h1n1, flu", "怎么办"}) {
    EXPECT_EQ(internal::GapTopic(internal::GapTopic(q)), internal::GapTopic(q)) << q;
  }
}

TEST_F(KbGaps, VariantsOfOneTopicAreCountedTogether) {
  Add("发烧", "多喝水");
  for (const char* q : {"狂犬病？", "狂犬病?", "狂犬", "狂犬病怎么办", "狂 犬 病", "ＨＰＶ疫苗", "hpv 疫苗"}) {
    EXPECT_TRUE(kb_.Search(q).empty()) << q;
  }
  clock_.Advance(std::chrono::minutes(5));
  kb_.Search("狂犬病！");
  FlushWrites();
  auto page = kb_.Gaps(std::nullopt, 10);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].query, "狂犬");  // kept under the shortest topic of the group
  EXPECT_EQ(page.items[0].count, 6);
  EXPECT_EQ(page.items[0].last_query, "狂犬病!");  // the latest as typed, folded
  EXPECT_EQ(page.items[0].last_at - page.items[0].first_at, std::chrono::minutes(5));
  EXPECT_EQ(page.items[1].query, "hpv疫苗");
  EXPECT_EQ(page.items[1].count, 2);
}

TEST_F(KbGaps, UnrelatedTopicsSharingAWordStayApart) {
  kb_.Search("狂犬病疫苗");
  kb_.Search("流感疫苗");
  kb_.Search("狗");
  kb_.Search("狗粮");  // a one-character topic does not swallow longer ones
  FlushWrites();
  auto page = kb_.Gaps(std::nullopt, 10);
  EXPECT_EQ(page.items.size(), 4u);
}

TEST_F(KbGaps, DismissRemovesTheTopicOnceAnEntryIsWritten) {
  kb_.Search("狂犬病？");
  kb_.Search("狂犬病疫苗");
  kb_.Search("流感");
  FlushWrites();
  ASSERT_EQ(kb_.Gaps(std::nullopt, 10).items.size(), 2u);  // 狂犬病 and 狂犬病疫苗 group
  Add("狂犬病暴露后处置", "立即冲洗伤口");
  auto gone = kb_.DismissGap("狂犬病");
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(*gone, 1);
  auto page = kb_.Gaps(std::nullopt, 10);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].query, "流感");
  EXPECT_EQ(kb_.DismissGap("狂犬病").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(kb_.DismissGap("？").error().code, ErrorCode::kValidationFailed);
  EXPECT_TRUE(kb_.DismissGap("流感？").has_value());  // by any variant of the topic
  EXPECT_TRUE(kb_.Gaps(std::nullopt, 10).items.empty());
}

TEST_F(KbGaps, OpeningCountsOnlyWithTheAgentsCurrentOrRecentCall) {
  auto e = Add("发烧", "多喝水");
  int64_t talking = AddCall(Agent().user_id, "talking");
  int64_t recent = AddCall(Agent().user_id, "ended", clock_.Now() - std::chrono::minutes(10));
  int64_t old = AddCall(Agent().user_id, "ended", clock_.Now() - std::chrono::minutes(31));
  int64_t theirs = AddCall(Agent().user_id + 1, "talking");
  int64_t queued = AddCall(0, "queued");
  EXPECT_TRUE(kb_.Open(Agent(), e.id, talking).has_value());
  EXPECT_TRUE(kb_.Open(Agent(), e.id, recent).has_value());
  EXPECT_TRUE(kb_.Open(Agent(), e.id, std::nullopt).has_value());
  for (int64_t bad : {old, theirs, queued, int64_t{999999}}) {
    auto r = kb_.Open(Agent(), e.id, bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
    EXPECT_EQ(r.error().field, "call_id");
  }
  EXPECT_EQ(kb_.Open(Agent(), 12345, std::nullopt).error().code, ErrorCode::kNotFound);
  kb_.Delete(Supervisor(), Add("旧", "作废").id);
  FlushWrites();
  EXPECT_EQ(kb_.Get(e.id)->usage_count, 3);  // the refused opens counted nothing

  auto usage = kb_.RecentUsage(30, std::nullopt, 10);
  ASSERT_EQ(usage.items.size(), 1u);
  EXPECT_EQ(usage.items[0].entry_id, e.id);
  EXPECT_EQ(usage.items[0].title, "发烧");
  EXPECT_EQ(usage.items[0].count, 3);
  EXPECT_EQ(usage.items[0].calls, 2);  // distinct calls; the open without a call is not one
}

TEST_F(KbGaps, UsageIsListedMostUsedFirstAndPaged) {
  auto a = Add("发烧", "多喝水");
  auto b = Add("挂号", "电话预约");
  auto c = Add("疫苗", "接种");
  for (int i = 0; i < 3; ++i) kb_.Open(Agent(), b.id, std::nullopt);
  for (int i = 0; i < 2; ++i) kb_.Open(Agent(), a.id, std::nullopt);
  kb_.Open(Agent(), c.id, std::nullopt);
  FlushWrites();
  auto first = kb_.RecentUsage(30, std::nullopt, 2);
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].entry_id, b.id);
  EXPECT_EQ(first.items[1].entry_id, a.id);
  ASSERT_TRUE(first.next.has_value());
  auto second = kb_.RecentUsage(30, first.next, 2);
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].entry_id, c.id);
  EXPECT_FALSE(second.next.has_value());
  clock_.Advance(std::chrono::hours(24 * 2));
  EXPECT_TRUE(kb_.RecentUsage(1, std::nullopt, 10).items.empty());  // the window moved on
}

TEST_F(KbGaps, DeletedEntriesComeBackWithTheirHistory) {
  auto e = Add("发烧门诊", "一层", {"发热"});
  auto deleted = kb_.Delete(Supervisor(), e.id);
  ASSERT_TRUE(deleted.has_value());
  EXPECT_TRUE(Titles("发热").empty());
  EXPECT_EQ(kb_.Restore(Supervisor(), 999).error().code, ErrorCode::kNotFound);
  clock_.Advance(std::chrono::minutes(1));
  auto back = kb_.Restore(Supervisor(), e.id);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_FALSE(back->deleted_at.has_value());
  EXPECT_EQ(back->version, 3);
  EXPECT_EQ(kb_.Get(e.id)->content.title, "发烧门诊");
  EXPECT_EQ(Titles("发热"), (std::vector<std::string>{"发烧门诊"}));
  EXPECT_EQ(kb_.Restore(Supervisor(), e.id).error().code, ErrorCode::kConflict);  // not deleted
  auto versions = kb_.Versions(e.id, std::nullopt, 10);
  ASSERT_TRUE(versions.has_value());
  ASSERT_EQ(versions->items.size(), 3u);
  EXPECT_EQ(versions->items[0].action, "restore");
  EXPECT_EQ(versions->items[0].actor_name, "banzhang");
  EXPECT_EQ(versions->items[0].at, clock_.Now());
  EXPECT_EQ(versions->items[1].action, "delete");
  EXPECT_EQ(versions->items[2].action, "create");
  // Deleted again: gone again, and the history keeps growing.
  ASSERT_TRUE(kb_.Delete(Supervisor(), e.id).has_value());
  EXPECT_EQ(kb_.Versions(e.id, std::nullopt, 10)->items.size(), 4u);
  EXPECT_EQ(kb_.Get(e.id).error().code, ErrorCode::kNotFound);
}

TEST_F(KbGaps, CategoryMustBeAConfiguredOne) {
  auto bad = kb_.Create(Supervisor(), {"发烧", "多喝水", {}, "no_such_category", false});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(bad.error().field, "category");
  EXPECT_TRUE(kb_.Create(Supervisor(), {"发烧", "多喝水", {}, "rabies", false}).has_value());
  auto e = Add("挂号", "电话预约");  // no category: allowed
  EXPECT_EQ(kb_.Update(Supervisor(), e.id, {.category = "nope"}).error().field, "category");
  EXPECT_EQ(kb_.Get(e.id)->version, 1);
  EXPECT_TRUE(kb_.Update(Supervisor(), e.id, {.category = "appointment"}).has_value());
  // An import with an unknown category imports nothing and names the row.
  auto r = kb_.ImportJson(Supervisor(), core::Json::array({{{"title", "甲"}, {"body", "一"}},
                                                           {{"title", "乙"}, {"body", "二"}, {"category", "x"}}}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].row, 2);
  EXPECT_EQ(r.errors[0].field, "category");
  EXPECT_TRUE(Titles("甲").empty());
}

TEST_F(KbGaps, SemicolonInsideAKeywordIsRefused) {
  for (const char* kw : {"发热;高烧", "发热；高烧"}) {
    auto r = kb_.Create(Supervisor(), {"发烧", "多喝水", {kw}, "", false});
    ASSERT_FALSE(r.has_value()) << kw;
    EXPECT_EQ(r.error().field, "keywords");
  }
  auto e = Add("发烧", "多喝水", {"发热"});
  EXPECT_FALSE(kb_.Update(Supervisor(), e.id, {.keywords = std::vector<std::string>{"a;b"}}).has_value());
  EXPECT_EQ(kb_.Get(e.id)->content.keywords, (std::vector<std::string>{"发热"}));
}

}  // namespace
}  // namespace hotline::kb::testing

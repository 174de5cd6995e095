#include <gtest/gtest.h>

#include "hotline/kb/io.hpp"
#include "kb_fixture.hpp"

namespace hotline::kb::testing {
namespace {

using core::ErrorCode;

class Entries : public KbTest {};

TEST_F(Entries, CreateStoresVersionOneWithWhoAndWhen) {
  auto e = Add(" 预约挂号 ", "可电话预约。", {"挂号", " 预约", "挂号", ""}, "就医");
  EXPECT_EQ(e.content.title, "预约挂号");  // trimmed
  EXPECT_EQ(e.content.keywords, (std::vector<std::string>{"挂号", "预约"}));  // trimmed, deduplicated
  EXPECT_EQ(e.version, 1);
  auto versions = kb_.Versions(e.id, std::nullopt, 10);
  ASSERT_TRUE(versions.has_value());
  ASSERT_EQ(versions->items.size(), 1u);
  EXPECT_EQ(versions->items[0].action, "create");
  EXPECT_EQ(versions->items[0].actor, Supervisor().user_id);
  EXPECT_EQ(versions->items[0].actor_name, "banzhang");
  EXPECT_EQ(versions->items[0].at, clock_.Now());
}

TEST_F(Entries, EveryEditIsKeptAsAVersion) {
  auto e = Add("门诊时间", "周一至周五。");
  clock_.Advance(core::Millis(60'000));
  auto u1 = kb_.Update(Supervisor(), e.id, {.body = std::string("周一至周六。")});
  ASSERT_TRUE(u1.has_value());
  EXPECT_EQ(u1->version, 2);
  EXPECT_EQ(u1->updated_at, clock_.Now());
  EXPECT_EQ(u1->content.title, "门诊时间");  // absent fields keep their value
  auto admin = core::Actor{1, core::Role::kAdmin, std::nullopt, "admin"};
  ASSERT_TRUE(kb_.Update(admin, e.id, {.voice = true}).has_value());
  auto versions = kb_.Versions(e.id, std::nullopt, 10);
  ASSERT_EQ(versions->items.size(), 3u);
  EXPECT_EQ(versions->items[0].version, 3);  // newest first
  EXPECT_EQ(versions->items[0].actor_name, "admin");
  EXPECT_TRUE(versions->items[0].content.voice);
  EXPECT_EQ(versions->items[1].content.body, "周一至周六。");
  EXPECT_EQ(versions->items[2].content.body, "周一至周五。");
  EXPECT_EQ(kb_.Get(e.id)->version, 3);
}

TEST_F(Entries, VersionsArePaged) {
  auto e = Add("a", "1");
  for (int i = 2; i <= 5; ++i) kb_.Update(Supervisor(), e.id, {.body = std::to_string(i)});
  auto first = kb_.Versions(e.id, std::nullopt, 2);
  ASSERT_EQ(first->items.size(), 2u);
  ASSERT_TRUE(first->next.has_value());
  auto second = kb_.Versions(e.id, first->next, 10);
  ASSERT_EQ(second->items.size(), 3u);
  EXPECT_EQ(second->items[0].version, 3);
  EXPECT_FALSE(second->next.has_value());
}

TEST_F(Entries, EditThatChangesNothingAddsNoVersion) {
  auto e = Add("门诊时间", "周一至周五。");
  auto same = kb_.Update(Supervisor(), e.id, {.title = std::string("门诊时间 ")});
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->version, 1);
  EXPECT_EQ(kb_.Versions(e.id, std::nullopt, 10)->items.size(), 1u);
}

TEST_F(Entries, StaleEditIsRefusedAsConflict) {
  auto e = Add("门诊时间", "周一至周五。");
  ASSERT_TRUE(kb_.Update(Supervisor(), e.id, {.body = std::string("x"), .expected_version = 1}));
  auto stale = kb_.Update(Supervisor(), e.id, {.body = std::string("y"), .expected_version = 1});
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(kb_.Get(e.id)->content.body, "x");
}

TEST_F(Entries, InvalidFieldsAreRefusedNamingTheField) {
  auto no_title = kb_.Create(Supervisor(), {"  ", "body"});
  ASSERT_FALSE(no_title.has_value());
  EXPECT_EQ(no_title.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(no_title.error().field, "title");
  auto long_body = kb_.Create(Supervisor(), {"t", std::string(kMaxBody + 1, 'x')});
  ASSERT_FALSE(long_body.has_value());
  EXPECT_EQ(long_body.error().field, "body");
  auto bad_utf8 = kb_.Create(Supervisor(), {"t\xff", "b"});
  ASSERT_FALSE(bad_utf8.has_value());
  EXPECT_EQ(bad_utf8.error().field, "title");
  auto e = Add("t", "b");
  auto blank = kb_.Update(Supervisor(), e.id, {.body = std::string("")});
  ASSERT_FALSE(blank.has_value());
  EXPECT_EQ(blank.error().field, "body");
}

TEST_F(Entries, DeletedEntryIsGoneButItsHistoryStays) {
  auto e = Add("旧规定", "作废。");
  auto deleted = kb_.Delete(Supervisor(), e.id);
  ASSERT_TRUE(deleted.has_value());
  EXPECT_TRUE(deleted->deleted_at.has_value());
  EXPECT_EQ(kb_.Get(e.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(kb_.Update(Supervisor(), e.id, {.body = std::string("x")}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(kb_.Delete(Supervisor(), e.id).error().code, ErrorCode::kNotFound);
  auto versions = kb_.Versions(e.id, std::nullopt, 10);
  ASSERT_TRUE(versions.has_value());
  ASSERT_EQ(versions->items.size(), 2u);
  EXPECT_EQ(versions->items[0].action, "delete");
  EXPECT_EQ(kb_.Versions(999, std::nullopt, 10).error().code, ErrorCode::kNotFound);
}

TEST_F(Entries, VoiceEntriesAreGroupedByCategory) {
  Add("流感疫苗", "每年秋季接种。", {}, "疫苗接种", true);
  Add("手足口病", "注意手卫生。", {}, "传染病", true);
  Add("门诊时间", "周一至周五。", {}, "就医", false);  // not for the voice menu
  Add("HPV疫苗", "九价。", {}, "疫苗接种", true);
  auto gone = Add("旧的", "x", {}, "传染病", true);
  kb_.Delete(Supervisor(), gone.id);
  auto topics = kb_.VoiceTopics();
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(topics[0].category, "传染病");
  ASSERT_EQ(topics[0].entries.size(), 1u);
  EXPECT_EQ(topics[1].category, "疫苗接种");
  ASSERT_EQ(topics[1].entries.size(), 2u);
  EXPECT_EQ(topics[1].entries[0].content.title, "流感疫苗");
}

TEST_F(Entries, VoiceTopicsCarryTheirCategorysName) {
  Add("被狗咬伤怎么办", "立即冲洗伤口。", {}, "rabies", true);
  auto names = kb_.GetCategoryNames();
  auto with_night = names;
  with_night["night_clinic"] = "夜间";
  ASSERT_TRUE(kb_.PutCategoryNames(Supervisor(), with_night).has_value());
  Add("夜间门诊", "急诊科。", {}, "night_clinic", true);
  ASSERT_TRUE(kb_.PutCategoryNames(Supervisor(), names).has_value());  // its name is gone again
  auto topics = kb_.VoiceTopics();
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(topics[0].category, "night_clinic");
  EXPECT_EQ(topics[0].name, "night_clinic");
  EXPECT_EQ(topics[1].category, "rabies");
  EXPECT_EQ(topics[1].name, "狂犬病防治");  // a default of schema/0006_kb_categories.sql
  names = kb_.GetCategoryNames();
  names["night_clinic"] = " 夜间就医 ";
  names.erase("rabies");
  auto stored = kb_.PutCategoryNames(Supervisor(), names);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->at("night_clinic"), "夜间就医");  // trimmed
  topics = kb_.VoiceTopics();
  EXPECT_EQ(topics[0].name, "夜间就医");
  EXPECT_EQ(topics[1].name, "rabies");  // its name was removed
}

TEST_F(Entries, BadCategoryNamesChangeNothing) {
  auto before = kb_.GetCategoryNames();
  EXPECT_EQ(kb_.PutCategoryNames(Supervisor(), {{"rabies", "  "}}).error().field, "categories.rabies");
  EXPECT_EQ(kb_.PutCategoryNames(Supervisor(), {{"", "空"}}).error().field, "categories");
  EXPECT_EQ(kb_.PutCategoryNames(Supervisor(), {{"x", std::string(101, 'a')}}).error().code,
            ErrorCode::kValidationFailed);
  EXPECT_EQ(kb_.GetCategoryNames(), before);
  EXPECT_FALSE(CategoryNamesFromJson({{"rabies", 1}}).has_value());
  EXPECT_FALSE(CategoryNamesFromJson(core::Json::array()).has_value());
  EXPECT_EQ(CategoryNamesToJson(*CategoryNamesFromJson({{"rabies", "狂犬病"}})),
            (core::Json{{"rabies", "狂犬病"}}));
}

TEST_F(Entries, OpeningFromASearchIsCounted) {
  auto e = Add("发烧", "多喝水");
  kb_.RecordUsage(Agent(), e.id, 42);
  kb_.RecordUsage(Agent(), e.id, std::nullopt);
  kb_.RecordUsage(Agent(), 999, std::nullopt);  // no such entry: ignored
  db_->Write([](storage::Connection&) {});      // let the asynchronous counts commit
  EXPECT_EQ(kb_.Get(e.id)->usage_count, 2);
  int64_t with_call = db_->Read([](storage::Connection& c) {
    auto q = c.Prepare("SELECT count(*) FROM kb_usage WHERE call_id = 42 AND user_id = 9");
    q->Step();
    return q->Int(0);
  });
  EXPECT_EQ(with_call, 1);
}

TEST_F(Entries, RebuildKeepsDeletedEntriesOutOfTheIndex) {
  Add("发烧门诊", "一层");
  auto gone = Add("发烧旧规定", "作废");
  kb_.Delete(Supervisor(), gone.id);
  kb_.RebuildIndex();
  EXPECT_EQ(Titles("发烧"), (std::vector<std::string>{"发烧门诊"}));
}

TEST(EntryJson, PatchReadsOnlyPresentFieldsAndTheVersion) {
  auto p = PatchFromJson({{"voice", true}, {"version", 3}});
  ASSERT_TRUE(p.has_value());
  EXPECT_FALSE(p->title.has_value());
  EXPECT_EQ(p->voice, true);
  EXPECT_EQ(p->expected_version, 3);
  EXPECT_FALSE(PatchFromJson({{"keywords", "not a list"}}).has_value());
}

TEST(EntryJson, SynonymsNeedAtLeastOneExpansion) {
  EXPECT_TRUE(SynonymsFromJson({{"狗咬", {"狂犬病", "犬伤"}}}).has_value());
  EXPECT_FALSE(SynonymsFromJson({{"狗咬", core::Json::array()}}).has_value());
  EXPECT_FALSE(SynonymsFromJson({{"狗咬", "狂犬病"}}).has_value());
  EXPECT_FALSE(SynonymsFromJson(core::Json::array()).has_value());
}

}  // namespace
}  // namespace hotline::kb::testing

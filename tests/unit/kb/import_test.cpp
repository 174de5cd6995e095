#include <gtest/gtest.h>

#include "hotline/kb/io.hpp"
#include "kb_fixture.hpp"

namespace hotline::kb::testing {
namespace {

using core::Json;

class Import : public KbTest {
 protected:
  int64_t Count() {
    return db_->Read([](storage::Connection& c) {
      auto q = c.Prepare("SELECT count(*) FROM kb_entries");
      q->Step();
      return q->Int(0);
    });
  }
  core::TimeZone zone_ = core::TimeZone::Utc();
};

TEST_F(Import, JsonArrayCreatesEveryEntry) {
  Json file = Json::array({{{"title", "发烧"}, {"body", "多喝水"}, {"keywords", {"发热"}}},
                           {{"title", "挂号"}, {"body", "电话预约"}, {"voice", true}, {"category", "就医"}}});
  auto r = kb_.ImportJson(Supervisor(), file);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.created, 2);
  EXPECT_EQ(Count(), 2);
  EXPECT_EQ(Titles("发热"), (std::vector<std::string>{"发烧"}));
  EXPECT_EQ(kb_.VoiceTopics().at(0).entries.at(0).content.title, "挂号");
}

TEST_F(Import, BadRowRefusesTheWholeFileAndNamesEveryBadRow) {
  Json file = Json::array({{{"title", "好的"}, {"body", "b"}},
                           {{"title", ""}, {"body", "b"}},
                           {{"title", "也好"}, {"body", "b"}},
                           {{"title", "坏的"}, {"body", "b"}, {"voice", "yes"}},
                           "not an object"});
  auto r = kb_.ImportJson(Supervisor(), file);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].row, 2);
  EXPECT_EQ(r.errors[0].field, "title");
  EXPECT_EQ(r.errors[1].row, 4);
  EXPECT_EQ(r.errors[1].field, "voice");
  EXPECT_EQ(r.errors[2].row, 5);
  EXPECT_EQ(r.created, 0);
  EXPECT_EQ(Count(), 0);  // not even the good rows
}

TEST_F(Import, RepeatedTitleInOneFileIsABadRow) {
  Json file = Json::array({{{"title", "发烧"}, {"body", "1"}}, {{"title", "发烧"}, {"body", "2"}}});
  auto r = kb_.ImportJson(Supervisor(), file);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].row, 2);
  EXPECT_EQ(r.errors[0].message, "title: the same as row 1");
  EXPECT_EQ(Count(), 0);
}

TEST_F(Import, NotAnArrayIsRefused) {
  auto r = kb_.ImportJson(Supervisor(), Json{{"title", "x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].row, 0);
}

TEST_F(Import, RowMatchingAnEntryUpdatesItAsAnImportVersion) {
  auto e = Add("发烧", "旧内容");
  auto r = kb_.ImportJson(Supervisor(), Json::array({{{"title", "发烧"}, {"body", "新内容"}},
                                                     {{"id", e.id}, {"title", "发烧"}, {"body", "新内容"}}}));
  // The second row repeats the first one's title: refused.
  ASSERT_FALSE(r.ok());
  r = kb_.ImportJson(Supervisor(), Json::array({{{"title", "发烧"}, {"body", "新内容"}}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(Count(), 1);
  auto v = kb_.Versions(e.id, std::nullopt, 1);
  EXPECT_EQ(v->items[0].source, "import");
  EXPECT_EQ(v->items[0].content.body, "新内容");
  // By id, a row may rename its entry.
  r = kb_.ImportJson(Supervisor(), Json::array({{{"id", e.id}, {"title", "发热"}, {"body", "新内容"}}}));
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(kb_.Get(e.id)->content.title, "发热");
}

TEST_F(Import, CsvWithQuotesLineBreaksAndBom) {
  std::string csv =
      "\xEF\xBB\xBFtitle,body,keywords,category,voice\r\n"
      "发烧,\"多喝水, 休息\r\n必要时就医\",发热;高烧；退烧,就医,是\r\n"
      "\"挂号 \"\"须知\"\"\",电话预约,,,false\r\n";
  auto r = kb_.ImportCsv(Supervisor(), csv);
  ASSERT_TRUE(r.ok()) << r.errors[0].message;
  EXPECT_EQ(r.created, 2);
  auto hits = kb_.Search("高烧");
  ASSERT_EQ(hits.size(), 1u);
  auto e = kb_.Get(hits[0].id);
  EXPECT_EQ(e->content.body, "多喝水, 休息\r\n必要时就医");
  EXPECT_EQ(e->content.keywords, (std::vector<std::string>{"发热", "高烧", "退烧"}));
  EXPECT_TRUE(e->content.voice);
  EXPECT_EQ(Titles("须知"), (std::vector<std::string>{"挂号 \"须知\""}));
}

TEST_F(Import, CsvBadRowsAreReportedByTheirSpreadsheetRow) {
  std::string csv =
      "title,body,voice\n"
      "好,\"两行\n内容\",true\n"  // rows 2
      ",缺标题,true\n"            // row 3
      "好2,b,maybe\n";            // row 4
  auto r = kb_.ImportCsv(Supervisor(), csv);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].row, 3);
  EXPECT_EQ(r.errors[0].field, "title");
  EXPECT_EQ(r.errors[1].row, 4);
  EXPECT_EQ(r.errors[1].field, "voice");
  EXPECT_EQ(Count(), 0);
}

TEST_F(Import, CsvWithoutTitleColumnOrWithOpenQuoteIsRefused) {
  EXPECT_EQ(kb_.ImportCsv(Supervisor(), "name,body\nx,y\n").errors.at(0).field, "title");
  auto open = kb_.ImportCsv(Supervisor(), "title,body\nx,\"never closed\n");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.errors[0].row, 2);
  EXPECT_FALSE(kb_.ImportCsv(Supervisor(), "title,body\n\xC4\xE3,x\n").ok());  // GBK, not UTF-8
}

TEST_F(Import, ExportedJsonImportsBackUnchanged) {
  Add("发烧", "多喝水", {"发热"}, "就医", true);
  Add("挂号", "电话预约");
  auto exported = kb_.ExportJson(zone_);
  ASSERT_EQ(exported.size(), 2u);
  EXPECT_EQ(exported[0]["title"], "发烧");
  EXPECT_EQ(exported[0]["keywords"], Json::array({"发热"}));
  auto r = kb_.ImportJson(Supervisor(), exported);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.unchanged, 2);
  EXPECT_EQ(Count(), 2);
}

TEST_F(Import, ExportedCsvImportsBackUnchanged) {
  Add("发烧, 高热", "第一行\n第二行 \"引号\"", {"发热", "高烧"}, "就医", true);
  Add("挂号", "电话预约");
  std::string csv = kb_.ExportCsv(zone_);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF" "id,title,body,", 0), 0u);
  auto r = kb_.ImportCsv(Supervisor(), csv);
  ASSERT_TRUE(r.ok()) << r.errors[0].message;
  EXPECT_EQ(r.unchanged, 2);
}

TEST_F(Import, ExportLeavesDeletedEntriesOut) {
  auto gone = Add("旧", "x");
  Add("新", "y");
  kb_.Delete(Supervisor(), gone.id);
  auto exported = kb_.ExportJson(zone_);
  ASSERT_EQ(exported.size(), 1u);
  EXPECT_EQ(exported[0]["title"], "新");
}

}  // namespace
}  // namespace hotline::kb::testing

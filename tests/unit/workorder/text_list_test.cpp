// Lists with a text query: the reader over the text index and the reader over the other
// filters find the same pages as a plain check of every row, page by page, whichever wins.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "fixture.hpp"
#include "workorder/list_sql.hpp"
#include "workorder/search_text.hpp"

namespace hotline::workorder {
namespace {

using repo::TextReaders;
using std::chrono::days;
using std::chrono::minutes;

const char* const kSubjects[] = {"孩子发烧咨询", "门诊挂号", "疫苗接种时间", "急诊等候太久"};
const char* const kPhones[] = {"13800138000", "13900139000", "13700137000"};

class TextList : public testing::ServiceTest {
 protected:
  // 150 work orders: subjects in turn, "编号<i>" in every description, three callers, some
  // transferred to units 1 and 2, several per minute.
  void CreateMany() {
    for (int i = 0; i < 150; ++i) {
      NewWorkOrder n = testing::Consult(kPhones[i % 3], kSubjects[i % 4]);
      n.description = std::string(i % 7 == 0 ? "孩子急诊，" : "") + "编号" + std::to_string(i);
      int64_t id = MustCreate(n).id;
      if (i % 5 == 1) Transfer(id, 1 + i % 2);
      if (i % 3 == 0) clock_.Advance(minutes(1));
    }
  }

  std::vector<WorkOrder> Everything() {
    std::vector<WorkOrder> out;
    std::optional<ListCursor> cursor;
    do {
      auto page = service_->List(testing::Supervisor(), {}, 200, cursor);
      out.insert(out.end(), page->items.begin(), page->items.end());
      cursor = page->next;
    } while (cursor);
    return out;
  }

  // Newest first: the rows the whole query matches (FTS5 itself) that pass the filter.
  std::vector<int64_t> Expected(const ListFilter& f) {
    std::set<int64_t> text;
    db_->Read([&](storage::Connection& c) {
      auto q = c.Prepare("SELECT rowid FROM ticket_text WHERE ticket_text MATCH ?1");
      q->BindAll(*BigramQuery(*f.q));
      while (q->Step()) text.insert(q->Int(0));
    });
    std::vector<int64_t> out;
    for (const auto& w : Everything()) {
      bool pass = text.count(w.id) && (!f.status || w.status == *f.status) &&
                  (!f.unit_id || w.unit_id == f.unit_id) &&
                  (!f.phone || w.caller_phone == *f.phone) &&
                  (!f.from || w.accepted_at >= *f.from) && (!f.to || w.accepted_at < *f.to) &&
                  (!f.overdue || w.Overdue(clock_.Now()) == *f.overdue);
      if (pass) out.push_back(w.id);
    }
    return out;
  }

  // Every page through one reader (or both), following the cursor.
  std::vector<int64_t> Walk(const ListFilter& f, int limit, TextReaders readers) {
    auto query = ParseTextQuery(*f.q);
    EXPECT_TRUE(query && query->plain) << *f.q;
    repo::Where filters = repo::FilterConditions(f, std::nullopt, clock_.Now());
    std::vector<int64_t> ids;
    std::optional<ListCursor> cursor;
    for (int pages = 0; pages < 500; ++pages) {
      Page page = db_->Read([&](storage::Connection& c) {
        return repo::ListByText(c, {*query, filters, f.overdue == true, limit, cursor, readers});
      });
      EXPECT_LE(static_cast<int>(page.items.size()), limit);
      for (const auto& w : page.items) ids.push_back(w.id);
      if (!page.next) break;
      EXPECT_EQ(static_cast<int>(page.items.size()), limit);
      cursor = page.next;
    }
    return ids;
  }

  // The same through the service, as GET /tickets?q= reads it.
  std::vector<int64_t> ServicePages(const ListFilter& f, int limit) {
    std::vector<int64_t> ids;
    std::optional<ListCursor> cursor;
    do {
      auto page = service_->List(testing::Supervisor(), f, limit, cursor);
      for (const auto& w : page->items) ids.push_back(w.id);
      cursor = page->next;
    } while (cursor);
    return ids;
  }
};

TEST_F(TextList, CommonWordPagesFollowTheCursorWithoutGapsOrRepeats) {
  CreateMany();
  ListFilter f{.q = "发烧"};
  std::vector<int64_t> expected = Expected(f);
  ASSERT_EQ(expected.size(), 38u);  // every fourth work order
  for (int limit : {1, 5, 37, 38, 50}) {
    std::vector<int64_t> got = ServicePages(f, limit);
    EXPECT_EQ(got, expected) << "limit " << limit;
    EXPECT_EQ(std::set<int64_t>(got.begin(), got.end()).size(), got.size());
  }
  // A cursor from the middle of the list goes on from there.
  auto first = service_->List(testing::Supervisor(), f, 10);
  auto second = service_->List(testing::Supervisor(), f, 10, first->next);
  ASSERT_EQ(second->items.size(), 10u);
  EXPECT_EQ(second->items.front().id, expected[10]);
}

TEST_F(TextList, BothReadersFindTheSamePagesForEveryFilter) {
  CreateMany();
  clock_.Advance(days(31));  // the transferred ones are overdue now
  const auto t0 = testing::Monday9();
  const std::vector<ListFilter> filters = {
      {},
      {.status = Status::kTransferred},
      {.unit_id = 1},
      {.phone = "13900139000"},
      {.from = t0 + minutes(10), .to = t0 + minutes(30)},
      {.overdue = true},
      {.overdue = false},
      {.status = Status::kOpen, .phone = "13800138000"},
  };
  // Common, rare behind a gram in every row (编号), in two runs, and absent.
  const char* const queries[] = {"发烧", "编号1", "编号123", "编号14", "孩子 急诊", "门诊挂号", "住院"};
  for (const ListFilter& base : filters) {
    for (const char* q : queries) {
      ListFilter f = base;
      f.q = q;
      std::vector<int64_t> expected = Expected(f);
      for (int limit : {1, 4, 50}) {
        SCOPED_TRACE(std::string(q) + ", limit " + std::to_string(limit));
        EXPECT_EQ(Walk(f, limit, TextReaders::kIndexOnly), expected);
        EXPECT_EQ(Walk(f, limit, TextReaders::kFiltersOnly), expected);
        EXPECT_EQ(Walk(f, limit, TextReaders::kBoth), expected);
        EXPECT_EQ(ServicePages(f, limit), expected);
      }
    }
  }
}

TEST_F(TextList, RareNumberBehindAGramInEveryRowIsFoundExactly) {
  CreateMany();
  // 编号 is in all 150 descriptions and left out of the index expression; the rows the
  // looser expression finds (编号123 and 编号12 both hold 12) are checked in full.
  EXPECT_EQ(Expected({.q = "编号123"}).size(), 1u);
  EXPECT_EQ(ServicePages({.q = "编号123"}, 10), Expected({.q = "编号123"}));
  EXPECT_EQ(ServicePages({.q = "编号12"}, 10).size(), 11u);  // 12, 120–129
}

}  // namespace
}  // namespace hotline::workorder

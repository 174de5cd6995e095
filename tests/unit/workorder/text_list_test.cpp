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

/// What LIKE '%c%' found before the index held single characters: the character anywhere in
/// the subject or the description, an ASCII letter in either case.
auto Holding(std::string c) {
  auto lower = [](std::string s) {
    for (char& ch : s) ch = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    return s;
  };
  return [c = lower(std::move(c)), lower](const WorkOrder& w) {
    return lower(w.subject).find(c) != std::string::npos ||
           lower(w.description).find(c) != std::string::npos;
  };
}

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
    return Passing(f, [&](const WorkOrder& w) { return text.count(w.id) > 0; });
  }

  // Newest first: the rows whose text passes `matches` and that pass the other filters.
  template <class Matches>
  std::vector<int64_t> Passing(const ListFilter& f, Matches matches) {
    std::vector<int64_t> out;
    for (const auto& w : Everything()) {
      bool pass = matches(w) && (!f.status || w.status == *f.status) &&
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
  // One character: rare (急), common (子), in every row (号), a digit; with a word; absent.
  const char* const queries[] = {"发烧", "编号1", "编号123", "编号14", "孩子 急诊", "门诊挂号", "住院",
                                 "急",   "子",    "号",      "7",      "诊 编号1",  "癌"};
  for (const ListFilter& base : filters) {
    for (const char* q : queries) {
      ListFilter f = base;
      f.q = q;
      std::vector<int64_t> expected = Expected(f);
      if (f.q->size() <= 3) {  // one character: as a plain check of every row finds it
        EXPECT_EQ(expected, Passing(f, Holding(*f.q))) << q;
      }
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

TEST_F(TextList, OneCharacterFindsEveryRowThatHoldsItThroughTheIndex) {
  CreateMany();
  // Runs of one character (X, 光, 3), ASCII in both cases, and a character both inside and
  // at the end of runs (诊).
  int64_t xray = MustCreate(testing::Consult("13600136000", "CT 检查 X 光")).id;
  NewWorkOrder fever = testing::Consult("13600136000", "Fever 3 天");
  fever.description = "体温39度，急诊";
  int64_t hot = MustCreate(fever).id;
  Transfer(hot, 1);
  // Each is found by a plain check of every row (what LIKE found), so no case passes by
  // finding nothing unless it should.
  const char* const queries[] = {
      "孩",  // the start of a run
      "烧",  // inside one
      "询",  // the end of one
      "诊",  // inside 门诊挂号, at the end of 孩子急诊 and of 急诊
      "x", "X",  // a run of one letter, in either case
      "光",  // a run of one CJK character
      "3",   // a digit: 编号3, 编号13…, a run of its own, inside 39
      "t",   // the end of CT
      "癌",  // nowhere
  };
  for (const char* q : queries) {
    SCOPED_TRACE(q);
    ListFilter f{.q = q};
    std::vector<int64_t> expected = Passing(f, Holding(q));
    EXPECT_EQ(expected.empty(), std::string(q) == "癌");
    EXPECT_EQ(Expected(f), expected);  // the index alone, with its prefix query
    for (int limit : {1, 7, 50}) {  // pages across the cursor
      EXPECT_EQ(ServicePages(f, limit), expected) << "limit " << limit;
    }
    for (const ListFilter& other : {ListFilter{.unit_id = 1}, ListFilter{.phone = "13600136000"},
                                    ListFilter{.status = Status::kOpen}}) {
      ListFilter g = other;
      g.q = q;
      std::vector<int64_t> filtered = Passing(g, Holding(q));
      EXPECT_EQ(ServicePages(g, 3), filtered);
      EXPECT_EQ(Walk(g, 3, TextReaders::kFiltersOnly), filtered);
      EXPECT_EQ(Walk(g, 3, TextReaders::kIndexOnly), filtered);
    }
  }
  EXPECT_EQ(ServicePages({.q = "X"}, 10), (std::vector<int64_t>{xray}));
  EXPECT_EQ(ServicePages({.q = "光 检查"}, 10), (std::vector<int64_t>{xray}));
  EXPECT_EQ(ServicePages({.unit_id = 1, .q = "诊 39"}, 10), (std::vector<int64_t>{hot}));
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

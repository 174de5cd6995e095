// List filters and keyset pagination; text search through the bigram index.
#include <gtest/gtest.h>

#include <set>

#include "fixture.hpp"
#include "workorder/search_text.hpp"

namespace hotline::workorder {
namespace {

using testing::Agent;
using testing::Do;
using std::chrono::days;
using std::chrono::minutes;

class WorkOrderList : public testing::ServiceTest {
 protected:
  // Every page of a filter, following the cursor.
  std::vector<WorkOrder> All(const ListFilter& f, int limit, const core::Actor& who = Agent()) {
    std::vector<WorkOrder> out;
    std::optional<ListCursor> cursor;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = service_->List(who, f, limit, cursor);
      EXPECT_TRUE(page.has_value());
      if (!page) break;
      EXPECT_LE(static_cast<int>(page->items.size()), limit);
      out.insert(out.end(), page->items.begin(), page->items.end());
      if (!page->next) break;
      cursor = page->next;
    }
    return out;
  }
  std::vector<int64_t> Ids(const std::vector<WorkOrder>& v) {
    std::vector<int64_t> ids;
    for (const auto& w : v) ids.push_back(w.id);
    return ids;
  }
};

TEST_F(WorkOrderList, CursorPagesHaveNoDuplicatesOrOmissions) {
  std::vector<int64_t> created;
  for (int i = 0; i < 53; ++i) {
    created.push_back(MustCreate().id);
    if (i % 4 == 3) clock_.Advance(minutes(1));  // ties on accepted_at within a minute
  }
  std::vector<int64_t> newest_first(created.rbegin(), created.rend());
  for (int limit : {1, 7, 50, 53, 200}) {
    EXPECT_EQ(Ids(All({}, limit)), newest_first) << "limit " << limit;
  }
  auto first = service_->List(Agent(), {}, 53);
  EXPECT_FALSE(first->next);  // exactly one full page: no cursor to an empty page
}

TEST_F(WorkOrderList, FiltersSelectExactlyTheirWorkOrders) {
  NewWorkOrder complaint = testing::Consult("13900139000", "急诊等候太久");
  complaint.type = Type::kComplaint;
  int64_t c1 = MustCreate(complaint).id;
  clock_.Advance(days(1));
  int64_t consult = MustCreate(testing::Consult("13800138000", "疫苗接种时间")).id;
  clock_.Advance(days(1));
  int64_t c2 = MustCreate(complaint).id;
  Transfer(c1, 1);
  Transfer(c2, 2);
  struct Case {
    const char* name;
    ListFilter filter;
    std::vector<int64_t> expected;
  };
  const auto t0 = testing::Monday9();
  const Case cases[] = {
      {"status", {.status = Status::kTransferred}, {c2, c1}},
      {"type", {.type = Type::kConsult}, {consult}},
      {"unit", {.unit_id = 2}, {c2}},
      {"phone normalised", {.phone = "+86 139 0013 9000"}, {c2, c1}},
      {"two-character word", {.q = "疫苗"}, {consult}},
      {"longer substring", {.q = "等候太"}, {c2, c1}},
      {"in description", {.q = "发烧"}, {c2, consult, c1}},
      {"one character", {.q = "苗"}, {consult}},
      {"no match", {.q = "手足口"}, {}},
      {"from", {.from = t0 + days(1)}, {c2, consult}},
      {"to (exclusive)", {.to = t0 + days(1)}, {c1}},
      {"from and to", {.from = t0 + days(1), .to = t0 + days(2)}, {consult}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Ids(All(c.filter, 2)), c.expected) << c.name;
  }
}

TEST_F(WorkOrderList, OverdueIsDerivedFromTheClock) {
  WorkOrder transferred = Transfer(MustCreate().id, 1);
  int64_t a = transferred.id;
  int64_t b = MustCreate().id;
  EXPECT_TRUE(All({.overdue = true}, 10).empty());
  clock_.Set(transferred.due_at - std::chrono::milliseconds(1));
  EXPECT_TRUE(All({.overdue = true}, 10).empty());
  clock_.Set(transferred.due_at);  // the list agrees with Overdue() and the reminder
  EXPECT_EQ(Ids(All({.overdue = true}, 10)), std::vector<int64_t>{a});
  clock_.Advance(days(1));
  EXPECT_EQ(Ids(All({.overdue = true}, 10)), std::vector<int64_t>{a});
  EXPECT_EQ(Ids(All({.overdue = false}, 10)), std::vector<int64_t>{b});
  Reply(a, 1);
  EXPECT_TRUE(All({.overdue = true}, 10).empty());
}

TEST_F(WorkOrderList, UnitListsOnlyItsOwn) {
  int64_t mine = Transfer(MustCreate().id, 1).id;
  Transfer(MustCreate().id, 2);
  MustCreate();
  EXPECT_EQ(Ids(All({}, 10, testing::UnitUser(1, 11))), std::vector<int64_t>{mine});
  EXPECT_TRUE(All({.unit_id = 2}, 10, testing::UnitUser(1, 11)).empty());
  EXPECT_EQ(service_->List(testing::Telephony(), {}, 10).error().code, core::ErrorCode::kForbidden);
  EXPECT_EQ(service_->List(Agent(), {.phone = "12abc"}, 10).error().field, "phone");
}

// q holding a work order's number finds that work order (not texts that merely quote it),
// still within the other filters and the unit's own work orders.
TEST_F(WorkOrderList, ATicketNumberInQFindsThatWorkOrder) {
  WorkOrder a = MustCreate();
  NewWorkOrder quoting = testing::Consult();
  quoting.description = "参见工单 " + a.ticket_no;
  MustCreate(quoting);
  WorkOrder b = Transfer(MustCreate().id, 1);
  struct Case {
    ListFilter filter;
    core::Actor who;
    std::vector<int64_t> want;
  };
  const Case cases[] = {
      {{.q = a.ticket_no}, Agent(), {a.id}},
      {{.q = b.ticket_no}, Agent(), {b.id}},
      {{.q = b.ticket_no}, testing::UnitUser(1, 11), {b.id}},
      {{.q = a.ticket_no}, testing::UnitUser(1, 11), {}},
      {{.status = Status::kTransferred, .q = a.ticket_no}, Agent(), {}},
      {{.status = Status::kTransferred, .q = b.ticket_no}, Agent(), {b.id}},
      {{.q = a.ticket_no.substr(0, 8) + "-99999"}, Agent(), {}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Ids(All(c.filter, 10, c.who)), c.want) << *c.filter.q;
  }
}

TEST_F(WorkOrderList, TextAndOverduePagesFollowTheCursorToo) {
  std::vector<int64_t> vaccine, overdue;
  for (int i = 0; i < 23; ++i) {
    bool v = i % 3 != 0;
    int64_t id = MustCreate(testing::Consult("13800138000", v ? "疫苗接种时间" : "门诊挂号")).id;
    if (v) vaccine.insert(vaccine.begin(), id);
    if (i % 2 == 0) {
      Transfer(id, 1);
      overdue.insert(overdue.begin(), id);
    }
    if (i % 5 == 0) clock_.Advance(minutes(1));
  }
  clock_.Advance(days(40));
  for (int limit : {1, 4, 50}) {
    EXPECT_EQ(Ids(All({.q = "疫苗"}, limit)), vaccine) << limit;
    EXPECT_EQ(Ids(All({.overdue = true}, limit)), overdue) << limit;
  }
}

TEST_F(WorkOrderList, AcceptedAtNeverRunsBackwards) {
  WorkOrder first = MustCreate();
  clock_.Advance(-std::chrono::hours(1));  // the wall clock stepped back
  WorkOrder second = MustCreate();
  EXPECT_EQ(second.accepted_at, first.accepted_at);
  EXPECT_EQ(Ids(All({}, 1)), (std::vector<int64_t>{second.id, first.id}));
}

TEST(SearchText, BigramsAndQueries) {
  // Each run as its bigrams and its last character.
  EXPECT_EQ(Bigrams("孩子发烧"), "孩子 子发 发烧 烧");
  EXPECT_EQ(Bigrams("Fever, 发烧!"), "fe ev ve er r\n发烧 烧");
  EXPECT_EQ(Bigrams("急诊。A"), "急诊 诊\na");
  EXPECT_EQ(TicketGrams("头痛", "X"), "头痛 痛\nx");
  EXPECT_EQ(BigramQuery("发烧"), "\"发烧\"");
  EXPECT_EQ(BigramQuery("门诊 挂号"), "\"门诊\" AND \"挂号\"");
  // One-character runs: the first character of a gram (a bigram, a tail, or a lone one).
  EXPECT_EQ(BigramQuery("x\"Y"), "\"x\" * AND \"y\" *");
  EXPECT_EQ(BigramQuery("苗"), "\"苗\" *");
  EXPECT_EQ(BigramQuery("苗 疫苗"), "\"苗\" * AND \"疫苗\"");
  // A lone symbol or full-width letter may be folded or dropped by unicode61: LIKE instead.
  EXPECT_EQ(BigramQuery("℃"), std::nullopt);
  EXPECT_EQ(BigramQuery("Ｋ 发烧"), std::nullopt);
  EXPECT_EQ(BigramQuery("  "), std::nullopt);
}

TEST_F(WorkOrderList, SearchIsNotFooledByFtsSyntax) {
  int64_t id = MustCreate(testing::Consult("13800138000", "AND OR NOT \"*")).id;
  EXPECT_EQ(Ids(All({.q = "AND OR"}, 10)), std::vector<int64_t>{id});
  EXPECT_EQ(Ids(All({.q = "%"}, 10)), std::vector<int64_t>{});
}

}  // namespace
}  // namespace hotline::workorder

// A caller's history: calls and work orders merged newest first, paged by a keyset cursor.
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace hotline::workorder {
namespace {

using std::chrono::minutes;
using testing::Agent;

class CallerHistory : public testing::ServiceTest {
 protected:
  int64_t AddCall(const std::string& caller, int64_t at_ms) {
    return db_->Write([&](storage::Connection& c) {
      c.Prepare(
           "INSERT INTO calls(caller, called, state, enqueued_at, agent_id, answered_at)"
           " VALUES (?1, '12320', 'ended', ?2, 1, ?2)")
          ->BindAll(caller, at_ms)
          .Run();
      return c.LastInsertId();
    });
  }
  int64_t Now() { return core::ToUnixMillis(clock_.Now()); }

  // Every entry of the caller's history, page by page, as "c<id>" / "t<id>".
  std::vector<std::string> Walk(const core::Actor& who, const std::string& phone, int limit) {
    std::vector<std::string> out;
    std::optional<CallerCursor> cursor;
    for (int guard = 0; guard < 50; ++guard) {
      auto page = service_->CallerHistory(who, phone, limit, cursor);
      EXPECT_TRUE(page.has_value());
      if (!page) break;
      EXPECT_LE(page->items.size(), static_cast<size_t>(limit));
      for (const auto& e : page->items) {
        out.push_back(e.call ? "c" + std::to_string(e.call->id)
                             : "t" + std::to_string(e.ticket->id));
      }
      if (!page->next) break;
      cursor = page->next;
    }
    return out;
  }
};

TEST_F(CallerHistory, MergesCallsAndWorkOrdersNewestFirst) {
  int64_t c1 = AddCall("13800138000", Now());
  clock_.Advance(minutes(1));
  auto in = testing::Consult("+86 138-0013-8000");
  in.call_ids = {c1};
  int64_t t1 = MustCreate(in).id;  // written during the first call
  clock_.Advance(minutes(5));
  int64_t c2 = AddCall("13800138000", Now());  // a second call, no work order
  AddCall("13900139000", Now());               // someone else
  MustCreate(testing::Consult("13900139000"));
  clock_.Advance(minutes(5));
  int64_t t2 = MustCreate(testing::Consult("13800138000")).id;
  int64_t c3 = AddCall("13800138000", Now());  // same millisecond as t2

  auto page = service_->CallerHistory(Agent(), "138-0013-8000", 50);
  ASSERT_TRUE(page.has_value());
  EXPECT_FALSE(page->next);
  std::vector<std::string> want = {"t" + std::to_string(t2), "c" + std::to_string(c3),
                                   "c" + std::to_string(c2), "t" + std::to_string(t1),
                                   "c" + std::to_string(c1)};
  EXPECT_EQ(Walk(Agent(), "13800138000", 50), want);
  for (int limit : {1, 2, 3, 4}) EXPECT_EQ(Walk(Agent(), "13800138000", limit), want) << limit;
  // The call knows its work order; the work order its call.
  const auto& first_call = page->items.back();
  ASSERT_TRUE(first_call.call);
  EXPECT_EQ(first_call.call->ticket_ids, std::vector<int64_t>{t1});
  EXPECT_EQ(first_call.call->state, "ended");
  EXPECT_EQ(first_call.call->agent_id, 1);
  EXPECT_EQ(page->items[3].ticket->call_ids, std::vector<int64_t>{c1});
}

TEST_F(CallerHistory, LeavesOutAssistingUnitsChildren) {
  int64_t parent = MustCreate().id;
  Transfer(parent, 1, {2, 3});
  auto page = service_->CallerHistory(Agent(), "13800138000", 50);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].ticket->id, parent);
}

TEST_F(CallerHistory, OnlyTheHotlineReadsItAndPhonesAreValidated) {
  MustCreate();
  auto unit = service_->CallerHistory(testing::UnitUser(1, 11), "13800138000", 50);
  ASSERT_TRUE(unit.has_error());
  EXPECT_EQ(unit.error().code, core::ErrorCode::kForbidden);
  auto gateway = service_->CallerHistory(testing::Telephony(), "13800138000", 50);
  EXPECT_TRUE(gateway.has_error());
  auto bad = service_->CallerHistory(Agent(), "12ab", 50);
  ASSERT_TRUE(bad.has_error());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_TRUE(service_->CallerHistory(Agent(), "13700000000", 50)->items.empty());
  EXPECT_EQ(service_->CallerHistory(testing::Supervisor(), "13800138000", 50)->items.size(), 1u);
}

}  // namespace
}  // namespace hotline::workorder

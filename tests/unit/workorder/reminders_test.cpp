// Reminder points fire once each, also after the database is reopened; the outbox
// delivers at least once with backoff.
#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "fixture.hpp"
#include "hotline/workorder/outbox.hpp"

namespace hotline::workorder {
namespace {

using testing::Do;
using std::chrono::days;
using std::chrono::hours;

class Reminders : public testing::ServiceTest {
 protected:
  int64_t Count(const std::string& sql) {
    return db_->Read([&](storage::Connection& c) {
      auto q = c.Prepare(sql);
      q->Step();
      return q->Int(0);
    });
  }
  int64_t Reminded(int64_t id) {
    int64_t n = 0;
    for (const auto& e : *service_->History(testing::Supervisor(), id)) {
      n += e.action == "remind" && !e.actor;
    }
    return n;
  }
  int Tick() { return service_->RunDueReminders(clock_.Now()); }
};

TEST_F(Reminders, EachPointFiresOnceEvenAcrossRestarts) {
  WorkOrder w = Transfer(MustCreate().id, 1);
  EXPECT_EQ(Tick(), 0);
  clock_.Advance(hours(24));  // sign-off missed
  EXPECT_EQ(Tick(), 1);
  EXPECT_EQ(Tick(), 0);
  MustAct(testing::UnitUser(1, 11), w.id, Do(Action::kAcknowledge));
  clock_.Set(w.due_at - days(7));  // the early warning
  EXPECT_EQ(Tick(), 1);
  OpenDb();  // a restart
  EXPECT_EQ(Tick(), 0);
  clock_.Set(w.due_at + hours(1));
  EXPECT_EQ(Tick(), 1);
  OpenDb();
  clock_.Advance(days(2));
  EXPECT_EQ(Tick(), 0);
  EXPECT_EQ(Reminded(w.id), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE kind = 'reminder'"), 3);
  EXPECT_TRUE(service_->Get(testing::Agent(), w.id)->Overdue(clock_.Now()));
}

// Runs RunDueReminders on each service at the same moment, one thread each; answers the
// total fired.
int RaceReminders(const std::vector<Service*>& services, core::TimePoint now) {
  std::latch start(static_cast<std::ptrdiff_t>(services.size()));
  std::vector<int> fired(services.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < services.size(); ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      fired[i] = services[i]->RunDueReminders(now);
    });
  }
  for (auto& t : threads) t.join();
  int total = 0;
  for (int n : fired) total += n;
  return total;
}

TEST_F(Reminders, RacingRunsRecordEachPointOnce) {
  constexpr int kOrders = 60;
  std::vector<WorkOrder> orders;
  for (int i = 0; i < kOrders; ++i) orders.push_back(Transfer(MustCreate().id, 1 + i % 3));
  // Three runs on one service, then two services over one database file (two writers, as
  // two processes would be): each sign-off missed once, each deadline once.
  clock_.Advance(hours(25));
  EXPECT_EQ(RaceReminders({service_.get(), service_.get(), service_.get()}, clock_.Now()), kOrders);
  auto other_db = storage::Database::Open(testing::DbOptions(dir_.File("wo.db")),
                                         testing::Migrations());
  Service other(*other_db, clock_, calendar_, WorkOrderConfig{});
  clock_.Set(orders.back().due_at + hours(1));
  EXPECT_EQ(RaceReminders({service_.get(), &other}, clock_.Now()), kOrders);
  EXPECT_EQ(RaceReminders({service_.get(), &other}, clock_.Now()), 0);
  for (const auto& w : orders) EXPECT_EQ(Reminded(w.id), 2) << w.id;
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_reminders"), 2 * kOrders);
  EXPECT_EQ(Count("SELECT count(DISTINCT ticket_id || kind) FROM ticket_reminders"), 2 * kOrders);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE kind = 'reminder'"), 2 * kOrders);
}

// The early warning raced at its very instant, by two calls on one service and by a second
// service over the same file: one `remind` per work order, one notification each.
TEST_F(Reminders, RacingRunsAtTheEarlyWarningRemindOnce) {
  constexpr int kOrders = 40;
  std::vector<WorkOrder> orders;
  for (int i = 0; i < kOrders; ++i) {
    WorkOrder w = Transfer(MustCreate().id, 1 + i % 2);
    MustAct(testing::UnitUser(1 + i % 2, 11 + i % 2), w.id, Do(Action::kAcknowledge));
    orders.push_back(w);
  }
  auto other_db = storage::Database::Open(testing::DbOptions(dir_.File("wo.db")),
                                         testing::Migrations());
  Service other(*other_db, clock_, calendar_, WorkOrderConfig{});
  clock_.Set(orders.back().due_at - days(7));  // every early warning is due at this instant
  EXPECT_EQ(RaceReminders({service_.get(), service_.get(), &other, &other}, clock_.Now()),
            kOrders);
  EXPECT_EQ(RaceReminders({service_.get(), &other}, clock_.Now()), 0);
  for (const auto& w : orders) EXPECT_EQ(Reminded(w.id), 1) << w.id;
  EXPECT_EQ(Count("SELECT count(*) FROM ticket_reminders WHERE kind = 'before_due'"), kOrders);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE kind = 'reminder'"), kOrders);
}

TEST_F(Reminders, ExtensionBringsNewPoints) {
  WorkOrder w = Transfer(MustCreate().id, 1);
  MustAct(testing::UnitUser(1, 11), w.id, Do(Action::kAcknowledge));
  clock_.Set(w.due_at + hours(1));
  EXPECT_EQ(Tick(), 1);  // overdue (the early warning is moot by now)
  auto ext = Do(Action::kExtend);
  ext.reason = "调查中";
  ext.consent = true;
  MustAct(testing::Supervisor(), w.id, ext);
  EXPECT_EQ(Tick(), 0);
  clock_.Set(w.due_at + days(30) - days(7));
  EXPECT_EQ(Tick(), 1);
  clock_.Set(w.due_at + days(30));
  EXPECT_EQ(Tick(), 1);
  EXPECT_EQ(Reminded(w.id), 3);
}

TEST_F(Reminders, NoReminderOnceTheUnitReplied) {
  WorkOrder w = Transfer(MustCreate().id, 1);
  Reply(w.id, 1);
  clock_.Set(w.due_at + hours(1));
  EXPECT_EQ(Tick(), 0);
  EXPECT_EQ(Reminded(w.id), 0);
}

TEST_F(Reminders, AMissedSignOffRemindsTheUnitOnceThroughTheOutbox) {
  WorkOrder w = Transfer(MustCreate().id, 2);
  ASSERT_TRUE(w.ack_due_at);
  clock_.Set(*w.ack_due_at - std::chrono::minutes(1));
  EXPECT_EQ(Tick(), 0);
  clock_.Set(*w.ack_due_at);  // ack_hours (24) after the transfer, not acknowledged
  EXPECT_EQ(Tick(), 1);
  EXPECT_EQ(Tick(), 0);
  auto h = service_->History(testing::Supervisor(), w.id)->back();
  EXPECT_EQ(h.action, "remind");
  EXPECT_FALSE(h.actor);
  EXPECT_EQ(h.fields["point"], "ack_missed");
  std::vector<core::Json> sent;
  service_->DeliverOutbox(clock_.Now(), [&](const core::Json& j) {
    sent.push_back(j);
    return true;
  });
  ASSERT_EQ(sent.size(), 2u);  // the receipt, then the reminder
  const core::Json& r = sent[1];
  EXPECT_EQ(r["kind"], "reminder");
  EXPECT_EQ(r["point"], "ack_missed");
  EXPECT_EQ(r["ticket_no"], w.ticket_no);
  EXPECT_EQ(r["subject"], w.subject);
  EXPECT_EQ(r["status"], "transferred");
  EXPECT_EQ(r["unit_id"], 2);
  EXPECT_EQ(r["unit_name"], "unit2");
  EXPECT_EQ(r["ack_due_at"], core::FormatIso(*w.ack_due_at, calendar_.zone()));
  // Signed off late: no second sign-off reminder.
  MustAct(testing::UnitUser(2, 12), w.id, Do(Action::kAcknowledge));
  clock_.Advance(hours(48));
  EXPECT_EQ(Tick(), 0);
}

TEST_F(Reminders, SupervisorRemindQueuesANotificationToTheUnit) {
  WorkOrder w = Transfer(MustCreate().id, 2);
  auto in = Do(Action::kRemind);
  in.text = "请尽快办理";
  MustAct(testing::Supervisor(), w.id, in);
  std::vector<core::Json> sent;
  service_->DeliverOutbox(clock_.Now(), [&](const core::Json& j) {
    sent.push_back(j);
    return true;
  });
  ASSERT_EQ(sent.size(), 2u);  // the caller's receipt, then the reminder
  EXPECT_EQ(sent[0]["type"], "receipt");
  EXPECT_EQ(sent[0]["to"], "13800138000");
  EXPECT_EQ(sent[0]["ticket_no"], w.ticket_no);
  EXPECT_EQ(sent[1]["type"], "reminder");
  EXPECT_EQ(sent[1]["unit_id"], 2);
  EXPECT_EQ(sent[1]["unit_name"], "unit2");
  EXPECT_EQ(sent[1]["ticket_no"], w.ticket_no);
  EXPECT_EQ(sent[1]["point"], "manual");
  EXPECT_EQ(sent[1]["text"], "请尽快办理");
}

TEST_F(Reminders, OutboxRetriesWithBackoffUntilAccepted) {
  MustCreate();
  int calls = 0;
  auto refuse = [&](const core::Json&) {
    ++calls;
    return false;
  };
  OutboxOptions o;  // 10 s, doubling
  EXPECT_EQ(service_->DeliverOutbox(clock_.Now(), refuse, o), 0);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(service_->DeliverOutbox(clock_.Now() + std::chrono::seconds(9), refuse, o), 0);
  EXPECT_EQ(calls, 1);  // not due yet
  EXPECT_EQ(service_->DeliverOutbox(clock_.Now() + std::chrono::seconds(10), refuse, o), 0);
  EXPECT_EQ(calls, 2);
  // Second failure: 20 s after the second try.
  EXPECT_EQ(service_->DeliverOutbox(clock_.Now() + std::chrono::seconds(29), refuse, o), 0);
  EXPECT_EQ(calls, 2);
  OpenDb();  // survives a restart
  EXPECT_EQ(PendingNotifications(*db_), 1);
  int64_t id = 0;
  auto accept = [&](const core::Json& j) {
    id = j["notification_id"];
    return true;
  };
  EXPECT_EQ(service_->DeliverOutbox(clock_.Now() + std::chrono::seconds(30), accept, o), 1);
  EXPECT_GT(id, 0);
  EXPECT_EQ(PendingNotifications(*db_), 0);
  EXPECT_EQ(service_->DeliverOutbox(clock_.Now() + hours(5), accept, o), 0);
  EXPECT_EQ(Count("SELECT attempts FROM outbox"), 3);
}

TEST_F(Reminders, DeliveryStopsAtTheFirstFailureAndLeavesTheRestDue) {
  for (int i = 0; i < 3; ++i) MustCreate();
  std::vector<int64_t> tried;
  auto second_fails = [&](const core::Json& j) {
    tried.push_back(j["ticket_id"]);
    return tried.size() != 2;
  };
  EXPECT_EQ(service_->DeliverOutbox(clock_.Now(), second_fails), 1);
  EXPECT_EQ(tried, (std::vector<int64_t>{1, 2}));  // a hung receiver costs one timeout a pass
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE attempts = 0"), 1);
  // The third was never tried, so it is due at once; the second waits for its retry.
  EXPECT_EQ(service_->DeliverOutbox(clock_.Now(), second_fails), 1);
  EXPECT_EQ(tried, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(PendingNotifications(*db_), 1);
}

TEST_F(Reminders, ThrowingSenderCountsAsAFailedDelivery) {
  MustCreate();
  auto boom = [](const core::Json&) -> bool { throw std::runtime_error("network down"); };
  EXPECT_EQ(service_->DeliverOutbox(clock_.Now(), boom), 0);
  EXPECT_EQ(PendingNotifications(*db_), 1);
}

}  // namespace
}  // namespace hotline::workorder

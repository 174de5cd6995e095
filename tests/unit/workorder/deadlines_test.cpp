// Deadlines in calendar and working days, the one extension, the sign-off clock and the
// reminder points.
#include "hotline/workorder/deadlines.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace hotline::workorder {
namespace {

using std::chrono::days;
using std::chrono::hours;
using namespace std::chrono_literals;

core::TimePoint Local(const core::Calendar& cal, std::chrono::year_month_day d, int hour) {
  return cal.zone().FromLocal(core::LocalTime(std::chrono::local_days(d) + hours(hour)));
}

struct WorkingCase {
  const char* name;
  std::chrono::year_month_day start;  // 09:00 local
  int days;
  std::set<std::chrono::year_month_day> holidays, workdays;
  std::chrono::year_month_day expected;  // 09:00 local
};

TEST(WorkOrderDeadlines, CalendarDaysKeepTheLocalTimeOfDay) {
  auto cal = testing::ShanghaiCalendar();
  WorkOrderConfig config;
  Deadlines d(cal, config);
  auto start = testing::Monday9();
  EXPECT_EQ(d.DueAt(start), start + days(30));
  EXPECT_EQ(d.Extended(d.DueAt(start)), start + days(60));
}

TEST(WorkOrderDeadlines, WorkingDaysSkipWeekendsAndHolidaysAndCountMakeUpDays) {
  using namespace std::chrono;
  const WorkingCase cases[] = {
      {"plain week", 2026y / 3 / 2, 5, {}, {}, 2026y / 3 / 9},
      {"from friday", 2026y / 3 / 6, 1, {}, {}, 2026y / 3 / 9},
      {"holiday midweek", 2026y / 3 / 2, 5, {2026y / 3 / 4}, {}, 2026y / 3 / 10},
      {"make-up saturday", 2026y / 3 / 2, 5, {2026y / 3 / 4}, {2026y / 3 / 7}, 2026y / 3 / 9},
      {"golden week", 2026y / 9 / 30, 2,
       {2026y / 10 / 1, 2026y / 10 / 2, 2026y / 10 / 5, 2026y / 10 / 6, 2026y / 10 / 7},
       {2026y / 10 / 10}, 2026y / 10 / 9},
      {"thirty days", 2026y / 3 / 2, 30, {}, {}, 2026y / 4 / 13},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    core::HoursConfig hours;
    hours.holidays = c.holidays;
    hours.workdays = c.workdays;
    auto cal = testing::ShanghaiCalendar(hours);
    WorkOrderConfig config;
    config.working_days = true;
    config.deadline_days = c.days;
    Deadlines d(cal, config);
    EXPECT_EQ(core::FormatIso(d.DueAt(Local(cal, c.start, 9)), cal.zone()),
              core::FormatIso(Local(cal, c.expected, 9), cal.zone()));
  }
}

TEST(WorkOrderDeadlines, ExtensionCountsWorkingDaysWhenConfigured) {
  using namespace std::chrono;
  core::HoursConfig hours;
  hours.holidays = {2026y / 4 / 6};
  auto cal = testing::ShanghaiCalendar(hours);
  WorkOrderConfig config;
  config.working_days = true;
  config.extension_days = 5;
  Deadlines d(cal, config);
  // Due Thursday 2 April; five working days on, skipping the weekend and Monday's holiday.
  EXPECT_EQ(d.Extended(Local(cal, 2026y / 4 / 2, 17)), Local(cal, 2026y / 4 / 10, 17));
}

TEST(WorkOrderDeadlines, SignOffClockCountsBusinessHoursOnWorkingDays) {
  using namespace std::chrono;
  auto cal = testing::ShanghaiCalendar();
  WorkOrderConfig config;
  config.ack_hours = 4;
  EXPECT_EQ(Deadlines(cal, config).AckDue(Local(cal, 2026y / 3 / 6, 17)),
            Local(cal, 2026y / 3 / 6, 21));
  config.working_days = true;
  // Friday 17:00: one hour on Friday, three on Monday from 08:00.
  EXPECT_EQ(Deadlines(cal, config).AckDue(Local(cal, 2026y / 3 / 6, 17)),
            Local(cal, 2026y / 3 / 9, 11));
}

TEST(WorkOrderDeadlines, ReminderPointsFollowTheState) {
  auto cal = testing::ShanghaiCalendar();
  WorkOrderConfig config;
  Deadlines d(cal, config);
  WorkOrder w;
  w.status = Status::kTransferred;
  w.accepted_at = testing::Monday9();
  w.due_at = d.DueAt(w.accepted_at);
  w.ack_due_at = w.accepted_at + hours(24);
  EXPECT_TRUE(d.DuePoints(w, w.accepted_at + hours(1)).empty());
  auto ack = d.DuePoints(w, w.accepted_at + hours(24));
  ASSERT_EQ(ack.size(), 1u);
  EXPECT_EQ(ack[0].kind, ReminderKind::kAckMissed);
  w.status = Status::kAcknowledged;
  EXPECT_TRUE(d.DuePoints(w, w.accepted_at + hours(24)).empty());
  auto before = d.DuePoints(w, w.due_at - days(7));
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].kind, ReminderKind::kBeforeDue);
  EXPECT_EQ(before[0].at, w.due_at - days(7));
  EXPECT_TRUE(d.DuePoints(w, w.due_at - days(7) - 1ms).empty());
  auto overdue = d.DuePoints(w, w.due_at + hours(5));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].kind, ReminderKind::kOverdue);
  w.status = Status::kReplied;
  EXPECT_TRUE(d.DuePoints(w, w.due_at + hours(5)).empty());
}

TEST(WorkOrderDeadlines, OverdueOnlyWhileWaitingOnAUnitPastDue) {
  WorkOrder w;
  w.due_at = testing::Monday9();
  for (Status s : AllStatuses()) {
    w.status = s;
    bool waiting = s == Status::kTransferred || s == Status::kAcknowledged;
    EXPECT_EQ(w.Overdue(w.due_at + 1ms), waiting) << StatusName(s);
    // Overdue from the instant the overdue reminder fires.
    EXPECT_EQ(w.Overdue(w.due_at), waiting) << StatusName(s);
    EXPECT_FALSE(w.Overdue(w.due_at - 1ms));
  }
}

TEST(WorkOrderConfigTest, ReadsTheSectionAndRefusesBadValues) {
  auto c = WorkOrderConfigFromJson(core::Json::parse(
      R"({"deadline_days": 15, "working_days": true, "callback_required": ["complaint"]})"));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->deadline_days, 15);
  EXPECT_TRUE(c->working_days);
  EXPECT_EQ(c->callback_required, std::vector<Type>{Type::kComplaint});
  EXPECT_EQ(c->extension_days, 30);
  EXPECT_EQ(c->callback_attempts, 3);
  auto bad = WorkOrderConfigFromJson(core::Json::parse(R"({"deadline_days": 0})"));
  ASSERT_TRUE(bad.has_error());
  EXPECT_EQ(bad.error().field, "workorder.deadline_days");
  EXPECT_TRUE(WorkOrderConfigFromJson(core::Json::parse(R"({"callback_required": ["gossip"]})"))
                  .has_error());
}

}  // namespace
}  // namespace hotline::workorder

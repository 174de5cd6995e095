// Business hours and working days (SPEC §3 deadlines and sign-off clock, §5 night fallback).
#include "hotline/core/calendar.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hotline::core {
namespace {

using std::chrono::year_month_day;

year_month_day D(const char* text) {
  auto d = ParseDate(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(year_month_day{});
}

TimePoint T(const std::string& iso) {
  auto t = ParseIso(iso, TimeZone::Utc());
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(TimePoint{});
}

// Chinese National Day 2024: Oct 1-7 off; Sunday Sep 29 and Saturday Oct 12 are make-up workdays.
HoursConfig ShanghaiOffice() {
  HoursConfig c;
  c.timezone = "Asia/Shanghai";
  for (int d = 1; d <= 7; ++d) c.holidays.insert(D(("2024-10-0" + std::to_string(d)).c_str()));
  c.workdays = {D("2024-09-29"), D("2024-10-12")};
  return c;
}

HoursConfig Berlin() {
  HoursConfig c;
  c.timezone = "Europe/Berlin";
  return c;
}

// A hospital hotline: every day, around the clock, closed only on a holiday.
HoursConfig AroundTheClock() {
  HoursConfig c = ShanghaiOffice();
  c.open_minute = 0;
  c.close_minute = 24 * 60;
  c.days = {1, 2, 3, 4, 5, 6, 7};
  return c;
}

Calendar Make(HoursConfig c) {
  auto cal = Calendar::Make(std::move(c));
  EXPECT_TRUE(cal.has_value());
  return *cal;
}

struct BadConfigCase {
  const char* what;
  void (*mutate)(HoursConfig&);
  const char* field;
};

TEST(CalendarConfig, RefusesInvalidHoursNamingTheField) {
  const std::vector<BadConfigCase> cases = {
      {"unknown zone", [](HoursConfig& c) { c.timezone = "Mars/Olympus"; }, "hours.timezone"},
      {"close before open", [](HoursConfig& c) { c.close_minute = 7 * 60; }, "hours.close"},
      {"close equals open", [](HoursConfig& c) { c.close_minute = c.open_minute; }, "hours.close"},
      {"close after 24:00", [](HoursConfig& c) { c.close_minute = 24 * 60 + 1; }, "hours.close"},
      {"open at 24:00", [](HoursConfig& c) { c.open_minute = 24 * 60; }, "hours.open"},
      {"negative open", [](HoursConfig& c) { c.open_minute = -1; }, "hours.open"},
      {"weekday 0",
       [](HoursConfig& c) {
         c.days = {0, 1};
       },
       "hours.days"},
      {"weekday 8", [](HoursConfig& c) { c.days = {8}; }, "hours.days"},
      {"no weekdays", [](HoursConfig& c) { c.days.clear(); }, "hours.days"},
      {"workday is a holiday", [](HoursConfig& c) { c.workdays.insert(D("2024-10-03")); },
       "hours.workdays"},
  };
  for (const auto& tc : cases) {
    HoursConfig c = ShanghaiOffice();
    tc.mutate(c);
    auto cal = Calendar::Make(c);
    ASSERT_FALSE(cal.has_value()) << tc.what;
    EXPECT_EQ(cal.error().code, ErrorCode::kValidationFailed) << tc.what;
    EXPECT_EQ(cal.error().field, tc.field) << tc.what;
  }
}

TEST(CalendarConfig, AcceptsTwentyFourHourDay) {
  auto cal = Calendar::Make(AroundTheClock());
  ASSERT_TRUE(cal.has_value());
  EXPECT_EQ(cal->config().close_minute, 1440);
}

struct OpenCase {
  const char* at;
  bool open;
};

void ExpectOpen(const Calendar& cal, const std::vector<OpenCase>& cases) {
  for (const auto& tc : cases) {
    EXPECT_EQ(cal.IsOpen(T(tc.at)), tc.open) << cal.zone().name() << " " << tc.at;
  }
}

TEST(CalendarIsOpen, ShanghaiDayEdgesHolidaysAndMakeUpDays) {
  ExpectOpen(Make(ShanghaiOffice()),
             {
                 {"2026-03-02T07:59:59+08:00", false},  // Monday, a second before opening
                 {"2026-03-02T08:00:00+08:00", true},
                 {"2026-03-02T17:59:59+08:00", true},
                 {"2026-03-02T17:59:59.999+08:00", true},
                 {"2026-03-02T18:00:00+08:00", false},
                 {"2026-03-02T00:30:00Z", true},        // 08:30 in Shanghai
                 {"2026-03-01T23:59:59Z", false},       // 07:59:59 Monday in Shanghai
                 {"2026-03-07T10:00:00+08:00", false},  // Saturday
                 {"2026-03-08T10:00:00+08:00", false},  // Sunday
                 {"2024-10-01T10:00:00+08:00", false},  // National Day (a Tuesday)
                 {"2024-10-07T10:00:00+08:00", false},  // last day off (a Monday)
                 {"2024-10-08T08:00:00+08:00", true},
                 {"2024-09-29T10:00:00+08:00", true},  // make-up Sunday
                 {"2024-10-12T10:00:00+08:00", true},  // make-up Saturday
                 {"2024-10-12T18:00:00+08:00", false},
             });
}

TEST(CalendarIsOpen, BerlinFollowsDaylightSavingTime) {
  ExpectOpen(Make(Berlin()),
             {
                 {"2026-03-27T07:59:59+01:00", false},  // Friday, winter time
                 {"2026-03-27T08:00:00+01:00", true},
                 {"2026-03-27T17:59:59+01:00", true},
                 {"2026-03-27T18:00:00+01:00", false},
                 {"2026-03-30T06:30:00Z", true},   // Monday 08:30 summer time (07:30 at +01:00)
                 {"2026-03-30T16:30:00Z", false},  // Monday 18:30 summer time (17:30 at +01:00)
                 {"2026-03-30T07:59:59+02:00", false},
                 {"2026-03-30T08:00:00+02:00", true},
                 {"2026-10-26T07:00:00Z", true},  // Monday after the change back: 08:00 +01:00
                 {"2026-10-26T06:59:59Z", false},
             });
}

TEST(CalendarIsOpen, TwentyFourHourModeIsOpenAllDayExceptHolidays) {
  ExpectOpen(Make(AroundTheClock()), {
                                         {"2026-03-07T00:00:00+08:00", true},  // Saturday midnight
                                         {"2026-03-07T23:59:59.999+08:00", true},
                                         {"2026-03-08T12:00:00+08:00", true},
                                         {"2024-10-01T00:00:00+08:00", false},
                                         {"2024-09-30T23:59:59+08:00", true},
                                         {"2024-10-08T00:00:00+08:00", true},
                                     });
}

TEST(CalendarDays, WorkingDaysIgnoreStaffedWeekendsButServiceDaysFollowHoursDays) {
  Calendar cal = Make(AroundTheClock());
  struct Case {
    const char* date;
    bool working;
    bool service;
  };
  const std::vector<Case> cases = {
      {"2026-03-06", true, true},    // Friday
      {"2026-03-07", false, true},   // Saturday: staffed, but deadlines do not count it
      {"2026-03-08", false, true},   // Sunday
      {"2024-10-03", false, false},  // holiday on a Thursday
      {"2024-10-12", true, true},    // make-up Saturday
      {"2024-09-29", true, true},    // make-up Sunday
  };
  for (const auto& tc : cases) {
    EXPECT_EQ(cal.IsWorkingDay(D(tc.date)), tc.working) << tc.date;
    EXPECT_EQ(cal.IsServiceDay(D(tc.date)), tc.service) << tc.date;
  }
}

TEST(CalendarDays, LocalDateUsesTheZoneNotUtc) {
  Calendar cal = Make(ShanghaiOffice());
  EXPECT_EQ(cal.LocalDate(T("2026-03-01T16:00:00Z")), D("2026-03-02"));
  EXPECT_EQ(cal.LocalDate(T("2026-03-01T15:59:59Z")), D("2026-03-01"));
}

struct ShiftCase {
  const char* from;
  int n;
  const char* expected;  // formatted in the calendar's zone
};

template <class F>
void ExpectShifts(const Calendar& cal, const std::vector<ShiftCase>& cases, F shift) {
  for (const auto& tc : cases) {
    EXPECT_EQ(FormatIso(shift(T(tc.from), tc.n), cal.zone()), tc.expected)
        << tc.from << " n=" << tc.n;
  }
}

TEST(CalendarNextOpening, SkipsNightsWeekendsAndHolidayBlocks) {
  Calendar cal = Make(ShanghaiOffice());
  ExpectShifts(cal,
               {
                   {"2026-03-02T10:00:00+08:00", 0, "2026-03-02T10:00:00+08:00"},  // open: itself
                   {"2026-03-02T03:00:00+08:00", 0, "2026-03-02T08:00:00+08:00"},
                   {"2026-03-02T18:00:00+08:00", 0, "2026-03-03T08:00:00+08:00"},
                   {"2026-03-06T18:00:00+08:00", 0, "2026-03-09T08:00:00+08:00"},  // Fri → Mon
                   {"2026-03-07T12:00:00+08:00", 0, "2026-03-09T08:00:00+08:00"},
                   {"2024-09-28T12:00:00+08:00", 0, "2024-09-29T08:00:00+08:00"},  // make-up Sun
                   {"2024-09-30T18:00:00+08:00", 0, "2024-10-08T08:00:00+08:00"},  // holiday block
                   {"2024-10-04T09:00:00+08:00", 0, "2024-10-08T08:00:00+08:00"},
                   {"2024-10-11T19:00:00+08:00", 0, "2024-10-12T08:00:00+08:00"},  // make-up Sat
                   {"2024-10-12T18:00:00+08:00", 0, "2024-10-14T08:00:00+08:00"},
               },
               [&](TimePoint t, int) { return cal.NextOpening(t); });
}

TEST(CalendarNextOpening, CrossesDaylightSavingChangeAndTwentyFourHourHolidays) {
  Calendar berlin = Make(Berlin());
  EXPECT_EQ(FormatIso(berlin.NextOpening(T("2026-03-27T18:00:00+01:00")), berlin.zone()),
            "2026-03-30T08:00:00+02:00");
  Calendar hospital = Make(AroundTheClock());
  EXPECT_EQ(FormatIso(hospital.NextOpening(T("2024-10-03T12:00:00+08:00")), hospital.zone()),
            "2024-10-08T00:00:00+08:00");
}

TEST(CalendarAddCalendarDays, KeepsLocalTimeOfDayAcrossDst) {
  Calendar berlin = Make(Berlin());
  ExpectShifts(berlin,
               {
                   {"2026-03-28T10:00:00+01:00", 1, "2026-03-29T10:00:00+02:00"},  // 23 hours
                   {"2026-10-24T10:00:00+02:00", 1, "2026-10-25T10:00:00+01:00"},  // 25 hours
                   {"2026-03-30T10:00:00+02:00", -3, "2026-03-27T10:00:00+01:00"},
               },
               [&](TimePoint t, int n) { return berlin.AddCalendarDays(t, n); });
  Calendar office = Make(ShanghaiOffice());
  ExpectShifts(
      office,
      {
          {"2024-09-30T10:00:00+08:00", 30, "2024-10-30T10:00:00+08:00"},  // holidays count
          {"2026-01-30T23:30:00+08:00", 3, "2026-02-02T23:30:00+08:00"},
          {"2026-03-02T10:00:00+08:00", 0, "2026-03-02T10:00:00+08:00"},
      },
      [&](TimePoint t, int n) { return office.AddCalendarDays(t, n); });
}

TEST(CalendarAddWorkingDays, SkipsWeekendsAndHolidaysAndCountsMakeUpDays) {
  Calendar cal = Make(ShanghaiOffice());
  ExpectShifts(cal,
               {
                   {"2026-03-06T10:00:00+08:00", 1, "2026-03-09T10:00:00+08:00"},  // Fri → Mon
                   {"2026-03-06T10:00:00+08:00", 5, "2026-03-13T10:00:00+08:00"},
                   {"2026-03-07T10:00:00+08:00", 1, "2026-03-09T10:00:00+08:00"},  // from Sat
                   {"2026-03-02T21:15:00+08:00", 0, "2026-03-02T21:15:00+08:00"},
                   {"2024-09-27T10:00:00+08:00", 1, "2024-09-29T10:00:00+08:00"},  // make-up Sun
                   {"2024-09-30T10:00:00+08:00", 1, "2024-10-08T10:00:00+08:00"},  // holiday block
                   {"2024-09-30T10:00:00+08:00", 5, "2024-10-12T10:00:00+08:00"},  // make-up Sat
                   {"2024-10-03T10:00:00+08:00", 1, "2024-10-08T10:00:00+08:00"},  // from holiday
                   // 30 working days from Sep 27: Sep 29, 30, Oct 8-12 (5), then 23 more.
                   {"2024-09-27T09:00:00+08:00", 30, "2024-11-13T09:00:00+08:00"},
                   {"2026-03-09T10:00:00+08:00", -1, "2026-03-06T10:00:00+08:00"},  // backwards
                   {"2024-10-08T10:00:00+08:00", -1, "2024-09-30T10:00:00+08:00"},
               },
               [&](TimePoint t, int n) { return cal.AddWorkingDays(t, n); });
}

TEST(CalendarAddWorkingDays, DoesNotCountStaffedWeekends) {
  Calendar hospital = Make(AroundTheClock());
  EXPECT_EQ(FormatIso(hospital.AddWorkingDays(T("2026-03-06T10:00:00+08:00"), 1), hospital.zone()),
            "2026-03-09T10:00:00+08:00");
}

TEST(CalendarAddWorkingHours, CountsOnlyOpenHoursOnWorkingDays) {
  Calendar cal = Make(ShanghaiOffice());
  ExpectShifts(cal,
               {
                   {"2026-03-02T09:00:00+08:00", 1, "2026-03-02T10:00:00+08:00"},
                   {"2026-03-02T06:00:00+08:00", 10, "2026-03-02T18:00:00+08:00"},  // a full day
                   {"2026-03-02T17:00:00+08:00", 2, "2026-03-03T09:00:00+08:00"},
                   {"2026-03-02T20:00:00+08:00", 1, "2026-03-03T09:00:00+08:00"},
                   {"2026-03-07T10:00:00+08:00", 1, "2026-03-09T09:00:00+08:00"},  // from Sat
                   // Friday 1 h + Monday 10 h + Tuesday 10 h + Wednesday 3 h.
                   {"2026-03-06T17:00:00+08:00", 24, "2026-03-11T11:00:00+08:00"},
                   {"2024-09-30T17:00:00+08:00", 2, "2024-10-08T09:00:00+08:00"},  // holidays
                   {"2024-10-11T17:00:00+08:00", 2, "2024-10-12T09:00:00+08:00"},  // make-up Sat
                   {"2026-03-02T09:30:00+08:00", 0, "2026-03-02T09:30:00+08:00"},
               },
               [&](TimePoint t, int n) { return cal.AddWorkingHours(t, n); });
}

TEST(CalendarAddWorkingHours, TwentyFourHourDaysStillSkipWeekends) {
  Calendar hospital = Make(AroundTheClock());
  ExpectShifts(hospital,
               {
                   {"2026-03-02T09:00:00+08:00", 24, "2026-03-03T09:00:00+08:00"},
                   {"2026-03-06T12:00:00+08:00", 24, "2026-03-09T12:00:00+08:00"},  // Fri → Mon
               },
               [&](TimePoint t, int n) { return hospital.AddWorkingHours(t, n); });
}

TEST(CalendarAddWorkingHours, DaylightSavingDayStillHasTenOpenHours) {
  Calendar berlin = Make(Berlin());
  // Friday 17:00 winter time + 2 h: 1 h on Friday, then Monday 08:00-09:00 in summer time.
  EXPECT_EQ(FormatIso(berlin.AddWorkingHours(T("2026-03-27T17:00:00+01:00"), 2), berlin.zone()),
            "2026-03-30T09:00:00+02:00");
}

}  // namespace
}  // namespace hotline::core

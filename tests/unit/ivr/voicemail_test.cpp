// A voicemail work order is due the next business morning (SPEC §5).
#include "hotline/ivr/voicemail.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace hotline::ivr {
namespace {

core::Calendar Office() {
  core::HoursConfig c;  // Asia/Shanghai, 08:00-18:00, Monday to Friday
  for (const char* d : {"2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-05",
                        "2024-10-06", "2024-10-07"}) {
    c.holidays.insert(*core::ParseDate(d));
  }
  c.workdays.insert(*core::ParseDate("2024-10-12"));
  auto cal = core::Calendar::Make(c);
  EXPECT_TRUE(cal.has_value());
  return *cal;
}

TEST(VoicemailDueAt, IsTheNextBusinessMorning) {
  core::Calendar cal = Office();
  struct Case {
    const char* recorded;
    const char* due;
  };
  const std::vector<Case> cases = {
      {"2026-03-02T22:10:00+08:00", "2026-03-03T08:00:00+08:00"},  // Monday night
      {"2026-03-03T02:00:00+08:00", "2026-03-03T08:00:00+08:00"},  // small hours: same morning
      {"2026-03-02T18:00:00+08:00", "2026-03-03T08:00:00+08:00"},  // at closing time
      {"2026-03-06T19:00:00+08:00", "2026-03-09T08:00:00+08:00"},  // Friday night → Monday
      {"2026-03-07T11:00:00+08:00", "2026-03-09T08:00:00+08:00"},  // Saturday
      {"2024-09-30T20:00:00+08:00", "2024-10-08T08:00:00+08:00"},  // before National Day
      {"2024-10-11T20:00:00+08:00", "2024-10-12T08:00:00+08:00"},  // make-up Saturday
      // During hours (overflow): not now, but after today's close.
      {"2026-03-02T10:00:00+08:00", "2026-03-03T08:00:00+08:00"},
      {"2026-03-06T08:00:00+08:00", "2026-03-09T08:00:00+08:00"},
  };
  for (const auto& tc : cases) {
    auto recorded = core::ParseIso(tc.recorded, cal.zone());
    ASSERT_TRUE(recorded.has_value()) << tc.recorded;
    EXPECT_EQ(core::FormatIso(VoicemailDueAt(cal, *recorded), cal.zone()), tc.due) << tc.recorded;
  }
}

core::TimePoint At(const core::Calendar& cal, const char* iso) {
  auto t = core::ParseIso(iso, cal.zone());
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(core::TimePoint{});
}

std::string Due(const core::Calendar& cal, const char* recorded, std::optional<int> minute = {}) {
  return core::FormatIso(VoicemailDueAt(cal, At(cal, recorded), minute), cal.zone());
}

// The hours' day edges: one second before opening is still night; closing time is night.
TEST(VoicemailDueAt, DayEdges) {
  core::Calendar cal = Office();
  EXPECT_EQ(Due(cal, "2026-03-03T07:59:59+08:00"), "2026-03-03T08:00:00+08:00");
  EXPECT_EQ(Due(cal, "2026-03-03T08:00:00+08:00"), "2026-03-04T08:00:00+08:00");
  EXPECT_EQ(Due(cal, "2026-03-03T17:59:59+08:00"), "2026-03-04T08:00:00+08:00");
  EXPECT_EQ(Due(cal, "2026-03-03T18:00:00+08:00"), "2026-03-04T08:00:00+08:00");
  EXPECT_EQ(Due(cal, "2026-03-03T23:59:59+08:00"), "2026-03-04T08:00:00+08:00");
  EXPECT_EQ(Due(cal, "2026-03-04T00:00:00+08:00"), "2026-03-04T08:00:00+08:00");
}

// A 24-hour hotline (00:00-24:00) is always open: a message (left on overflow or from the queue)
// is due the next service day's morning, 08:00 unless configured, never "now" or midnight.
TEST(VoicemailDueAt, TwentyFourHourHotlineIsDueTheNextMorningNotMidnight) {
  core::HoursConfig c;
  c.open_minute = 0;
  c.close_minute = 1440;
  c.days = {1, 2, 3, 4, 5, 6, 7};
  c.holidays.insert(*core::ParseDate("2026-03-04"));
  auto cal = core::Calendar::Make(c);
  ASSERT_TRUE(cal.has_value());
  EXPECT_EQ(Due(*cal, "2026-03-02T10:00:00+08:00"), "2026-03-03T08:00:00+08:00");
  EXPECT_EQ(Due(*cal, "2026-03-02T23:30:00+08:00"), "2026-03-03T08:00:00+08:00");
  EXPECT_EQ(Due(*cal, "2026-03-03T03:00:00+08:00"), "2026-03-03T08:00:00+08:00");
  EXPECT_EQ(Due(*cal, "2026-03-03T09:00:00+08:00"), "2026-03-05T08:00:00+08:00") << "holiday skipped";
  EXPECT_EQ(Due(*cal, "2026-03-02T10:00:00+08:00", 9 * 60 + 30), "2026-03-03T09:30:00+08:00");
}

TEST(VoicemailDueAt, ConfiguredMorningTimeReplacesTheOpeningTime) {
  core::Calendar cal = Office();
  EXPECT_EQ(Due(cal, "2026-03-06T19:00:00+08:00", 9 * 60), "2026-03-09T09:00:00+08:00");
  EXPECT_EQ(Due(cal, "2026-03-03T08:30:00+08:00", 9 * 60), "2026-03-03T09:00:00+08:00")
      << "before the configured morning of a service day: that morning";
}

}  // namespace
}  // namespace hotline::ivr

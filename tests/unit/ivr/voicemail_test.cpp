// A voicemail work order is due the next business morning (SPEC §5).
#include "hotline/ivr/voicemail.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace hotline::ivr

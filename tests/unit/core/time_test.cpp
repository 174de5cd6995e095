// ISO 8601 text and time zones (SPEC §6: times in the API are ISO 8601 with offset).
#include "hotline/core/time.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hotline::core {
namespace {

TimeZone Zone(const char* name) {
  auto z = TimeZone::Named(name);
  EXPECT_TRUE(z.has_value()) << name;
  return z.has_value() ? *z : TimeZone::Utc();
}

TEST(IsoTime, FormatThenParseRoundTripsInEveryZone) {
  const std::vector<int64_t> instants = {
      0,                  // the epoch
      1'767'225'600'000,  // 2026-01-01T00:00Z
      1'767'225'600'123,  // with milliseconds
      1'774'746'000'000,  // 2026-03-29T01:00Z, the Berlin spring-forward instant
      1'792'890'000'000,  // 2026-10-25T01:00Z, the Berlin fall-back instant
      -86'400'001,        // before the epoch, with milliseconds
  };
  for (const char* zone : {"UTC", "Asia/Shanghai", "Europe/Berlin", "America/St_Johns"}) {
    TimeZone tz = Zone(zone);
    for (int64_t ms : instants) {
      TimePoint t = FromUnixMillis(ms);
      std::string text = FormatIso(t, tz);
      auto back = ParseIso(text, tz);
      ASSERT_TRUE(back.has_value()) << zone << " " << text;
      EXPECT_EQ(ToUnixMillis(*back), ms) << zone << " " << text;
    }
  }
}

TEST(IsoTime, ParseThenFormatKeepsCanonicalText) {
  struct Case {
    const char* zone;
    const char* text;
  };
  const std::vector<Case> cases = {
      {"Asia/Shanghai", "2026-11-24T11:47:25+08:00"},
      {"Asia/Shanghai", "2026-11-24T11:47:25.007+08:00"},
      {"Europe/Berlin", "2026-07-01T12:00:00+02:00"},
      {"Europe/Berlin", "2026-12-01T12:00:00+01:00"},
      {"America/St_Johns", "2026-01-15T09:00:00-03:30"},
      {"UTC", "1969-12-31T23:59:59.999+00:00"},
  };
  for (const auto& tc : cases) {
    TimeZone tz = Zone(tc.zone);
    auto t = ParseIso(tc.text, tz);
    ASSERT_TRUE(t.has_value()) << tc.text;
    EXPECT_EQ(FormatIso(*t, tz), tc.text);
  }
}

TEST(IsoTime, ParsesOffsetsFractionsAndBareDates) {
  TimeZone shanghai = Zone("Asia/Shanghai");
  struct Case {
    const char* text;
    int64_t unix_ms;
  };
  const std::vector<Case> cases = {
      {"2026-01-01T00:00:00Z", 1'767'225'600'000},
      {"2026-01-01T08:00:00+08:00", 1'767'225'600'000},
      {"2025-12-31T19:00:00-05:00", 1'767'225'600'000},
      {"2026-01-01 00:00:00Z", 1'767'225'600'000},  // a space instead of T
      {"2026-01-01T00:00:00.5Z", 1'767'225'600'500},
      {"2026-01-01T00:00:00.123456Z", 1'767'225'600'123},  // beyond ms: truncated
      {"2026-01-01", 1'767'196'800'000},                   // midnight in Shanghai
  };
  for (const auto& tc : cases) {
    auto t = ParseIso(tc.text, shanghai);
    ASSERT_TRUE(t.has_value()) << tc.text;
    EXPECT_EQ(ToUnixMillis(*t), tc.unix_ms) << tc.text;
  }
}

TEST(IsoTime, RefusesTextWithoutOffsetOrOutOfRange) {
  TimeZone utc = TimeZone::Utc();
  for (const char* text :
       {"", "2026", "2026-01-01T00:00:00", "2026-01-01T00:00Z", "2026-02-30T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:00+8:00", "2026-01-01T00:00:00+15:00", "2026-01-01T00:00:00.Z",
        "2026-01-01T00:00:00Zjunk", "2026-1-01", "+026-01-01T00:00:00Z", "2026-01-01X00:00:00Z"}) {
    EXPECT_FALSE(ParseIso(text, utc).has_value()) << text;
  }
}

TEST(IsoTime, DateAndClockTimeHelpers) {
  auto d = ParseDate("2024-02-29");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(FormatDate(*d), "2024-02-29");
  EXPECT_FALSE(ParseDate("2023-02-29").has_value());
  EXPECT_EQ(ParseClockTime("08:00"), 480);
  EXPECT_EQ(ParseClockTime("24:00"), 1440);
  EXPECT_FALSE(ParseClockTime("24:01").has_value());
  EXPECT_FALSE(ParseClockTime("8:00").has_value());
  EXPECT_FALSE(ParseClockTime("08:60").has_value());
}

TEST(TimeZoneConversion, LocalTimesInDstGapShiftForwardAndAmbiguousTakeEarlier) {
  using namespace std::chrono;
  TimeZone berlin = Zone("Europe/Berlin");
  // 02:30 on 2026-03-29 does not exist in Berlin: it becomes 03:30 summer time.
  LocalTime gap = LocalTime(local_days(year(2026) / March / 29) + hours(2) + minutes(30));
  EXPECT_EQ(FormatIso(berlin.FromLocal(gap), berlin), "2026-03-29T03:30:00+02:00");
  // 02:30 on 2026-10-25 happens twice: the first (summer time) is chosen.
  LocalTime twice = LocalTime(local_days(year(2026) / October / 25) + hours(2) + minutes(30));
  EXPECT_EQ(FormatIso(berlin.FromLocal(twice), berlin), "2026-10-25T02:30:00+02:00");
  EXPECT_EQ(berlin.OffsetAt(berlin.FromLocal(twice)), minutes(120));
}

TEST(TimeZoneConversion, UnknownZoneIsAValidationError) {
  auto z = TimeZone::Named("Nowhere/Special");
  ASSERT_FALSE(z.has_value());
  EXPECT_EQ(z.error().field, "hours.timezone");
}

}  // namespace
}  // namespace hotline::core

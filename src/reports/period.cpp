#include "hotline/reports/period.hpp"

#include <cstdio>

namespace hotline::reports {

using namespace std::chrono;

Period DayPeriod(year_month_day day, const core::TimeZone& zone) {
  const local_days start{day};
  return {zone.FromLocal(core::LocalTime(start)), zone.FromLocal(core::LocalTime(start + days(1)))};
}

Period MonthPeriod(year_month month, const core::TimeZone& zone) {
  const local_days start{month / 1};
  const local_days end{(month + months(1)) / 1};
  return {zone.FromLocal(core::LocalTime(start)), zone.FromLocal(core::LocalTime(end))};
}

year_month_day LocalDay(core::TimePoint t, const core::TimeZone& zone) {
  return year_month_day{floor<days>(zone.ToLocal(t))};
}

std::optional<year_month> ParseMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  const unsigned m = static_cast<unsigned>((text[5] - '0') * 10 + (text[6] - '0'));
  if (y < 1970 || m < 1 || m > 12) return std::nullopt;
  return year(y) / month(m);
}

std::string FormatMonth(year_month month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(month.year()),
                static_cast<unsigned>(month.month()));
  return buf;
}

}  // namespace hotline::reports

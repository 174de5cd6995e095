#include "hotline/core/calendar.hpp"

#include <algorithm>
#include <cstdlib>

namespace hotline::core {
namespace {

using std::chrono::days;
using std::chrono::local_days;
using std::chrono::minutes;
using std::chrono::year_month_day;

constexpr int kMinutesPerDay = 24 * 60;

// ISO weekday of a local date: 1 = Monday ... 7 = Sunday.
int IsoWeekday(year_month_day d) {
  return static_cast<int>(std::chrono::weekday(local_days(d)).iso_encoding());
}

year_month_day NextDay(year_month_day d, int step = 1) {
  return year_month_day(local_days(d) + days(step));
}

}  // namespace

Result<Calendar> Calendar::Make(HoursConfig config) {
  auto zone = TimeZone::Named(config.timezone);
  if (!zone) return zone.error();
  if (config.open_minute < 0 || config.open_minute >= kMinutesPerDay) {
    return Error::Validation("hours.open must be within 00:00..23:59", "hours.open");
  }
  if (config.close_minute <= config.open_minute || config.close_minute > kMinutesPerDay) {
    return Error::Validation("hours.close must be after hours.open and at most 24:00",
                             "hours.close");
  }
  if (config.days.empty()) {
    return Error::Validation("hours.days must name at least one weekday", "hours.days");
  }
  for (int d : config.days) {
    if (d < 1 || d > 7) {
      return Error::Validation("hours.days holds ISO weekdays 1..7, not " + std::to_string(d),
                               "hours.days");
    }
  }
  std::sort(config.days.begin(), config.days.end());
  config.days.erase(std::unique(config.days.begin(), config.days.end()), config.days.end());
  for (const auto& d : config.holidays) {
    if (!d.ok()) return Error::Validation("hours.holidays holds an invalid date", "hours.holidays");
  }
  for (const auto& d : config.workdays) {
    if (!d.ok()) return Error::Validation("hours.workdays holds an invalid date", "hours.workdays");
    // A date both closed and open has no meaning; refuse it rather than guess which wins.
    if (config.holidays.count(d)) {
      return Error::Validation("hours.workdays: " + FormatDate(d) + " is also a holiday",
                               "hours.workdays");
    }
  }
  return Calendar(std::move(config), *zone);
}

year_month_day Calendar::LocalDate(TimePoint t) const {
  return year_month_day(std::chrono::floor<days>(zone_.ToLocal(t)));
}

bool Calendar::IsWorkingDay(year_month_day local_date) const {
  if (config_.holidays.count(local_date)) return false;
  if (config_.workdays.count(local_date)) return true;
  return IsoWeekday(local_date) <= 5;
}

bool Calendar::IsServiceDay(year_month_day local_date) const {
  if (config_.holidays.count(local_date)) return false;
  if (config_.workdays.count(local_date)) return true;
  int wd = IsoWeekday(local_date);
  return std::find(config_.days.begin(), config_.days.end(), wd) != config_.days.end();
}

bool Calendar::IsOpen(TimePoint t) const {
  LocalTime local = zone_.ToLocal(t);
  auto day = std::chrono::floor<days>(local);
  if (!IsServiceDay(year_month_day(day))) return false;
  auto since_midnight = local - day;
  return since_midnight >= minutes(config_.open_minute) &&
         since_midnight < minutes(config_.close_minute);
}

TimePoint Calendar::NextOpening(TimePoint t) const {
  if (IsOpen(t)) return t;
  LocalTime local = zone_.ToLocal(t);
  local_days day = std::chrono::floor<days>(local);
  if (IsServiceDay(year_month_day(day)) && local - day < minutes(config_.open_minute)) {
    return zone_.FromLocal(LocalTime(day + minutes(config_.open_minute)));
  }
  // Every 7 consecutive days that are not holidays hold a service day (days is not empty),
  // so this many steps always reach one.
  const size_t limit = config_.holidays.size() + 8;
  for (size_t i = 0; i < limit; ++i) {
    day += days(1);
    if (IsServiceDay(year_month_day(day))) {
      return zone_.FromLocal(LocalTime(day + minutes(config_.open_minute)));
    }
  }
  return t;  // unreachable with a validated config
}

TimePoint Calendar::AddCalendarDays(TimePoint t, int n) const {
  return zone_.FromLocal(zone_.ToLocal(t) + days(n));
}

TimePoint Calendar::AddWorkingDays(TimePoint t, int n) const {
  LocalTime local = zone_.ToLocal(t);
  local_days day = std::chrono::floor<days>(local);
  auto time_of_day = local - day;
  int step = n < 0 ? -1 : 1;
  year_month_day d(day);
  for (int counted = 0; counted < std::abs(n);) {
    d = NextDay(d, step);
    if (IsWorkingDay(d)) ++counted;
  }
  return zone_.FromLocal(LocalTime(local_days(d) + time_of_day));
}

TimePoint Calendar::AddWorkingHours(TimePoint t, int hours) const {
  if (hours <= 0) return t;
  Millis remaining = std::chrono::hours(hours);
  TimePoint cur = t;
  // Ends: holidays are finite, so working days (each with business time) keep coming.
  for (;;) {
    local_days day = std::chrono::floor<days>(zone_.ToLocal(cur));
    if (IsWorkingDay(year_month_day(day))) {
      TimePoint open = zone_.FromLocal(LocalTime(day + minutes(config_.open_minute)));
      TimePoint close = zone_.FromLocal(LocalTime(day + minutes(config_.close_minute)));
      if (cur < open) cur = open;
      if (cur < close) {
        Millis available = close - cur;
        if (remaining <= available) return cur + remaining;
        remaining -= available;
      }
    }
    cur = zone_.FromLocal(LocalTime(day + days(1)));
  }
}

}  // namespace hotline::core

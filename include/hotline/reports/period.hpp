#pragma once
// The stretches of time reports cover: a local day, a local month, a window of days.
// Instants are UTC; days and months are those of `hours.timezone`.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "hotline/core/clock.hpp"
#include "hotline/core/error.hpp"
#include "hotline/core/time.hpp"

namespace hotline::reports {

/// [from, to): from included, to excluded.
struct Period {
  core::TimePoint from;
  core::TimePoint to;
  bool Contains(core::TimePoint t) const { return t >= from && t < to; }
};

/// Local midnight to the next local midnight (23 or 25 hours across a DST change).
Period DayPeriod(std::chrono::year_month_day day, const core::TimeZone& zone);
/// The first local midnight of the month to the first of the next.
Period MonthPeriod(std::chrono::year_month month, const core::TimeZone& zone);

/// The local day `t` falls on.
std::chrono::year_month_day LocalDay(core::TimePoint t, const core::TimeZone& zone);

/// "YYYY-MM" (years 1970–9999), else nothing.
std::optional<std::chrono::year_month> ParseMonth(std::string_view text);
/// "YYYY-MM".
std::string FormatMonth(std::chrono::year_month month);

}  // namespace hotline::reports

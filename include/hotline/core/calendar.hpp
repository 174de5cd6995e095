#pragma once
// Business hours and working days: the one place that answers "open now?", "next opening"
// and "N working days later". Shared by the voice menu (night fallback), the ACD
// (after_hours) and work-order deadlines and sign-off clocks.
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "hotline/core/clock.hpp"
#include "hotline/core/error.hpp"
#include "hotline/core/time.hpp"

namespace hotline::core {

/// The `hours` config section.
struct HoursConfig {
  std::string timezone = "Asia/Shanghai";
  int open_minute = 8 * 60;    // minutes after local midnight
  int close_minute = 18 * 60;  // 1440 for "24:00"
  std::vector<int> days = {1, 2, 3, 4, 5};  // ISO weekdays the hotline is staffed (1 = Monday)
  std::set<std::chrono::year_month_day> holidays;  // local dates: closed, not a working day
  std::set<std::chrono::year_month_day> workdays;  // make-up workdays: open and a working day
};

class Calendar {
 public:
  /// Validates the config (known zone, open < close, days in 1..7).
  static Result<Calendar> Make(HoursConfig config);

  const HoursConfig& config() const { return config_; }
  const TimeZone& zone() const { return zone_; }
  std::chrono::year_month_day LocalDate(TimePoint t) const;

  /// Monday to Friday, or a make-up workday, and not a holiday. Deadlines count these.
  bool IsWorkingDay(std::chrono::year_month_day local_date) const;
  /// One of `hours.days`, or a make-up workday, and not a holiday. The hotline is staffed.
  bool IsServiceDay(std::chrono::year_month_day local_date) const;
  /// Within open..close on a service day.
  bool IsOpen(TimePoint t) const;
  /// `t` itself when open; otherwise the next instant the hotline opens.
  TimePoint NextOpening(TimePoint t) const;

  /// The same local time of day, `days` local calendar days later.
  TimePoint AddCalendarDays(TimePoint t, int days) const;
  /// The same local time of day on the `days`-th working day after t's local date.
  TimePoint AddWorkingDays(TimePoint t, int days) const;
  /// `hours` of business time (open..close on working days), starting at t.
  TimePoint AddWorkingHours(TimePoint t, int hours) const;

 private:
  Calendar(HoursConfig config, TimeZone zone) : config_(std::move(config)), zone_(std::move(zone)) {}
  HoursConfig config_;
  TimeZone zone_;
};

}  // namespace hotline::core

#pragma once
// Time zones and ISO 8601 text. Instants are UTC TimePoints; local civil time is
// std::chrono::local_time, converted through the OS time-zone database.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "hotline/core/clock.hpp"
#include "hotline/core/error.hpp"

namespace date {
class time_zone;
}

namespace hotline::core {

using LocalTime = std::chrono::local_time<Millis>;
using LocalDays = std::chrono::local_days;

/// An IANA time zone such as "Asia/Shanghai". Cheap to copy.
class TimeZone {
 public:
  /// Looks the zone up; a validation error names it when unknown.
  static Result<TimeZone> Named(std::string_view name);
  static TimeZone Utc();

  const std::string& name() const { return name_; }
  LocalTime ToLocal(TimePoint t) const;
  /// The instant of a local time: the earlier one when ambiguous, shifted past a DST gap.
  TimePoint FromLocal(LocalTime lt) const;
  std::chrono::minutes OffsetAt(TimePoint t) const;

 private:
  TimeZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const date::time_zone* zone_ = nullptr;  // null means UTC
  std::string name_;
};

/// "2026-11-24T11:47:25+08:00" (".123" before the offset when there are milliseconds).
std::string FormatIso(TimePoint t, const TimeZone& tz);
/// Parses ISO 8601 with a "Z" or "+HH:MM" offset; also a bare "YYYY-MM-DD" as midnight in
/// `tz`. Returns nothing for anything else, including a date-time without an offset.
std::optional<TimePoint> ParseIso(std::string_view text, const TimeZone& tz);
/// Parses "YYYY-MM-DD".
std::optional<std::chrono::year_month_day> ParseDate(std::string_view text);
/// "YYYY-MM-DD".
std::string FormatDate(std::chrono::year_month_day d);
/// Parses "HH:MM" into minutes after midnight; "24:00" gives 1440.
std::optional<int> ParseClockTime(std::string_view text);

}  // namespace hotline::core

#include "hotline/core/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <charconv>
#include <cstdio>

namespace hotline::core {
namespace {

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Result<TimeZone> TimeZone::Named(std::string_view name) {
  if (name == "UTC" || name == "Etc/UTC") return Utc();
  try {
    return TimeZone(date::locate_zone(name), std::string(name));
  } catch (const std::exception&) {
    return Error::Validation("unknown time zone '" + std::string(name) + "'", "hours.timezone");
  }
}

TimeZone TimeZone::Utc() { return TimeZone(nullptr, "UTC"); }

LocalTime TimeZone::ToLocal(TimePoint t) const {
  if (!zone_) return LocalTime(t.time_since_epoch());
  auto info = zone_->get_info(t);
  return LocalTime(t.time_since_epoch() + std::chrono::duration_cast<Millis>(info.offset));
}

TimePoint TimeZone::FromLocal(LocalTime lt) const {
  if (!zone_) return TimePoint(lt.time_since_epoch());
  auto dlt = date::local_time<Millis>(lt.time_since_epoch());
  auto info = zone_->get_info(dlt);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
      return TimePoint(lt.time_since_epoch() - std::chrono::duration_cast<Millis>(info.first.offset));
    case date::local_info::nonexistent:
    default:
      // In a spring-forward gap: the same wall-clock reading after the jump.
      return TimePoint(lt.time_since_epoch() - std::chrono::duration_cast<Millis>(info.first.offset));
  }
}

std::chrono::minutes TimeZone::OffsetAt(TimePoint t) const {
  if (!zone_) return std::chrono::minutes(0);
  return std::chrono::duration_cast<std::chrono::minutes>(zone_->get_info(t).offset);
}

std::string FormatIso(TimePoint t, const TimeZone& tz) {
  using namespace std::chrono;
  LocalTime lt = tz.ToLocal(t);
  auto day = floor<days>(lt);
  year_month_day ymd{day};
  hh_mm_ss<Millis> tod{lt - day};
  int off = static_cast<int>(tz.OffsetAt(t).count());
  char sign = off < 0 ? '-' : '+';
  off = off < 0 ? -off : off;
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                        static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                        static_cast<int>(tod.seconds().count()));
  if (tod.subseconds().count() != 0) {
    n += std::snprintf(buf + n, sizeof buf - n, ".%03d", static_cast<int>(tod.subseconds().count()));
  }
  std::snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", sign, off / 60, off % 60);
  return buf;
}

std::optional<std::chrono::year_month_day> ParseDate(std::string_view s) {
  using namespace std::chrono;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y, m, d;
  if (!ParseInt(s.substr(0, 4), y) || !ParseInt(s.substr(5, 2), m) || !ParseInt(s.substr(8, 2), d)) {
    return std::nullopt;
  }
  year_month_day ymd{year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::string FormatDate(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<int> ParseClockTime(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  int h, m;
  if (!ParseInt(s.substr(0, 2), h) || !ParseInt(s.substr(3, 2), m)) return std::nullopt;
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::optional<TimePoint> ParseIso(std::string_view s, const TimeZone& tz) {
  using namespace std::chrono;
  auto date_part = ParseDate(s.substr(0, 10));
  if (!date_part) return std::nullopt;
  if (s.size() == 10) return tz.FromLocal(LocalTime(local_days(*date_part)));
  if (s.size() < 20 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  int h, mi, sec;
  if (!ParseInt(s.substr(11, 2), h) || !ParseInt(s.substr(14, 2), mi) ||
      !ParseInt(s.substr(17, 2), sec) || h > 23 || mi > 59 || sec > 60) {
    return std::nullopt;
  }
  std::string_view rest = s.substr(19);
  int ms = 0;
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    int digits = 0;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
      if (digits < 3) ms = ms * 10 + (rest[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return std::nullopt;
    for (int k = digits; k < 3; ++k) ms *= 10;
    rest = rest.substr(i);
  }
  int offset_min = 0;
  if (rest == "Z" || rest == "z") {
    offset_min = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh, om;
    if (!ParseInt(rest.substr(1, 2), oh) || !ParseInt(rest.substr(4, 2), om) || oh > 14 || om > 59) {
      return std::nullopt;
    }
    offset_min = (oh * 60 + om) * (rest[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  auto local = sys_days(*date_part) + hours(h) + minutes(mi) + seconds(sec) + milliseconds(ms);
  return TimePoint(floor<Millis>(local - minutes(offset_min)));
}

}  // namespace hotline::core

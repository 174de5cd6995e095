#include "hotline/ivr/voicemail.hpp"

namespace hotline::ivr {
namespace {

constexpr int kSearchDays = 800;  // more than two years of holidays in a row: a broken calendar

}  // namespace

core::TimePoint VoicemailDueAt(const core::Calendar& calendar, core::TimePoint recorded_at,
                               std::optional<int> due_minute) {
  const int open = calendar.config().open_minute;
  const int minute = due_minute ? *due_minute : (open > 0 ? open : kDefaultMorningMinute);
  auto day = std::chrono::local_days(calendar.LocalDate(recorded_at));
  for (int i = 0; i < kSearchDays; ++i, day += std::chrono::days(1)) {
    if (!calendar.IsServiceDay(std::chrono::year_month_day(day))) continue;
    core::TimePoint morning =
        calendar.zone().FromLocal(core::LocalTime(day + std::chrono::minutes(minute)));
    if (morning > recorded_at) return morning;
  }
  return calendar.NextOpening(recorded_at);
}

}  // namespace hotline::ivr

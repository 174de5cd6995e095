#include "hotline/ivr/voicemail.hpp"

namespace hotline::ivr {

core::TimePoint VoicemailDueAt(const core::Calendar& calendar, core::TimePoint recorded_at) {
  if (!calendar.IsOpen(recorded_at)) return calendar.NextOpening(recorded_at);
  // Open now: the next opening after today's close. With "24:00" the close is next midnight.
  auto day = std::chrono::local_days(calendar.LocalDate(recorded_at));
  core::LocalTime close(day + std::chrono::minutes(calendar.config().close_minute));
  return calendar.NextOpening(calendar.zone().FromLocal(close));
}

}  // namespace hotline::ivr

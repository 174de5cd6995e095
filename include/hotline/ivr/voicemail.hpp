#pragma once
// When a voice message has to be dealt with (SPEC §5: a `voicemail` work order in
// `callback_due`, due the next business morning).
#include <optional>

#include "hotline/core/calendar.hpp"
#include "hotline/core/clock.hpp"

namespace hotline::ivr {

/// The morning time of a 24-hour hotline (opening at 00:00), when none is configured.
inline constexpr int kDefaultMorningMinute = 8 * 60;

/// The next business morning after a message recorded at `recorded_at`: `due_minute`
/// (`ivr.voicemail_due_time`, minutes after local midnight) on the first service day (a staffed
/// week day or make-up workday, not a holiday) whose morning lies after `recorded_at`. Without
/// `due_minute` the morning is the opening time (`hours.open`), or 08:00 when the hotline opens
/// at 00:00 (24-hour mode, where "the next opening" would be now). So a message left at night
/// is due when the hotline opens; one left during hours (on `overflow`, or from the queue) is
/// due the next service day's morning, not now: the agents are busy now.
core::TimePoint VoicemailDueAt(const core::Calendar& calendar, core::TimePoint recorded_at,
                               std::optional<int> due_minute = std::nullopt);

}  // namespace hotline::ivr

#pragma once
// When a voice message has to be dealt with (SPEC §5: a `voicemail` work order in
// `callback_due`, due the next business morning).
#include "hotline/core/calendar.hpp"
#include "hotline/core/clock.hpp"

namespace hotline::ivr {

/// The next business morning after a message recorded at `recorded_at`: the next opening of the
/// hotline. Outside hours (night, weekend, holiday) that is Calendar::NextOpening(recorded_at),
/// which lies after the close the call came in behind. During hours (a message left on overflow)
/// the agents are busy now, so it is the first opening after today's close, not `recorded_at`.
core::TimePoint VoicemailDueAt(const core::Calendar& calendar, core::TimePoint recorded_at);

}  // namespace hotline::ivr

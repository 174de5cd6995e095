#pragma once
// The movable clock of a server started with `--clock` (tests and demos only): read it, set
// it, or move it forward. Without `--clock` these routes do not exist.
#include <functional>

#include "hotline/api/router.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/time.hpp"

namespace hotline::api {

/// GET/POST /api/v1/test/clock (admin). `after_move` runs after every move (e.g. the due
/// reminders, so a test need not wait for the housekeeping timer).
void RegisterClockRoutes(Router& router, core::OffsetClock& clock, const core::TimeZone& zone,
                         std::function<void()> after_move);

}  // namespace hotline::api

#pragma once
// Reports in JSON (SPEC §6): the shapes of GET /api/v1/reports/* and /api/v1/staffing.
// Rates are fractions 0–1, null when there was nothing to rate; figures are unrounded.
#include "hotline/core/json.hpp"
#include "hotline/core/time.hpp"
#include "hotline/reports/daily.hpp"
#include "hotline/reports/hot_topics.hpp"
#include "hotline/reports/monthly.hpp"
#include "hotline/reports/staffing.hpp"

namespace hotline::api {

core::Json DailyJson(const reports::DailyReport& r, const core::TimeZone& zone);
core::Json MonthlyJson(const reports::MonthlyReport& r, const core::TimeZone& zone);
core::Json HotTopicsJson(const reports::HotTopics& r, const core::TimeZone& zone);
/// {agents, p_wait, service_level, asa_s, occupancy, p_abandon?, model, offered_load}.
core::Json StaffingJson(const reports::QueueFigures& f, const reports::StaffingInput& in);

}  // namespace hotline::api

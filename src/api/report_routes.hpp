#pragma once
// Report routes (SPEC §6): daily, monthly (JSON or CSV), hot topics, staffing. Supervisors
// and admins read them all; a unit user reads only its own unit's line of the monthly report;
// agents are refused (403).
#include "hotline/acd/config.hpp"
#include "hotline/api/router.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/time.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::api {

/// What the report routes read; all of it must outlive the router.
struct ReportDeps {
  storage::Database& db;
  const core::Clock& clock;
  const core::TimeZone& zone;
  const acd::AcdConfig& acd;  // measures' thresholds; its service_level_s is staffing's target_s
};

/// GET /api/v1/reports/daily, /api/v1/reports/monthly, /api/v1/reports/hot-topics and
/// GET /api/v1/staffing. Every read goes through the reader pool.
void RegisterReportRoutes(Router& router, ReportDeps deps);

}  // namespace hotline::api

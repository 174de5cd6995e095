#pragma once
// A hotline's database for the report benchmarks: 455 days of 1,000 work orders a day with
// subjects and descriptions made from the starter knowledge base (config/kb/starter.json), so
// that the words and their frequencies are those of real questions. The last 35 days go through
// the real work-order service on a fake clock (transfers, sign-offs, replies, callbacks: the
// histories the monthly report reads); older days are inserted directly, as closed work orders.
// A rising topic is planted: a norovirus outbreak at schools in the last week.
#include <memory>
#include <string>

#include "hotline/core/clock.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::reports::bench {

inline constexpr int kDays = 455;        // 90-day window + 360-day baseline, and some
inline constexpr int kServiceDays = 35;  // the last ones, through the service
inline constexpr int kOrdersPerDay = 1000;

/// 2026-03-31 12:00 in Asia/Shanghai: the end of the generated history.
core::TimePoint Now();

/// The database, generated on first use into $TMPDIR/hotline-reports-bench-v3.db (a minute or
/// two) and reused afterwards; opened with the real schema.
std::unique_ptr<storage::Database> OpenReportDb();

}  // namespace hotline::reports::bench

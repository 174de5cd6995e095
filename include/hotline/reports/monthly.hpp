#pragma once
// The monthly report to the network units (月报, SPEC §6): per unit, the work orders it
// received in the month and where they stand now — completed within 7 and 30 days of
// acceptance, still pending, overdue, extended, returned, redone, and the callers'
// satisfaction — plus the hotline's own month (accepted, settled by the hotline, 化解).
// Every count is of work orders, so a unit's line adds up:
//   received = completed + pending + returned + withdrawn
// and the totals line is the sum of the unit lines.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hotline/core/clock.hpp"
#include "hotline/core/time.hpp"
#include "hotline/reports/period.hpp"
#include "hotline/storage/sqlite.hpp"

namespace hotline::reports {

/// A share, or nothing when there is nothing to share (JSON null, an empty CSV cell).
std::optional<double> Rate(int part, int whole);

/// Counts of the work orders a unit received in the month, as they stand at `as_of`.
struct UnitFigures {
  int received = 0;       // first received in the month (transfer or assisting child)
  int completed = 0;      // replied, and the reply stands
  int completed_7d = 0;   // of those, replied within 7 × 24 h of accepted_at
  int completed_30d = 0;  // within 30 × 24 h
  int pending = 0;        // with the unit now
  int overdue = 0;        // of pending, past due_at
  int returned = 0;       // sent back by the unit (and not sent to it again)
  int withdrawn = 0;      // reply voided (redo, reopen) and the work went elsewhere
  int extended = 0;       // deadline extended while with the unit
  int redo = 0;           // a caller rejected the unit's reply at least once (重办)
  int rated = 0;          // callbacks that gave a score after the unit's reply
  int satisfied = 0;      // of rated: satisfied (the agent's answer, else a score of 4 or 5)
  int satisfaction_sum = 0;

  std::optional<double> completion_rate_7d() const { return Rate(completed_7d, received); }
  std::optional<double> completion_rate_30d() const { return Rate(completed_30d, received); }
  std::optional<double> redo_rate() const { return Rate(redo, received); }
  std::optional<double> satisfaction_rate() const { return Rate(satisfied, rated); }
  /// Mean score 1–5 of the rated ones.
  std::optional<double> satisfaction() const;
  void Add(const UnitFigures& other);
};

struct UnitLine {
  int64_t unit_id = 0;
  std::string name;
  std::string kind;
  UnitFigures figures;
};

/// The hotline's own month: work orders accepted in it (assisting units' copies excluded).
struct HotlineFigures {
  int accepted = 0;
  std::map<std::string, int> by_type;     // every type, zeros included
  std::map<std::string, int> by_channel;  // every channel, zeros included
  int answered = 0;     // the hotline answered it itself
  int mediated = 0;     // a complaint settled by explanation (化解)
  int transferred = 0;  // sent to a unit at least once
  int merged = 0;       // closed as a duplicate of another
  int completed = 0;    // completed_at set (or closed without one, merged ones aside)
  int completed_7d = 0;
  int completed_30d = 0;
  int closed = 0;
  int open = 0;  // not closed yet: accepted = closed + open
  int overdue = 0;
  int redo = 0;  // work orders redone at least once
  int rated = 0;
  int satisfied = 0;
  int satisfaction_sum = 0;

  /// Completion rates count the merged duplicates out: they live on in their survivor.
  std::optional<double> completion_rate_7d() const { return Rate(completed_7d, accepted - merged); }
  std::optional<double> completion_rate_30d() const { return Rate(completed_30d, accepted - merged); }
  std::optional<double> satisfaction_rate() const { return Rate(satisfied, rated); }
  std::optional<double> satisfaction() const;
};

struct MonthlyReport {
  std::chrono::year_month month;
  Period period;
  core::TimePoint as_of;
  std::vector<UnitLine> units;  // every unit, by id (only the reader's own for a unit user)
  UnitFigures totals;           // the sum of `units`
  std::optional<HotlineFigures> work_orders;  // absent for a unit user
};

/// The report of `month` as things stand at `now`. `only_unit` narrows it to one unit's line
/// (what a unit user may read) and leaves out the hotline's own figures.
MonthlyReport BuildMonthly(storage::Connection& c, std::chrono::year_month month,
                           const core::TimeZone& zone, core::TimePoint now,
                           std::optional<int64_t> only_unit = std::nullopt);

/// RFC 4180 CSV, UTF-8 with a byte-order mark (so that spreadsheet programs show Chinese unit
/// names), a header row, one row per unit and a last row named "total".
std::string MonthlyCsv(const MonthlyReport& report);

}  // namespace hotline::reports

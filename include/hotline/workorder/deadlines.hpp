#pragma once
// Deadlines, the sign-off clock and reminder points of a work order (SPEC §3), counted
// in calendar days or, with `workorder.working_days`, in working days and hours.
#include <optional>
#include <string_view>
#include <vector>

#include "hotline/core/calendar.hpp"
#include "hotline/workorder/config.hpp"
#include "hotline/workorder/work_order.hpp"

namespace hotline::workorder {

/// The reminder points the scheduler fires, each at most once per work order and instant.
enum class ReminderKind { kBeforeDue, kOverdue, kAckMissed };
/// "before_due", "overdue", "ack_missed".
std::string_view ReminderKindName(ReminderKind k);

struct ReminderPoint {
  ReminderKind kind;
  TimePoint at;  // when it falls due; also its identity in the bookkeeping
};

class Deadlines {
 public:
  Deadlines(const core::Calendar& calendar, const WorkOrderConfig& config)
      : calendar_(calendar), config_(config) {}

  /// accepted_at + deadline_days (calendar or working days).
  TimePoint DueAt(TimePoint accepted_at) const;
  /// due_at + extension_days, counted the same way.
  TimePoint Extended(TimePoint due_at) const;
  /// transferred_at + ack_hours (wall-clock hours, or business hours on working days).
  TimePoint AckDue(TimePoint transferred_at) const;
  /// The same local time remind_before_days calendar days before due_at.
  TimePoint RemindBefore(TimePoint due_at) const;

  /// The points of `wo` that are due at `now` (only while transferred or acknowledged):
  /// before_due while not yet overdue, overdue once past due_at, ack_missed while a
  /// transfer waits for its sign-off past ack_due_at.
  std::vector<ReminderPoint> DuePoints(const WorkOrder& wo, TimePoint now) const;

 private:
  const core::Calendar& calendar_;
  const WorkOrderConfig& config_;
};

}  // namespace hotline::workorder

#include "hotline/workorder/deadlines.hpp"

namespace hotline::workorder {

std::string_view ReminderKindName(ReminderKind k) {
  switch (k) {
    case ReminderKind::kBeforeDue: return "before_due";
    case ReminderKind::kOverdue: return "overdue";
    case ReminderKind::kAckMissed: return "ack_missed";
  }
  return "?";
}

TimePoint Deadlines::DueAt(TimePoint accepted_at) const {
  return config_.working_days ? calendar_.AddWorkingDays(accepted_at, config_.deadline_days)
                              : calendar_.AddCalendarDays(accepted_at, config_.deadline_days);
}

TimePoint Deadlines::Extended(TimePoint due_at) const {
  return config_.working_days ? calendar_.AddWorkingDays(due_at, config_.extension_days)
                              : calendar_.AddCalendarDays(due_at, config_.extension_days);
}

TimePoint Deadlines::AckDue(TimePoint transferred_at) const {
  return config_.working_days ? calendar_.AddWorkingHours(transferred_at, config_.ack_hours)
                              : transferred_at + std::chrono::hours(config_.ack_hours);
}

TimePoint Deadlines::RemindBefore(TimePoint due_at) const {
  // Local calendar days, so the reminder keeps the deadline's time of day across DST.
  return calendar_.AddCalendarDays(due_at, -config_.remind_before_days);
}

std::vector<ReminderPoint> Deadlines::DuePoints(const WorkOrder& wo, TimePoint now) const {
  std::vector<ReminderPoint> out;
  if (wo.status != Status::kTransferred && wo.status != Status::kAcknowledged) return out;
  if (now >= wo.due_at) {
    out.push_back({ReminderKind::kOverdue, wo.due_at});
  } else if (TimePoint before = RemindBefore(wo.due_at); now >= before) {
    // Once overdue, the early warning has lost its point: only the overdue one fires.
    out.push_back({ReminderKind::kBeforeDue, before});
  }
  if (wo.status == Status::kTransferred && wo.ack_due_at && now >= *wo.ack_due_at) {
    out.push_back({ReminderKind::kAckMissed, *wo.ack_due_at});
  }
  return out;
}

}  // namespace hotline::workorder

#pragma once
// Carrying out a Decision inside the write transaction: the row, its history, and the
// side effects (children, notifications, redo, merge, parent hand-over).
#include <string_view>
#include <vector>

#include "hotline/core/actor.hpp"
#include "hotline/core/calendar.hpp"
#include "hotline/storage/sqlite.hpp"
#include "hotline/workorder/state_machine.hpp"

namespace hotline::workorder {

using storage::Connection;

/// A work order changed by a transaction and the events to announce after the commit.
struct ChangedOrder {
  WorkOrder wo;
  std::vector<std::string_view> events;
};

/// Checks what Decide cannot see: the named units and incident exist, the merge survivor is
/// visible and still open.
core::Result<void> CheckReferences(storage::Connection& c, const core::Actor& actor,
                                   const WorkOrder& before, const Decision& d);

/// Writes `d` and its effects; appends every changed work order (the acted-on one first).
void ApplyDecision(storage::Connection& c, const core::Actor& actor, const WorkOrder& before,
                   const Decision& d, Action action, TimePoint now,
                   const core::Calendar& calendar, std::vector<ChangedOrder>& changed);

/// The webhook payload reminding a unit of `wo` ("before_due", "overdue", "ack_missed",
/// "manual"): the work order's number, subject, state and deadline, and the unit's id and
/// name, so that the receiver can address the unit without a lookup.
core::Json ReminderPayload(Connection& c, const WorkOrder& wo, std::string_view point,
                           const core::TimeZone& tz);

}  // namespace hotline::workorder

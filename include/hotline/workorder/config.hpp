#pragma once
// The `workorder` config section (SPEC §3): deadlines, reminders, the closed loop.
#include <vector>

#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"
#include "hotline/workorder/work_order.hpp"

namespace hotline::workorder {

struct WorkOrderConfig {
  int deadline_days = 30;       // workorder.deadline_days
  int extension_days = 30;      // workorder.extension_days (one extension, with consent)
  bool working_days = false;    // count deadlines in working days, sign-off in working hours
  int remind_before_days = 7;   // workorder.remind_before_days
  std::vector<Type> callback_required = {Type::kComplaint, Type::kReport};
  int callback_attempts = 3;    // unreached callbacks before closing as unreachable
  int ack_hours = 24;           // sign-off clock after a transfer

  /// True when `type` must be called back before closing. A consult that was deferred
  /// always needs one (SPEC §3, closed loop).
  bool NeedsCallback(Type type, bool deferred) const;
};

/// Reads the `workorder` section (absent keys keep their defaults); a validation error
/// names the offending key, e.g. "workorder.deadline_days".
core::Result<WorkOrderConfig> WorkOrderConfigFromJson(const core::Json& section);

}  // namespace hotline::workorder

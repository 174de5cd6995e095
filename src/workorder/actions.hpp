#pragma once
// The effect of each action of the transition table, once Decide() has checked the state,
// the role and the required fields.
#include "hotline/workorder/state_machine.hpp"

namespace hotline::workorder {

/// Fills `d` (which starts as a copy of `before`) with the action's effect, or answers
/// why its field values are refused.
core::Result<void> ApplyAction(Decision& d, const WorkOrder& before, const ActionInput& in,
                               const DecideContext& ctx);

}  // namespace hotline::workorder

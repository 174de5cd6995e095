#pragma once
// The work-order state machine of SPEC §3 as one explicit table: for each action, the
// states it is allowed from, the states it may lead to, who may take it and its required
// fields. Decide() applies one action to a work order without touching storage.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "hotline/core/actor.hpp"
#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"
#include "hotline/workorder/config.hpp"
#include "hotline/workorder/deadlines.hpp"
#include "hotline/workorder/work_order.hpp"

namespace hotline::workorder {

/// A set of Status values as bits (1 << Status).
using StatusSet = uint32_t;
/// A set of core::Role values as bits (1 << Role).
using RoleSet = uint32_t;

constexpr StatusSet Bit(Status s) { return StatusSet{1} << static_cast<int>(s); }
constexpr RoleSet Bit(core::Role r) { return RoleSet{1} << static_cast<int>(r); }
inline constexpr StatusSet kAnyStatus = (StatusSet{1} << 7) - 1;

/// Action fields a rule may require (checked for presence; values by the action itself).
enum class Field {
  kAnswer, kOutcome, kResult, kReason, kText, kType, kUnitId, kReplyDueAt, kConsent,
  kReached, kInto, kIncidentId, kCallId,
};
/// The JSON name of a field ("reply_due_at", …).
std::string_view FieldName(Field f);

/// One row of the table.
struct TransitionRule {
  Action action;
  StatusSet from;      // states the action is allowed from
  StatusSet to;        // states it may lead to (== from-state when it keeps the state)
  bool keeps_state;    // true for actions that never change the state
  RoleSet who;         // roles that may take it
  bool own_unit_only;  // a `unit` may take it only on its own unit's work order
  std::vector<Field> required;
};

/// The table, one row per action.
std::span<const TransitionRule> TransitionTable();
/// The row for `action` when it is allowed from `from`; nothing otherwise.
const TransitionRule* FindRule(Status from, Action action);

/// A `unit` sees only its unit's work orders; agents, supervisors, admins and the system
/// see all; the gateway sees none.
bool CanSee(const core::Actor& actor, const WorkOrder& wo);

/// What Decide needs besides the work order and the input.
struct DecideContext {
  TimePoint now{};
  const WorkOrderConfig* config = nullptr;
  const Deadlines* deadlines = nullptr;
  bool has_open_children = false;  // assisting units' child work orders still open
};

/// The outcome of one allowed action: the work order after it, what the history records,
/// and the side effects the repository carries out in the same transaction.
struct Decision {
  WorkOrder after;
  core::Json fields = core::Json::object();  // the action's fields for the history
  std::vector<int64_t> create_children_for;  // transfer: one child per assisting unit
  bool notify_unit = false;                  // remind: queue a notification to the unit
  bool count_redo = false;                   // callback: unsatisfied and reopened
  std::optional<int64_t> merge_into;         // merge: the survivor gets this one's calls
  std::optional<int64_t> link_call;          // link_call
  bool child_finished = false;               // a child closed: its parent may move on
};

/// Applies `in` to `wo` on behalf of `actor`. Errors, in this order: not_found when the
/// actor may not see it; invalid_transition when the action is not allowed from the
/// state; forbidden for a role the row does not name; validation_failed for a missing or
/// bad field; invalid_transition for a second extension, reopening a merged duplicate, or
/// merging a parent whose assisting units' children are open. With open children, a parent
/// that would reach callback_due or close on an answer, mediation or reply waits in `replied`.
core::Result<Decision> Decide(const WorkOrder& wo, const core::Actor& actor,
                              const ActionInput& in, const DecideContext& ctx);

/// The history fields of an input: every field that is set (times as ISO 8601 UTC).
core::Json InputFields(const ActionInput& in);

}  // namespace hotline::workorder

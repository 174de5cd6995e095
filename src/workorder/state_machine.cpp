#include "hotline/workorder/state_machine.hpp"

#include <string>

#include "workorder/actions.hpp"

namespace hotline::workorder {
namespace {

using core::Role;
using S = Status;
using F = Field;

constexpr StatusSet Of(std::initializer_list<Status> states) {
  StatusSet set = 0;
  for (Status s : states) set |= Bit(s);
  return set;
}
constexpr RoleSet Who(std::initializer_list<Role> roles) {
  RoleSet set = 0;
  for (Role r : roles) set |= Bit(r);
  return set;
}

constexpr RoleSet kAgent = Who({Role::kAgent});
constexpr RoleSet kSupervisor = Who({Role::kSupervisor});
constexpr RoleSet kUnit = Who({Role::kUnit});
constexpr RoleSet kDesk = Who({Role::kAgent, Role::kSupervisor});
constexpr RoleSet kDeskOrSystem = Who({Role::kAgent, Role::kSupervisor, Role::kSystem});
constexpr RoleSet kAnyoneWhoSees =
    Who({Role::kAgent, Role::kSupervisor, Role::kAdmin, Role::kUnit, Role::kSystem});
constexpr bool kOwnUnit = true;
constexpr bool kKeeps = true;

// SPEC §3 "States and actions", row for row, plus merge and the two link operations.
// `to` also names `replied` where a parent with open assisting children must wait, and
// `closed` where an assisting unit's child work order ends on reply or return.
const std::vector<TransitionRule> kTable = {
    {Action::kAnswer, Of({S::kOpen, S::kPendingAnswer}), Of({S::kCallbackDue, S::kClosed, S::kReplied}),
     !kKeeps, kAgent, !kOwnUnit, {F::kAnswer}},
    {Action::kDefer, Of({S::kOpen}), Of({S::kPendingAnswer}), !kKeeps, kAgent, !kOwnUnit,
     {F::kReplyDueAt}},
    {Action::kEscalate, Of({S::kOpen, S::kPendingAnswer}), Of({S::kOpen}), !kKeeps, kAgent,
     !kOwnUnit, {F::kType, F::kReason}},
    {Action::kMediate, Of({S::kOpen}), Of({S::kCallbackDue, S::kClosed, S::kReplied}), !kKeeps,
     kAgent, !kOwnUnit, {F::kOutcome}},
    {Action::kTransfer, Of({S::kOpen}), Of({S::kTransferred}), !kKeeps, kDesk, !kOwnUnit,
     {F::kUnitId}},
    {Action::kAcknowledge, Of({S::kTransferred}), Of({S::kAcknowledged}), !kKeeps, kUnit, kOwnUnit,
     {}},
    {Action::kReturn, Of({S::kTransferred, S::kAcknowledged}), Of({S::kOpen, S::kClosed}), !kKeeps,
     kUnit, kOwnUnit, {F::kReason}},
    {Action::kReply, Of({S::kTransferred, S::kAcknowledged}),
     Of({S::kCallbackDue, S::kReplied, S::kClosed}), !kKeeps, kUnit, kOwnUnit, {F::kResult}},
    {Action::kExtend, Of({S::kTransferred, S::kAcknowledged}), Of({S::kTransferred, S::kAcknowledged}),
     kKeeps, kSupervisor, !kOwnUnit, {F::kReason, F::kConsent}},
    {Action::kRemind, Of({S::kTransferred, S::kAcknowledged}), Of({S::kTransferred, S::kAcknowledged}),
     kKeeps, Who({Role::kSupervisor, Role::kSystem}), !kOwnUnit, {}},
    {Action::kCallback, Of({S::kCallbackDue}), Of({S::kClosed, S::kOpen, S::kCallbackDue}), !kKeeps,
     kAgent, !kOwnUnit, {F::kReached}},
    {Action::kReopen, Of({S::kClosed}), Of({S::kOpen}), !kKeeps, kSupervisor, !kOwnUnit,
     {F::kReason}},
    {Action::kNote, kAnyStatus, kAnyStatus, kKeeps, kAnyoneWhoSees, kOwnUnit, {F::kText}},
    {Action::kMerge, Of({S::kOpen, S::kPendingAnswer}), Of({S::kClosed}), !kKeeps, kDesk, !kOwnUnit,
     {F::kInto}},
    {Action::kLinkIncident, kAnyStatus, kAnyStatus, kKeeps, kDeskOrSystem, !kOwnUnit,
     {F::kIncidentId}},
    {Action::kLinkCall, kAnyStatus, kAnyStatus, kKeeps, kDeskOrSystem, !kOwnUnit, {F::kCallId}},
};

bool Has(const ActionInput& in, Field f) {
  switch (f) {
    case F::kAnswer: return in.answer && !in.answer->empty();
    case F::kOutcome: return in.outcome && !in.outcome->empty();
    case F::kResult: return in.result && !in.result->empty();
    case F::kReason: return in.reason && !in.reason->empty();
    case F::kText: return in.text && !in.text->empty();
    case F::kType: return in.type.has_value();
    case F::kUnitId: return in.unit_id.has_value();
    case F::kReplyDueAt: return in.reply_due_at.has_value();
    case F::kConsent: return in.consent.has_value();
    case F::kReached: return in.reached.has_value();
    case F::kInto: return in.into.has_value();
    case F::kIncidentId: return in.incident_id.has_value();
    case F::kCallId: return in.call_id.has_value();
  }
  return false;
}

// A parent never reaches callback_due, nor closes, while an assisting unit's child is open
// (SPEC §3). A settled one waits in `replied`: the unit's reply, and the hotline's own answer
// or mediation too (the lead unit may have returned it meanwhile); the last child's closing
// moves it on to the callback, where the caller hears every unit's result. A merge would
// close it under the children's feet: refused until they are done.
core::Result<void> HoldForChildren(Decision& d, Action action) {
  WorkOrder& w = d.after;
  if (w.status == Status::kCallbackDue) {
    w.status = Status::kReplied;
  } else if (w.status == Status::kClosed &&
             (action == Action::kAnswer || action == Action::kMediate)) {
    w.status = Status::kReplied;
    w.closed_at.reset();
    w.close_reason.reset();
  } else if (w.status == Status::kClosed) {
    return core::Error::InvalidTransition(
        "assisting units' work orders are still open: it closes once they reply or return it");
  }
  return {};
}

}  // namespace

std::string_view FieldName(Field f) {
  switch (f) {
    case F::kAnswer: return "answer";
    case F::kOutcome: return "outcome";
    case F::kResult: return "result";
    case F::kReason: return "reason";
    case F::kText: return "text";
    case F::kType: return "type";
    case F::kUnitId: return "unit_id";
    case F::kReplyDueAt: return "reply_due_at";
    case F::kConsent: return "consent";
    case F::kReached: return "reached";
    case F::kInto: return "into";
    case F::kIncidentId: return "incident_id";
    case F::kCallId: return "call_id";
  }
  return "?";
}

std::span<const TransitionRule> TransitionTable() { return kTable; }

const TransitionRule* FindRule(Status from, Action action) {
  for (const auto& rule : kTable) {
    if (rule.action == action && (rule.from & Bit(from))) return &rule;
  }
  return nullptr;
}

bool CanSee(const core::Actor& actor, const WorkOrder& wo) {
  switch (actor.role) {
    case Role::kAdmin:
    case Role::kSupervisor:
    case Role::kAgent:
    case Role::kSystem: return true;
    case Role::kUnit: return actor.unit_id && wo.unit_id && *actor.unit_id == *wo.unit_id;
    case Role::kTelephony: return false;
  }
  return false;
}

core::Result<Decision> Decide(const WorkOrder& wo, const core::Actor& actor,
                              const ActionInput& in, const DecideContext& ctx) {
  if (!CanSee(actor, wo)) return core::Error::NotFound("no such work order");
  const TransitionRule* rule = FindRule(wo.status, in.action);
  if (!rule) {
    return core::Error::InvalidTransition("cannot " + std::string(ActionName(in.action)) +
                                          " a work order that is " +
                                          std::string(StatusName(wo.status)));
  }
  if (!(rule->who & Bit(actor.role))) {
    return core::Error::Forbidden("a " + std::string(core::RoleName(actor.role)) + " may not " +
                                  std::string(ActionName(in.action)));
  }
  // CanSee already holds a unit to its own work orders; the rule says so explicitly too.
  if (actor.role == Role::kUnit && rule->own_unit_only && actor.unit_id != wo.unit_id) {
    return core::Error::NotFound("no such work order");
  }
  for (Field f : rule->required) {
    if (!Has(in, f)) {
      return core::Error::Validation(std::string(FieldName(f)) + " is required for " +
                                         std::string(ActionName(in.action)),
                                     std::string(FieldName(f)));
    }
  }
  Decision d{.after = wo, .fields = InputFields(in)};
  if (auto r = ApplyAction(d, wo, in, ctx); r.has_error()) return r.error();
  if (ctx.has_open_children && d.after.status != wo.status) {
    if (auto r = HoldForChildren(d, in.action); r.has_error()) return r.error();
  }
  return d;
}

}  // namespace hotline::workorder

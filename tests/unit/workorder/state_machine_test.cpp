// The transition table against SPEC §3, pair by pair, without a database.
#include "hotline/workorder/state_machine.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "fixture.hpp"

namespace hotline::workorder {
namespace {

using core::Role;
using testing::Do;
using S = Status;
using A = Action;

// SPEC §3 written out again, independently of the code's table: who takes it, from where.
struct SpecRow {
  Action action;
  std::set<Status> from;
  Role role;  // a role the SPEC names for it
};
const std::set<Status> kAll = {S::kOpen,    S::kPendingAnswer, S::kTransferred, S::kAcknowledged,
                               S::kReplied, S::kCallbackDue,   S::kClosed};
const std::vector<SpecRow> kSpec = {
    {A::kAnswer, {S::kOpen, S::kPendingAnswer}, Role::kAgent},
    {A::kDefer, {S::kOpen}, Role::kAgent},
    {A::kEscalate, {S::kOpen, S::kPendingAnswer}, Role::kAgent},
    {A::kMediate, {S::kOpen}, Role::kAgent},
    {A::kTransfer, {S::kOpen}, Role::kAgent},
    {A::kAcknowledge, {S::kTransferred}, Role::kUnit},
    {A::kReturn, {S::kTransferred, S::kAcknowledged}, Role::kUnit},
    {A::kReply, {S::kTransferred, S::kAcknowledged}, Role::kUnit},
    {A::kExtend, {S::kTransferred, S::kAcknowledged}, Role::kSupervisor},
    {A::kRemind, {S::kTransferred, S::kAcknowledged}, Role::kSupervisor},
    {A::kCallback, {S::kCallbackDue}, Role::kAgent},
    {A::kReopen, {S::kClosed}, Role::kSupervisor},
    {A::kNote, kAll, Role::kAgent},
    {A::kMerge, {S::kOpen, S::kPendingAnswer}, Role::kAgent},
    {A::kLinkIncident, kAll, Role::kAgent},
    {A::kLinkCall, kAll, Role::kAgent},
};

class Machine : public ::testing::Test {
 protected:
  Machine() : calendar_(testing::ShanghaiCalendar()), deadlines_(calendar_, config_) {}

  WorkOrder InState(Status s, Type type = Type::kConsult) const {
    WorkOrder w;
    w.id = 5;
    w.status = s;
    w.type = type;
    w.unit_id = 1;  // visible to unit 1 in every state (a redo keeps the unit)
    w.accepted_at = testing::Monday9();
    w.due_at = deadlines_.DueAt(w.accepted_at);
    return w;
  }
  core::Actor ActorFor(Role r) const {
    switch (r) {
      case Role::kUnit: return testing::UnitUser(1, 11);
      case Role::kSupervisor: return testing::Supervisor();
      case Role::kAdmin: return testing::Admin();
      case Role::kTelephony: return testing::Telephony();
      case Role::kSystem: return core::Actor::System();
      case Role::kAgent: break;
    }
    return testing::Agent();
  }
  // Every field an action may need, valid.
  ActionInput Complete(Action a) const {
    ActionInput in = Do(a);
    in.answer = in.outcome = in.result = in.reason = in.text = "文本";
    in.type = a == A::kEscalate ? Type::kComplaint : Type::kConsult;
    in.unit_id = 2;
    in.reply_due_at = ctx().now + std::chrono::hours(48);
    in.consent = true;
    in.reached = true;
    in.satisfaction = 5;
    in.into = 99;
    in.incident_id = 7;
    in.call_id = 9;
    return in;
  }
  DecideContext ctx() const { return {testing::Monday9(), &config_, &deadlines_, false}; }

  WorkOrderConfig config_;
  core::Calendar calendar_;
  Deadlines deadlines_;
};

TEST_F(Machine, EveryStateActionPairFollowsTheSpecTable) {
  for (const auto& row : kSpec) {
    for (Status s : kAll) {
      SCOPED_TRACE(std::string(ActionName(row.action)) + " from " + std::string(StatusName(s)));
      WorkOrder w = InState(s);
      auto d = Decide(w, ActorFor(row.role), Complete(row.action), ctx());
      if (row.from.count(s)) {
        ASSERT_TRUE(d.has_value()) << d.error().message;
        const TransitionRule* rule = FindRule(s, row.action);
        ASSERT_NE(rule, nullptr);
        EXPECT_TRUE(rule->to & Bit(d->after.status)) << StatusName(d->after.status);
        if (rule->keeps_state) {
          EXPECT_EQ(d->after.status, s);
        }
      } else {
        ASSERT_TRUE(d.has_error());
        EXPECT_EQ(d.error().code, core::ErrorCode::kInvalidTransition);
        EXPECT_EQ(FindRule(s, row.action), nullptr);
      }
    }
  }
}

TEST_F(Machine, TableCoversEveryActionOnce) {
  std::set<Action> seen;
  for (const auto& rule : TransitionTable()) EXPECT_TRUE(seen.insert(rule.action).second);
  EXPECT_EQ(seen.size(), AllActions().size());
  EXPECT_EQ(kSpec.size(), AllActions().size());
}

TEST_F(Machine, RefusesCloseLikeActionsFromTransferred) {
  for (Action a : {A::kAnswer, A::kMediate, A::kCallback, A::kReopen, A::kMerge, A::kDefer}) {
    auto d = Decide(InState(S::kTransferred), testing::Agent(), Complete(a), ctx());
    ASSERT_TRUE(d.has_error()) << ActionName(a);
    EXPECT_EQ(d.error().code, core::ErrorCode::kInvalidTransition);
  }
}

// Which roles may take each action (on a work order of unit 1, in an allowed state).
TEST_F(Machine, OnlyTheRolesOfTheTableMayAct) {
  const std::map<Action, std::set<Role>> allowed = {
      {A::kAnswer, {Role::kAgent}},
      {A::kDefer, {Role::kAgent}},
      {A::kEscalate, {Role::kAgent}},
      {A::kMediate, {Role::kAgent}},
      {A::kTransfer, {Role::kAgent, Role::kSupervisor}},
      {A::kAcknowledge, {Role::kUnit}},
      {A::kReturn, {Role::kUnit}},
      {A::kReply, {Role::kUnit}},
      {A::kExtend, {Role::kSupervisor}},
      {A::kRemind, {Role::kSupervisor, Role::kSystem}},
      {A::kCallback, {Role::kAgent}},
      {A::kReopen, {Role::kSupervisor}},
      {A::kNote, {Role::kAgent, Role::kSupervisor, Role::kAdmin, Role::kUnit, Role::kSystem}},
      {A::kMerge, {Role::kAgent, Role::kSupervisor}},
      {A::kLinkIncident, {Role::kAgent, Role::kSupervisor, Role::kSystem}},
      {A::kLinkCall, {Role::kAgent, Role::kSupervisor, Role::kSystem}},
  };
  const Role roles[] = {Role::kAdmin, Role::kSupervisor, Role::kAgent, Role::kUnit, Role::kSystem};
  for (const auto& row : kSpec) {
    Status from = *row.from.begin();
    for (Role r : roles) {
      SCOPED_TRACE(std::string(ActionName(row.action)) + " by " + std::string(core::RoleName(r)));
      auto d = Decide(InState(from), ActorFor(r), Complete(row.action), ctx());
      if (allowed.at(row.action).count(r)) {
        EXPECT_TRUE(d.has_value()) << d.error().message;
      } else {
        ASSERT_TRUE(d.has_error());
        EXPECT_EQ(d.error().code, core::ErrorCode::kForbidden);
      }
    }
  }
}

TEST_F(Machine, AnotherUnitGetsNotFoundForEveryActionInEveryState) {
  const core::Actor other = testing::UnitUser(2, 12);
  for (Action a : AllActions()) {
    for (Status s : kAll) {
      auto d = Decide(InState(s), other, Complete(a), ctx());
      ASSERT_TRUE(d.has_error());
      EXPECT_EQ(d.error().code, core::ErrorCode::kNotFound) << ActionName(a);
    }
  }
}

TEST_F(Machine, TheGatewaySeesNoWorkOrder) {
  EXPECT_FALSE(CanSee(testing::Telephony(), InState(S::kOpen)));
  EXPECT_TRUE(CanSee(testing::Agent(), InState(S::kOpen)));
  WorkOrder unassigned = InState(S::kOpen);
  unassigned.unit_id.reset();
  EXPECT_FALSE(CanSee(testing::UnitUser(1, 11), unassigned));
}

TEST_F(Machine, EachRequiredFieldIsEnforced) {
  for (const auto& rule : TransitionTable()) {
    Status from = S::kOpen;
    for (Status s : kAll) {
      if (rule.from & Bit(s)) {
        from = s;
        break;
      }
    }
    const auto* spec = &kSpec[0];
    for (const auto& row : kSpec) {
      if (row.action == rule.action) spec = &row;
    }
    for (Field f : rule.required) {
      SCOPED_TRACE(std::string(ActionName(rule.action)) + " without " + std::string(FieldName(f)));
      ActionInput in = Complete(rule.action);
      switch (f) {
        case Field::kAnswer: in.answer.reset(); break;
        case Field::kOutcome: in.outcome.reset(); break;
        case Field::kResult: in.result.reset(); break;
        case Field::kReason: in.reason = ""; break;  // empty counts as missing
        case Field::kText: in.text.reset(); break;
        case Field::kType: in.type.reset(); break;
        case Field::kUnitId: in.unit_id.reset(); break;
        case Field::kReplyDueAt: in.reply_due_at.reset(); break;
        case Field::kConsent: in.consent.reset(); break;
        case Field::kReached: in.reached.reset(); break;
        case Field::kInto: in.into.reset(); break;
        case Field::kIncidentId: in.incident_id.reset(); break;
        case Field::kCallId: in.call_id.reset(); break;
      }
      auto d = Decide(InState(from), ActorFor(spec->role), in, ctx());
      ASSERT_TRUE(d.has_error());
      EXPECT_EQ(d.error().code, core::ErrorCode::kValidationFailed);
      EXPECT_EQ(d.error().field, FieldName(f));
    }
  }
}

}  // namespace
}  // namespace hotline::workorder

// What each action does to a work order (pure, no database).
#include <gtest/gtest.h>

#include "fixture.hpp"
#include "hotline/workorder/state_machine.hpp"

namespace hotline::workorder {
namespace {

using testing::Do;
using S = Status;
using A = Action;
using std::chrono::hours;

class Actions : public ::testing::Test {
 protected:
  Actions() : calendar_(testing::ShanghaiCalendar()), deadlines_(calendar_, config_) {}

  WorkOrder InState(Status s, Type type = Type::kConsult) const {
    WorkOrder w;
    w.id = 5;
    w.status = s;
    w.type = type;
    if (s != S::kOpen && s != S::kPendingAnswer) w.unit_id = 1;
    w.accepted_at = now_;
    w.due_at = deadlines_.DueAt(now_);
    return w;
  }
  core::Result<Decision> Run(const WorkOrder& w, const core::Actor& who, const ActionInput& in,
                             bool open_children = false) const {
    return Decide(w, who, in, {now_, &config_, &deadlines_, open_children});
  }
  ActionInput Callback(bool reached, std::optional<int> satisfaction = std::nullopt) const {
    auto in = Do(A::kCallback);
    in.reached = reached;
    in.satisfaction = satisfaction;
    return in;
  }

  core::TimePoint now_ = testing::Monday9();
  WorkOrderConfig config_;
  core::Calendar calendar_;
  Deadlines deadlines_;
};

TEST_F(Actions, AnsweredConsultClosesWithoutCallback) {
  auto in = Do(A::kAnswer);
  in.answer = "可通过114预约";
  auto d = Run(InState(S::kOpen), testing::Agent(), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.status, S::kClosed);
  EXPECT_EQ(d->after.closed_at, now_);
  EXPECT_EQ(d->after.completed_at, now_);
  EXPECT_EQ(d->after.close_reason, std::string(kClosedAnswered));
}

TEST_F(Actions, AnsweredComplaintWaitsForCallback) {
  auto in = Do(A::kAnswer);
  in.answer = "已解释";
  auto d = Run(InState(S::kOpen, Type::kComplaint), testing::Agent(), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.status, S::kCallbackDue);
  EXPECT_EQ(d->after.completed_at, now_);
  EXPECT_FALSE(d->after.closed_at);
}

TEST_F(Actions, DeferredConsultNeedsCallbackWhenAnswered) {
  WorkOrder w = InState(S::kPendingAnswer);
  w.deferred = true;
  auto in = Do(A::kAnswer);
  in.answer = "查询结果";
  auto d = Run(w, testing::Agent(), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.status, S::kCallbackDue);
}

TEST_F(Actions, CallbackRequiredTypesComeFromConfig) {
  config_.callback_required = {Type::kSuggestion};
  auto in = Do(A::kMediate);
  in.outcome = "化解";
  EXPECT_EQ(Run(InState(S::kOpen, Type::kComplaint), testing::Agent(), in)->after.status, S::kClosed);
  EXPECT_EQ(Run(InState(S::kOpen, Type::kSuggestion), testing::Agent(), in)->after.status,
            S::kCallbackDue);
}

TEST_F(Actions, DeferNeedsAFutureReplyDueAt) {
  auto in = Do(A::kDefer);
  in.reply_due_at = now_;
  auto past = Run(InState(S::kOpen), testing::Agent(), in);
  ASSERT_TRUE(past.has_error());
  EXPECT_EQ(past.error().field, "reply_due_at");
  in.reply_due_at = now_ + hours(24);
  auto d = Run(InState(S::kOpen), testing::Agent(), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.status, S::kPendingAnswer);
  EXPECT_TRUE(d->after.deferred);
  EXPECT_EQ(d->after.reply_due_at, now_ + hours(24));
}

TEST_F(Actions, EscalateOnlyToComplaintOrReport) {
  auto in = Do(A::kEscalate);
  in.reason = "家长投诉";
  in.type = Type::kPraise;
  auto bad = Run(InState(S::kPendingAnswer), testing::Agent(), in);
  ASSERT_TRUE(bad.has_error());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kValidationFailed);
  in.type = Type::kReport;
  auto d = Run(InState(S::kPendingAnswer), testing::Agent(), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.status, S::kOpen);
  EXPECT_EQ(d->after.type, Type::kReport);
  EXPECT_EQ(d->fields["from_type"], "consult");
}

TEST_F(Actions, TransferStartsTheSignOffClockAndNamesChildren) {
  auto in = Do(A::kTransfer);
  in.unit_id = 1;
  in.assist_unit_ids = {2, 3};
  auto d = Run(InState(S::kOpen), testing::Supervisor(), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.status, S::kTransferred);
  EXPECT_EQ(d->after.unit_id, 1);
  EXPECT_EQ(d->after.transferred_at, now_);
  EXPECT_EQ(d->after.ack_due_at, now_ + hours(24));
  EXPECT_EQ(d->create_children_for, (std::vector<int64_t>{2, 3}));
  in.assist_unit_ids = {2, 2};
  EXPECT_TRUE(Run(InState(S::kOpen), testing::Agent(), in).has_error());
  in.assist_unit_ids = {1};
  EXPECT_TRUE(Run(InState(S::kOpen), testing::Agent(), in).has_error());
}

TEST_F(Actions, ReturnHandsTheWorkOrderBackAndForgetsTheUnit) {
  auto in = Do(A::kReturn);
  in.reason = "不属于本单位";
  auto d = Run(InState(S::kAcknowledged), testing::UnitUser(1, 11), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.status, S::kOpen);
  EXPECT_FALSE(d->after.unit_id);
  EXPECT_EQ(d->after.returned_count, 1);
  EXPECT_EQ(d->fields["unit_id"], 1);
}

TEST_F(Actions, ReplyWaitsInRepliedWhileChildrenAreOpen) {
  auto in = Do(A::kReply);
  in.result = "已核实";
  auto alone = Run(InState(S::kTransferred), testing::UnitUser(1, 11), in, false);
  EXPECT_EQ(alone->after.status, S::kCallbackDue);
  auto held = Run(InState(S::kTransferred), testing::UnitUser(1, 11), in, true);
  EXPECT_EQ(held->after.status, S::kReplied);
  EXPECT_EQ(held->after.completed_at, now_);
}

TEST_F(Actions, TheHotlinesOwnAnswerWaitsInRepliedWhileChildrenAreOpen) {
  // The lead unit returned it; an assisting unit is still at work.
  auto answer = Do(A::kAnswer);
  answer.answer = "已解答";
  auto mediate = Do(A::kMediate);
  mediate.outcome = "已化解";
  for (const auto& in : {answer, mediate}) {
    for (Type type : {Type::kConsult, Type::kComplaint}) {
      auto held = Run(InState(S::kOpen, type), testing::Agent(), in, true);
      ASSERT_TRUE(held.has_value());
      EXPECT_EQ(held->after.status, S::kReplied) << ActionName(in.action) << " " << TypeName(type);
      EXPECT_FALSE(held->after.closed_at);
      EXPECT_FALSE(held->after.close_reason);
      EXPECT_EQ(held->after.completed_at, now_);
    }
  }
}

TEST_F(Actions, MergeIsRefusedWhileChildrenAreOpen) {
  auto in = Do(A::kMerge);
  in.into = 9;
  auto refused = Run(InState(S::kOpen), testing::Agent(), in, true);
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidTransition);
  EXPECT_TRUE(Run(InState(S::kOpen), testing::Agent(), in, false).has_value());
}

TEST_F(Actions, ChildReplyClosesTheChild) {
  WorkOrder child = InState(S::kAcknowledged);
  child.parent_id = 4;
  auto in = Do(A::kReply);
  in.result = "协办完成";
  auto d = Run(child, testing::UnitUser(1, 11), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.status, S::kClosed);
  EXPECT_EQ(d->after.close_reason, std::string(kClosedReplied));
  EXPECT_TRUE(d->child_finished);
}

TEST_F(Actions, ExtendNeedsConsentAndHappensOnce) {
  auto in = Do(A::kExtend);
  in.reason = "需调取监控";
  in.consent = false;
  auto refused = Run(InState(S::kTransferred), testing::Supervisor(), in);
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(refused.error().field, "consent");
  in.consent = true;
  WorkOrder w = InState(S::kTransferred);
  auto d = Run(w, testing::Supervisor(), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.due_at, w.due_at + std::chrono::days(30));
  EXPECT_TRUE(d->after.extended);
  auto again = Run(d->after, testing::Supervisor(), in);
  ASSERT_TRUE(again.has_error());
  EXPECT_EQ(again.error().code, core::ErrorCode::kInvalidTransition);
}

TEST_F(Actions, UnreachedCallbackKeepsItDueUntilTheLastAttempt) {
  WorkOrder w = InState(S::kCallbackDue, Type::kComplaint);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto d = Run(w, testing::Agent(), Callback(false));
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->after.callback_attempts, attempt);
    w = d->after;
    EXPECT_EQ(w.status, attempt < 3 ? S::kCallbackDue : S::kClosed);
  }
  EXPECT_EQ(w.close_reason, std::string(kClosedUnreachable));
}

TEST_F(Actions, ReachedCallbackNeedsSatisfactionOneToFive) {
  WorkOrder w = InState(S::kCallbackDue);
  for (std::optional<int> bad : {std::optional<int>(), std::optional<int>(0), std::optional<int>(6)}) {
    auto d = Run(w, testing::Agent(), Callback(true, bad));
    ASSERT_TRUE(d.has_error());
    EXPECT_EQ(d.error().field, "satisfaction");
  }
  auto d = Run(w, testing::Agent(), Callback(true, 4));
  EXPECT_EQ(d->after.status, S::kClosed);
  EXPECT_EQ(d->after.satisfaction, 4);
  EXPECT_EQ(d->after.close_reason, std::string(kClosedCalledBack));
}

TEST_F(Actions, UnsatisfiedReopenCountsARedo) {
  WorkOrder w = InState(S::kCallbackDue, Type::kComplaint);
  w.completed_at = now_;
  auto in = Callback(true, 1);
  in.satisfied = false;
  auto closes = Run(w, testing::Agent(), in);  // unsatisfied alone still closes
  EXPECT_EQ(closes->after.status, S::kClosed);
  EXPECT_FALSE(closes->count_redo);
  in.reopen = true;
  auto d = Run(w, testing::Agent(), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.status, S::kOpen);
  EXPECT_EQ(d->after.redo_count, 1);
  EXPECT_TRUE(d->count_redo);
  EXPECT_FALSE(d->after.completed_at);
}

TEST_F(Actions, ReopenRefusesAMergedDuplicate) {
  WorkOrder w = InState(S::kClosed);
  w.merged_into = 4;
  auto in = Do(A::kReopen);
  in.reason = "误合并";
  auto d = Run(w, testing::Supervisor(), in);
  ASSERT_TRUE(d.has_error());
  EXPECT_EQ(d.error().code, core::ErrorCode::kInvalidTransition);
}

TEST_F(Actions, MergeClosesTheDuplicateIntoTheSurvivor) {
  auto in = Do(A::kMerge);
  in.into = 5;  // itself
  EXPECT_TRUE(Run(InState(S::kOpen), testing::Agent(), in).has_error());
  in.into = 4;
  auto d = Run(InState(S::kOpen), testing::Agent(), in);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->after.status, S::kClosed);
  EXPECT_EQ(d->after.merged_into, 4);
  EXPECT_EQ(d->after.close_reason, std::string(kClosedMerged));
}

TEST_F(Actions, HistoryFieldsHoldTheInput) {
  auto in = Do(A::kDefer);
  in.reply_due_at = now_ + hours(24);
  auto d = Run(InState(S::kOpen), testing::Agent(), in);
  EXPECT_EQ(d->fields["reply_due_at"], "2026-03-03T01:00:00+00:00");
}

}  // namespace
}  // namespace hotline::workorder

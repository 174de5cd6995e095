// The fold of one work order's history into its stints with units: the table of what each
// kind of row does.
#include "reports/unit_stints.hpp"

#include <gtest/gtest.h>

namespace hotline::reports {
namespace {

core::TimePoint Day(int d) { return core::FromUnixMillis(int64_t{86'400'000} * d); }

TicketEvent Row(std::string action, int day, std::optional<int64_t> unit = std::nullopt) {
  TicketEvent e;
  e.action = std::move(action);
  e.at = Day(day);
  e.unit_id = unit;
  return e;
}

TicketEvent Callback(int day, int satisfaction, std::optional<bool> satisfied = std::nullopt,
                     bool reopen = false) {
  TicketEvent e = Row("callback", day);
  e.reached = true;
  e.satisfaction = satisfaction;
  e.satisfied = satisfied;
  e.reopen = reopen;
  return e;
}

TEST(FoldStints, ATransferThenAReplyIsOneCompletedStint) {
  std::vector<TicketEvent> h = {Row("create", 0), Row("transfer", 1, 7), Row("acknowledge", 1),
                                Row("reply", 3, 7), Callback(4, 5)};
  auto s = FoldStints(h);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].unit_id, 7);
  EXPECT_EQ(s[0].received_at, Day(1));
  EXPECT_EQ(s[0].state, StintState::kCompleted);
  EXPECT_EQ(s[0].completed_at, Day(3));
  EXPECT_EQ(s[0].satisfaction, 5);
  EXPECT_TRUE(s[0].satisfied);
  EXPECT_FALSE(s[0].redone);
}

TEST(FoldStints, AReturnedWorkOrderSentElsewhereIsOneStintPerUnit) {
  std::vector<TicketEvent> h = {Row("create", 0), Row("transfer", 1, 7), Row("return", 2, 7),
                                Row("transfer", 2, 8), Row("extend", 5)};
  auto s = FoldStints(h);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].state, StintState::kReturned);
  EXPECT_FALSE(s[0].extended);
  EXPECT_EQ(s[1].unit_id, 8);
  EXPECT_EQ(s[1].state, StintState::kPending);
  EXPECT_TRUE(s[1].extended);
}

TEST(FoldStints, SentBackToTheSameUnitKeepsItsFirstReceipt) {
  std::vector<TicketEvent> h = {Row("transfer", 1, 7), Row("return", 2, 7), Row("transfer", 4, 7),
                                Row("reply", 6, 7)};
  auto s = FoldStints(h);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].received_at, Day(1));
  EXPECT_EQ(s[0].state, StintState::kCompleted);
}

TEST(FoldStints, ARedoVoidsTheReplyAndCountsAgainstTheUnit) {
  std::vector<TicketEvent> h = {Row("transfer", 1, 7), Row("reply", 3, 7), Callback(4, 2, false, true)};
  auto s = FoldStints(h);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].state, StintState::kWithdrawn);
  EXPECT_FALSE(s[0].completed_at);
  EXPECT_TRUE(s[0].redone);
  EXPECT_EQ(s[0].satisfaction, 2);
  EXPECT_FALSE(s[0].satisfied);
  // Sent back to the same unit, which replies again: completed at the second reply, still redone.
  h.push_back(Row("transfer", 5, 7));
  h.push_back(Row("reply", 9, 7));
  h.push_back(Callback(10, 4));
  s = FoldStints(h);
  EXPECT_EQ(s[0].state, StintState::kCompleted);
  EXPECT_EQ(s[0].completed_at, Day(9));
  EXPECT_TRUE(s[0].redone);
  EXPECT_EQ(s[0].satisfaction, 4);
  EXPECT_TRUE(s[0].satisfied);
}

TEST(FoldStints, AnUnsatisfiedCallerWithoutRedoIsNoRedo) {
  auto s = FoldStints(std::vector<TicketEvent>{Row("transfer", 1, 7), Row("reply", 3, 7), Callback(4, 3, false)});
  EXPECT_EQ(s[0].state, StintState::kCompleted);
  EXPECT_FALSE(s[0].redone);
  EXPECT_FALSE(s[0].satisfied);
}

TEST(FoldStints, UnreachedCallbacksAndTheHotlinesOwnAnswersAreNotTheUnits) {
  TicketEvent unreached = Row("callback", 4);
  std::vector<TicketEvent> h = {Row("transfer", 1, 7), Row("reply", 3, 7), unreached};
  EXPECT_FALSE(FoldStints(h)[0].satisfaction);
  // After a redo the hotline answers itself: the next callback is about the hotline's answer.
  h = {Row("transfer", 1, 7), Row("reply", 3, 7), Callback(4, 1, false, true), Row("answer", 5), Callback(6, 5)};
  auto s = FoldStints(h);
  EXPECT_EQ(s[0].state, StintState::kWithdrawn);
  EXPECT_EQ(s[0].satisfaction, 1);
}

TEST(FoldStints, AReopenVoidsTheReplyWithoutARedo) {
  auto s = FoldStints(std::vector<TicketEvent>{Row("transfer", 1, 7), Row("reply", 3, 7), Callback(4, 5),
                                               Row("reopen", 8)});
  EXPECT_EQ(s[0].state, StintState::kWithdrawn);
  EXPECT_FALSE(s[0].redone);
}

TEST(FoldStints, AnAssistingUnitsChildIsReceivedOnCreation) {
  auto s = FoldStints(std::vector<TicketEvent>{Row("create", 2, 9), Row("reply", 3, 9)});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].unit_id, 9);
  EXPECT_EQ(s[0].received_at, Day(2));
  EXPECT_EQ(s[0].state, StintState::kCompleted);
  EXPECT_TRUE(FoldStints(std::vector<TicketEvent>{Row("create", 0)}).empty());
}

}  // namespace
}  // namespace hotline::reports

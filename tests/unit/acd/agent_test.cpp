// Seats, agent states, wrap-up and incidents.
#include "acd_fixture.hpp"

namespace hotline::acd::testing {
namespace {

TEST_F(AcdTest, LoginTakesTheLowestFreeRegularSeatThenEmergency) {
  EXPECT_EQ(LogIn(1, {}, 2), 2);
  EXPECT_EQ(LogIn(2), 1);
  EXPECT_EQ(LogIn(3), 3);
  EXPECT_EQ(LogIn(4), 4);
  auto fifth = engine().Login(5, std::nullopt, {});
  ASSERT_TRUE(fifth);
  EXPECT_EQ(fifth->seat, 5);
  EXPECT_TRUE(fifth->emergency);
  EXPECT_EQ(fifth->extension, "sip:seat5@pbx.local");
  EXPECT_EQ(LogIn(6), 6);
  auto seventh = engine().Login(7, std::nullopt, {});
  ASSERT_FALSE(seventh);
  EXPECT_EQ(seventh.error().code, core::ErrorCode::kNoFreeSeat);
  Ok(engine().Logout(3));
  EXPECT_EQ(LogIn(7), 3);
}

TEST_F(AcdTest, LoginRefusesATakenSeatAndASecondSeat) {
  LogIn(1, {}, 1);
  auto taken = engine().Login(2, 1, {});
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, core::ErrorCode::kConflict);
  auto moved = engine().Login(1, 2, {});
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, core::ErrorCode::kConflict);
  auto again = engine().Login(1, std::nullopt, {{"report", 2}});
  ASSERT_TRUE(again);  // logging in again is harmless and updates the skills
  EXPECT_EQ(again->seat, 1);
  EXPECT_EQ(Agent(1).skills, (SkillMap{{"report", 2}}));
}

struct BadLogin {
  std::optional<int> seat;
  SkillMap skills;
  const char* field;
};

class LoginValidation : public AcdTest, public ::testing::WithParamInterface<BadLogin> {};

TEST_P(LoginValidation, RefusesBadSeatsAndSkills) {
  auto r = engine().Login(1, GetParam().seat, GetParam().skills);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(r.error().field, GetParam().field);
}

INSTANTIATE_TEST_SUITE_P(AcdAgents, LoginValidation,
                         ::testing::Values(BadLogin{0, {}, "seat"}, BadLogin{7, {}, "seat"},
                                           BadLogin{std::nullopt, {{"cooking", 1}}, "skills"},
                                           BadLogin{std::nullopt, {{"consult", 0}}, "skills"},
                                           BadLogin{std::nullopt, {{"consult", 10}}, "skills"}));

TEST_F(AcdTest, EmergencySeatsIdleWithoutAnIncidentAndLiveWithOne) {
  LogIn(5, {}, 5);  // an emergency seat: allowed at any time
  EXPECT_FALSE(Agent(5).seat_live);
  Arrive(1);
  Advance(seconds(120));  // even past overflow_after_s
  EXPECT_EQ(StateOf(1), CallState::kQueued);
  auto opened = engine().OpenIncident({7, "手足口病聚集疫情", {"手足口"}, "请按1"});
  ASSERT_TRUE(opened);
  EXPECT_TRUE(Agent(5).seat_live);
  EXPECT_EQ(AgentOf(1), 5);  // any call, like a regular seat
}

TEST_F(AcdTest, ClosingTheIncidentRetiresEmergencySeatsOnceTheirCallsEnd) {
  LogIn(5, {}, 5);
  ASSERT_TRUE(engine().OpenIncident({7, "outbreak", {}, ""}));
  Arrive(1);
  Ok(engine().Accept(5, 1));
  ASSERT_TRUE(engine().CloseIncident(7));
  EXPECT_EQ(StateOf(1), CallState::kTalking);  // the call in progress goes on
  Advance(seconds(30));
  Ok(engine().Hangup(1, "caller"));
  EXPECT_EQ(AgentStateOf(5), AgentState::kWrapUp);
  Advance(seconds(30));
  EXPECT_EQ(AgentStateOf(5), AgentState::kReady);  // still logged in …
  EXPECT_FALSE(Agent(5).seat_live);
  Arrive(2);
  EXPECT_EQ(StateOf(2), CallState::kQueued);  // … but gets no new call
  auto twice = engine().CloseIncident(7);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, core::ErrorCode::kNotFound);
}

TEST_F(AcdTest, IncidentTagsCallsWhoseSkillChoiceOrCategoryMatches) {
  ASSERT_TRUE(engine().OpenIncident({7, "手足口病", {"手足口", "Outbreak", "report"}, ""}));
  NewCall by_choice = MakeCall(1);
  by_choice.ivr_choice = "OUTBREAK-1";
  NewCall by_category = MakeCall(2);
  by_category.category = "手足口病咨询";
  NewCall by_skill = MakeCall(3, "report");
  NewCall other = MakeCall(4);
  other.ivr_choice = "2";
  auto a = engine().CallArrived(by_choice);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->incident_id, 7);
  ASSERT_TRUE(engine().CallArrived(by_category));
  ASSERT_TRUE(engine().CallArrived(by_skill));
  ASSERT_TRUE(engine().CallArrived(other));
  EXPECT_EQ(Call(1).incident_id, 7);
  EXPECT_EQ(Call(2).incident_id, 7);
  EXPECT_EQ(Call(3).incident_id, 7);
  EXPECT_EQ(Call(4).incident_id, std::nullopt);
  EXPECT_EQ(engine().OpenIncidents().at(0).calls_tagged, 3);
}

TEST_F(AcdTest, IncidentMatchesByItsSkillsAndChoicesToo) {
  IncidentInput in{7, "食物中毒", {"中毒"}, ""};
  in.skills = {"complaint"};
  in.ivr_choices = {"3"};
  ASSERT_TRUE(engine().OpenIncident(in));
  NewCall by_choice = MakeCall(1);
  by_choice.ivr_choice = "3";
  NewCall near_choice = MakeCall(2);
  near_choice.ivr_choice = "31";  // choices match exactly, not as substrings
  ASSERT_TRUE(engine().CallArrived(by_choice));
  ASSERT_TRUE(engine().CallArrived(near_choice));
  Arrive(3, "complaint");
  Arrive(4, "report");
  EXPECT_EQ(Call(1).incident_id, 7);
  EXPECT_EQ(Call(2).incident_id, std::nullopt);
  EXPECT_EQ(Call(3).incident_id, 7);
  EXPECT_EQ(Call(4).incident_id, std::nullopt);
  IncidentInput bad{8, "x", {}, ""};
  bad.skills = {"juggling"};
  auto refused = engine().OpenIncident(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "skills");
  bad.skills.clear();
  bad.ivr_choices = {""};
  refused = engine().OpenIncident(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "ivr_choices");
}

TEST_F(AcdTest, OpeningAnIncidentTagsTheCallsAlreadyWaiting) {
  LogIn(1);
  NewCall ringing = MakeCall(1, "report");  // offered at once to agent 1
  ASSERT_TRUE(engine().CallArrived(ringing));
  Arrive(2, "consult");
  Arrive(3, "report", 5);
  NewCall talking = MakeCall(4, "report");
  Ok(engine().Accept(1, 1));
  ASSERT_TRUE(engine().CallArrived(talking));  // waits: agent 1 is talking
  EXPECT_EQ(StateOf(1), CallState::kTalking);
  engine().DrainEvents();
  IncidentInput in{7, "疫情", {"report"}, ""};
  auto opened = engine().OpenIncident(in);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->calls_tagged, 2);
  EXPECT_EQ(Call(1).incident_id, std::nullopt);  // in talk: no longer waiting
  EXPECT_EQ(Call(2).incident_id, std::nullopt);  // does not match
  EXPECT_EQ(Call(3).incident_id, 7);
  EXPECT_EQ(Call(4).incident_id, 7);
  std::vector<int64_t> tagged;
  for (const Event& e : EventsOf(EventKind::kCallTagged)) {
    ASSERT_TRUE(e.call.has_value());
    EXPECT_EQ(e.call->incident_id, 7);
    tagged.push_back(e.call_id);
  }
  EXPECT_EQ(tagged, (std::vector<int64_t>{3, 4}));  // in queue order: priority 5 first
  // A second incident does not re-tag calls that carry one.
  auto second = engine().OpenIncident({8, "又一个", {"report"}, ""});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->calls_tagged, 0);
}

TEST_F(AcdTest, RestoredIncidentsMakeEmergencySeatsLiveAgain) {
  IncidentInput in{7, "手足口病", {"手足口"}, "请按1"};
  in.opened_at = Now() - seconds(600);
  in.calls_tagged = 4;
  ASSERT_TRUE(engine().RestoreIncidents({in}).has_value());
  EXPECT_TRUE(engine().DrainEvents().empty());
  ASSERT_EQ(engine().OpenIncidents().size(), 1u);
  EXPECT_EQ(engine().OpenIncidents()[0].opened_at, Now() - seconds(600));
  EXPECT_EQ(engine().OpenIncidents()[0].calls_tagged, 4);
  LogIn(5, {}, 5);
  EXPECT_TRUE(Agent(5).seat_live);
  NewCall c = MakeCall(1);
  c.category = "手足口";
  ASSERT_TRUE(engine().CallArrived(c));
  EXPECT_EQ(AgentOf(1), 5);
  EXPECT_EQ(Call(1).incident_id, 7);
  auto late = engine().RestoreIncidents({IncidentInput{9, "x", {"y"}, ""}});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::ErrorCode::kConflict);
}

TEST_F(AcdTest, IncidentInputIsValidated) {
  auto no_title = engine().OpenIncident({7, "", {}, ""});
  ASSERT_FALSE(no_title);
  EXPECT_EQ(no_title.error().field, "title");
  auto empty_keyword = engine().OpenIncident({7, "x", {""}, ""});
  ASSERT_FALSE(empty_keyword);
  EXPECT_EQ(empty_keyword.error().field, "keywords");
  ASSERT_TRUE(engine().OpenIncident({7, "x", {}, ""}));
  auto dup = engine().OpenIncident({7, "y", {}, ""});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
}

TEST_F(AcdTest, WrapUpEndsByItselfAfterWrapUpS) {
  LogIn(1);
  Arrive(1);
  Ok(engine().Accept(1, 1));
  Advance(seconds(10));
  Ok(engine().Hangup(1, "caller"));
  EXPECT_EQ(AgentStateOf(1), AgentState::kWrapUp);
  EXPECT_EQ(engine().NextDeadline(), Now() + seconds(30));
  Arrive(2);  // waits for the agent
  Advance(std::chrono::milliseconds(29'999));
  EXPECT_EQ(AgentStateOf(1), AgentState::kWrapUp);
  EXPECT_EQ(StateOf(2), CallState::kQueued);
  Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(AgentOf(2), 1);
  EXPECT_EQ(Call(1).wrap_up_end, At(seconds(40)));
}

TEST_F(AcdTest, AgentMayEndWrapUpEarly) {
  LogIn(1);
  Arrive(1);
  Ok(engine().Accept(1, 1));
  Ok(engine().Hangup(1, "agent"));
  Advance(seconds(3));
  engine().DrainEvents();
  Ok(engine().WrapDone(1));
  EXPECT_EQ(AgentStateOf(1), AgentState::kReady);
  EXPECT_EQ(Call(1).wrap_up_end, At(seconds(3)));
  EXPECT_EQ(engine().NextDeadline(), std::nullopt);  // its timer is gone
  auto completed = EventsOf(EventKind::kCallCompleted);
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(completed[0].call->ended_by, Party::kAgent);
  Ok(engine().WrapDone(1));  // once more: already over, a no-op
}

TEST_F(AcdTest, ReadyFromWrapUpEndsItToo) {
  LogIn(1);
  Arrive(1);
  Ok(engine().Accept(1, 1));
  Ok(engine().Hangup(1, "caller"));
  NotReady(1, "meeting");
  EXPECT_EQ(AgentStateOf(1), AgentState::kNotReady);
  EXPECT_EQ(Agent(1).reason, "meeting");
  ASSERT_TRUE(Call(1).wrap_up_end);
}

TEST_F(AcdTest, NoWrapUpWhenWrapUpSIsZero) {
  AcdConfig config = SmallConfig();
  config.wrap_up_s = 0;
  Start(config);
  LogIn(1);
  Arrive(1);
  Ok(engine().Accept(1, 1));
  Ok(engine().Hangup(1, "caller"));
  EXPECT_EQ(AgentStateOf(1), AgentState::kReady);
  EXPECT_EQ(StateOf(1), CallState::kEnded);
  EXPECT_EQ(Call(1).wrap_up_end, Call(1).ended_at);
}

TEST_F(AcdTest, NotReadyKeepsItsReasonAndGetsNoCalls) {
  LogIn(1);
  NotReady(1, "training");
  EXPECT_EQ(Agent(1).reason, "training");
  Arrive(1);
  EXPECT_EQ(StateOf(1), CallState::kQueued);
  Ok(engine().SetState(1, "not_ready"));
  EXPECT_EQ(Agent(1).reason, "break");  // the default reason
  Ready(1);
  EXPECT_EQ(AgentOf(1), 1);
  EXPECT_EQ(Agent(1).reason, "");
}

TEST_F(AcdTest, SetStateRefusesWhatItCannotDo) {
  auto unknown = engine().SetState(1, "ready");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
  LogIn(1);
  for (const char* bad : {"talking", "offline", "busy", ""}) {
    auto r = engine().SetState(1, bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kValidationFailed);
    EXPECT_EQ(r.error().field, "state");
  }
  Arrive(1);
  Ok(engine().Accept(1, 1));
  auto talking = engine().SetState(1, "not_ready", "break");
  ASSERT_FALSE(talking);
  EXPECT_EQ(talking.error().code, core::ErrorCode::kInvalidTransition);
  Ok(engine().Hangup(1, "caller"));
  Ok(engine().WrapDone(1));
  Ok(engine().Logout(1));
  auto offline = engine().SetState(1, "ready");
  ASSERT_FALSE(offline);
  EXPECT_EQ(offline.error().code, core::ErrorCode::kInvalidTransition);
}

TEST_F(AcdTest, NotReadyWhileRingingDeclinesTheCall) {
  LogIn(1);
  Arrive(1);
  Arrive(2);
  engine().DrainEvents();
  NotReady(1, "break");
  EXPECT_EQ(StateOf(1), CallState::kQueued);
  EXPECT_EQ(Call(1).position, 1);
  auto requeued = EventsOf(EventKind::kCallRequeued);
  ASSERT_EQ(requeued.size(), 1u);
  EXPECT_EQ(requeued[0].reason, "declined");
  Ok(engine().SetState(1, "ready"));
  EXPECT_EQ(AgentOf(1), 1);
  Ok(engine().SetState(1, "ready"));  // ready while ringing: the offer stands
  EXPECT_EQ(AgentStateOf(1), AgentState::kRinging);
}

TEST_F(AcdTest, LogoutWhileRingingRequeuesAndWhileTalkingIsRefused) {
  LogIn(1);
  Arrive(1);
  engine().DrainEvents();
  Ok(engine().Logout(1));
  EXPECT_EQ(StateOf(1), CallState::kQueued);
  EXPECT_EQ(AgentStateOf(1), AgentState::kOffline);
  EXPECT_EQ(EventsOf(EventKind::kCallRequeued).at(0).reason, "agent_logout");
  LogIn(1);
  Ok(engine().Accept(1, 1));
  auto r = engine().Logout(1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidTransition);
  Ok(engine().Hangup(1, "caller"));
  Ok(engine().Logout(1));  // from wrap-up: the call's record is completed
  EXPECT_TRUE(Call(1).wrap_up_end);
  EXPECT_EQ(Agent(1).seat, 0);
  Ok(engine().Logout(1));  // again: a no-op
}

TEST_F(AcdTest, AgentEventsCarryStateReasonAndSeat) {
  LogIn(1);
  NotReady(1, "meeting");
  auto events = EventsOf(EventKind::kAgentState);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].previous_state, AgentState::kOffline);
  EXPECT_EQ(events[0].agent_state, AgentState::kReady);
  EXPECT_EQ(events[0].reason, "login");
  EXPECT_EQ(events[1].agent_state, AgentState::kNotReady);
  EXPECT_EQ(events[1].reason, "meeting");
  EXPECT_EQ(events[1].seat, 1);
  EXPECT_EQ(events[1].extension, "sip:seat1@pbx.local");
}

}  // namespace
}  // namespace hotline::acd::testing

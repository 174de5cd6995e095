// The acd configuration section and the names of states.
#include "hotline/acd/config.hpp"

#include <gtest/gtest.h>

#include "hotline/acd/engine.hpp"
#include "hotline/acd/event.hpp"
#include "hotline/acd/model.hpp"

namespace hotline::acd {
namespace {

TEST(AcdConfigParse, ReadsNestedSeatsAndKeepsDefaultsForTheRest) {
  auto json = core::Json::parse(R"({"seats": {"regular": 2, "emergency": 1},
      "ring_timeout_s": 2, "wrap_up_s": 1, "strategy": "round_robin", "short_abandon_s": 5,
      "skills": ["consult", "vaccine"]})");
  auto config = ParseAcdConfig(json);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->regular_seats, 2);
  EXPECT_EQ(config->emergency_seats, 1);
  EXPECT_EQ(config->ring_timeout_s, 2);
  EXPECT_EQ(config->wrap_up_s, 1);
  EXPECT_EQ(config->strategy, Strategy::kRoundRobin);
  EXPECT_EQ(config->skills, (std::vector<std::string>{"consult", "vaccine"}));
  EXPECT_EQ(config->overflow_after_s, 60);
  EXPECT_EQ(config->max_waiting, 200);
  EXPECT_EQ(config->service_level_s, 20);
}

struct BadConfig {
  const char* json;
  const char* field;
};

class AcdConfigRejects : public ::testing::TestWithParam<BadConfig> {};

TEST_P(AcdConfigRejects, NamesTheField) {
  auto config = ParseAcdConfig(core::Json::parse(GetParam().json));
  ASSERT_FALSE(config) << GetParam().json;
  EXPECT_EQ(config.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(config.error().field, GetParam().field);
}

INSTANTIATE_TEST_SUITE_P(
    AcdConfigParse, AcdConfigRejects,
    ::testing::Values(
        BadConfig{R"({"strategy": "random"})", "acd.strategy"},
        BadConfig{R"({"ring_timeout_s": 0})", "acd.ring_timeout_s"},
        BadConfig{R"({"wrap_up_s": -1})", "acd.wrap_up_s"},
        BadConfig{R"({"seats": {"regular": -1}})", "acd.seats.regular"},
        BadConfig{R"({"seats": {"regular": 0, "emergency": 0}})", "acd.seats.regular"},
        BadConfig{R"({"skills": ["a", "a"]})", "acd.skills"},
        BadConfig{R"({"skills": []})", "acd.skills"},
        BadConfig{R"({"extension_pattern": "sip:desk@pbx"})", "acd.extension_pattern"}));

TEST(AcdConfigParse, ExtensionPatternReplacesEverySeatPlaceholder) {
  AcdConfig config;
  EXPECT_EQ(SeatExtension(config, 29), "sip:seat29@pbx.local");
  config.extension_pattern = "sip:{seat}@pbx;tag={seat}";
  EXPECT_EQ(SeatExtension(config, 7), "sip:7@pbx;tag=7");
}

TEST(AcdConfigParse, EngineRefusesAnInvalidConfig) {
  AcdConfig config;
  config.skills.clear();
  core::FakeClock clock;
  EXPECT_THROW({ Engine engine(config, clock, core::TimeZone::Utc()); }, std::invalid_argument);
}

TEST(AcdNames, RoundTrip) {
  for (Strategy s : {Strategy::kLongestIdle, Strategy::kFewestCalls, Strategy::kLeastTalkTime,
                     Strategy::kRoundRobin}) {
    EXPECT_EQ(ParseStrategy(StrategyName(s)), s);
  }
  for (AgentState s : {AgentState::kOffline, AgentState::kReady, AgentState::kRinging,
                       AgentState::kTalking, AgentState::kWrapUp, AgentState::kNotReady}) {
    EXPECT_EQ(ParseAgentState(AgentStateName(s)), s);
  }
  EXPECT_EQ(AgentStateName(AgentState::kWrapUp), "wrap_up");
  EXPECT_EQ(CallStateName(CallState::kAbandoned), "abandoned");
  EXPECT_EQ(EventKindName(EventKind::kCallRouted), "call_routed");
  EXPECT_EQ(ParseStrategy("fastest"), std::nullopt);
}

}  // namespace
}  // namespace hotline::acd

// The report routes through the real Router, Request and Response (no sockets): who may read,
// the shapes of the bodies, the problems for bad parameters, and a daily report counted by hand
// from call records, agent events and work orders.
#include "api/report_routes.hpp"

#include <gtest/gtest.h>

#include "report_fixture.hpp"

namespace hotline::reports {
namespace {

using core::Json;
using workorder::Action;
using workorder::ActionInput;
using workorder::Type;

class ReportRoutes : public testing::ReportDb {
 protected:
  ReportRoutes() { api::RegisterReportRoutes(router_, {*db_, clock_, zone(), acd_}); }

  struct Answer {
    int status = 0;
    Json body;
    std::string text;
    std::string content_type;
  };
  Answer Get(const core::Actor& who, const std::string& path,
             std::unordered_map<std::string, std::string> query = {}) {
    auto match = router_.Find("GET", path);
    if (!match.route) return {404, nullptr, "", ""};
    if (!match.route->access.Allows(who.role)) return {403, nullptr, "", ""};
    net::Request req;
    req.method = "GET";
    req.path = path;
    req.query = std::move(query);
    req.actor = who;
    auto res = match.route->handler(req);
    return {res.status, Json::parse(res.body, nullptr, false), res.body, res.content_type};
  }

  int64_t Ms(int h, int m, int s) const { return core::ToUnixMillis(Local(2026, 3, 2, h, m)) + s * 1000; }

  // 2 March: two answered calls for agent 1 (waits 10 s and 30 s), a short and a long abandon,
  // a call of the day before and an after-hours one that do not count.
  void SeedCalls() {
    db_->Write([&](storage::Connection& c) {
      auto call = [&](int64_t id, const char* state, int64_t enq, std::optional<int64_t> ans,
                      std::optional<int64_t> end, std::optional<int64_t> wrap, std::optional<int64_t> abandoned,
                      bool short_abandon, std::optional<int> survey) {
        c.Prepare("INSERT INTO calls(id, caller, called, skill, state, agent_id, enqueued_at, answered_at, ended_at,"
                  " wrap_up_end, abandoned_at, short_abandon, survey_score, offers)"
                  " VALUES (?1, '13800138000', '12320', 'consult', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
            ->BindAll(id, state, ans ? std::optional<int64_t>(1) : std::nullopt, enq, ans, end, wrap, abandoned,
                      short_abandon, survey, ans ? 1 : 0)
            .Run();
      };
      call(1, "ended", Ms(9, 0, 0), Ms(9, 0, 10), Ms(9, 5, 10), Ms(9, 5, 40), {}, false, 5);
      call(2, "ended", Ms(9, 10, 0), Ms(9, 10, 30), Ms(9, 13, 30), Ms(9, 14, 0), {}, false, 3);
      call(3, "abandoned", Ms(9, 20, 0), {}, {}, {}, Ms(9, 20, 3), true, {});
      call(4, "abandoned", Ms(9, 30, 0), {}, {}, {}, Ms(9, 31, 0), false, {});
      call(5, "ended", core::ToUnixMillis(Local(2026, 3, 1, 23, 59)), core::ToUnixMillis(Local(2026, 3, 2, 0, 0)),
           Ms(0, 3, 0), Ms(0, 4, 0), {}, false, 1);
      c.Prepare("INSERT INTO calls(id, caller, called, state, enqueued_at) VALUES (6, '13800138000', '12320',"
                " 'after_hours', ?1)")
          ->BindAll(Ms(9, 40, 0))
          .Run();
      auto state = [&](int64_t agent, int64_t at, const char* s) {
        c.Prepare("INSERT INTO call_events(at, kind, agent_id, state) VALUES (?1, 'agent_state', ?2, ?3)")
            ->BindAll(at, agent, s)
            .Run();
      };
      state(1, Ms(8, 50, 0), "ready");
      state(1, Ms(9, 0, 0), "talking");
      state(1, Ms(9, 5, 0), "wrap_up");
      state(1, Ms(9, 6, 0), "ready");
      state(1, Ms(9, 10, 0), "talking");
      state(1, Ms(9, 14, 0), "ready");
      state(1, Ms(9, 50, 0), "offline");
      // Agent 5 logged in the evening before and never left: all of 2 March logged in, idle.
      c.Prepare("INSERT INTO users(id, username, password_hash, role, created_at) VALUES (5, 'agent5', 'x',"
                " 'agent', 0)")
          ->Run();
      state(5, core::ToUnixMillis(Local(2026, 3, 1, 23, 0)), "ready");
    });
  }

  void SeedWorkOrders() {
    At(2026, 3, 2, 9, 1);
    const int64_t consult = Create(Type::kConsult, "门诊时间");
    At(2026, 3, 2, 9, 2);
    ActionInput answer{.action = Action::kAnswer};
    answer.answer = "八点";
    Act(testing::Agent(), consult, answer);
    At(2026, 3, 2, 9, 11);
    const int64_t complaint = Create(Type::kComplaint, "投诉态度");
    At(2026, 3, 2, 9, 20);
    Transfer(complaint, 1);
    At(2026, 3, 2, 10, 0);
    Reply(complaint, 1);
    At(2026, 3, 2, 11, 0);
    Callback(complaint, 4);
  }

  acd::AcdConfig acd_;
  api::Router router_;
};

TEST_F(ReportRoutes, AgentsAreRefusedAndUnitsReadOnlyTheirMonthlyLine) {
  for (const char* path : {"/api/v1/reports/daily", "/api/v1/reports/monthly", "/api/v1/reports/hot-topics",
                           "/api/v1/staffing"}) {
    EXPECT_EQ(Get(testing::Agent(), path).status, 403) << path;
  }
  EXPECT_EQ(Get(testing::UnitUser(1), "/api/v1/reports/daily").status, 403);
  EXPECT_EQ(Get(testing::UnitUser(1), "/api/v1/reports/hot-topics").status, 403);
  auto mine = Get(testing::UnitUser(2), "/api/v1/reports/monthly", {{"month", "2026-03"}});
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.body["units"].size(), 1u);
  EXPECT_EQ(mine.body["units"][0]["unit_id"], 2);
  EXPECT_FALSE(mine.body.contains("work_orders"));
  auto all = Get(testing::Supervisor(), "/api/v1/reports/monthly", {{"month", "2026-03"}});
  EXPECT_EQ(all.body["units"].size(), 3u);
  EXPECT_TRUE(all.body.contains("work_orders"));
}

TEST_F(ReportRoutes, BadParametersAnswerAProblemNamingThem) {
  struct Case {
    const char* path;
    std::unordered_map<std::string, std::string> query;
    const char* field;
  };
  const Case cases[] = {
      {"/api/v1/reports/daily", {{"date", "2026-02-30"}}, "date"},
      {"/api/v1/reports/daily", {{"date", "yesterday"}}, "date"},
      {"/api/v1/reports/monthly", {{"month", "2026-13"}}, "month"},
      {"/api/v1/reports/monthly", {{"month", "2026-3"}}, "month"},
      {"/api/v1/reports/monthly", {{"format", "xlsx"}}, "format"},
      {"/api/v1/reports/hot-topics", {{"days", "0"}}, "days"},
      {"/api/v1/reports/hot-topics", {{"days", "91"}}, "days"},  // kMaxHotTopicDays + 1
      {"/api/v1/reports/hot-topics", {{"days", "7d"}}, "days"},
      {"/api/v1/reports/hot-topics", {{"limit", "1000"}}, "limit"},
      {"/api/v1/staffing", {{"aht_s", "180"}}, "calls_per_hour"},
      {"/api/v1/staffing", {{"calls_per_hour", "200"}, {"aht_s", "3min"}}, "aht_s"},
      {"/api/v1/staffing", {{"calls_per_hour", "200"}, {"aht_s", "180"}, {"target_sl", "80"}}, "target_sl"},
      {"/api/v1/staffing", {{"calls_per_hour", "200"}, {"aht_s", "180"}, {"target_sl", "nan"}}, "target_sl"},
      {"/api/v1/staffing", {{"calls_per_hour", "1e3"}, {"aht_s", "180"}}, "calls_per_hour"},
      {"/api/v1/staffing", {{"calls_per_hour", "200"}, {"aht_s", "180"}, {"patience_s", "-1"}}, "patience_s"},
  };
  for (const auto& c : cases) {
    auto r = Get(testing::Supervisor(), c.path, c.query);
    EXPECT_EQ(r.status, 400) << c.path << " " << c.field;
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_EQ(r.body["code"], "validation_failed");
    EXPECT_EQ(r.body["field"], c.field);
  }
}

TEST_F(ReportRoutes, StaffingAnswersTheFewestAgents) {
  auto c = Get(testing::Supervisor(), "/api/v1/staffing", {{"calls_per_hour", "200"}, {"aht_s", "180"}});
  ASSERT_EQ(c.status, 200) << c.text;
  EXPECT_EQ(c.body["agents"], 14);  // target_sl 0.8 and target_s = acd.service_level_s (20) by default
  EXPECT_NEAR(c.body["service_level"].get<double>(), 0.8883500191794669, 1e-12);
  EXPECT_NEAR(c.body["p_wait"].get<double>(), 0.17413193359504983, 1e-12);
  EXPECT_EQ(c.body["model"], "erlang_c");
  EXPECT_FALSE(c.body.contains("p_abandon"));
  auto a = Get(testing::Supervisor(), "/api/v1/staffing",
               {{"calls_per_hour", "200"}, {"aht_s", "180"}, {"target_sl", "0.8"}, {"target_s", "20"},
                {"patience_s", "60"}});
  ASSERT_EQ(a.status, 200) << a.text;
  EXPECT_EQ(a.body["agents"], 12);
  EXPECT_EQ(a.body["model"], "erlang_a");
  EXPECT_NEAR(a.body["p_abandon"].get<double>(), 0.07590179693345046, 1e-9);
  for (const char* f : {"p_wait", "service_level", "asa_s", "occupancy"}) EXPECT_TRUE(a.body[f].is_number()) << f;
}

TEST_F(ReportRoutes, MonthlyCsvIsADownload) {
  auto r = Get(testing::Supervisor(), "/api/v1/reports/monthly", {{"month", "2026-03"}, {"format", "csv"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(r.text.find("month,unit_id,unit_name,kind,received"), std::string::npos);
  EXPECT_NE(r.text.find("2026-03,1,某医院,hospital,0,0"), std::string::npos);
  EXPECT_NE(r.text.find("2026-03,,total,,0,0"), std::string::npos);
  auto mine = Get(testing::UnitUser(3), "/api/v1/reports/monthly", {{"month", "2026-03"}, {"format", "csv"}});
  EXPECT_EQ(mine.text.find("某医院"), std::string::npos);
  EXPECT_NE(mine.text.find("某疾控中心"), std::string::npos);
}

TEST_F(ReportRoutes, DailyReportCountsTheDayByHand) {
  SeedCalls();
  SeedWorkOrders();
  At(2026, 3, 3, 8, 0);
  auto r = Get(testing::Supervisor(), "/api/v1/reports/daily", {{"date", "2026-03-02"}});
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["date"], "2026-03-02");
  EXPECT_EQ(r.body["from"], "2026-03-02T00:00:00+08:00");
  const Json& calls = r.body["calls"];  // the field names of GET /api/v1/queue's `today`
  EXPECT_EQ(calls["date"], "2026-03-02");
  EXPECT_EQ(calls["offered"], 4);
  EXPECT_EQ(calls["answered"], 2);
  EXPECT_EQ(calls["abandoned"], 2);
  EXPECT_EQ(calls["short_abandoned"], 1);
  EXPECT_NEAR(calls["answer_rate"].get<double>(), 2.0 / 3, 1e-12);  // 2 / (4 - 1)
  EXPECT_NEAR(calls["service_level"].get<double>(), 1.0 / 3, 1e-12);  // 1 of 2 answered + 1 long abandon
  EXPECT_DOUBLE_EQ(calls["asa_s"].get<double>(), 20);                 // (10 + 30) / 2
  EXPECT_DOUBLE_EQ(calls["aht_s"].get<double>(), 270);                // (300 + 30 + 180 + 30) / 2
  EXPECT_EQ(r.body["surveys"]["count"], 2);
  EXPECT_DOUBLE_EQ(r.body["surveys"]["mean"].get<double>(), 4);

  const Json& w = r.body["work_orders"];
  EXPECT_EQ(w["created"], 2);
  EXPECT_EQ(w["by_type"]["consult"], 1);
  EXPECT_EQ(w["by_type"]["complaint"], 1);
  EXPECT_EQ(w["by_channel"]["phone"], 2);
  EXPECT_EQ(w["transferred"], 1);
  EXPECT_EQ(w["replied"], 1);
  EXPECT_EQ(w["callbacks"], 1);
  EXPECT_EQ(w["callbacks_reached"], 1);
  EXPECT_EQ(w["closed"], 2);

  const Json& agents = r.body["agents"];
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0]["agent_id"], 1);
  EXPECT_EQ(agents[0]["name"], "王芳");
  EXPECT_EQ(agents[0]["calls_answered"], 2);
  EXPECT_EQ(agents[0]["talk_s"], 480);
  EXPECT_EQ(agents[0]["logged_in_s"], 3600);  // 08:50 to 09:50
  EXPECT_DOUBLE_EQ(agents[0]["occupancy"].get<double>(), 600.0 / 3600);
  EXPECT_EQ(agents[0]["surveys"], 2);
  EXPECT_DOUBLE_EQ(agents[0]["survey_score"].get<double>(), 4);
  EXPECT_EQ(agents[0]["work_orders"], 2);
  EXPECT_EQ(agents[0]["callbacks"], 1);
  EXPECT_EQ(agents[1]["agent_id"], 5);
  EXPECT_EQ(agents[1]["logged_in_s"], 86400);
  EXPECT_DOUBLE_EQ(agents[1]["occupancy"].get<double>(), 0);
  EXPECT_EQ(agents[1]["calls_answered"], 0);
}

TEST_F(ReportRoutes, DailyDefaultsToTodayAndCountsOnlyUpToNow) {
  SeedCalls();
  At(2026, 3, 2, 9, 20);
  auto r = Get(testing::Supervisor(), "/api/v1/reports/daily");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["date"], "2026-03-02");
  // Agent 1 has been logged in since 08:50: half an hour so far, not the whole day.
  EXPECT_EQ(r.body["agents"][0]["logged_in_s"], 1800);
}

TEST_F(ReportRoutes, HotTopicsAnswerTheWindowAndTheLists) {
  auto r = Get(testing::Supervisor(), "/api/v1/reports/hot-topics", {{"days", "14"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["days"], 14);
  EXPECT_EQ(r.body["baseline_days"], 56);
  EXPECT_TRUE(r.body["categories"].is_array());
  EXPECT_TRUE(r.body["keywords"].is_array());
  EXPECT_EQ(r.body["window"]["to"], "2026-03-02T09:00:00+08:00");
}

}  // namespace
}  // namespace hotline::reports

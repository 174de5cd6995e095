// The REST routes through the real Router, Request and Response (no sockets): statuses,
// problem codes and body shapes that conformance/03-workorders relies on.
#include "api/ticket_routes.hpp"

#include <gtest/gtest.h>

#include "api/ticket_push.hpp"
#include "fixture.hpp"

namespace hotline::workorder {
namespace {

using core::Json;

class TicketRoutes : public testing::ServiceTest {
 protected:
  TicketRoutes() { api::RegisterTicketRoutes(router_, *service_); }

  struct Answer {
    int status = 0;
    Json body;
  };
  Answer Call(const core::Actor& who, std::string method, std::string path, Json body = nullptr,
              std::unordered_map<std::string, std::string> query = {}) {
    auto match = router_.Find(method, path);
    if (!match.route) return {match.path_known ? 405 : 404, nullptr};
    if (!match.route->access.Allows(who.role)) return {403, nullptr};
    net::Request req;
    req.method = method;
    req.path = path;
    req.path_params = match.params;
    req.query = std::move(query);
    req.actor = who;
    if (!body.is_null()) req.body = body.dump();
    auto res = match.route->handler(req);
    return {res.status, Json::parse(res.body, nullptr, false)};
  }
  Answer Act(const core::Actor& who, int64_t id, Json body) {
    return Call(who, "POST", "/api/v1/tickets/" + std::to_string(id) + "/actions", body);
  }

  api::Router router_;
};

Json NewConsult(const char* phone = "13800138000") {
  return {{"type", "consult"}, {"caller", {{"phone", phone}}}, {"subject", "预约挂号"},
          {"description", "怎么预约挂号"}};
}

TEST_F(TicketRoutes, CreateAnswers201AndRefusesBadBodies) {
  auto ok = Call(testing::Agent(), "POST", "/api/v1/tickets", NewConsult("010-65612345"));
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(ok.body["status"], "open");
  EXPECT_EQ(ok.body["channel"], "phone");
  EXPECT_EQ(ok.body["caller"]["phone"], "01065612345");
  Json bad_phone = NewConsult("12abc");
  auto r = Call(testing::Agent(), "POST", "/api/v1/tickets", bad_phone);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["code"], "validation_failed");
  Json gossip = NewConsult();
  gossip["type"] = "gossip";
  EXPECT_EQ(Call(testing::Agent(), "POST", "/api/v1/tickets", gossip).status, 400);
  EXPECT_EQ(Call(testing::UnitUser(1, 11), "POST", "/api/v1/tickets", NewConsult()).status, 403);
}

TEST_F(TicketRoutes, ActionsAnswerTheWorkOrderOrAProblem) {
  int64_t id = Call(testing::Agent(), "POST", "/api/v1/tickets", NewConsult()).body["id"];
  auto refused = Act(testing::Agent(), id, {{"action", "callback"}, {"reached", true}, {"satisfaction", 5}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.body["code"], "invalid_transition");
  auto unknown = Act(testing::Agent(), id, {{"action", "teleport"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["code"], "validation_failed");
  EXPECT_NE(unknown.body["detail"].get<std::string>().find("answer, defer"), std::string::npos);
  auto moved = Act(testing::Agent(), id, {{"action", "transfer"}, {"unit_id", 1}});
  EXPECT_EQ(moved.status, 200);
  EXPECT_EQ(moved.body["status"], "transferred");
  EXPECT_EQ(Call(testing::UnitUser(2, 12), "GET", "/api/v1/tickets/" + std::to_string(id)).status, 404);
  EXPECT_EQ(Act(testing::UnitUser(2, 12), id, {{"action", "acknowledge"}}).status, 404);
  EXPECT_EQ(Act(testing::UnitUser(1, 11), id, {{"action", "acknowledge"}}).body["status"], "acknowledged");
  EXPECT_EQ(Act(testing::Supervisor(), id, {{"action", "extend"}, {"reason", "x"}}).status, 400);
  EXPECT_EQ(Call(testing::Agent(), "GET", "/api/v1/tickets/999").status, 404);
  EXPECT_EQ(Call(testing::Agent(), "GET", "/api/v1/tickets/abc").status, 404);
  auto history = Call(testing::Supervisor(), "GET", "/api/v1/tickets/" + std::to_string(id) + "/history");
  EXPECT_EQ(history.status, 200);
  ASSERT_EQ(history.body["items"].size(), 3u);  // create, transfer, acknowledge: refusals leave none
  EXPECT_EQ(history.body["items"][2]["action"], "acknowledge");
  EXPECT_EQ(history.body["items"][2]["actor"], 11);
}

TEST_F(TicketRoutes, ListFollowsTheOpaqueCursor) {
  for (int i = 0; i < 5; ++i) Call(testing::Agent(), "POST", "/api/v1/tickets", NewConsult());
  Call(testing::Agent(), "POST", "/api/v1/tickets", NewConsult("13900139000"));
  std::vector<int64_t> seen;
  std::unordered_map<std::string, std::string> q = {{"limit", "2"}, {"phone", "13800138000"}};
  for (int page = 0; page < 10; ++page) {
    auto r = Call(testing::Supervisor(), "GET", "/api/v1/tickets", nullptr, q);
    ASSERT_EQ(r.status, 200);
    for (const auto& item : r.body["items"]) seen.push_back(item["id"]);
    if (r.body["next_cursor"].is_null()) break;
    q["cursor"] = r.body["next_cursor"];
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{5, 4, 3, 2, 1}));
  q["cursor"] = "garbage";
  EXPECT_EQ(Call(testing::Supervisor(), "GET", "/api/v1/tickets", nullptr, q).status, 400);
  auto caller = Call(testing::Agent(), "GET", "/api/v1/callers/139-0013-9000/history");
  EXPECT_EQ(caller.status, 200);
  EXPECT_EQ(caller.body["phone"], "13900139000");
  ASSERT_EQ(caller.body["items"].size(), 1u);
  EXPECT_EQ(caller.body["items"][0]["kind"], "ticket");
  EXPECT_EQ(caller.body["items"][0]["ticket"]["caller"]["phone"], "13900139000");
  EXPECT_TRUE(caller.body["next_cursor"].is_null());
  EXPECT_EQ(Call(testing::Agent(), "GET", "/api/v1/callers/13900139000/history", nullptr,
                 {{"cursor", "garbage"}})
                .status,
            400);
  EXPECT_EQ(Call(testing::Agent(), "GET", "/api/v1/callers/xyz/history").status, 400);
  EXPECT_EQ(Call(testing::UnitUser(1, 11), "GET", "/api/v1/callers/13900139000/history").status, 403);
}

TEST_F(TicketRoutes, ListPagesAreFiftyByDefaultAtMostTwoHundred) {
  for (int i = 0; i < 52; ++i) Call(testing::Agent(), "POST", "/api/v1/tickets", NewConsult());
  auto first = Call(testing::Supervisor(), "GET", "/api/v1/tickets");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.body["items"].size(), 50u);
  ASSERT_TRUE(first.body["next_cursor"].is_string());
  auto last = Call(testing::Supervisor(), "GET", "/api/v1/tickets", nullptr,
                   {{"cursor", first.body["next_cursor"]}});
  EXPECT_EQ(last.body["items"].size(), 2u);
  EXPECT_TRUE(last.body["next_cursor"].is_null());
  auto all = Call(testing::Supervisor(), "GET", "/api/v1/tickets", nullptr, {{"limit", "200"}});
  EXPECT_EQ(all.body["items"].size(), 52u);
  EXPECT_TRUE(all.body["next_cursor"].is_null());
  for (const char* bad : {"201", "0", "-1", "abc", "1e3"}) {
    auto r = Call(testing::Supervisor(), "GET", "/api/v1/tickets", nullptr, {{"limit", bad}});
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.body["code"], "validation_failed") << bad;
  }
}

TEST_F(TicketRoutes, PhoneFilterTakesEveryWrittenForm) {
  int64_t mobile = Call(testing::Agent(), "POST", "/api/v1/tickets", NewConsult()).body["id"];
  int64_t landline =
      Call(testing::Agent(), "POST", "/api/v1/tickets", NewConsult("(010)6561-2345")).body["id"];
  const std::pair<const char*, int64_t> forms[] = {
      {"13800138000", mobile},    {"+86 138-0013-8000", mobile}, {"+8613800138000", mobile},
      {"010-65612345", landline}, {"01065612345", landline},     {"+86 10 6561 2345", landline},
  };
  for (const auto& [form, id] : forms) {
    auto r = Call(testing::Agent(), "GET", "/api/v1/tickets", nullptr, {{"phone", form}});
    ASSERT_EQ(r.status, 200) << form;
    ASSERT_EQ(r.body["items"].size(), 1u) << form;
    EXPECT_EQ(r.body["items"][0]["id"], id) << form;
  }
  auto bad = Call(testing::Agent(), "GET", "/api/v1/tickets", nullptr, {{"phone", "12ab"}});
  EXPECT_EQ(bad.status, 400);
}

// Records where each push went: "user:<id>", "agents", "supervisors".
class RecordingPush final : public api::Push {
 public:
  void ToUser(int64_t user_id, const Json& m) override {
    Add("user:" + std::to_string(user_id), m);
  }
  void ToAgents(const Json& m) override { Add("agents", m); }
  void ToSupervisors(const Json& m) override { Add("supervisors", m); }
  void ToTelephony(const Json& m) override { Add("telephony", m); }
  std::vector<std::string> to;
  std::vector<std::string> types;

 private:
  void Add(std::string where, const Json& m) {
    to.push_back(std::move(where));
    types.push_back(m["type"]);
  }
};

TEST(TicketPush, OwnerAndWallboardsHearChangesAndNobodysCallbackGoesToEveryAgent) {
  WorkOrder owned;
  owned.owner = 7;
  RecordingPush updated;
  api::PushTicketEvent(updated, owned, kEventUpdated, Json::object());
  EXPECT_EQ(updated.to, (std::vector<std::string>{"user:7", "supervisors"}));
  EXPECT_EQ(updated.types, (std::vector<std::string>{"ticket.updated", "ticket.updated"}));
  RecordingPush due;
  api::PushTicketEvent(due, owned, kEventCallbackDue, Json::object());
  EXPECT_EQ(due.to, (std::vector<std::string>{"user:7", "supervisors"}));
  EXPECT_EQ(due.types[0], "callback.due");

  WorkOrder voicemail;  // created by the voice menu: no owner
  RecordingPush nobody;
  api::PushTicketEvent(nobody, voicemail, kEventCreated, Json::object());
  EXPECT_EQ(nobody.to, (std::vector<std::string>{"supervisors"}));
  RecordingPush nobody_due;
  api::PushTicketEvent(nobody_due, voicemail, kEventCallbackDue, Json::object());
  EXPECT_EQ(nobody_due.to, (std::vector<std::string>{"agents", "supervisors"}));
  EXPECT_EQ(nobody_due.types, (std::vector<std::string>{"callback.due", "callback.due"}));
}

}  // namespace
}  // namespace hotline::workorder

// JSON <-> work orders as the REST routes use them, and the conformance script's flow
// driven through the same conversions (without HTTP).
#include "api/ticket_json.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace hotline::workorder {
namespace {

using core::Json;
using core::ErrorCode;

const core::TimeZone& Zone() {
  static const core::TimeZone zone = *core::TimeZone::Named("Asia/Shanghai");
  return zone;
}

Json Body() {
  return Json::parse(R"({"type": "consult", "caller": {"phone": "13800138000", "name": "李女士"},
                         "category": "medical_service", "subject": "门诊挂号咨询",
                         "description": "孩子发烧"})");
}

TEST(TicketJsonInput, NewTicketDefaultsAndRefusals) {
  auto n = api::ReadNewTicket(Body(), Zone());
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->channel, Channel::kPhone);
  EXPECT_EQ(n->caller_phone, "13800138000");
  struct Case {
    const char* name;
    const char* patch;  // JSON merge patch on Body()
    const char* field;
  };
  const Case cases[] = {
      {"unknown type", R"({"type": "gossip"})", "type"},
      {"no type", R"({"type": null})", "type"},
      {"unknown channel", R"({"channel": "fax"})", "channel"},
      {"no caller", R"({"caller": null})", "caller"},
      {"no phone", R"({"caller": {"phone": null}})", "caller.phone"},
      {"phone not text", R"({"caller": {"phone": 13800138000}})", "caller.phone"},
      {"subject not text", R"({"subject": 5})", "subject"},
      {"long name", R"({"caller": {"name": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}})", "caller.name"},
      {"bad call ids", R"({"call_ids": [1, -2]})", "call_ids"},
  };
  for (const auto& c : cases) {
    Json body = Body();
    body.merge_patch(Json::parse(c.patch));
    auto r = api::ReadNewTicket(body, Zone());
    ASSERT_TRUE(r.has_error()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed) << c.name;
    EXPECT_EQ(r.error().field, c.field) << c.name;
  }
}

TEST(TicketJsonInput, ActionNamesAndFieldTypes) {
  auto unknown = api::ReadTicketAction(Json{{"action", "close"}}, Zone());
  ASSERT_TRUE(unknown.has_error());
  EXPECT_EQ(unknown.error().code, ErrorCode::kValidationFailed);  // an unknown enum value
  EXPECT_EQ(unknown.error().field, "action");
  EXPECT_EQ(api::ReadTicketAction(Json::object(), Zone()).error().field, "action");
  EXPECT_EQ(api::ReadTicketAction(Json{{"action", 3}}, Zone()).error().code,
            ErrorCode::kValidationFailed);
  const std::pair<Json, const char*> bad[] = {
      {{{"action", "callback"}, {"reached", true}, {"satisfaction", 6}}, "satisfaction"},
      {{{"action", "extend"}, {"consent", "yes"}}, "consent"},
      {{{"action", "defer"}, {"reply_due_at", "tomorrow"}}, "reply_due_at"},
      {{{"action", "escalate"}, {"type", "gossip"}}, "type"},
      {{{"action", "transfer"}, {"unit_id", 0}}, "unit_id"},
      {{{"action", "transfer"}, {"unit_id", 1}, {"assist_unit_ids", {2, "x"}}}, "assist_unit_ids"},
  };
  for (const auto& [body, field] : bad) {
    auto r = api::ReadTicketAction(body, Zone());
    ASSERT_TRUE(r.has_error()) << body.dump();
    EXPECT_EQ(r.error().field, field) << body.dump();
  }
  auto ok = api::ReadTicketAction(
      Json::parse(R"({"action": "defer", "reply_due_at": "2026-03-05T10:00:00+08:00"})"), Zone());
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->action, Action::kDefer);
  EXPECT_EQ(ok->reply_due_at, core::ParseIso("2026-03-05T02:00:00Z", Zone()));
}

TEST(TicketJsonInput, ListFilterFromQuery) {
  auto f = api::ReadTicketFilter({{"status", "transferred"}, {"overdue", "true"}, {"unit_id", "3"},
                                  {"to", "2026-03-02"}, {"limit", "5"}},
                                 Zone());
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->status, Status::kTransferred);
  EXPECT_EQ(f->overdue, true);
  EXPECT_EQ(f->unit_id, 3);
  EXPECT_EQ(f->to, core::ParseIso("2026-03-03T00:00:00+08:00", Zone()));  // the whole day
  EXPECT_EQ(api::ReadTicketFilter({{"status", "lost"}}, Zone()).error().field, "status");
  EXPECT_EQ(api::ReadTicketFilter({{"unit_id", "x"}}, Zone()).error().field, "unit_id");
  EXPECT_EQ(api::ReadTicketFilter({{"from", "yesterday"}}, Zone()).error().field, "from");
}

TEST(TicketJsonInput, CursorRoundTrip) {
  ListCursor c{1772413200000, 42};
  auto back = api::TicketCursorFrom(api::TicketCursorPosition(c));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, 42);
  EXPECT_EQ(back->accepted_at_ms, c.accepted_at_ms);
  EXPECT_FALSE(api::TicketCursorFrom(Json{{"after", 3}}));
}

class TicketFlow : public testing::ServiceTest {
 protected:
  Json Act(const core::Actor& who, int64_t id, Json body, ErrorCode* error = nullptr) {
    auto in = api::ReadTicketAction(body, Zone());
    auto r = in ? service_->Act(who, id, *in) : core::Result<WorkOrder>(in.error());
    if (error) *error = r.has_error() ? r.error().code : ErrorCode::kInternal;
    return r ? api::TicketJson(*r, clock_.Now(), Zone()) : Json();
  }
};

// The steps of conformance/03-workorders, through the JSON conversions.
TEST_F(TicketFlow, ConformanceClosedLoop) {
  auto n = api::ReadNewTicket(Body(), Zone());
  WorkOrder created = *service_->Create(testing::Agent(), *n);
  Json t = api::TicketJson(created, clock_.Now(), Zone());
  for (const char* key : {"id", "ticket_no", "status", "type", "category", "channel", "caller",
                          "subject", "description", "call_ids", "owner", "unit_id", "accepted_at",
                          "due_at", "reply_due_at", "completed_at", "closed_at", "satisfaction",
                          "incident_id", "overdue", "extended", "redo_count", "callback_attempts",
                          "parent_id", "assist_unit_ids"}) {
    EXPECT_TRUE(t.contains(key)) << key;
  }
  EXPECT_EQ(t["status"], "open");
  EXPECT_EQ(t["caller"]["name"], "李女士");
  EXPECT_EQ(t["accepted_at"], "2026-03-02T09:00:00+08:00");
  const int64_t id = t["id"];
  ErrorCode e;
  Act(testing::Agent(), id, {{"action", "callback"}, {"reached", true}, {"satisfaction", 5}}, &e);
  EXPECT_EQ(e, ErrorCode::kInvalidTransition);
  EXPECT_EQ(Act(testing::Agent(), id, {{"action", "escalate"}, {"type", "complaint"}, {"reason", "等候过长"}})["type"], "complaint");
  Json tr = Act(testing::Agent(), id, {{"action", "transfer"}, {"unit_id", 1}});
  EXPECT_EQ(tr["status"], "transferred");
  EXPECT_EQ(tr["due_at"], "2026-04-01T09:00:00+08:00");
  Act(testing::UnitUser(2, 12), id, {{"action", "acknowledge"}}, &e);
  EXPECT_EQ(e, ErrorCode::kNotFound);
  EXPECT_EQ(Act(testing::UnitUser(1, 11), id, {{"action", "acknowledge"}})["status"], "acknowledged");
  Act(testing::Supervisor(), id, {{"action", "extend"}, {"reason", "需调取监控"}}, &e);
  EXPECT_EQ(e, ErrorCode::kValidationFailed);
  Json ext = Act(testing::Supervisor(), id, {{"action", "extend"}, {"reason", "需调取监控"}, {"consent", true}});
  EXPECT_EQ(ext["due_at"], "2026-05-01T09:00:00+08:00");
  EXPECT_EQ(ext["extended"], true);
  Act(testing::Supervisor(), id, {{"action", "extend"}, {"reason", "再次"}, {"consent", true}}, &e);
  EXPECT_EQ(e, ErrorCode::kInvalidTransition);
  EXPECT_EQ(Act(testing::UnitUser(1, 11), id, {{"action", "reply"}, {"result", "已核实"}})["status"], "callback_due");
  Json closed = Act(testing::Agent(), id, {{"action", "callback"}, {"reached", true}, {"satisfaction", 4}});
  EXPECT_EQ(closed["status"], "closed");
  EXPECT_EQ(closed["satisfaction"], 4);
  auto history = service_->History(testing::Supervisor(), id);
  EXPECT_GE(history->size(), 6u);
  Json h = api::HistoryJson(history->at(1), Zone());
  EXPECT_EQ(h["action"], "escalate");
  EXPECT_EQ(h["from_status"], "open");
  EXPECT_EQ(h["fields"]["reason"], "等候过长");
}

}  // namespace
}  // namespace hotline::workorder

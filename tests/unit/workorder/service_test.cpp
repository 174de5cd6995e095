// The service on a real database: creation, visibility, the closed loop and its history.
#include "hotline/workorder/service.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "fixture.hpp"

namespace hotline::workorder {
namespace {

using testing::Agent;
using testing::Do;
using testing::Supervisor;
using testing::UnitUser;
using std::chrono::days;
using std::chrono::hours;

class WorkOrderService : public testing::ServiceTest {
 protected:
  size_t HistorySize(int64_t id) { return service_->History(Supervisor(), id)->size(); }
  // A call row as the ACD writes it: work orders link only calls that exist.
  int64_t AddCall() {
    return db_->Write([&](storage::Connection& c) {
      c.Prepare("INSERT INTO calls(caller, called, state, enqueued_at) VALUES"
                " ('13800138000', '12320', 'ended', 0)")
          ->Run();
      return c.LastInsertId();
    });
  }
  int64_t Count(const std::string& sql) {
    return db_->Read([&](storage::Connection& c) {
      auto q = c.Prepare(sql);
      q->Step();
      return q->Int(0);
    });
  }
};

TEST_F(WorkOrderService, CreateAnswersTheFullWorkOrder) {
  NewWorkOrder n = testing::Consult("+86 138-0013-8000");
  n.category = "medical_service";
  n.call_ids = {AddCall(), AddCall()};
  WorkOrder w = MustCreate(n);
  EXPECT_GT(w.id, 0);
  EXPECT_TRUE(std::regex_match(w.ticket_no, std::regex(R"(20260302-\d{5,})"))) << w.ticket_no;
  EXPECT_EQ(w.status, Status::kOpen);
  EXPECT_EQ(w.channel, Channel::kPhone);
  EXPECT_EQ(w.caller_phone, "13800138000");
  EXPECT_EQ(w.caller_name, "李女士");
  EXPECT_EQ(w.category, "medical_service");
  EXPECT_EQ(w.owner, 1);
  EXPECT_EQ(w.accepted_at, testing::Monday9());
  EXPECT_EQ(w.due_at, testing::Monday9() + days(30));
  EXPECT_EQ(w.call_ids, n.call_ids);
  EXPECT_FALSE(w.unit_id);
  auto h = service_->History(Agent(), w.id);
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].action, "create");
  EXPECT_FALSE((*h)[0].from_status);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE kind = 'receipt'"), 1);
}

TEST_F(WorkOrderService, CreateRefusesBadInputAndStoresNothing) {
  struct Case {
    const char* name;
    std::function<void(NewWorkOrder&)> spoil;
    const char* field;
  };
  const Case cases[] = {
      {"bad phone", [](NewWorkOrder& n) { n.caller_phone = "12abc"; }, "caller.phone"},
      {"empty subject", [](NewWorkOrder& n) { n.subject = ""; }, "subject"},
      {"long subject", [](NewWorkOrder& n) { n.subject = std::string(201, 'x'); }, "subject"},
      {"long description",
       [](NewWorkOrder& n) { n.description = std::string(kMaxDescription + 1, 'x'); },
       "description"},
      {"bad utf-8", [](NewWorkOrder& n) { n.subject = "\xff\xfe"; }, "subject"},
      {"bad call id", [](NewWorkOrder& n) { n.call_ids = {0}; }, "call_ids"},
      {"no such call", [](NewWorkOrder& n) { n.call_ids = {987654}; }, "call_ids"},
      {"201 Chinese characters", [](NewWorkOrder& n) {
         n.subject.clear();
         for (int i = 0; i < 201; ++i) n.subject += "发";
       }, "subject"},
      {"promised answer in the past",
       [this](NewWorkOrder& n) { n.reply_due_at = clock_.Now() - std::chrono::minutes(1); },
       "reply_due_at"},
      {"promised answer now", [this](NewWorkOrder& n) { n.reply_due_at = clock_.Now(); },
       "reply_due_at"},
  };
  for (const auto& c : cases) {
    NewWorkOrder n = testing::Consult();
    c.spoil(n);
    auto r = service_->Create(Agent(), n);
    ASSERT_TRUE(r.has_error()) << c.name;
    EXPECT_EQ(r.error().code, core::ErrorCode::kValidationFailed) << c.name;
    EXPECT_EQ(r.error().field, c.field) << c.name;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM tickets"), 0);
  EXPECT_EQ(service_->Create(UnitUser(1, 11), testing::Consult()).error().code,
            core::ErrorCode::kForbidden);
}

// The bounds count characters: a Chinese subject has room for as many as an English one.
TEST_F(WorkOrderService, TextBoundsCountCharactersNotBytes) {
  NewWorkOrder n = testing::Consult();
  n.subject.clear();
  for (size_t i = 0; i < kMaxSubject; ++i) n.subject += "发";
  n.reply_due_at = clock_.Now() + std::chrono::hours(1);
  WorkOrder w = MustCreate(n);
  EXPECT_EQ(core::Utf8Length(w.subject), kMaxSubject);
  EXPECT_EQ(w.subject.size(), 3 * kMaxSubject);
  EXPECT_EQ(w.reply_due_at, n.reply_due_at);
  EXPECT_EQ(core::Utf8Length("a发😀"), 3u);
}

TEST_F(WorkOrderService, LinkCallNeedsAnExistingCall) {
  int64_t id = MustCreate().id;
  auto link = Do(Action::kLinkCall);
  link.call_id = 987654;
  auto r = service_->Act(Agent(), id, link);
  ASSERT_TRUE(r.has_error());
  EXPECT_EQ(r.error().field, "call_id");
  EXPECT_EQ(HistorySize(id), 1u);
  link.call_id = AddCall();
  EXPECT_EQ(MustAct(Agent(), id, link).call_ids, std::vector<int64_t>{*link.call_id});
}

TEST_F(WorkOrderService, LandlineIsStoredNormalised) {
  EXPECT_EQ(MustCreate(testing::Consult("010-65612345")).caller_phone, "01065612345");
}

TEST_F(WorkOrderService, OtherUnitGetsNotFoundOnReadActAndHistory) {
  WorkOrder w = Transfer(MustCreate().id, 1);
  EXPECT_TRUE(service_->Get(UnitUser(1, 11), w.id).has_value());
  EXPECT_EQ(service_->Get(UnitUser(2, 12), w.id).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(service_->History(UnitUser(2, 12), w.id).error().code, core::ErrorCode::kNotFound);
  for (Action a : AllActions()) {
    auto r = service_->Act(UnitUser(2, 12), w.id, Do(a));
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound) << ActionName(a);
  }
  EXPECT_EQ(service_->Get(Agent(), 999).error().code, core::ErrorCode::kNotFound);
  auto page = service_->List(UnitUser(2, 12), {}, 50);
  EXPECT_TRUE(page->items.empty());
  EXPECT_EQ(service_->List(UnitUser(1, 11), {}, 50)->items.size(), 1u);
}

TEST_F(WorkOrderService, RefusedActionChangesNothing) {
  WorkOrder w = MustCreate();
  auto cb = Do(Action::kCallback);
  cb.reached = true;
  cb.satisfaction = 5;
  auto r = service_->Act(Agent(), w.id, cb);
  ASSERT_TRUE(r.has_error());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidTransition);
  auto transfer = Do(Action::kTransfer);
  transfer.unit_id = 77;  // no such unit
  EXPECT_EQ(service_->Act(Agent(), w.id, transfer).error().field, "unit_id");
  EXPECT_EQ(service_->Get(Agent(), w.id)->status, Status::kOpen);
  EXPECT_EQ(HistorySize(w.id), 1u);
}

TEST_F(WorkOrderService, ClosedLoopThroughAUnitWithOneExtension) {
  int64_t id = MustCreate().id;
  auto esc = Do(Action::kEscalate);
  esc.type = Type::kComplaint;
  esc.reason = "家长投诉急诊等候时间过长";
  EXPECT_EQ(MustAct(Agent(), id, esc).type, Type::kComplaint);
  WorkOrder t = Transfer(id, 1);
  EXPECT_EQ(t.status, Status::kTransferred);
  EXPECT_EQ(t.due_at, t.accepted_at + days(30));
  clock_.Advance(hours(2));
  EXPECT_EQ(MustAct(UnitUser(1, 11), id, Do(Action::kAcknowledge)).status, Status::kAcknowledged);
  auto ext = Do(Action::kExtend);
  ext.reason = "需调取监控";
  EXPECT_EQ(service_->Act(Supervisor(), id, ext).error().code, core::ErrorCode::kValidationFailed);
  ext.consent = true;
  EXPECT_EQ(MustAct(Supervisor(), id, ext).due_at, t.due_at + days(30));
  EXPECT_EQ(service_->Act(Supervisor(), id, ext).error().code, core::ErrorCode::kInvalidTransition);
  clock_.Advance(days(3));
  WorkOrder replied = Reply(id, 1);
  EXPECT_EQ(replied.status, Status::kCallbackDue);
  EXPECT_EQ(replied.completed_at, clock_.Now());
  auto cb = Do(Action::kCallback);
  cb.reached = true;
  cb.satisfaction = 4;
  WorkOrder closed = MustAct(Agent(), id, cb);
  EXPECT_EQ(closed.status, Status::kClosed);
  EXPECT_EQ(closed.satisfaction, 4);
  auto h = *service_->History(Supervisor(), id);
  ASSERT_EQ(h.size(), 7u);  // create, escalate, transfer, acknowledge, extend, reply, callback
  EXPECT_EQ(h[2].action, "transfer");
  EXPECT_EQ(h[2].from_status, Status::kOpen);
  EXPECT_EQ(h[2].to_status, Status::kTransferred);
  EXPECT_EQ(h[2].actor, 1);
  EXPECT_EQ(h[2].fields["unit_id"], 1);
  EXPECT_EQ(h[5].actor_role, "unit");
  EXPECT_EQ(h[5].fields["result"], "已处理");
}

TEST_F(WorkOrderService, ThreeUnreachedCallbacksCloseAsUnreachable) {
  NewWorkOrder n = testing::Consult();
  n.type = Type::kComplaint;
  int64_t id = MustCreate(n).id;
  auto ans = Do(Action::kAnswer);
  ans.answer = "已解释";
  EXPECT_EQ(MustAct(Agent(), id, ans).status, Status::kCallbackDue);
  auto miss = Do(Action::kCallback);
  miss.reached = false;
  EXPECT_EQ(MustAct(Agent(), id, miss).status, Status::kCallbackDue);
  EXPECT_EQ(MustAct(Agent(), id, miss).callback_attempts, 2);
  WorkOrder w = MustAct(Agent(), id, miss);
  EXPECT_EQ(w.status, Status::kClosed);
  EXPECT_EQ(w.close_reason, std::string(kClosedUnreachable));
}

TEST_F(WorkOrderService, RedoCountsOnTheWorkOrderAndItsUnit) {
  NewWorkOrder n = testing::Consult();
  n.type = Type::kReport;
  int64_t id = MustCreate(n).id;
  Transfer(id, 2);
  Reply(id, 2);
  auto cb = Do(Action::kCallback);
  cb.reached = true;
  cb.satisfaction = 1;
  cb.satisfied = false;
  cb.reopen = true;
  WorkOrder w = MustAct(Agent(), id, cb);
  EXPECT_EQ(w.status, Status::kOpen);
  EXPECT_EQ(w.redo_count, 1);
  EXPECT_EQ(service_->UnitRedoCount(2), 1);
  EXPECT_EQ(service_->UnitRedoCount(1), 0);
  Transfer(id, 2);
  Reply(id, 2);
  EXPECT_EQ(MustAct(Agent(), id, cb).redo_count, 2);
  EXPECT_EQ(service_->UnitRedoCount(2), 2);
}

TEST_F(WorkOrderService, AssistingUnitsHoldTheParentUntilTheirChildrenFinish) {
  std::vector<std::pair<int64_t, std::string>> events;
  service_->SetChangeCallback([&](const WorkOrder& w, std::string_view e) {
    events.emplace_back(w.id, std::string(e));
  });
  int64_t id = MustCreate().id;
  WorkOrder parent = Transfer(id, 1, {2, 3});
  ASSERT_EQ(parent.assist_unit_ids, (std::vector<int64_t>{2, 3}));
  auto children = service_->List(Supervisor(), {.parent_id = id}, 50)->items;
  ASSERT_EQ(children.size(), 2u);
  for (const auto& c : children) {
    EXPECT_EQ(c.parent_id, id);
    EXPECT_EQ(c.status, Status::kTransferred);
    EXPECT_NE(c.ticket_no, parent.ticket_no);
    EXPECT_EQ(c.due_at, parent.due_at);
  }
  const WorkOrder& child3 = children[0].unit_id == 3 ? children[0] : children[1];
  const WorkOrder& child2 = children[0].unit_id == 2 ? children[0] : children[1];
  EXPECT_EQ(service_->Get(UnitUser(2, 12), id).error().code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(service_->Get(UnitUser(2, 12), child2.id).has_value());
  EXPECT_EQ(Reply(id, 1).status, Status::kReplied);
  EXPECT_EQ(Reply(child2.id, 2).status, Status::kClosed);
  EXPECT_EQ(service_->Get(Agent(), id)->status, Status::kReplied);
  events.clear();
  auto ret = Do(Action::kReturn);
  ret.reason = "非本单位职责";
  EXPECT_EQ(MustAct(UnitUser(3, 13), child3.id, ret).status, Status::kClosed);
  WorkOrder after = *service_->Get(Agent(), id);
  EXPECT_EQ(after.status, Status::kCallbackDue);
  EXPECT_EQ(service_->History(Agent(), id)->back().action, "assist_done");
  EXPECT_NE(std::find(events.begin(), events.end(), std::make_pair(id, std::string("callback.due"))),
            events.end());
}

TEST_F(WorkOrderService, AParentReturnedByItsLeadUnitWaitsForItsAssistingUnits) {
  int64_t id = MustCreate().id;  // a consult: no callback of its own
  Transfer(id, 1, {2});
  int64_t child = service_->List(Supervisor(), {.parent_id = id}, 50)->items.at(0).id;
  auto ret = Do(Action::kReturn);
  ret.reason = "非本单位职责";
  EXPECT_EQ(MustAct(UnitUser(1, 11), id, ret).status, Status::kOpen);
  auto answer = Do(Action::kAnswer);
  answer.answer = "已解答";
  auto merge = Do(Action::kMerge);
  merge.into = MustCreate().id;
  EXPECT_EQ(service_->Act(Agent(), id, merge).error().code, core::ErrorCode::kInvalidTransition);
  WorkOrder held = MustAct(Agent(), id, answer);
  EXPECT_EQ(held.status, Status::kReplied);  // not closed under the assisting unit's feet
  EXPECT_FALSE(held.closed_at);
  EXPECT_EQ(Reply(child, 2).status, Status::kClosed);
  EXPECT_EQ(service_->Get(Agent(), id)->status, Status::kCallbackDue);
  auto callback = Do(Action::kCallback);
  callback.reached = true;
  callback.satisfaction = 4;
  EXPECT_EQ(MustAct(Agent(), id, callback).status, Status::kClosed);
}

TEST_F(WorkOrderService, MergeKeepsBothHistoriesVisibleFromTheSurvivor) {
  NewWorkOrder n = testing::Consult();
  n.call_ids = {AddCall()};
  int64_t dup = MustCreate(n).id;
  int64_t survivor = MustCreate().id;
  auto note = Do(Action::kNote);
  note.text = "同一小区手足口病";
  MustAct(Agent(), dup, note);
  auto merge = Do(Action::kMerge);
  merge.into = survivor;
  WorkOrder closed = MustAct(Agent(), dup, merge);
  EXPECT_EQ(closed.status, Status::kClosed);
  EXPECT_EQ(closed.merged_into, survivor);
  WorkOrder s = *service_->Get(Agent(), survivor);
  EXPECT_EQ(s.status, Status::kOpen);
  EXPECT_EQ(s.call_ids, n.call_ids);
  auto h = *service_->History(Agent(), survivor);
  ASSERT_EQ(h.size(), 5u);  // both creations, the note, the merge on each
  int from_dup = 0;
  for (const auto& e : h) from_dup += e.ticket_id == dup;
  EXPECT_EQ(from_dup, 3);
  EXPECT_EQ(service_->History(Agent(), dup)->size(), 3u);
  merge.into = dup;  // into a closed one
  EXPECT_EQ(service_->Act(Agent(), survivor, merge).error().code,
            core::ErrorCode::kInvalidTransition);
}

TEST_F(WorkOrderService, IncidentLinksGroupWorkOrders) {
  db_->Write([](storage::Connection& c) {
    c.Prepare(
         "INSERT INTO incidents(id, title, keywords, ivr_message, opened_at)"
         " VALUES (9, '手足口病聚集', '[]', '', 0)")
        ->Run();
  });
  auto link = Do(Action::kLinkIncident);
  link.incident_id = 9;
  int64_t a = MustCreate().id;
  int64_t b = MustCreate().id;
  MustCreate();
  MustAct(Agent(), a, link);
  EXPECT_EQ(MustAct(Supervisor(), b, link).incident_id, 9);
  auto page = service_->List(Agent(), {.incident_id = 9}, 50);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, b);  // newest first
}

TEST_F(WorkOrderService, IncidentLinksMustNameAnIncident) {
  auto in = testing::Consult();
  in.incident_id = 424242;
  auto created = service_->Create(Agent(), in);
  ASSERT_TRUE(created.has_error());
  EXPECT_EQ(created.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_EQ(created.error().field, "incident_id");
  EXPECT_EQ(Count("SELECT count(*) FROM tickets"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 0);
  int64_t id = MustCreate().id;
  auto link = Do(Action::kLinkIncident);
  link.incident_id = 424242;
  auto linked = service_->Act(Agent(), id, link);
  ASSERT_TRUE(linked.has_error());
  EXPECT_EQ(linked.error().code, core::ErrorCode::kValidationFailed);
  EXPECT_FALSE(service_->Get(Agent(), id)->incident_id);
  EXPECT_EQ(HistorySize(id), 1u);
}

TEST_F(WorkOrderService, CallerLookupFindsOpenWorkOrdersAndTheirOwner) {
  auto mine = testing::Consult("13900139000");
  int64_t first = service_->Create(Supervisor(), mine)->id;
  int64_t second = MustCreate(mine).id;
  MustCreate(testing::Consult("13700137000"));
  auto open = service_->OpenForPhone("139-0013-9000");
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].id, second);
  EXPECT_EQ(service_->OwnerOfOpen("13900139000"), 1);
  auto ans = Do(Action::kAnswer);
  ans.answer = "好的";
  MustAct(Agent(), second, ans);  // a consult: closes
  EXPECT_EQ(service_->OpenForPhone("13900139000").front().id, first);
  EXPECT_EQ(service_->OwnerOfOpen("13900139000"), 2);
  EXPECT_FALSE(service_->OwnerOfOpen("13600136000"));
}

TEST_F(WorkOrderService, ChangeCallbackFiresAfterCommit) {
  std::vector<std::string> seen;
  service_->SetChangeCallback([&](const WorkOrder& w, std::string_view e) {
    // Committed: a reader sees the state the event announces.
    seen.push_back(std::string(e) + ":" + std::string(StatusName(service_->Get(Agent(), w.id)->status)));
  });
  NewWorkOrder n = testing::Consult();
  n.type = Type::kComplaint;
  int64_t id = MustCreate(n).id;
  auto ans = Do(Action::kAnswer);
  ans.answer = "已解释";
  MustAct(Agent(), id, ans);
  EXPECT_EQ(seen, (std::vector<std::string>{"ticket.created:open", "ticket.updated:callback_due",
                                            "callback.due:callback_due"}));
}

TEST_F(WorkOrderService, VoiceMessageStartsDueForCallback) {
  NewWorkOrder n = testing::Consult();
  n.channel = Channel::kVoicemail;
  n.awaiting_callback = true;
  n.due_at = testing::Monday9() + days(1) - hours(1);  // the next business morning
  auto w = service_->Create(core::Actor::System(), n);
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->status, Status::kCallbackDue);
  EXPECT_EQ(w->due_at, testing::Monday9() + days(1) - hours(1));
  EXPECT_FALSE(w->owner);
}

}  // namespace
}  // namespace hotline::workorder

#include "workorder/effects.hpp"

#include "hotline/core/time.hpp"
#include "hotline/workorder/outbox.hpp"
#include "workorder/repository.hpp"

namespace hotline::workorder {
namespace {

using storage::Connection;

std::vector<std::string_view> EventsFor(Status before, Status after) {
  std::vector<std::string_view> events = {"ticket.updated"};
  if (after == Status::kCallbackDue && before != Status::kCallbackDue) {
    events.push_back("callback.due");
  }
  return events;
}

// An assisting unit's child: the parent's request, transferred to that unit.
WorkOrder CreateChild(Connection& c, const core::Actor& actor, const WorkOrder& parent,
                      int64_t unit_id, TimePoint now, const core::Calendar& calendar) {
  WorkOrder child = parent;
  child.id = 0;
  child.accepted_at = repo::NextAcceptedAt(c, now);  // the unit received it now
  child.ticket_no = repo::NextTicketNo(c, calendar.LocalDate(now));
  child.status = Status::kTransferred;
  child.unit_id = unit_id;
  child.parent_id = parent.id;
  child.assist_unit_ids.clear();
  child.call_ids.clear();
  child.reply_due_at.reset();
  child.deferred = false;
  int64_t id = repo::Insert(c, child, now);
  repo::AddHistory(c, id, now, actor, "create", std::nullopt, child.status,
                   {{"parent_id", parent.id}, {"unit_id", unit_id}});
  return *repo::Load(c, id);
}

// The last open child of a parent waiting in `replied` lets it go on to the callback.
void FinishChild(Connection& c, int64_t parent_id, int64_t child_id, TimePoint now,
                 std::vector<ChangedOrder>& changed) {
  auto parent = repo::Load(c, parent_id);
  if (!parent || parent->status != Status::kReplied || repo::OpenChildren(c, parent_id) > 0) {
    return;
  }
  WorkOrder after = *parent;
  after.status = Status::kCallbackDue;
  after.callback_attempts = 0;
  repo::Update(c, after, now);
  repo::AddHistory(c, parent_id, now, core::Actor::System(), "assist_done", parent->status,
                   after.status, {{"child_id", child_id}});
  changed.push_back({*repo::Load(c, parent_id), EventsFor(parent->status, after.status)});
}

}  // namespace

core::Result<void> CheckReferences(Connection& c, const core::Actor& actor,
                                   const WorkOrder& before, const Decision& d) {
  if (d.after.unit_id && d.after.unit_id != before.unit_id &&
      !repo::UnitExists(c, *d.after.unit_id)) {
    return core::Error::Validation("unit_id: no such unit", "unit_id");
  }
  if (d.after.incident_id && d.after.incident_id != before.incident_id &&
      !repo::IncidentExists(c, *d.after.incident_id)) {
    return core::Error::Validation("incident_id: no such incident", "incident_id");
  }
  if (d.link_call && repo::MissingCall(c, {*d.link_call})) {
    return core::Error::Validation("call_id: no such call", "call_id");
  }
  for (int64_t u : d.create_children_for) {
    if (!repo::UnitExists(c, u)) {
      return core::Error::Validation("assist_unit_ids: no such unit " + std::to_string(u),
                                     "assist_unit_ids");
    }
  }
  if (d.merge_into) {
    auto survivor = repo::Load(c, *d.merge_into);
    if (!survivor || !CanSee(actor, *survivor) || survivor->IsChild()) {
      return core::Error::Validation("into: no such work order", "into");
    }
    if (survivor->status == Status::kClosed) {
      return core::Error::InvalidTransition("cannot merge into a closed work order");
    }
  }
  return {};
}

void ApplyDecision(Connection& c, const core::Actor& actor, const WorkOrder& before,
                   const Decision& d, Action action, TimePoint now,
                   const core::Calendar& calendar, std::vector<ChangedOrder>& changed) {
  const int64_t id = before.id;
  repo::Update(c, d.after, now);
  repo::AddHistory(c, id, now, actor, ActionName(action), before.status, d.after.status, d.fields);
  std::vector<ChangedOrder> others;
  for (int64_t unit : d.create_children_for) {
    others.push_back({CreateChild(c, actor, d.after, unit, now, calendar), {"ticket.created"}});
  }
  if (d.notify_unit) {
    core::Json payload = ReminderPayload(c, d.after, "manual", calendar.zone());
    if (d.fields.contains("text")) payload["text"] = d.fields["text"];
    QueueNotification(c, "reminder", payload, now);
  }
  if (d.count_redo) repo::CountRedo(c, id, before.unit_id, now);
  if (d.link_call) repo::LinkCall(c, id, *d.link_call);
  if (d.merge_into) {
    auto survivor = *repo::Load(c, *d.merge_into);
    repo::CopyCalls(c, id, survivor.id);
    repo::AddHistory(c, survivor.id, now, actor, "merge", survivor.status, survivor.status,
                     {{"merged_id", id}, {"merged_ticket_no", before.ticket_no}});
    others.push_back({*repo::Load(c, survivor.id), {"ticket.updated"}});
  }
  if (d.child_finished && before.parent_id) FinishChild(c, *before.parent_id, id, now, others);
  changed.push_back({*repo::Load(c, id), EventsFor(before.status, d.after.status)});
  for (auto& o : others) changed.push_back(std::move(o));
}

core::Json ReminderPayload(Connection& c, const WorkOrder& wo, std::string_view point,
                           const core::TimeZone& tz) {
  core::Json p = {{"type", "reminder"},
                  {"point", point},
                  {"ticket_id", wo.id},
                  {"ticket_no", wo.ticket_no},
                  {"subject", wo.subject},
                  {"status", StatusName(wo.status)},
                  {"due_at", core::FormatIso(wo.due_at, tz)},
                  {"unit_id", nullptr},
                  {"unit_name", nullptr}};
  if (wo.unit_id) {
    p["unit_id"] = *wo.unit_id;
    if (auto name = repo::UnitName(c, *wo.unit_id)) p["unit_name"] = *name;
  }
  if (wo.ack_due_at && wo.status == Status::kTransferred) {
    p["ack_due_at"] = core::FormatIso(*wo.ack_due_at, tz);
  }
  return p;
}

}  // namespace hotline::workorder

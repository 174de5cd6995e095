#include "hotline/workorder/service.hpp"

#include <algorithm>

#include "hotline/core/json.hpp"
#include "hotline/core/phone.hpp"
#include "hotline/core/time.hpp"
#include "hotline/workorder/state_machine.hpp"
#include "workorder/effects.hpp"
#include "workorder/repository.hpp"

namespace hotline::workorder {
namespace {

using core::Error;
using core::Role;

core::Result<void> CheckText(const std::string& s, size_t max, const char* field, bool required) {
  if (required && s.empty()) return Error::Validation(std::string(field) + " is required", field);
  if (!core::IsValidUtf8(s)) return Error::Validation(std::string(field) + " is not UTF-8", field);
  if (core::Utf8Length(s) > max) {
    return Error::Validation(std::string(field) + " is longer than " + std::to_string(max) +
                                 " characters",
                             field);
  }
  return {};
}

// Bounds and phone normal form; the result is what gets stored.
core::Result<NewWorkOrder> Validate(NewWorkOrder in) {
  auto phone = core::NormalizePhone(in.caller_phone);
  if (!phone) return Error::Validation("caller.phone is not a phone number", "caller.phone");
  in.caller_phone = *phone;
  for (auto r : {CheckText(in.subject, kMaxSubject, "subject", true),
                 CheckText(in.description, kMaxDescription, "description", false),
                 CheckText(in.caller_name.value_or(""), kMaxCallerName, "caller.name", false),
                 CheckText(in.category.value_or(""), kMaxCategory, "category", false)}) {
    if (r.has_error()) return r.error();
  }
  if (in.caller_name && in.caller_name->empty()) in.caller_name.reset();
  if (in.category && in.category->empty()) in.category.reset();
  if (in.call_ids.size() > kMaxCallIds ||
      std::any_of(in.call_ids.begin(), in.call_ids.end(), [](int64_t v) { return v <= 0; })) {
    return Error::Validation("call_ids must be at most 50 positive ids", "call_ids");
  }
  if (in.incident_id && *in.incident_id <= 0) {
    return Error::Validation("incident_id must be a positive id", "incident_id");
  }
  return in;
}

core::Json ReceiptPayload(const WorkOrder& w) {
  return {{"type", "receipt"},
          {"to", w.caller_phone},
          {"ticket_id", w.id},
          {"ticket_no", w.ticket_no},
          {"text", "您反映的问题已受理，工单号 " + w.ticket_no + "。"}};
}

}  // namespace

Service::Service(storage::Database& db, const core::Clock& clock, const core::Calendar& calendar,
                 WorkOrderConfig config)
    : db_(db), clock_(clock), calendar_(calendar), config_(std::move(config)),
      deadlines_(calendar_, config_) {}

void Service::SetChangeCallback(ChangeCallback callback) {
  std::lock_guard lock(callback_mu_);
  callback_ = std::move(callback);
}

void Service::Notify(const std::vector<ChangedOrder>& changed) const {
  ChangeCallback cb;
  {
    std::lock_guard lock(callback_mu_);
    cb = callback_;
  }
  if (!cb) return;
  for (const auto& c : changed) {
    for (auto event : c.events) cb(c.wo, event);
  }
}

core::Result<WorkOrder> Service::Create(const core::Actor& actor, const NewWorkOrder& raw) {
  if (actor.role == Role::kUnit || actor.role == Role::kTelephony) {
    return Error::Forbidden("only the hotline accepts work orders");
  }
  auto in = Validate(raw);
  if (in.has_error()) return in.error();
  const TimePoint now = clock_.Now();
  if (in->reply_due_at && *in->reply_due_at <= now) {
    // A promised answer lies ahead, as with `defer`.
    return Error::Validation("reply_due_at must be in the future", "reply_due_at");
  }
  WorkOrder w;
  w.status = in->awaiting_callback ? Status::kCallbackDue : Status::kOpen;
  w.type = in->type;
  w.category = in->category;
  w.channel = in->channel;
  w.caller_phone = in->caller_phone;
  w.caller_name = in->caller_name;
  w.subject = in->subject;
  w.description = in->description;
  w.call_ids = in->call_ids;
  w.incident_id = in->incident_id;
  w.reply_due_at = in->reply_due_at;
  if (actor.user_id > 0) w.owner = actor.user_id;
  auto created = db_.Write([&](storage::Connection& c) -> core::Result<WorkOrder> {
    if (w.incident_id && !repo::IncidentExists(c, *w.incident_id)) {
      return Error::Validation("incident_id: no such incident", "incident_id");
    }
    if (auto missing = repo::MissingCall(c, w.call_ids)) {
      return Error::Validation("call_ids: no such call " + std::to_string(*missing), "call_ids");
    }
    const TimePoint at = repo::NextAcceptedAt(c, now);
    w.accepted_at = at;
    w.due_at = in->due_at.value_or(deadlines_.DueAt(at));
    w.ticket_no = repo::NextTicketNo(c, calendar_.LocalDate(at));
    int64_t id = repo::Insert(c, w, at);
    repo::AddHistory(c, id, at, actor, "create", std::nullopt, w.status,
                     {{"type", TypeName(w.type)}, {"channel", ChannelName(w.channel)}});
    WorkOrder stored = *repo::Load(c, id);
    QueueNotification(c, "receipt", ReceiptPayload(stored), at);
    return stored;
  });
  if (!created) return created.error();
  std::vector<ChangedOrder> changed = {{*created, {kEventCreated}}};
  if (created->status == Status::kCallbackDue) changed[0].events.push_back(kEventCallbackDue);
  Notify(changed);
  return *created;
}

core::Result<WorkOrder> Service::Get(const core::Actor& actor, int64_t id) const {
  auto wo = db_.Read([&](storage::Connection& c) { return repo::Load(c, id); });
  if (!wo || !CanSee(actor, *wo)) return Error::NotFound("no such work order");
  return *wo;
}

core::Result<Page> Service::List(const core::Actor& actor, const ListFilter& filter, int limit,
                                 std::optional<ListCursor> after) const {
  if (actor.role == Role::kTelephony) return Error::Forbidden();
  ListFilter f = filter;
  if (f.phone) {
    auto phone = core::NormalizePhone(*f.phone);
    if (!phone) return Error::Validation("phone is not a phone number", "phone");
    f.phone = *phone;
  }
  std::optional<int64_t> only_unit;
  if (actor.role == Role::kUnit) {
    if (!actor.unit_id) return Page{};
    only_unit = actor.unit_id;
  }
  limit = std::clamp(limit, 1, 200);
  const TimePoint now = clock_.Now();
  return db_.Read([&](storage::Connection& c) {
    return repo::List(c, f, only_unit, now, limit, after);
  });
}

core::Result<WorkOrder> Service::Act(const core::Actor& actor, int64_t id, const ActionInput& in) {
  const TimePoint now = clock_.Now();
  std::vector<ChangedOrder> changed;
  auto result = db_.Write([&](storage::Connection& c) -> core::Result<WorkOrder> {
    changed.clear();
    auto before = repo::Load(c, id);
    if (!before) return Error::NotFound("no such work order");
    DecideContext ctx{now, &config_, &deadlines_, repo::OpenChildren(c, id) > 0};
    auto d = Decide(*before, actor, in, ctx);
    if (d.has_error()) return d.error();
    if (auto r = CheckReferences(c, actor, *before, *d); r.has_error()) return r.error();
    ApplyDecision(c, actor, *before, *d, in.action, now, calendar_, changed);
    return changed.front().wo;
  });
  if (result.has_value()) Notify(changed);
  return result;
}

core::Result<std::vector<HistoryEntry>> Service::History(const core::Actor& actor,
                                                         int64_t id) const {
  return db_.Read([&](storage::Connection& c) -> core::Result<std::vector<HistoryEntry>> {
    auto wo = repo::Load(c, id);
    if (!wo || !CanSee(actor, *wo)) return Error::NotFound("no such work order");
    return repo::LoadHistory(c, id);
  });
}

std::vector<WorkOrder> Service::OpenForPhone(std::string_view phone, int limit) const {
  auto normal = core::NormalizePhone(phone);
  if (!normal) return {};
  return db_.Read([&](storage::Connection& c) {
    return repo::OpenForPhone(c, *normal, std::clamp(limit, 1, 200));
  });
}

std::optional<int64_t> Service::OwnerOfOpen(std::string_view phone) const {
  for (const auto& wo : OpenForPhone(phone, 20)) {
    if (wo.owner) return wo.owner;
  }
  return std::nullopt;
}

int64_t Service::UnitRedoCount(int64_t unit_id) const {
  return db_.Read([&](storage::Connection& c) { return repo::RedoCount(c, unit_id); });
}

}  // namespace hotline::workorder

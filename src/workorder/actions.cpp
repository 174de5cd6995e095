#include "workorder/actions.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "hotline/core/time.hpp"

namespace hotline::workorder {
namespace {

using core::Error;
using Outcome = core::Result<void>;

std::string Iso(TimePoint t) { return core::FormatIso(t, core::TimeZone::Utc()); }

void Close(WorkOrder& w, std::string_view reason, TimePoint now) {
  w.status = Status::kClosed;
  w.closed_at = now;
  w.close_reason = std::string(reason);
}

void Complete(WorkOrder& w, const std::string& text, TimePoint now) {
  w.completed_at = now;
  w.resolution = text;
}

void EnterCallback(WorkOrder& w) {
  w.status = Status::kCallbackDue;
  w.callback_attempts = 0;
}

// The hotline settled it itself (answer, mediate): callback first when the type needs one.
void SettledByHotline(WorkOrder& w, std::string_view reason, const DecideContext& ctx) {
  if (ctx.config->NeedsCallback(w.type, w.deferred)) {
    EnterCallback(w);
  } else {
    Close(w, reason, ctx.now);
  }
}

Outcome Answer(Decision& d, const ActionInput& in, const DecideContext& ctx) {
  Complete(d.after, *in.answer, ctx.now);
  SettledByHotline(d.after, kClosedAnswered, ctx);
  return {};
}

Outcome Mediate(Decision& d, const ActionInput& in, const DecideContext& ctx) {
  Complete(d.after, *in.outcome, ctx.now);
  SettledByHotline(d.after, kClosedMediated, ctx);
  return {};
}

Outcome Defer(Decision& d, const ActionInput& in, const DecideContext& ctx) {
  if (*in.reply_due_at <= ctx.now) {
    return Error::Validation("reply_due_at must be in the future", "reply_due_at");
  }
  d.after.status = Status::kPendingAnswer;
  d.after.deferred = true;
  d.after.reply_due_at = in.reply_due_at;
  return {};
}

Outcome Escalate(Decision& d, const WorkOrder& before, const ActionInput& in) {
  if (*in.type != Type::kComplaint && *in.type != Type::kReport) {
    return Error::Validation("type must be complaint or report", "type");
  }
  d.after.status = Status::kOpen;
  d.after.type = *in.type;
  d.fields["from_type"] = TypeName(before.type);
  return {};
}

Outcome Transfer(Decision& d, const ActionInput& in, const DecideContext& ctx) {
  if (*in.unit_id <= 0) return Error::Validation("unit_id must be a unit's id", "unit_id");
  std::set<int64_t> seen;
  for (int64_t u : in.assist_unit_ids) {
    if (u <= 0 || u == *in.unit_id || !seen.insert(u).second) {
      return Error::Validation("assist_unit_ids must be distinct units other than unit_id",
                               "assist_unit_ids");
    }
  }
  if (in.assist_unit_ids.size() > kMaxAssistUnits) {
    return Error::Validation("too many assisting units", "assist_unit_ids");
  }
  WorkOrder& w = d.after;
  w.status = Status::kTransferred;
  w.unit_id = in.unit_id;
  w.transferred_at = ctx.now;
  w.ack_due_at = ctx.deadlines->AckDue(ctx.now);
  w.acknowledged_at.reset();
  d.create_children_for = in.assist_unit_ids;
  return {};
}

Outcome Return(Decision& d, const WorkOrder& before, const DecideContext& ctx) {
  WorkOrder& w = d.after;
  d.fields["unit_id"] = *before.unit_id;
  if (before.IsChild()) {
    // An assisting unit that declines leaves the lead unit to carry on.
    Close(w, kClosedReturned, ctx.now);
    d.child_finished = true;
    return {};
  }
  w.status = Status::kOpen;
  w.unit_id.reset();
  w.transferred_at.reset();
  w.ack_due_at.reset();
  w.acknowledged_at.reset();
  w.returned_count += 1;
  return {};
}

Outcome Reply(Decision& d, const WorkOrder& before, const ActionInput& in,
              const DecideContext& ctx) {
  d.fields["unit_id"] = *before.unit_id;
  Complete(d.after, *in.result, ctx.now);
  if (before.IsChild()) {
    Close(d.after, kClosedReplied, ctx.now);
    d.child_finished = true;
  } else {
    EnterCallback(d.after);  // Decide() holds it in `replied` while children are open
  }
  return {};
}

Outcome Extend(Decision& d, const WorkOrder& before, const ActionInput& in,
               const DecideContext& ctx) {
  if (before.extended) return Error::InvalidTransition("the deadline was extended once already");
  if (!*in.consent) {
    return Error::Validation("consent must be true: the caller agreed to the extension", "consent");
  }
  d.after.due_at = ctx.deadlines->Extended(before.due_at);
  d.after.extended = true;
  d.fields["due_at"] = Iso(d.after.due_at);
  return {};
}

Outcome Callback(Decision& d, const ActionInput& in, const DecideContext& ctx) {
  WorkOrder& w = d.after;
  if (!*in.reached) {
    w.callback_attempts += 1;
    d.fields["attempt"] = w.callback_attempts;
    if (w.callback_attempts >= ctx.config->callback_attempts) Close(w, kClosedUnreachable, ctx.now);
    return {};
  }
  if (!in.satisfaction || *in.satisfaction < 1 || *in.satisfaction > 5) {
    return Error::Validation("satisfaction 1..5 is required when the caller was reached",
                             "satisfaction");
  }
  w.satisfaction = in.satisfaction;
  if (in.satisfied == false && in.reopen == true) {
    // 重办: the unit (or the hotline) must handle it again.
    w.status = Status::kOpen;
    w.redo_count += 1;
    w.completed_at.reset();
    w.callback_attempts = 0;
    d.count_redo = true;
    if (w.unit_id) d.fields["unit_id"] = *w.unit_id;
    return {};
  }
  Close(w, kClosedCalledBack, ctx.now);
  return {};
}

Outcome Reopen(Decision& d, const WorkOrder& before) {
  if (before.merged_into) {
    return Error::InvalidTransition("a merged duplicate lives on in its survivor");
  }
  if (before.IsChild()) return Error::InvalidTransition("reopen the parent work order instead");
  WorkOrder& w = d.after;
  w.status = Status::kOpen;
  w.closed_at.reset();
  w.completed_at.reset();
  w.close_reason.reset();
  w.satisfaction.reset();
  w.callback_attempts = 0;
  return {};
}

Outcome Merge(Decision& d, const WorkOrder& before, const ActionInput& in,
              const DecideContext& ctx) {
  if (*in.into <= 0 || *in.into == before.id) {
    return Error::Validation("into must be another work order", "into");
  }
  Close(d.after, kClosedMerged, ctx.now);
  d.after.merged_into = in.into;
  d.merge_into = in.into;
  return {};
}

Outcome Positive(std::optional<int64_t> v, const char* field) {
  if (*v <= 0) return Error::Validation(std::string(field) + " must be a positive id", field);
  return {};
}

}  // namespace

Outcome ApplyAction(Decision& d, const WorkOrder& before, const ActionInput& in,
                    const DecideContext& ctx) {
  switch (in.action) {
    case Action::kAnswer: return Answer(d, in, ctx);
    case Action::kDefer: return Defer(d, in, ctx);
    case Action::kEscalate: return Escalate(d, before, in);
    case Action::kMediate: return Mediate(d, in, ctx);
    case Action::kTransfer: return Transfer(d, in, ctx);
    case Action::kAcknowledge: d.after.status = Status::kAcknowledged;
                               d.after.acknowledged_at = ctx.now;
                               return {};
    case Action::kReturn: return Return(d, before, ctx);
    case Action::kReply: return Reply(d, before, in, ctx);
    case Action::kExtend: return Extend(d, before, in, ctx);
    case Action::kRemind: d.notify_unit = true; return {};
    case Action::kCallback: return Callback(d, in, ctx);
    case Action::kReopen: return Reopen(d, before);
    case Action::kNote: return {};
    case Action::kMerge: return Merge(d, before, in, ctx);
    case Action::kLinkIncident:
      if (auto r = Positive(in.incident_id, "incident_id"); r.has_error()) return r;
      d.after.incident_id = in.incident_id;
      return {};
    case Action::kLinkCall:
      if (auto r = Positive(in.call_id, "call_id"); r.has_error()) return r;
      d.link_call = in.call_id;
      return {};
  }
  return Error::InvalidTransition("unknown action");
}

core::Json InputFields(const ActionInput& in) {
  core::Json f = core::Json::object();
  auto put = [&f](const char* key, const auto& v) {
    if (v) f[key] = *v;
  };
  put("answer", in.answer);
  put("outcome", in.outcome);
  put("result", in.result);
  put("reason", in.reason);
  put("text", in.text);
  if (in.type) f["type"] = TypeName(*in.type);
  put("unit_id", in.unit_id);
  if (!in.assist_unit_ids.empty()) f["assist_unit_ids"] = in.assist_unit_ids;
  if (in.reply_due_at) f["reply_due_at"] = Iso(*in.reply_due_at);
  put("consent", in.consent);
  put("reached", in.reached);
  put("satisfaction", in.satisfaction);
  put("satisfied", in.satisfied);
  put("reopen", in.reopen);
  put("into", in.into);
  put("incident_id", in.incident_id);
  put("call_id", in.call_id);
  return f;
}

}  // namespace hotline::workorder

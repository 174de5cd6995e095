#include "ivr_calls.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "hotline/ivr/session.hpp"
#include "hotline/ivr/voicemail.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::Json;
using storage::Connection;

// A call that is over hears goodbye whatever the gateway fetches: ended, abandoned, ended in a
// message, or a voice-menu call (never queued) the gateway reported hung up.
bool CallIsOver(const IvrCallRow& call) {
  const std::string& s = call.state;
  if (s == "ended" || s == "abandoned" || s == "voicemail") return true;
  return call.hung_up && (s == "after_hours" || s == "overflow");
}

acd::NewCall NewCallOf(const IvrCallRow& call) {
  return acd::NewCall{call.id, call.caller, call.called, call.skill, call.priority, call.ivr_choice, ""};
}

}  // namespace

std::optional<IvrCallRow> IvrCalls::LoadCall(int64_t id) const {
  return d_.db.Read([&](Connection& c) -> std::optional<IvrCallRow> {
    auto q = c.Prepare(
        "SELECT id, caller, called, state, coalesce(skill, ''), priority, coalesce(ivr_choice, ''), "
        "ivr_session, voicemail_ticket_id, callback, ended_at IS NOT NULL FROM calls WHERE id = ?1");
    q->Bind(1, id);
    if (!q->Step()) return std::nullopt;
    return IvrCallRow{q->Int(0),  q->Text(1),    q->Text(2),    q->Text(3),
                      q->Text(4), static_cast<int>(q->Int(5)), q->Text(6), q->OptText(7),
                      q->OptInt(8), q->Int(9) != 0, q->Int(10) != 0};
  });
}

// Voice entries are read at most once per kVoiceEntriesTtl: on a busy night every call's every
// document needs them, and an edit may well take a few seconds to reach the menu.
std::vector<ivr::VoiceEntry> IvrCalls::VoiceEntries() {
  const core::TimePoint now = d_.clock.Now();
  std::lock_guard lock(voice_mu_);
  if (voice_read_at_ && now >= *voice_read_at_ && now - *voice_read_at_ < kVoiceEntriesTtl) {
    return voice_entries_;
  }
  std::vector<ivr::VoiceEntry> entries;
  for (const auto& topic : d_.kb.VoiceTopics()) {
    for (const auto& e : topic.entries) {
      // Topics are read out ("狂犬病防治，请按1"), so they go by their display name, not the slug.
      entries.push_back({std::to_string(e.id), e.content.title, topic.name, e.content.body});
    }
  }
  voice_entries_ = entries;
  voice_read_at_ = now;
  return entries;
}

std::optional<ivr::QueueStatus> IvrCalls::LiveQueueStatus(int64_t call_id) {
  auto live = d_.center.Read([&](acd::Engine& e) { return e.GetCall(call_id); });
  ivr::QueueStatus q;
  if (live) {
    q.position = live->position.value_or(0);
    q.ewt_s = live->ewt_s.value_or(0);
    if (live->state == acd::CallState::kRinging || live->state == acd::CallState::kTalking) {
      q.extension = live->extension;
    }
  }
  return q;
}

ivr::IvrContext IvrCalls::Context(const IvrCallRow& call, const ivr::Session& session) {
  ivr::IvrContext ctx;
  ctx.open_now = d_.calendar.IsOpen(d_.clock.Now());
  // Every open incident's message plays first, oldest first: two outbreaks at once both matter.
  for (const auto& incident : d_.center.Read([](acd::Engine& e) { return e.OpenIncidents(); })) {
    if (!incident.ivr_message.empty()) ctx.incident_messages.push_back(incident.ivr_message);
  }
  for (const char* kind : {"inspection", "cdc"}) {
    for (const auto& u : d_.directory.ListUnits(0, 200, std::string(kind)).items) {
      if (u.duty_phone) ctx.duty.push_back({u.name, u.kind, *u.duty_phone});
    }
  }
  // A kind without a unit's duty phone falls back to the configured number.
  for (const auto& f : d_.fallback_duty) {
    bool covered = std::any_of(ctx.duty.begin(), ctx.duty.end(), [&](const auto& u) { return u.kind == f.kind; });
    if (!covered) ctx.duty.push_back(f);
  }
  ctx.entries = VoiceEntries();
  if (session.phase == ivr::Phase::kQueue) ctx.queue = LiveQueueStatus(call.id);
  return ctx;
}

bool IvrCalls::JoinQueue(const IvrCallRow& call) {
  acd::NewCall nc = NewCallOf(call);
  nc.sticky_agent_id = d_.center.StickyAgentOf(call.caller);  // the owner of an open work order
  const bool overflowed = call.state == "overflow";
  auto r = d_.center.Run([&](acd::Engine& e) { return overflowed ? e.Readmit(nc) : e.CallArrived(nc); });
  if (!r) {
    spdlog::warn("voice menu could not queue call {}: {}", call.id, r.error().message);
    return false;
  }
  return r->state != acd::CallState::kOverflow;
}

void IvrCalls::SaveSession(int64_t call_id, const ivr::Session& session) {
  d_.db.Write([&](Connection& c) {
    c.Prepare("UPDATE calls SET ivr_session = ?2 WHERE id = ?1")->BindAll(call_id, session.ToJson().dump()).Run();
  });
}

core::Result<ivr::StepResult> IvrCalls::Turn(int64_t call_id, const std::optional<std::string>& digits) {
  auto call = LoadCall(call_id);
  if (!call) return Error::NotFound("no such call");
  ivr::Session session = ivr::NewSession(d_.menu);
  if (call->session) {
    auto saved = ivr::Session::FromJson(Json::parse(*call->session, nullptr, false));
    if (saved) session = *saved;
  } else if (call->state == "queued" || call->state == "ringing") {
    session.phase = ivr::Phase::kQueue;  // queued on arrival: the gateway asks for the in-queue document
  }
  if (CallIsOver(*call)) session.phase = ivr::Phase::kEnded;
  auto ctx = Context(*call, session);
  const bool was_queued = session.phase == ivr::Phase::kQueue;
  auto step = digits ? ivr::Step(d_.menu, session, *digits, ctx) : ivr::Current(d_.menu, session, ctx);
  if (!was_queued && session.phase == ivr::Phase::kQueue &&
      (call->state == "after_hours" || call->state == "overflow")) {
    if (JoinQueue(*call)) {
      ctx.queue = LiveQueueStatus(call_id);  // the step says the place just taken
      step = ivr::Current(d_.menu, session, ctx);
    } else {
      step = ivr::QueueRefused(d_.menu, session, ctx);
    }
  }
  if (step.left_queue) {
    // Virtual hold: the call keeps its place as a callback request; the message comes next.
    auto kept = d_.center.Run([&](acd::Engine& e) { return e.RequestCallback(call_id); });
    if (!kept) spdlog::warn("call {} could not become a callback request: {}", call_id, kept.error().message);
  }
  SaveSession(call_id, session);
  return step;
}

std::optional<int64_t> IvrCalls::VoicemailTicketOf(int64_t call_id) const {
  return d_.db.Read([&](Connection& c) -> std::optional<int64_t> {
    // Linked in the transaction that created the work order: a retry after any failure finds it.
    auto q = c.Prepare(
        "SELECT t.id FROM ticket_calls tc JOIN tickets t ON t.id = tc.ticket_id "
        "WHERE tc.call_id = ?1 AND t.channel = 'voicemail' ORDER BY t.id LIMIT 1");
    q->Bind(1, call_id);
    if (!q->Step()) return std::nullopt;
    return q->Int(0);
  });
}

core::Result<IvrMessage> IvrCalls::LeaveMessage(int64_t call_id, const std::string& url, int duration_s) {
  std::lock_guard lock(voicemail_mu_);
  auto call = LoadCall(call_id);
  if (!call) return Error::NotFound("no such call");
  auto system = core::Actor::System();
  auto now = d_.clock.Now();
  std::optional<int64_t> existing = call->voicemail_ticket_id;
  if (!existing) existing = VoicemailTicketOf(call_id);
  core::Result<workorder::WorkOrder> ticket = existing ? d_.tickets.Get(system, *existing) : [&] {
    workorder::NewWorkOrder wo;
    wo.type = workorder::Type::kConsult;
    wo.channel = workorder::Channel::kVoicemail;
    wo.caller_phone = call->caller;
    wo.subject = "语音留言";
    wo.description = "来电 " + call->caller + " 留言，时长 " + std::to_string(duration_s) + " 秒。录音：" + url;
    wo.call_ids = {call_id};
    wo.awaiting_callback = true;
    wo.due_at = ivr::VoicemailDueAt(d_.calendar, now, d_.voicemail_due_minute);
    return d_.tickets.Create(system, wo);
  }();
  if (!ticket) return ticket.error();
  ivr::Session session = ivr::NewSession(d_.menu);
  IvrMessage out{*ticket, call->callback, ivr::AfterRecording(d_.menu, session, call->callback)};
  d_.db.Write([&](Connection& c) {
    // The first recording is the message; a retry only completes what a failure left undone.
    // A call that never reached the ACD ends as a voice message; one the ACD turned away or
    // lost keeps that outcome, which the day's measures count. The menu session is over.
    c.Prepare("UPDATE calls SET state = CASE WHEN state = 'after_hours' THEN 'voicemail' ELSE state END, "
              "recording_url = coalesce(recording_url, ?2), recording_s = coalesce(recording_s, ?3), "
              "voicemail_ticket_id = ?4, ended_at = CASE WHEN state = 'after_hours' OR state = 'overflow' "
              "THEN coalesce(ended_at, ?5) ELSE ended_at END, ivr_session = ?6 WHERE id = ?1")
        ->BindAll(call_id, url, duration_s, ticket->id, core::ToUnixMillis(now), session.ToJson().dump())
        .Run();
  });
  return out;
}

}  // namespace hotline::api

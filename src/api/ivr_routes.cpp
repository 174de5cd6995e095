#include "ivr_routes.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "hotline/ivr/session.hpp"
#include "hotline/ivr/signature.hpp"
#include "hotline/ivr/step.hpp"
#include "hotline/ivr/voicemail.hpp"
#include "hotline/ivr/vxml.hpp"
#include "acd_routes.hpp"
#include "multipart.hpp"
#include "ticket_json.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::FieldReader;
using core::Json;
using storage::Connection;

constexpr const char* kVxmlType = "application/voicexml+xml; charset=utf-8";

struct CallRow {
  int64_t id = 0;
  std::string caller;
  std::string called;
  std::string state;
  std::string skill;
  int priority = 0;
  std::string ivr_choice;
  std::optional<std::string> session;
  std::optional<int64_t> voicemail_ticket_id;
  bool callback = false;  // a callback request keeping its place in the queue
};

struct Ivr {
  IvrDeps d;
  ivr::VxmlRenderer renderer;
  std::mutex voicemail_mu;  // one work order per message, even for concurrent retries
};

std::optional<CallRow> LoadCall(storage::Database& db, int64_t id) {
  return db.Read([&](Connection& c) -> std::optional<CallRow> {
    auto q = c.Prepare("SELECT id, caller, called, state, coalesce(skill, ''), priority, coalesce(ivr_choice, ''), "
                       "ivr_session, voicemail_ticket_id, callback FROM calls WHERE id = ?1");
    q->Bind(1, id);
    if (!q->Step()) return std::nullopt;
    return CallRow{q->Int(0),  q->Text(1),    q->Text(2),    q->Text(3),     q->Text(4), static_cast<int>(q->Int(5)),
                   q->Text(6), q->OptText(7), q->OptInt(8), q->Int(9) != 0};
  });
}

/// The gateway's key, or a `sig` this server wrote for this call that has not expired.
bool Authorized(Ivr& ivr, const Request& req, int64_t call_id) {
  if (auto key = req.Header("x-api-key"); !key.empty()) return ivr.d.auth.AuthenticateApiKey(key).has_value();
  auto sig = req.Query("sig");
  return sig && ivr::VerifySig(ivr.d.signing_key, std::to_string(call_id), *sig, ivr.d.clock.Now());
}

ivr::IvrContext Context(Ivr& ivr, const CallRow& call, const ivr::Session& session) {
  auto& d = ivr.d;
  ivr::IvrContext ctx;
  ctx.open_now = d.calendar.IsOpen(d.clock.Now());
  auto incidents = d.center.Read([](acd::Engine& e) { return e.OpenIncidents(); });
  if (!incidents.empty()) ctx.incident_message = incidents.front().ivr_message;
  for (const char* kind : {"inspection", "cdc"}) {
    for (const auto& u : d.directory.ListUnits(0, 200, std::string(kind)).items) {
      if (u.duty_phone) ctx.duty.push_back({u.name, u.kind, *u.duty_phone});
    }
  }
  // A kind without a unit's duty phone falls back to the configured number.
  for (const auto& f : d.fallback_duty) {
    bool covered = std::any_of(ctx.duty.begin(), ctx.duty.end(), [&](const auto& u) { return u.kind == f.kind; });
    if (!covered) ctx.duty.push_back(f);
  }
  for (const auto& topic : d.kb.VoiceTopics()) {
    for (const auto& e : topic.entries) {
      // Topics are read out ("狂犬病防治，请按1"), so they go by their display name, not the slug.
      ctx.entries.push_back({std::to_string(e.id), e.content.title, topic.name, e.content.body});
    }
  }
  if (session.phase == ivr::Phase::kQueue) {
    auto live = d.center.Read([&](acd::Engine& e) { return e.GetCall(call.id); });
    ivr::QueueStatus q;
    if (live) {
      q.position = live->position.value_or(0);
      q.ewt_s = live->ewt_s.value_or(0);
      if (live->state == acd::CallState::kRinging || live->state == acd::CallState::kTalking) {
        q.extension = live->extension;
      }
    }
    ctx.queue = q;
  }
  return ctx;
}

/// Puts a voice-menu call in the ACD queue (the caller pressed 0 during hours).
void Enqueue(Ivr& ivr, const CallRow& call) {
  acd::NewCall nc{call.id, call.caller, call.called, call.skill, call.priority, call.ivr_choice, ""};
  nc.sticky_agent_id = ivr.d.center.StickyAgentOf(call.caller);
  auto r = ivr.d.center.Run([&](acd::Engine& e) { return e.CallArrived(nc); });
  if (!r) spdlog::warn("voice menu could not queue call {}: {}", call.id, r.error().message);
}

/// One turn of the menu for a call: its keys (nothing = just say where it is), the effects on
/// the queue, the session saved.
core::Result<ivr::StepResult> Turn(Ivr& ivr, int64_t call_id, const std::optional<std::string>& digits) {
  auto call = LoadCall(ivr.d.db, call_id);
  if (!call) return Error::NotFound("no such call");
  ivr::Session session = ivr::NewSession(ivr.d.menu);
  if (call->session) {
    auto saved = ivr::Session::FromJson(Json::parse(*call->session, nullptr, false));
    if (saved) session = *saved;
  } else if (call->state == "queued" || call->state == "ringing") {
    session.phase = ivr::Phase::kQueue;  // queued on arrival: the gateway asks for the in-queue document
  }
  auto ctx = Context(ivr, *call, session);
  auto step = digits ? ivr::Step(ivr.d.menu, session, *digits, ctx) : ivr::Current(ivr.d.menu, session, ctx);
  if (step.action == ivr::Action::kQueue && (call->state == "after_hours" || call->state == "overflow")) {
    Enqueue(ivr, *call);
  }
  if (step.left_queue) {
    // Virtual hold: the call keeps its place as a callback request; the message comes next.
    auto kept = ivr.d.center.Run([&](acd::Engine& e) { return e.RequestCallback(call_id); });
    if (!kept) spdlog::warn("call {} could not become a callback request: {}", call_id, kept.error().message);
  }
  ivr.d.db.Write([&](Connection& c) {
    c.Prepare("UPDATE calls SET ivr_session = ?2 WHERE id = ?1")->BindAll(call_id, session.ToJson().dump()).Run();
  });
  return step;
}

/// The voice message of a call becomes exactly one `voicemail` work order, due next morning.
core::Result<workorder::WorkOrder> Voicemail(Ivr& ivr, int64_t call_id, const std::string& url, int duration_s) {
  std::lock_guard lock(ivr.voicemail_mu);
  auto call = LoadCall(ivr.d.db, call_id);
  if (!call) return Error::NotFound("no such call");
  auto system = core::Actor::System();
  if (call->voicemail_ticket_id) return ivr.d.tickets.Get(system, *call->voicemail_ticket_id);
  auto now = ivr.d.clock.Now();
  workorder::NewWorkOrder wo;
  wo.type = workorder::Type::kConsult;
  wo.channel = workorder::Channel::kVoicemail;
  wo.caller_phone = call->caller;
  wo.subject = "语音留言";
  wo.description = "来电 " + call->caller + " 留言，时长 " + std::to_string(duration_s) + " 秒。录音：" + url;
  wo.call_ids = {call_id};
  wo.awaiting_callback = true;
  wo.due_at = ivr::VoicemailDueAt(ivr.d.calendar, now);
  auto created = ivr.d.tickets.Create(system, wo);
  if (!created) return created;
  ivr.d.db.Write([&](Connection& c) {
    // A call that never reached the ACD ends as a voice message; one the ACD turned away or
    // lost keeps that outcome, which the day's measures count.
    c.Prepare("UPDATE calls SET state = CASE WHEN state = 'after_hours' THEN 'voicemail' "
              "ELSE state END, recording_url = ?2, recording_s = ?3, voicemail_ticket_id = ?4, "
              "ended_at = coalesce(ended_at, ?5) WHERE id = ?1")
        ->BindAll(call_id, url, duration_s, created->id, core::ToUnixMillis(now))
        .Run();
  });
  return created;
}

Response Vxml(const std::string& doc) { return Response::Text(200, doc, kVxmlType); }

core::Result<int64_t> AuthorizedCall(Ivr& ivr, Request& req) {
  auto id = req.IdParam("call_id");
  if (!id) return id;
  if (!Authorized(ivr, req, *id)) return Error{core::ErrorCode::kUnauthorized, "X-Api-Key or a valid sig required", {}};
  return id;
}

Response VxmlDocument(Ivr& ivr, Request& req) {
  auto id = AuthorizedCall(ivr, req);
  if (!id) return Response::Problem(id.error());
  auto digits = req.Query("digits");
  if (digits && digits->size() > 16) return Response::Problem(Error::Validation("digits: at most 16 keys", "digits"));
  auto step = Turn(ivr, *id, digits);
  if (!step) return Response::Problem(step.error());
  return Vxml(ivr.renderer.Render(std::to_string(*id), *step));
}

Response VxmlRecording(Ivr& ivr, Request& req) {
  auto id = AuthorizedCall(ivr, req);
  if (!id) return Response::Problem(id.error());
  auto parts = ParseMultipart(req.Header("content-type"), req.body);
  if (!parts) return Response::Problem(parts.error());
  const MultipartPart* audio = FindPart(*parts, "msg");
  const MultipartPart* duration = FindPart(*parts, "duration_s");
  if (!audio || audio->data.empty()) {
    return Vxml(ivr.renderer.RenderGoodbye(ivr.d.menu.texts.record_missing));
  }
  std::filesystem::create_directories(ivr.d.recordings_dir);
  std::string path = (std::filesystem::path(ivr.d.recordings_dir) / ("call-" + std::to_string(*id) + ".wav")).string();
  std::ofstream(path, std::ios::binary).write(audio->data.data(), static_cast<std::streamsize>(audio->data.size()));
  int secs = 0;
  if (duration) secs = std::atoi(duration->data.c_str());
  auto wo = Voicemail(ivr, *id, "file://" + std::filesystem::absolute(path).string(), secs);
  if (!wo) return Response::Problem(wo.error());
  ivr::Session session = ivr::NewSession(ivr.d.menu);
  auto call = LoadCall(ivr.d.db, *id);
  bool callback = call && call->callback;
  return Vxml(ivr.renderer.Render(std::to_string(*id), ivr::AfterRecording(ivr.d.menu, session, callback)));
}

Response VxmlSurvey(Ivr& ivr, Request& req) {
  auto id = AuthorizedCall(ivr, req);
  if (!id) return Response::Problem(id.error());
  auto score = req.Query("score");
  if (!score) return Vxml(ivr.renderer.RenderSurvey(std::to_string(*id)));
  if (score->size() != 1 || (*score)[0] < '1' || (*score)[0] > '5') {
    return Vxml(ivr.renderer.RenderSurvey(std::to_string(*id)));  // ask again
  }
  auto recorded = RecordSurvey(ivr.d.db, ivr.d.clock, *id, (*score)[0] - '0');
  if (!recorded && recorded.error().code == core::ErrorCode::kNotFound) return Response::Problem(recorded.error());
  return Vxml(ivr.renderer.RenderGoodbye(ivr.d.menu.texts.survey_thanks));
}

Response JsonInput(Ivr& ivr, Request& req) {
  auto id = req.IdParam("call_id");
  if (!id) return Response::Problem(id.error());
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  FieldReader in(*body);
  auto digits = in.String("digits", {.max_len = 16}).value_or("");
  if (!in.ok()) return Response::Problem(in.error());
  auto step = Turn(ivr, *id, digits);
  if (!step) return Response::Problem(step.error());
  Json out = step->ToJson();
  out["call_id"] = *id;
  return Response::Json(200, out);
}

Response JsonRecording(Ivr& ivr, Request& req) {
  auto id = req.IdParam("call_id");
  if (!id) return Response::Problem(id.error());
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  FieldReader in(*body);
  auto url = in.String("url", {.required = true, .max_len = 2000});
  auto duration = in.Int("duration_s", {.required = true, .min = 0, .max = 24 * 3600});
  if (!in.ok()) return Response::Problem(in.error());
  auto wo = Voicemail(ivr, *id, *url, static_cast<int>(*duration));
  if (!wo) return Response::Problem(wo.error());
  auto call = LoadCall(ivr.d.db, *id);
  bool callback = call && call->callback;
  ivr::Session session = ivr::NewSession(ivr.d.menu);
  Json step = ivr::AfterRecording(ivr.d.menu, session, callback).ToJson();
  step["call_id"] = *id;
  step["callback"] = callback;
  step["ticket"] = TicketJson(*wo, ivr.d.clock.Now(), ivr.d.tickets.zone());
  return Response::Json(201, step);
}

Response QueueStatus(Ivr& ivr, Request& req) {
  auto id = req.IdParam("call_id");
  if (!id) return Response::Problem(id.error());
  auto live = ivr.d.center.Read([&](acd::Engine& e) { return e.GetCall(*id); });
  if (!live) return Response::Problem(Error::NotFound("the call is not in the queue"));
  return Response::Json(200, {{"call_id", *id},
                              {"state", acd::CallStateName(live->state)},
                              {"position", live->position ? Json(*live->position) : Json(nullptr)},
                              {"ewt_s", live->ewt_s ? Json(*live->ewt_s) : Json(nullptr)},
                              {"extension", live->extension.empty() ? Json(nullptr) : Json(live->extension)}});
}

}  // namespace

void RegisterIvrRoutes(Router& router, IvrDeps deps) {
  ivr::VxmlLinks links;
  links.base_url = deps.base_url;
  links.sign = [key = deps.signing_key, ttl = deps.signed_url_ttl_s, &clock = deps.clock](std::string_view call_id) {
    return ivr::SignUrlParams(key, call_id, clock.Now() + std::chrono::seconds(ttl));
  };
  ivr::VxmlRenderer renderer(deps.menu, std::move(links));
  auto ivr = std::shared_ptr<Ivr>(new Ivr{std::move(deps), std::move(renderer), {}});
  // Voice browsers often cannot send headers: these check the key or a signed `sig` themselves.
  router.Add("GET", "/ivr/vxml/{call_id}", Access::Public(), [ivr](Request& r) { return VxmlDocument(*ivr, r); });
  router.Add("POST", "/ivr/vxml/{call_id}/recording", Access::Public(),
             [ivr](Request& r) { return VxmlRecording(*ivr, r); });
  router.Add("GET", "/ivr/vxml/{call_id}/survey", Access::Public(), [ivr](Request& r) { return VxmlSurvey(*ivr, r); });
  const Access gateway = Access::Roles({core::Role::kTelephony});
  router.Add("POST", "/api/v1/ivr/{call_id}/input", gateway, [ivr](Request& r) { return JsonInput(*ivr, r); });
  router.Add("POST", "/api/v1/ivr/{call_id}/recording", gateway, [ivr](Request& r) { return JsonRecording(*ivr, r); });
  router.Add("GET", "/api/v1/ivr/{call_id}/queue", gateway, [ivr](Request& r) { return QueueStatus(*ivr, r); });
}

}  // namespace hotline::api

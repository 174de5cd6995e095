#include "ivr_routes.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "hotline/ivr/signature.hpp"
#include "hotline/ivr/vxml.hpp"
#include "acd_routes.hpp"
#include "ivr_calls.hpp"
#include "multipart.hpp"
#include "ticket_json.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::FieldReader;
using core::Json;

constexpr const char* kVxmlType = "application/voicexml+xml; charset=utf-8";

struct Ivr {
  Ivr(IvrDeps deps, ivr::VxmlRenderer r) : calls(std::move(deps)), renderer(std::move(r)) {}
  IvrCalls calls;
  ivr::VxmlRenderer renderer;
};

/// The gateway's key, or a `sig` this server wrote for this call that has not expired.
bool Authorized(const Ivr& ivr, const Request& req, int64_t call_id) {
  const IvrDeps& d = ivr.calls.deps();
  if (auto key = req.Header("x-api-key"); !key.empty()) return d.auth.AuthenticateApiKey(key).has_value();
  auto sig = req.Query("sig");
  return sig && ivr::VerifySig(d.signing_key, std::to_string(call_id), *sig, d.clock.Now());
}

Response Vxml(const std::string& doc, int status = 200) { return Response::Text(status, doc, kVxmlType); }

/// An error on a VoiceXML route. A voice browser cannot read a problem body, so unless the client
/// asks for JSON it gets a document that apologises, says goodbye and disconnects, with the same
/// HTTP status (a browser treats a 4xx as a failed fetch; one that does not still hangs up).
Response VxmlError(const Ivr& ivr, const Request& req, const Error& error) {
  if (req.Header("accept").find("json") != std::string_view::npos) return Response::Problem(error);
  spdlog::info("voice menu: {} ({})", error.message, req.path);
  return Vxml(ivr.renderer.RenderError(), core::HttpStatus(error.code));
}

core::Result<int64_t> AuthorizedCall(const Ivr& ivr, Request& req) {
  auto id = req.IdParam("call_id");
  if (!id) return id;
  if (!Authorized(ivr, req, *id)) return Error{core::ErrorCode::kUnauthorized, "X-Api-Key or a valid sig required", {}};
  return id;
}

Response VxmlDocument(Ivr& ivr, Request& req) {
  auto id = AuthorizedCall(ivr, req);
  if (!id) return VxmlError(ivr, req, id.error());
  auto digits = req.Query("digits");
  if (digits && digits->size() > 16) return VxmlError(ivr, req, Error::Validation("digits: at most 16 keys", "digits"));
  auto step = ivr.calls.Turn(*id, digits);
  if (!step) return VxmlError(ivr, req, step.error());
  return Vxml(ivr.renderer.Render(std::to_string(*id), *step));
}

Response VxmlRecording(Ivr& ivr, Request& req) {
  auto id = AuthorizedCall(ivr, req);
  if (!id) return VxmlError(ivr, req, id.error());
  const IvrDeps& d = ivr.calls.deps();
  if (!ivr.calls.LoadCall(*id)) return VxmlError(ivr, req, Error::NotFound("no such call"));
  auto parts = ParseMultipart(req.Header("content-type"), req.body);
  if (!parts) return VxmlError(ivr, req, parts.error());
  const MultipartPart* audio = FindPart(*parts, "msg");
  const MultipartPart* duration = FindPart(*parts, "duration_s");
  if (!audio || audio->data.empty()) return Vxml(ivr.renderer.RenderGoodbye(d.menu.texts.record_missing));
  std::filesystem::create_directories(d.recordings_dir);
  std::string path = (std::filesystem::path(d.recordings_dir) / ("call-" + std::to_string(*id) + ".wav")).string();
  std::ofstream(path, std::ios::binary).write(audio->data.data(), static_cast<std::streamsize>(audio->data.size()));
  int secs = duration ? std::clamp(std::atoi(duration->data.c_str()), 0, 24 * 3600) : 0;
  auto msg = ivr.calls.LeaveMessage(*id, "file://" + std::filesystem::absolute(path).string(), secs);
  if (!msg) return VxmlError(ivr, req, msg.error());
  return Vxml(ivr.renderer.Render(std::to_string(*id), msg->step));
}

Response VxmlSurvey(Ivr& ivr, Request& req) {
  auto id = AuthorizedCall(ivr, req);
  if (!id) return VxmlError(ivr, req, id.error());
  const IvrDeps& d = ivr.calls.deps();
  auto score = req.Query("score");
  if (!score || score->size() != 1 || (*score)[0] < '1' || (*score)[0] > '5') {
    if (!ivr.calls.LoadCall(*id)) return VxmlError(ivr, req, Error::NotFound("no such call"));
    return Vxml(ivr.renderer.RenderSurvey(std::to_string(*id)));  // asked, or asked again
  }
  auto recorded = RecordSurvey(d.db, d.clock, *id, (*score)[0] - '0');
  if (!recorded && recorded.error().code == core::ErrorCode::kNotFound) return VxmlError(ivr, req, recorded.error());
  return Vxml(ivr.renderer.RenderGoodbye(d.menu.texts.survey_thanks));
}

Response JsonInput(Ivr& ivr, Request& req) {
  auto id = req.IdParam("call_id");
  if (!id) return Response::Problem(id.error());
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  FieldReader in(*body);
  // Without `digits` the gateway asks where the call stands (a re-fetch); "" is no input.
  auto digits = in.String("digits", {.max_len = 16});
  if (!in.ok()) return Response::Problem(in.error());
  auto step = ivr.calls.Turn(*id, digits);
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
  auto msg = ivr.calls.LeaveMessage(*id, *url, static_cast<int>(*duration));
  if (!msg) return Response::Problem(msg.error());
  const IvrDeps& d = ivr.calls.deps();
  Json step = msg->step.ToJson();
  step["call_id"] = *id;
  step["callback"] = msg->callback;
  step["ticket"] = TicketJson(msg->ticket, d.clock.Now(), d.tickets.zone());
  return Response::Json(201, step);
}

Response QueueStatus(Ivr& ivr, Request& req) {
  auto id = req.IdParam("call_id");
  if (!id) return Response::Problem(id.error());
  auto live = ivr.calls.deps().center.Read([&](acd::Engine& e) { return e.GetCall(*id); });
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
  ivr::VxmlRenderer renderer(deps.menu, std::move(links), deps.seat_ring_timeout_s);
  auto ivr = std::make_shared<Ivr>(std::move(deps), std::move(renderer));
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

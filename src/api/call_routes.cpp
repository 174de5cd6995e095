// Calls from the gateway: arrivals, pick-up and hang-up reports, surveys, and the
// Generic CTI adapter.
#include <algorithm>

#include "acd_routes.hpp"
#include "hotline/auth/passwords.hpp"
#include "hotline/core/phone.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::FieldReader;
using core::Json;
using core::Role;
using storage::Connection;

/// A call as the gateway reports it: the ACD's fields (its id comes from the database) and the
/// PBX's own id.
struct CallInput {
  acd::NewCall call;
  std::optional<std::string> external_id;
};

core::Result<CallInput> ReadCallInput(const Json& body, const std::vector<std::string>& skills) {
  FieldReader in(body);
  CallInput input;
  acd::NewCall& c = input.call;
  auto caller = in.String("caller", {.required = true, .max_len = 32});
  c.called = in.String("called", {.required = true, .max_len = 32}).value_or("");
  c.skill = in.Enum("skill", skills).value_or(skills.empty() ? "" : skills.front());
  c.priority = static_cast<int>(in.Int("priority", {.min = 0, .max = 9}).value_or(0));
  c.ivr_choice = in.String("ivr_choice", {.max_len = 16}).value_or("");
  c.category = in.String("category", {.max_len = 64}).value_or("");
  input.external_id = in.String("external_id", {.max_len = 250});
  if (caller) {
    auto phone = core::NormalizePhone(*caller);
    if (phone) c.caller = *phone;
    else if (*caller == "anonymous") c.caller = "anonymous";
    else in.Fail("caller", "is not a phone number");
  }
  if (!in.ok()) return in.error();
  return input;
}

/// Stores the call, then queues it (or not, outside business hours).
Response CreateCall(AcdDeps& d, const CallInput& in) {
  auto now = d.clock.Now();
  bool open = d.calendar.IsOpen(now);
  acd::NewCall call = in.call;
  call.id = d.db.Write([&](Connection& c) {
    c.Prepare("INSERT INTO calls(external_id, caller, called, skill, priority, ivr_choice, category, state, "
              "enqueued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        ->BindAll(in.external_id, call.caller, call.called, call.skill, call.priority, call.ivr_choice,
                  call.category, open ? "queued" : "after_hours", core::ToUnixMillis(now))
        .Run();
    return c.LastInsertId();
  });
  const int64_t id = call.id;
  if (!open) return Response::Json(201, {{"call_id", id}, {"state", "after_hours"}});
  call.sticky_agent_id = d.center.StickyAgentOf(call.caller);
  auto arrival = d.center.Run([&](acd::Engine& e) { return e.CallArrived(call); });
  if (!arrival) {
    d.db.Write([&](Connection& c) {
      c.Prepare("UPDATE calls SET state = 'ended', ended_at = ?2 WHERE id = ?1")
          ->BindAll(id, core::ToUnixMillis(now))
          .Run();
    });
    return Response::Problem(arrival.error());
  }
  Json out = {{"call_id", id}, {"state", acd::CallStateName(arrival->state)}};
  if (arrival->state == acd::CallState::kQueued) {
    out["position"] = arrival->position;
    out["ewt_s"] = arrival->ewt_s;
    out["offered"] = arrival->offered;
  }
  if (arrival->incident_id) out["incident_id"] = *arrival->incident_id;
  return Response::Json(201, out);
}

/// May this actor see this call? Agents only their own.
bool MaySee(const core::Actor& who, const Json& call) {
  if (who.role != Role::kAgent) return true;
  return call["agent_id"].is_number_integer() && call["agent_id"].get<int64_t>() == who.user_id;
}

Response GetCall(AcdDeps& d, Request& req) {
  auto id = req.IdParam("id");
  if (!id) return Response::Problem(id.error());
  auto live = d.center.Read([&](acd::Engine& e) { return e.GetCall(*id); });
  std::optional<Json> call = StoredCallJson(d.db, *id, d.center.zone());
  // The engine's view is the current one; the row adds what only it holds (survey, message).
  if (live && call) call->update(d.center.CallJson(*live));
  if (!call || !MaySee(req.Who(), *call)) return Response::Problem(Error::NotFound("no such call"));
  return Response::Json(200, *call);
}

/// Hang-up of a call the engine no longer holds (voice-menu calls): recorded as ended.
Response HangupStored(AcdDeps& d, int64_t id) {
  auto now = core::ToUnixMillis(d.clock.Now());
  bool found = d.db.Write([&](Connection& c) {
    c.Prepare("UPDATE calls SET ended_at = coalesce(ended_at, ?2) WHERE id = ?1")->BindAll(id, now).Run();
    return c.Changes() > 0;
  });
  if (!found) return Response::Problem(Error::NotFound("no such call"));
  return Response::Json(200, *StoredCallJson(d.db, id, d.center.zone()));
}

Response Hangup(AcdDeps& d, Request& req) {
  auto id = req.IdParam("id");
  if (!id) return Response::Problem(id.error());
  std::string by = "caller";
  if (!req.body.empty()) {
    auto body = req.JsonBody();
    if (!body) return Response::Problem(body.error());
    FieldReader in(*body);
    by = in.Enum("by", {"caller", "agent"}).value_or(req.Who().role == Role::kAgent ? "agent" : "caller");
    if (!in.ok()) return Response::Problem(in.error());
  }
  if (req.Who().role == Role::kAgent) {
    auto live = d.center.Read([&](acd::Engine& e) { return e.GetCall(*id); });
    if (!live || live->agent_id != req.Who().user_id) return Response::Problem(Error::NotFound("no such call"));
  }
  auto r = d.center.Run([&](acd::Engine& e) -> core::Result<acd::CallView> {
    auto done = e.Hangup(*id, by);
    if (!done) return done.error();
    return e.GetCall(*id);
  });
  if (!r && r.error().code == core::ErrorCode::kNotFound) return HangupStored(d, *id);
  return Reply(r, 200, [&](const acd::CallView& c) { return d.center.CallJson(c); });
}

Response Survey(AcdDeps& d, Request& req) {
  auto id = req.IdParam("id");
  if (!id) return Response::Problem(id.error());
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  FieldReader in(*body);
  auto score = in.Int("score", {.required = true, .min = 1, .max = 5});
  if (!in.ok()) return Response::Problem(in.error());
  auto stored = RecordSurvey(d.db, d.clock, *id, static_cast<int>(*score));
  if (!stored) return Response::Problem(stored.error());
  return Response::Json(200, {{"call_id", *id}, {"score", *score}});
}

/// The call of a Generic CTI callId.
std::optional<int64_t> CallOfExternalId(AcdDeps& d, const std::string& external_id) {
  return d.db.Read([&](Connection& c) -> std::optional<int64_t> {
    auto q = c.Prepare("SELECT id FROM calls WHERE external_id = ?1");
    q->Bind(1, external_id);
    if (!q->Step()) return std::nullopt;
    return q->Int(0);
  });
}

/// A problem body that Zammad's clients also understand: Zammad answers errors as
/// `{"error": "…"}` (422, or 401 for a bad token); the RFC 7807 fields stay.
Response CtiProblem(int status, const core::Error& error) {
  Response r = Response::Problem(status, error);
  Json body = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    body["error"] = error.message;
    r.body = body.dump();
  }
  return r;
}

/// A caller number as PBXes send it to Zammad: E.164 with or without "+" ("8613800138000"),
/// national forms, or "anonymous" / empty for a withheld number.
std::optional<std::string> CtiPhone(const std::string& raw) {
  if (raw.empty() || raw == "anonymous") return std::string("anonymous");
  if (auto phone = core::NormalizePhone(raw)) return phone;
  const bool digits =
      std::all_of(raw.begin(), raw.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) return core::NormalizePhone("+" + raw);
  return std::nullopt;
}

/// Reads a Generic CTI field that must be a string when present (Zammad's PBXes send strings;
/// a form sends `user[]` for a list of names). Wrong types are recorded on `in`.
std::vector<std::string> CtiStrings(const Json& body, const std::string& key, FieldReader& in) {
  std::vector<std::string> out;
  for (const std::string& k : {key, key + "[]"}) {
    if (!body.contains(k) || body[k].is_null()) continue;
    const Json& v = body[k];
    if (v.is_string()) {
      out.push_back(v.get<std::string>());
    } else if (v.is_array() &&
               std::all_of(v.begin(), v.end(), [](const Json& e) { return e.is_string(); })) {
      for (const auto& e : v) out.push_back(e.get<std::string>());
    } else {
      in.Fail(k, "must be a string");
    }
  }
  return out;
}

/// The agent an `answer` event names: `answeringNumber` is a seat's extension or number, a
/// username or a user id; `user` is a username or a display name. Nothing when none matches.
std::optional<int64_t> CtiAgent(AcdDeps& d, const std::vector<std::string>& answering,
                                const std::vector<std::string>& users) {
  if (answering.empty() && users.empty()) return std::nullopt;
  auto agents = d.center.Read([](acd::Engine& e) { return e.Agents(); });
  for (const std::string& number : answering) {
    for (const auto& a : agents) {
      if (a.seat && (a.extension == number || std::to_string(a.seat) == number)) return a.agent_id;
    }
  }
  auto by_name = [&](const std::string& name, bool display) -> std::optional<int64_t> {
    return d.db.Read([&](Connection& c) -> std::optional<int64_t> {
      auto q = c.Prepare(
          display
              ? "SELECT id FROM users WHERE display_name = ?1 AND role IN ('agent', 'supervisor') "
                "ORDER BY id LIMIT 1"
              : "SELECT id FROM users WHERE username = ?1 AND role IN ('agent', 'supervisor')");
      q->Bind(1, name);
      if (!q->Step()) return std::nullopt;
      return q->Int(0);
    });
  };
  for (const std::string& number : answering) {
    if (auto id = by_name(number, false)) return id;
    const bool digits =
        !number.empty() && number.size() < 19 &&
        std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
      const int64_t id = std::stoll(number);
      for (const auto& a : agents) {
        if (a.agent_id == id) return id;
      }
    }
  }
  for (const std::string& name : users) {
    if (auto id = by_name(name, false)) return id;
    if (auto id = by_name(name, true)) return id;
  }
  return std::nullopt;
}

/// Zammad's Generic CTI: JSON or form-encoded events newCall, answer, hangup; answers `{}`.
Response Cti(AcdDeps& d, Request& req) {
  if (d.cti_token.empty() || !auth::ConstantTimeEquals(req.path_params["token"], d.cti_token)) {
    return CtiProblem(
        401, {core::ErrorCode::kUnauthorized, "Invalid token, please contact your admin!", {}});
  }
  Json body;
  if (req.Header("content-type").find("json") != std::string_view::npos) {
    auto parsed = req.JsonBody();
    if (!parsed) return CtiProblem(422, parsed.error());
    body = *parsed;
  } else {
    for (auto& [k, v] : net::ParseQuery(req.body)) body[k] = v;
  }
  FieldReader in(body);
  auto event = in.Enum("event", {"newCall", "answer", "hangup"}, true);
  auto call_id = in.String("callId", {.required = true, .max_len = 250, .min_len = 1});
  auto direction = in.Enum("direction", {"in", "out"}).value_or("in");
  auto from = in.String("from", {.max_len = 64});
  auto to = in.String("to", {.max_len = 64});
  auto queue = in.String("queue", {.max_len = 64});
  in.String("cause", {.max_len = 64});
  auto answering = CtiStrings(body, "answeringNumber", in);
  auto users = CtiStrings(body, "user", in);
  if (!in.ok()) return CtiProblem(422, in.error());
  if (direction == "out") return Response::Json(200, Json::object());  // agents' own calls
  if (*event == "newCall") {
    if (CallOfExternalId(d, *call_id)) return Response::Json(200, Json::object());  // a retry
    auto caller = CtiPhone(from.value_or(""));
    if (!caller) return CtiProblem(422, Error::Validation("from: is not a phone number", "from"));
    Json call = {{"caller", *caller}, {"called", to.value_or("")}, {"external_id", *call_id}};
    if (queue) {
      const auto& skills = d.directory.skills();
      if (std::find(skills.begin(), skills.end(), *queue) != skills.end()) call["skill"] = *queue;
    }
    auto input = ReadCallInput(call, d.directory.skills());
    if (!input) return CtiProblem(422, input.error());
    Response r = CreateCall(d, *input);
    if (r.status >= 400) {
      Json problem = Json::parse(r.body, nullptr, false);
      return CtiProblem(
          r.status == 400 ? 422 : r.status,
          Error::Validation(problem.is_object() ? problem.value("detail", "refused") : "refused",
                            ""));
    }
    return Response::Json(200, Json::object());
  }
  auto id = CallOfExternalId(d, *call_id);
  if (!id) return CtiProblem(404, Error::NotFound("no call with callId '" + *call_id + "'"));
  if (*event == "answer") {
    std::optional<int64_t> agent = CtiAgent(d, answering, users);
    (void)d.center.Run([&](acd::Engine& e) -> core::Result<void> {
      auto call = e.GetCall(*id);
      // The agent the PBX names picks up the call offered to them; without a name, the seat
      // that rings did.
      if (agent && call && call->agent_id == agent) return e.Accept(*agent, *id);
      return e.Answered(*id);
    });
  } else {
    auto r = d.center.Run([&](acd::Engine& e) { return e.Hangup(*id, "caller"); });
    if (!r) HangupStored(d, *id);
  }
  return Response::Json(200, Json::object());
}

}  // namespace

core::Result<void> RecordSurvey(storage::Database& db, const core::Clock& clock, int64_t call_id, int score) {
  auto stored = db.Write([&](Connection& c) -> core::Result<int64_t> {
    auto q = c.Prepare("SELECT survey_score, agent_id, state FROM calls WHERE id = ?1");
    q->Bind(1, call_id);
    if (!q->Step()) return Error::NotFound("no such call");
    // Nothing to rate yet while the call waits or rings, nor from a caller who gave up waiting.
    // (A voice-menu call, after hours or turned away, rates the menu.)
    const std::string state = q->Text(2);
    if (state == "queued" || state == "ringing" || state == "abandoned") {
      return Error::InvalidTransition("call " + std::to_string(call_id) + " is " + state +
                                      ": no survey for a call still waiting or abandoned");
    }
    if (auto before = q->OptInt(0)) return *before;
    std::optional<int64_t> agent = q->OptInt(1);
    q->Reset();
    c.Prepare("UPDATE calls SET survey_score = ?2 WHERE id = ?1")->BindAll(call_id, score).Run();
    c.Prepare("INSERT INTO call_events(at, kind, call_id, agent_id, data) VALUES (?1, 'survey', ?2, ?3, ?4)")
        ->BindAll(core::ToUnixMillis(clock.Now()), call_id, agent, Json{{"score", score}}.dump())
        .Run();
    return int64_t{score};
  });
  if (!stored) return stored.error();
  if (*stored != score) {
    return Error::Conflict("this call's survey already has the score " + std::to_string(*stored));
  }
  return {};
}

std::optional<Json> StoredCallJson(storage::Database& db, int64_t call_id, const core::TimeZone& zone) {
  return db.Read([&](Connection& c) -> std::optional<Json> {
    auto q = c.Prepare(
        "SELECT id, state, caller, called, skill, priority, ivr_choice, agent_id, seat, incident_id, enqueued_at, "
        "first_offered_at, offered_at, answered_at, ended_at, abandoned_at, wrap_up_end, predicted_ewt_s, offers, "
        "short_abandon, ended_by, survey_score, external_id, callback, voicemail_ticket_id FROM calls WHERE id = ?1");
    q->Bind(1, call_id);
    if (!q->Step()) return std::nullopt;
    auto time = [&](int col) {
      auto v = q->OptInt(col);
      return v ? Json(core::FormatIso(core::FromUnixMillis(*v), zone)) : Json(nullptr);
    };
    auto opt_int = [&](int col) { auto v = q->OptInt(col); return v ? Json(*v) : Json(nullptr); };
    auto opt_text = [&](int col) { auto v = q->OptText(col); return v ? Json(*v) : Json(nullptr); };
    return Json{{"call_id", q->Int(0)},       {"id", q->Int(0)},
                {"state", q->Text(1)},        {"caller", q->Text(2)},
                {"called", q->Text(3)},       {"skill", opt_text(4)},
                {"priority", q->Int(5)},      {"ivr_choice", opt_text(6)},
                {"agent_id", opt_int(7)},     {"seat", opt_int(8)},
                {"incident_id", opt_int(9)},  {"enqueued_at", time(10)},
                {"first_offered_at", time(11)}, {"offered_at", time(12)},
                {"answered_at", time(13)},    {"ended_at", time(14)},
                {"abandoned_at", time(15)},   {"wrap_up_end", time(16)},
                {"predicted_ewt_s", opt_int(17)}, {"offers", q->Int(18)},
                {"short_abandon", q->Int(19) != 0}, {"ended_by", opt_text(20)},
                {"survey_score", opt_int(21)}, {"external_id", opt_text(22)},
                {"callback", q->Int(23) != 0}, {"voicemail_ticket_id", opt_int(24)}};
  });
}

void RegisterCallRoutes(Router& router, WsCommands& commands, AcdDeps deps) {
  auto d = std::make_shared<AcdDeps>(deps);
  const Access gateway = Access::Roles({Role::kTelephony, Role::kSupervisor, Role::kAdmin});
  router.Add("POST", "/api/v1/calls", gateway, [d](Request& req) {
    auto body = req.JsonBody();
    if (!body) return Response::Problem(body.error());
    auto input = ReadCallInput(*body, d->directory.skills());
    if (!input) return Response::Problem(input.error());
    return CreateCall(*d, *input);
  });
  router.Add("GET", "/api/v1/calls/{id}",
             Access::Roles({Role::kTelephony, Role::kSupervisor, Role::kAdmin, Role::kAgent}),
             [d](Request& req) { return GetCall(*d, req); });
  router.Add("POST", "/api/v1/calls/{id}/hangup",
             Access::Roles({Role::kTelephony, Role::kSupervisor, Role::kAdmin, Role::kAgent}),
             [d](Request& req) { return Hangup(*d, req); });
  router.Add("POST", "/api/v1/calls/{id}/answered", gateway, [d](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return Response::Problem(id.error());
    auto r = d->center.Run([&](acd::Engine& e) -> core::Result<acd::CallView> {
      auto done = e.Answered(*id);
      if (!done) return done.error();
      return e.GetCall(*id);
    });
    return Reply(r, 200, [&](const acd::CallView& c) { return d->center.CallJson(c); });
  });
  router.Add("POST", "/api/v1/calls/{id}/survey", gateway, [d](Request& req) { return Survey(*d, req); });
  router.Add("POST", "/api/v1/cti/{token}", Access::Public(), [d](Request& req) { return Cti(*d, req); });

  // The gateway's reports over /ws/telephony.
  commands.Add("telephony", "answered", [d](const core::Actor&, const Json& msg) -> core::Result<Json> {
    if (!msg.contains("call_id") || !msg["call_id"].is_number_integer()) {
      return Error::Validation("call_id: is required", "call_id");
    }
    int64_t id = msg["call_id"].get<int64_t>();
    auto r = d->center.Run([&](acd::Engine& e) { return e.Answered(id); });
    if (!r) return r.error();
    return core::JsonOk({{"call_id", id}});
  });
  commands.Add("telephony", "hangup", [d](const core::Actor&, const Json& msg) -> core::Result<Json> {
    if (!msg.contains("call_id") || !msg["call_id"].is_number_integer()) {
      return Error::Validation("call_id: is required", "call_id");
    }
    int64_t id = msg["call_id"].get<int64_t>();
    std::string by = msg.value("by", "caller");
    auto r = d->center.Run([&](acd::Engine& e) { return e.Hangup(id, by); });
    if (!r) return r.error();
    return core::JsonOk({{"call_id", id}});
  });
}

}  // namespace hotline::api

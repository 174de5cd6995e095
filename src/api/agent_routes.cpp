// Agents at their seats (REST and console commands), the queue, and incidents.
#include "acd_routes.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <unordered_map>

#include "cdr.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::FieldReader;
using core::Json;
using core::Role;
using storage::Connection;

const Access kAgents = Access::Roles({Role::kAgent, Role::kSupervisor});
const Access kSupervisors = Access::Roles({Role::kSupervisor, Role::kAdmin});

core::Result<Json> Login(AcdDeps& d, int64_t agent_id, const Json& body) {
  FieldReader in(body);
  std::optional<int> seat;
  if (auto s = in.Int("seat", {.min = 1, .max = 1000})) seat = static_cast<int>(*s);
  if (!in.ok()) return in.error();
  auto user = d.directory.GetUser(agent_id);
  if (!user) return user.error();
  acd::SkillMap skills = user->skills.value_or(acd::SkillMap{});
  auto r = d.center.Run([&](acd::Engine& e) -> core::Result<Json> {
    auto seated = e.Login(agent_id, seat, skills);
    if (!seated) return seated.error();
    auto view = e.GetAgent(agent_id);
    Json out = view ? d.center.AgentJson(*view) : Json::object();
    out["seat"] = seated->seat;
    out["extension"] = seated->extension;
    out["emergency"] = seated->emergency;
    return core::JsonOk(std::move(out));
  });
  return r;
}

core::Result<Json> SetState(AcdDeps& d, int64_t agent_id, const Json& body) {
  FieldReader in(body);
  auto state = in.Enum("state", {"ready", "not_ready"}, true);
  auto reason = in.String("reason", {.max_len = 32}).value_or("");
  if (!in.ok()) return in.error();
  return d.center.Run([&](acd::Engine& e) -> core::Result<Json> {
    auto done = e.SetState(agent_id, *state, reason);
    if (!done) return done.error();
    return core::JsonOk(d.center.AgentJson(*e.GetAgent(agent_id)));
  });
}

core::Result<Json> AgentAction(AcdDeps& d, int64_t agent_id,
                               const std::function<core::Result<void>(acd::Engine&)>& action) {
  return d.center.Run([&](acd::Engine& e) -> core::Result<Json> {
    auto done = action(e);
    if (!done) return done.error();
    auto view = e.GetAgent(agent_id);
    if (!view) return view.error();
    return core::JsonOk(d.center.AgentJson(*view));
  });
}

core::Result<Json> Accept(AcdDeps& d, int64_t agent_id, int64_t call_id) {
  return d.center.Run([&](acd::Engine& e) -> core::Result<Json> {
    auto done = e.Accept(agent_id, call_id);
    if (!done) return done.error();
    auto call = e.GetCall(call_id);
    if (!call) return call.error();
    return core::JsonOk(d.center.CallJson(*call));
  });
}

Response Reply(const core::Result<Json>& r) {
  if (!r) return Response::Problem(r.error());
  return Response::Json(200, *r);
}

/// A JSON body, or {} when the request had none.
core::Result<Json> BodyOrEmpty(const Request& req) {
  if (req.body.empty()) return core::JsonOk(Json::object());
  return req.JsonBody();
}

struct SurveyFigures {
  int count = 0;
  double mean = 0;
};

/// Today's post-call survey scores per agent (the scores live on the calls).
std::unordered_map<int64_t, SurveyFigures> SurveysToday(AcdDeps& d) {
  const core::TimeZone& zone = d.center.zone();
  const auto today = std::chrono::floor<std::chrono::days>(zone.ToLocal(d.clock.Now()));
  const int64_t from = core::ToUnixMillis(zone.FromLocal(core::LocalTime(today)));
  return d.db.Read([&](Connection& c) {
    std::unordered_map<int64_t, SurveyFigures> out;
    auto q = c.Prepare(
        "SELECT agent_id, count(*), avg(survey_score) FROM calls WHERE enqueued_at >= ?1 "
        "AND survey_score IS NOT NULL AND agent_id IS NOT NULL GROUP BY agent_id");
    q->Bind(1, from);
    while (q->Step()) out[q->Int(0)] = {static_cast<int>(q->Int(1)), q->Double(2)};
    return out;
  });
}

/// Logged-in agents first by seat, then the others by id; paged by position in that order.
Response ListAgents(AcdDeps& d, Request& req) {
  auto page = ReadPageParams(req);
  if (!page) return Response::Problem(page.error());
  size_t offset = 0;
  if (!page->cursor.empty()) {
    auto pos = DecodeCursor(page->cursor);
    if (!pos || !pos->is_object() || !(*pos)["offset"].is_number_unsigned()) {
      return Response::Problem(Error::Validation("cursor: not a cursor of this list", "cursor"));
    }
    offset = (*pos)["offset"].get<size_t>();
  }
  auto agents = d.center.Read([](acd::Engine& e) { return e.Agents(); });
  const size_t begin = std::min(offset, agents.size());
  const size_t end = std::min(agents.size(), begin + size_t(page->limit));
  Json next = end < agents.size() ? Json(EncodeCursor({{"offset", end}})) : Json(nullptr);
  auto surveys = SurveysToday(d);
  Json items = Json::array();
  for (size_t i = begin; i < end; ++i) {
    const acd::AgentView& a = agents[i];
    Json j = d.center.AgentJson(a);
    auto survey = surveys.find(a.agent_id);
    j["survey_count"] = survey == surveys.end() ? 0 : survey->second.count;
    j["survey_mean"] = survey == surveys.end() ? Json(nullptr) : Json(survey->second.mean);
    if (auto user = d.directory.GetUser(a.agent_id)) {
      j["username"] = user->username;
      j["display_name"] = user->display_name ? Json(*user->display_name) : Json(nullptr);
    }
    items.push_back(std::move(j));
  }
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

Json IncidentJson(const acd::IncidentView& i, const core::TimeZone& zone) {
  return {{"id", i.id},
          {"title", i.title},
          {"keywords", i.keywords},
          {"skills", i.skills},
          {"ivr_choices", i.ivr_choices},
          {"ivr_message", i.ivr_message},
          {"status", i.closed_at ? "closed" : "open"},
          {"opened_at", core::FormatIso(i.opened_at, zone)},
          {"closed_at", i.closed_at ? Json(core::FormatIso(*i.closed_at, zone)) : Json(nullptr)},
          {"calls_tagged", i.calls_tagged}};
}

std::optional<acd::IncidentView> StoredIncident(AcdDeps& d, int64_t id) {
  return d.db.Read([&](Connection& c) { return ReadIncident(c, id); });
}

Response OpenIncident(AcdDeps& d, Request& req) {
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  FieldReader in(*body);
  acd::IncidentInput inc;
  inc.title = in.String("title", {.required = true, .max_len = 200}).value_or("");
  inc.keywords = in.StringList("keywords", {.max_len = 32, .min_len = 1}, 20)
                     .value_or(std::vector<std::string>{});
  inc.ivr_message = in.String("ivr_message", {.required = true, .max_len = 1000}).value_or("");
  inc.skills = in.StringList("skills", {.max_len = 64, .min_len = 1}, 64)
                   .value_or(std::vector<std::string>{});
  inc.ivr_choices = in.StringList("ivr_choices", {.max_len = 16, .min_len = 1}, 50)
                        .value_or(std::vector<std::string>{});
  if (in.ok() && !body->contains("keywords")) in.Fail("keywords", "is required");
  for (const auto& s : inc.skills) {
    const auto& known = d.directory.skills();
    if (in.ok() && std::find(known.begin(), known.end(), s) == known.end()) {
      in.Fail("skills", "'" + s + "' is not a configured skill");
    }
  }
  if (in.ok() && inc.keywords.empty() && inc.skills.empty() && inc.ivr_choices.empty()) {
    in.Fail("keywords", "needs at least one keyword (or skills / ivr_choices)");
  }
  if (!in.ok()) return Response::Problem(in.error());
  auto now = d.clock.Now();
  auto list_or_null = [](const std::vector<std::string>& v) {
    return v.empty() ? std::nullopt : std::optional<std::string>(Json(v).dump());
  };
  inc.id = d.db.Write([&](Connection& c) {
    c.Prepare(
         "INSERT INTO incidents(title, keywords, ivr_message, opened_by, opened_at, skills, "
         "ivr_choices) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        ->BindAll(inc.title, Json(inc.keywords).dump(), inc.ivr_message, req.Who().user_id,
                  core::ToUnixMillis(now), list_or_null(inc.skills), list_or_null(inc.ivr_choices))
        .Run();
    return c.LastInsertId();
  });
  auto r = d.center.Run([&](acd::Engine& e) { return e.OpenIncident(inc); });
  if (!r) {
    d.db.Write([&](Connection& c) { c.Prepare("DELETE FROM incidents WHERE id = ?1")->BindAll(inc.id).Run(); });
    return Response::Problem(r.error());
  }
  // The calls already waiting that it tagged are written (Run waits for the commit).
  auto stored = StoredIncident(d, inc.id);
  return Response::Json(201, IncidentJson(stored ? *stored : *r, d.center.zone()));
}

/// Newest first, keyset-paged by id.
Response ListIncidents(AcdDeps& d, Request& req) {
  auto page = ReadPageParams(req);
  if (!page) return Response::Problem(page.error());
  std::optional<int64_t> before;
  if (!page->cursor.empty()) {
    auto pos = DecodeCursor(page->cursor);
    if (!pos || !pos->is_object() || !(*pos)["before"].is_number_integer()) {
      return Response::Problem(Error::Validation("cursor: not a cursor of this list", "cursor"));
    }
    before = (*pos)["before"].get<int64_t>();
  }
  const int limit = page->limit;
  std::vector<acd::IncidentView> rows = d.db.Read([&](Connection& c) {
    return ReadIncidentsBefore(c, before.value_or(INT64_MAX), limit + 1);
  });
  Json next = nullptr;
  if (rows.size() > size_t(limit)) {
    rows.resize(size_t(limit));
    next = EncodeCursor({{"before", rows.back().id}});
  }
  Json items = Json::array();
  for (const auto& v : rows) items.push_back(IncidentJson(v, d.center.zone()));
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

Response CloseIncident(AcdDeps& d, Request& req) {
  auto id = req.IdParam("id");
  if (!id) return Response::Problem(id.error());
  auto r = d.center.Run([&](acd::Engine& e) { return e.CloseIncident(*id); });
  if (!r) return Response::Problem(r.error());
  d.db.Write([&](Connection& c) {
    c.Prepare("UPDATE incidents SET closed_at = ?2, closed_by = ?3 WHERE id = ?1")
        ->BindAll(*id, core::ToUnixMillis(r->closed_at.value_or(d.clock.Now())), req.Who().user_id)
        .Run();
  });
  auto stored = StoredIncident(d, *id);
  return Response::Json(200, IncidentJson(stored ? *stored : *r, d.center.zone()));
}

int64_t CallIdOf(const Json& msg) {
  return msg.contains("call_id") && msg["call_id"].is_number_integer() ? msg["call_id"].get<int64_t>() : 0;
}

void RegisterConsoleCommands(WsCommands& commands, const std::shared_ptr<AcdDeps>& d) {
  commands.Add("agent", "login", [d](const core::Actor& a, const Json& m) { return Login(*d, a.user_id, m); });
  commands.Add("agent", "logout", [d](const core::Actor& a, const Json&) {
    return AgentAction(*d, a.user_id, [&](acd::Engine& e) { return e.Logout(a.user_id); });
  });
  commands.Add("agent", "set_state", [d](const core::Actor& a, const Json& m) { return SetState(*d, a.user_id, m); });
  commands.Add("agent", "wrap_done", [d](const core::Actor& a, const Json&) {
    return AgentAction(*d, a.user_id, [&](acd::Engine& e) { return e.WrapDone(a.user_id); });
  });
  commands.Add("agent", "accept", [d](const core::Actor& a, const Json& m) -> core::Result<Json> {
    if (!CallIdOf(m)) return Error::Validation("call_id: is required", "call_id");
    return Accept(*d, a.user_id, CallIdOf(m));
  });
  commands.Add("agent", "hangup", [d](const core::Actor& a, const Json& m) -> core::Result<Json> {
    int64_t call_id = CallIdOf(m);
    if (!call_id) return Error::Validation("call_id: is required", "call_id");
    return d->center.Run([&](acd::Engine& e) -> core::Result<Json> {
      auto call = e.GetCall(call_id);
      if (!call || call->agent_id != a.user_id) return Error::NotFound("no such call");
      auto done = e.Hangup(call_id, "agent");
      if (!done) return done.error();
      return core::JsonOk(d->center.CallJson(*e.GetCall(call_id)));
    });
  });
  commands.Add("agent", "queue", [d](const core::Actor&, const Json&) -> core::Result<Json> {
    return core::JsonOk(d->center.Read([&](acd::Engine& e) { return d->center.QueueJson(e.Queue(50), e.Today()); }));
  });
}

}  // namespace

void RegisterAgentRoutes(Router& router, WsCommands& commands, AcdDeps deps) {
  auto d = std::make_shared<AcdDeps>(deps);
  router.Add("POST", "/api/v1/agents/login", kAgents, [d](Request& req) {
    auto body = BodyOrEmpty(req);
    if (!body) return Response::Problem(body.error());
    return Reply(Login(*d, req.Who().user_id, *body));
  });
  router.Add("POST", "/api/v1/agents/logout", kAgents, [d](Request& req) {
    int64_t id = req.Who().user_id;
    return Reply(AgentAction(*d, id, [&](acd::Engine& e) { return e.Logout(id); }));
  });
  router.Add("POST", "/api/v1/agents/state", kAgents, [d](Request& req) {
    auto body = req.JsonBody();
    if (!body) return Response::Problem(body.error());
    return Reply(SetState(*d, req.Who().user_id, *body));
  });
  router.Add("POST", "/api/v1/agents/wrap_done", kAgents, [d](Request& req) {
    int64_t id = req.Who().user_id;
    return Reply(AgentAction(*d, id, [&](acd::Engine& e) { return e.WrapDone(id); }));
  });
  router.Add("GET", "/api/v1/agents/me", kAgents, [d](Request& req) {
    auto view = d->center.Read([&](acd::Engine& e) { return e.GetAgent(req.Who().user_id); });
    if (!view) return Response::Json(200, {{"agent_id", req.Who().user_id}, {"state", "offline"}});
    return Response::Json(200, d->center.AgentJson(*view));
  });
  router.Add("POST", "/api/v1/calls/{id}/accept", kAgents, [d](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return Response::Problem(id.error());
    return Reply(Accept(*d, req.Who().user_id, *id));
  });
  router.Add("GET", "/api/v1/agents", kSupervisors,
             [d](Request& req) { return ListAgents(*d, req); });
  router.Add("GET", "/api/v1/queue", Access::Roles({Role::kSupervisor, Role::kAdmin, Role::kAgent}),
             [d](Request&) {
               return Response::Json(200, d->center.Read([&](acd::Engine& e) {
                 return d->center.QueueJson(e.Queue(200), e.Today());
               }));
             });
  router.Add("POST", "/api/v1/incidents", kSupervisors, [d](Request& req) { return OpenIncident(*d, req); });
  router.Add("GET", "/api/v1/incidents",
             Access::Roles({Role::kSupervisor, Role::kAdmin, Role::kAgent}),
             [d](Request& req) { return ListIncidents(*d, req); });
  router.Add("POST", "/api/v1/incidents/{id}/close", kSupervisors,
             [d](Request& req) { return CloseIncident(*d, req); });
  RegisterConsoleCommands(commands, d);
}

}  // namespace hotline::api

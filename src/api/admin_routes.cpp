#include "admin_routes.hpp"

#include <cctype>

#include "hotline/core/phone.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::FieldReader;
using core::Json;
using core::Role;

const Access kLoggedIn = Access::Roles({Role::kAdmin, Role::kSupervisor, Role::kAgent, Role::kUnit});

/// `after` id of a keyset page from its cursor.
core::Result<int64_t> AfterId(const PageParams& p) {
  if (p.cursor.empty()) return int64_t{0};
  auto pos = DecodeCursor(p.cursor);
  if (!pos || !pos->is_object() || !(*pos)["after"].is_number_integer()) {
    return Error::Validation("cursor: not a cursor of this list", "cursor");
  }
  return (*pos)["after"].get<int64_t>();
}

template <class T, class ToJson>
Response PageResponse(const auth::Page<T>& page, ToJson&& to_json) {
  Json items = Json::array();
  for (const auto& item : page.items) items.push_back(to_json(item));
  Json next = page.next_after ? Json(EncodeCursor({{"after", *page.next_after}})) : Json(nullptr);
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

Response Login(AdminDeps& d, Request& req) {
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  FieldReader in(*body);
  auto username = in.String("username", {.required = true, .max_len = 64});
  auto password = in.String("password", {.required = true, .max_len = 256});
  if (!in.ok()) return Response::Problem(in.error());
  auto r = d.auth.Login(*username, *password, req.remote_address);
  if (!r) return Response::Problem(r.error());
  return Response::Json(200, {{"token", r->token},
                              {"role", core::RoleName(r->user.role)},
                              {"user_id", r->user.id},
                              {"username", r->user.username},
                              {"unit_id", r->user.unit_id ? Json(*r->user.unit_id) : Json(nullptr)},
                              {"expires_at", core::FormatIso(r->expires_at, d.zone)}});
}

Response CreateUnit(AdminDeps& d, Request& req) {
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  FieldReader in(*body);
  auth::UnitInput unit;
  unit.name = in.String("name", {.required = true, .max_len = 200}).value_or("");
  unit.kind = in.Enum("kind", auth::kUnitKinds, true).value_or("");
  if (auto phone = in.String("duty_phone", {.max_len = 32})) {
    unit.duty_phone = core::NormalizePhone(*phone);
    if (!unit.duty_phone) in.Fail("duty_phone", "is not a phone number");
  }
  if (!in.ok()) return Response::Problem(in.error());
  auto r = d.directory.CreateUnit(unit);
  return Reply(r, 201, [&](const auth::Unit& u) { return UnitJson(u, d.zone); });
}

core::Result<auth::UserInput> ReadUserInput(const Json& body) {
  FieldReader in(body);
  auth::UserInput u;
  u.username = in.String("username", {.required = true, .max_len = 64}).value_or("");
  u.password = in.String("password", {.required = true, .max_len = 256, .min_len = 8}).value_or("");
  auto role = in.Enum("role", {"admin", "supervisor", "agent", "unit"}, true);
  u.display_name = in.String("display_name", {.max_len = 100});
  if (auto unit = in.Int("unit_id", {.min = 1})) u.unit_id = unit;
  if (const Json* s = in.Object("skills")) {
    auth::Skills levels;
    for (const auto& [skill, level] : s->items()) {
      if (!level.is_number_integer()) {
        in.Fail("skills", "levels must be whole numbers 1 to 9");
        break;
      }
      levels[skill] = level.get<int>();
    }
    u.skills = levels;
  }
  for (char c : u.username) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '@')) {
      in.Fail("username", "may hold letters, digits and _ . - @ only");
      break;
    }
  }
  if (!in.ok()) return in.error();
  u.role = *core::ParseRole(*role);
  return u;
}

Response CreateUser(AdminDeps& d, Request& req) {
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  auto input = ReadUserInput(*body);
  if (!input) return Response::Problem(input.error());
  auto r = d.directory.CreateUser(*input);
  return Reply(r, 201, [&](const auth::User& u) { return UserJson(u, d.zone); });
}

}  // namespace

core::Json UnitJson(const auth::Unit& u, const core::TimeZone& zone) {
  return {{"id", u.id},
          {"name", u.name},
          {"kind", u.kind},
          {"duty_phone", u.duty_phone ? Json(*u.duty_phone) : Json(nullptr)},
          {"created_at", core::FormatIso(u.created_at, zone)}};
}

core::Json UserJson(const auth::User& u, const core::TimeZone& zone) {
  return {{"id", u.id},
          {"username", u.username},
          {"role", core::RoleName(u.role)},
          {"display_name", u.display_name ? Json(*u.display_name) : Json(nullptr)},
          {"unit_id", u.unit_id ? Json(*u.unit_id) : Json(nullptr)},
          {"skills", u.skills ? Json(*u.skills) : Json(nullptr)},
          {"disabled", u.disabled},
          {"created_at", core::FormatIso(u.created_at, zone)}};
}

void RegisterAdminRoutes(Router& router, AdminDeps deps) {
  auto d = std::make_shared<AdminDeps>(deps);
  router.Add("GET", "/healthz", Access::Public(), [d](Request&) {
    return Response::Json(200, {{"status", "ok"}, {"version", d->version},
                                {"schema_version", d->db.schema_version()}});
  });
  router.Add("GET", "/metrics", Access::Public(), [d](Request&) {
    return Response::Text(200, d->metrics.Render(d->db.stats()), "text/plain; version=0.0.4");
  });
  router.Add("POST", "/api/v1/auth/login", Access::Public(), [d](Request& r) { return Login(*d, r); });
  router.Add("POST", "/api/v1/auth/logout", kLoggedIn, [d](Request& r) {
    std::string_view h = r.Header("authorization");
    d->auth.Logout(h.substr(std::min<size_t>(h.size(), 7)));
    return Response::Json(200, {{"ok", true}});
  });
  router.Add("GET", "/api/v1/auth/me", kLoggedIn, [d](Request& r) {
    auto user = d->directory.GetUser(r.Who().user_id);
    return Reply(user, 200, [&](const auth::User& u) { return UserJson(u, d->zone); });
  });
  router.Add("POST", "/api/v1/units", Access::Roles({Role::kAdmin}),
             [d](Request& r) { return CreateUnit(*d, r); });
  router.Add("GET", "/api/v1/units", kLoggedIn, [d](Request& r) {
    auto page = ReadPageParams(r);
    if (!page) return Response::Problem(page.error());
    auto after = AfterId(*page);
    if (!after) return Response::Problem(after.error());
    return PageResponse(d->directory.ListUnits(*after, page->limit, r.Query("kind")),
                        [&](const auth::Unit& u) { return UnitJson(u, d->zone); });
  });
  router.Add("GET", "/api/v1/units/{id}", kLoggedIn, [d](Request& r) {
    auto id = r.IdParam("id");
    if (!id) return Response::Problem(id.error());
    return Reply(d->directory.GetUnit(*id), 200, [&](const auth::Unit& u) { return UnitJson(u, d->zone); });
  });
  router.Add("POST", "/api/v1/users", Access::Roles({Role::kAdmin}),
             [d](Request& r) { return CreateUser(*d, r); });
  router.Add("GET", "/api/v1/users", Access::Roles({Role::kAdmin, Role::kSupervisor}), [d](Request& r) {
    auto page = ReadPageParams(r);
    if (!page) return Response::Problem(page.error());
    auto after = AfterId(*page);
    if (!after) return Response::Problem(after.error());
    std::optional<Role> role;
    if (auto name = r.Query("role")) role = core::ParseRole(*name);
    return PageResponse(d->directory.ListUsers(*after, page->limit, role),
                        [&](const auth::User& u) { return UserJson(u, d->zone); });
  });
  router.Add("GET", "/api/v1/users/{id}", Access::Roles({Role::kAdmin, Role::kSupervisor}), [d](Request& r) {
    auto id = r.IdParam("id");
    if (!id) return Response::Problem(id.error());
    return Reply(d->directory.GetUser(*id), 200, [&](const auth::User& u) { return UserJson(u, d->zone); });
  });
}

}  // namespace hotline::api

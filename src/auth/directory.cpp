#include "hotline/auth/directory.hpp"

#include <algorithm>

#include "hotline/auth/passwords.hpp"
#include "hotline/core/json.hpp"

namespace hotline::auth {
namespace {

using core::Error;
using storage::Connection;
using storage::Statement;

constexpr const char* kUnitColumns = "id, name, kind, duty_phone, created_at";
constexpr const char* kUserColumns =
    "id, username, role, display_name, unit_id, skills, created_at, disabled";

Unit ReadUnit(const Statement& s) {
  return Unit{s.Int(0), s.Text(1), s.Text(2), s.OptText(3), core::FromUnixMillis(s.Int(4))};
}

User ReadUser(const Statement& s) {
  User u;
  u.id = s.Int(0);
  u.username = s.Text(1);
  u.role = core::ParseRole(s.Text(2)).value_or(core::Role::kAgent);
  u.display_name = s.OptText(3);
  u.unit_id = s.OptInt(4);
  if (auto skills = s.OptText(5)) {
    u.skills = core::Json::parse(*skills).get<Skills>();
  }
  u.created_at = core::FromUnixMillis(s.Int(6));
  u.disabled = s.Int(7) != 0;
  return u;
}

bool UnitExists(Connection& c, int64_t id) {
  auto q = c.Prepare("SELECT 1 FROM units WHERE id = ?1");
  q->Bind(1, id);
  return q->Step();
}

}  // namespace

Directory::Directory(storage::Database& db, const core::Clock& clock,
                     std::vector<std::string> skills)
    : db_(db), clock_(clock), skills_(std::move(skills)) {}

core::Result<Unit> Directory::CreateUnit(const UnitInput& in) {
  if (std::find(kUnitKinds.begin(), kUnitKinds.end(), in.kind) == kUnitKinds.end()) {
    return Error::Validation("kind: unknown unit kind", "kind");
  }
  auto now = clock_.Now();
  int64_t id = db_.Write([&](Connection& c) {
    c.Prepare("INSERT INTO units(name, kind, duty_phone, created_at) VALUES (?1, ?2, ?3, ?4)")
        ->BindAll(in.name, in.kind, in.duty_phone, core::ToUnixMillis(now))
        .Run();
    return c.LastInsertId();
  });
  return Unit{id, in.name, in.kind, in.duty_phone, now};
}

core::Result<Unit> Directory::GetUnit(int64_t id) const {
  auto unit = db_.Read([&](Connection& c) -> std::optional<Unit> {
    auto q = c.Prepare(std::string("SELECT ") + kUnitColumns + " FROM units WHERE id = ?1");
    q->Bind(1, id);
    if (!q->Step()) return std::nullopt;
    return ReadUnit(*q);
  });
  if (!unit) return Error::NotFound("no such unit");
  return *unit;
}

Page<Unit> Directory::ListUnits(int64_t after_id, int limit, std::optional<std::string> kind) const {
  return db_.Read([&](Connection& c) {
    auto q = c.Prepare(std::string("SELECT ") + kUnitColumns +
                       " FROM units WHERE id > ?1 AND (?2 IS NULL OR kind = ?2) ORDER BY id LIMIT ?3");
    q->BindAll(after_id, kind, static_cast<int64_t>(limit) + 1);
    Page<Unit> page;
    while (q->Step()) page.items.push_back(ReadUnit(*q));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      page.next_after = page.items.back().id;
    }
    return page;
  });
}

core::Result<User> Directory::CreateUser(const UserInput& in) {
  if (in.role == core::Role::kTelephony || in.role == core::Role::kSystem) {
    return Error::Validation("role: must be admin, supervisor, agent or unit", "role");
  }
  if (in.role == core::Role::kUnit && !in.unit_id) {
    return Error::Validation("unit_id: a unit user needs its unit", "unit_id");
  }
  if (in.role != core::Role::kUnit && in.unit_id) {
    return Error::Validation("unit_id: only unit users belong to a unit", "unit_id");
  }
  if (in.skills) {
    for (const auto& [skill, level] : *in.skills) {
      if (std::find(skills_.begin(), skills_.end(), skill) == skills_.end()) {
        return Error::Validation("skills: unknown skill '" + skill + "'", "skills");
      }
      if (level < 1 || level > 9) return Error::Validation("skills: levels are 1 to 9", "skills");
    }
  }
  std::string hash = HashPassword(in.password);  // slow on purpose: keep it off the writer
  auto now = clock_.Now();
  std::optional<std::string> skills_json;
  if (in.skills) skills_json = core::Json(*in.skills).dump();
  return db_.Write([&](Connection& c) -> core::Result<User> {
    if (in.unit_id && !UnitExists(c, *in.unit_id)) {
      return Error::Validation("unit_id: no such unit", "unit_id");
    }
    auto taken = c.Prepare("SELECT 1 FROM users WHERE username = ?1");
    taken->Bind(1, in.username);
    if (taken->Step()) return Error::Conflict("username '" + in.username + "' is taken");
    c.Prepare("INSERT INTO users(username, password_hash, role, display_name, unit_id, skills, "
              "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        ->BindAll(in.username, hash, std::string(core::RoleName(in.role)), in.display_name,
                  in.unit_id, skills_json, core::ToUnixMillis(now))
        .Run();
    return User{c.LastInsertId(), in.username, in.role, in.display_name, in.unit_id, in.skills, now,
                false};
  });
}

core::Result<User> Directory::GetUser(int64_t id) const {
  auto user = db_.Read([&](Connection& c) -> std::optional<User> {
    auto q = c.Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?1");
    q->Bind(1, id);
    if (!q->Step()) return std::nullopt;
    return ReadUser(*q);
  });
  if (!user) return Error::NotFound("no such user");
  return *user;
}

std::optional<User> Directory::FindUser(const std::string& username) const {
  auto creds = Credentials(username);
  if (!creds) return std::nullopt;
  return creds->first;
}

Page<User> Directory::ListUsers(int64_t after_id, int limit, std::optional<core::Role> role) const {
  std::optional<std::string> role_name;
  if (role) role_name = std::string(core::RoleName(*role));
  return db_.Read([&](Connection& c) {
    auto q = c.Prepare(std::string("SELECT ") + kUserColumns +
                       " FROM users WHERE id > ?1 AND (?2 IS NULL OR role = ?2) ORDER BY id LIMIT ?3");
    q->BindAll(after_id, role_name, static_cast<int64_t>(limit) + 1);
    Page<User> page;
    while (q->Step()) page.items.push_back(ReadUser(*q));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      page.next_after = page.items.back().id;
    }
    return page;
  });
}

std::optional<std::pair<User, std::string>> Directory::Credentials(
    const std::string& username) const {
  return db_.Read([&](Connection& c) -> std::optional<std::pair<User, std::string>> {
    auto q = c.Prepare(std::string("SELECT ") + kUserColumns +
                       ", password_hash FROM users WHERE username = ?1");
    q->Bind(1, username);
    if (!q->Step()) return std::nullopt;
    return std::make_pair(ReadUser(*q), q->Text(8));
  });
}

bool Directory::HasAdmin() const {
  return db_.Read([](Connection& c) {
    auto q = c.Prepare("SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1");
    return q->Step();
  });
}

}  // namespace hotline::auth

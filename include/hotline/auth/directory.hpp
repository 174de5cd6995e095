#pragma once
// Users and network units: who may log in, with which role, bound to which unit, with
// which ACD skills.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hotline/core/actor.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/error.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::auth {

inline const std::vector<std::string> kUnitKinds = {"hospital", "district_bureau", "inspection",
                                                    "cdc", "other"};

struct Unit {
  int64_t id = 0;
  std::string name;
  std::string kind;
  std::optional<std::string> duty_phone;
  core::TimePoint created_at;
};

struct UnitInput {
  std::string name;
  std::string kind;
  std::optional<std::string> duty_phone;  // already normalised
};

using Skills = std::map<std::string, int>;  // skill → level 1 (best) … 9

struct User {
  int64_t id = 0;
  std::string username;
  core::Role role = core::Role::kAgent;
  std::optional<std::string> display_name;
  std::optional<int64_t> unit_id;
  std::optional<Skills> skills;  // nothing: every configured skill at level 5
  core::TimePoint created_at;
  bool disabled = false;
};

struct UserInput {
  std::string username;
  std::string password;
  core::Role role = core::Role::kAgent;
  std::optional<std::string> display_name;
  std::optional<int64_t> unit_id;
  std::optional<Skills> skills;
};

/// A page of a list in id order; `next_after` is the last id when more may follow.
template <class T>
struct Page {
  std::vector<T> items;
  std::optional<int64_t> next_after;
};

class Directory {
 public:
  Directory(storage::Database& db, const core::Clock& clock, std::vector<std::string> skills);

  core::Result<Unit> CreateUnit(const UnitInput& input);
  core::Result<Unit> GetUnit(int64_t id) const;
  Page<Unit> ListUnits(int64_t after_id, int limit, std::optional<std::string> kind = {}) const;

  /// Validates the role/unit pairing and the skills, hashes the password, stores the user.
  /// A taken username answers conflict.
  core::Result<User> CreateUser(const UserInput& input);
  core::Result<User> GetUser(int64_t id) const;
  std::optional<User> FindUser(const std::string& username) const;
  Page<User> ListUsers(int64_t after_id, int limit, std::optional<core::Role> role = {}) const;
  /// The stored password hash of an enabled user, for login.
  std::optional<std::pair<User, std::string>> Credentials(const std::string& username) const;
  bool HasAdmin() const;

  const std::vector<std::string>& skills() const { return skills_; }

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  std::vector<std::string> skills_;
};

}  // namespace hotline::auth

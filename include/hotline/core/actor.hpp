#pragma once
// Who is acting: the authenticated user (or the gateway, or the system itself) on whose
// behalf a domain operation runs. Domain modules decide visibility from it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotline::core {

enum class Role { kAdmin, kSupervisor, kAgent, kUnit, kTelephony, kSystem };

/// "admin", "supervisor", "agent", "unit", "telephony", "system".
std::string_view RoleName(Role role);
/// Parses a role name; nothing for an unknown one.
std::optional<Role> ParseRole(std::string_view name);

struct Actor {
  int64_t user_id = 0;  // 0 for the gateway and the system
  Role role = Role::kSystem;
  std::optional<int64_t> unit_id;  // set for kUnit: the only unit whose work it may see
  std::string username;

  static Actor System() { return Actor{0, Role::kSystem, std::nullopt, "system"}; }
  bool Is(Role r) const { return role == r; }
};

}  // namespace hotline::core

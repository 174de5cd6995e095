#include "hotline/core/actor.hpp"

namespace hotline::core {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kSupervisor: return "supervisor";
    case Role::kAgent: return "agent";
    case Role::kUnit: return "unit";
    case Role::kTelephony: return "telephony";
    case Role::kSystem: return "system";
  }
  return "system";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kAdmin, Role::kSupervisor, Role::kAgent, Role::kUnit, Role::kTelephony}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace hotline::core

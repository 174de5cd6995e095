#pragma once
// Health, metrics, login/logout, users and units.
#include <functional>

#include "hotline/api/metrics.hpp"
#include "hotline/api/router.hpp"
#include "hotline/auth/auth_service.hpp"
#include "hotline/auth/directory.hpp"
#include "hotline/core/time.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::api {

struct AdminDeps {
  auth::AuthService& auth;
  auth::Directory& directory;
  storage::Database& db;
  Metrics& metrics;
  const core::TimeZone& zone;
  std::string version;
};

void RegisterAdminRoutes(Router& router, AdminDeps deps);

/// JSON of a unit and of a user (never the password hash).
core::Json UnitJson(const auth::Unit& u, const core::TimeZone& zone);
core::Json UserJson(const auth::User& u, const core::TimeZone& zone);

}  // namespace hotline::api

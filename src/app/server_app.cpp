#include "server_app.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "api/acd_routes.hpp"
#include "api/admin_routes.hpp"
#include "api/call_center.hpp"
#include "config.hpp"
#include "demo_data.hpp"
#include "hotline/api/dispatcher.hpp"
#include "hotline/api/metrics.hpp"
#include "hotline/api/router.hpp"
#include "hotline/api/ws_hub.hpp"
#include "hotline/auth/auth_service.hpp"
#include "hotline/auth/directory.hpp"
#include "hotline/auth/passwords.hpp"
#include "hotline/acd/config.hpp"
#include "hotline/core/calendar.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/net/server.hpp"
#include "storage_setup.hpp"

namespace hotline::app {
namespace {

constexpr const char* kVersion = "0.1.0";

/// On first start with no admin: HOTLINE_ADMIN_PASSWORD, or a generated password printed once.
void EnsureAdmin(auth::Directory& directory) {
  if (directory.HasAdmin()) return;
  const char* env = std::getenv("HOTLINE_ADMIN_PASSWORD");
  std::string password = env && std::strlen(env) >= 8 ? env : auth::RandomToken(12);
  auth::UserInput admin{"admin", password, core::Role::kAdmin, "Administrator", std::nullopt, std::nullopt};
  auto created = directory.CreateUser(admin);
  if (!created) {
    spdlog::error("could not create the admin user: {}", created.error().message);
    return;
  }
  if (!env || std::strlen(env) < 8) {
    std::printf("Created user 'admin' with password: %s\n(shown once; set HOTLINE_ADMIN_PASSWORD to choose it)\n",
                password.c_str());
    std::fflush(stdout);
  }
}

net::ServerOptions ServerOptionsFrom(const core::Json& c) {
  net::ServerOptions o;
  o.address = c["server"]["address"].get<std::string>();
  o.port = static_cast<uint16_t>(c["server"]["port"].get<int>());
  o.io_threads = std::max(1, c["server"]["threads"].get<int>());
  o.worker_threads = std::max(2, c["server"]["workers"].get<int>());
  o.static_root = c["server"]["static_root"].get<std::string>();
  return o;
}

}  // namespace

int Serve(const core::Json& config, const ServeOptions& options) {
  spdlog::set_level(spdlog::level::from_str(config["log"]["level"].get<std::string>()));
  auto hours = ReadHours(config["hours"]);
  if (!hours) {
    spdlog::critical("{}", hours.error().message);
    return 1;
  }
  auto zone = core::TimeZone::Named(hours->timezone);
  if (!zone) {
    spdlog::critical("config: {}", zone.error().message);
    return 1;
  }
  core::SystemClock clock;
  auto db = OpenDatabase(config);
  auto skills = config["acd"]["skills"].get<std::vector<std::string>>();
  auth::Directory directory(*db, clock, skills);
  auth::AuthConfig auth_config;
  auth_config.token_ttl_s = config["auth"]["token_ttl_s"].get<int64_t>();
  if (config["auth"]["telephony_key"].is_string()) {
    auth_config.telephony_key = config["auth"]["telephony_key"].get<std::string>();
  }
  auth::AuthService auth(*db, directory, clock, auth_config);
  EnsureAdmin(directory);
  if (options.demo) LoadDemoData(directory);

  auto calendar = core::Calendar::Make(*hours);
  if (!calendar) {
    spdlog::critical("config: {}", calendar.error().message);
    return 1;
  }
  auto acd_config = acd::ParseAcdConfig(config["acd"]);
  if (!acd_config) {
    spdlog::critical("config: {}", acd_config.error().message);
    return 1;
  }

  api::Router router;
  api::Metrics metrics;
  api::WsCommands ws_commands;
  api::Dispatcher dispatcher(router, auth, *db, metrics, clock);
  api::WsHub hub(dispatcher, ws_commands);
  std::unique_ptr<net::Server> server;
  api::CallCenter center(*acd_config, clock, *zone, *db, hub,
                         [&](std::function<void()> fn) { server->PostWork(std::move(fn)); });

  api::RegisterAdminRoutes(router, {auth, directory, *db, metrics, *zone, kVersion});
  std::string telephony_key = auth_config.telephony_key;
  api::AcdDeps acd_deps{center, *db, *calendar, directory, clock, telephony_key};
  api::RegisterCallRoutes(router, ws_commands, acd_deps);
  api::RegisterAgentRoutes(router, ws_commands, acd_deps);
  const int grace_s = config["acd"]["reconnect_grace_s"].get<int>();
  hub.OnPresence([&center, grace_s](const std::string& endpoint, const core::Actor& who, bool connected) {
    if (endpoint != "agent") return;
    if (connected) center.AgentConnected(who.user_id);
    else center.AgentDisconnected(who.user_id, grace_s);
  });

  server = std::make_unique<net::Server>(
      ServerOptionsFrom(config), [&](net::Request& req) { return dispatcher.Handle(req); },
      [&](net::Request& req, std::shared_ptr<net::WsClient> client) { return hub.Accept(req, client); });
  center.Start();
  uint16_t port = server->Start();
  spdlog::info("Hotline {} listening on http://{}:{} (database {})", kVersion,
               config["server"]["address"].get<std::string>(), port, config["db"]["path"].get<std::string>());
  server->Wait();
  spdlog::info("shutting down: flushing the database");
  center.Stop();
  db->Close();
  return 0;
}

}  // namespace hotline::app

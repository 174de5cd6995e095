#include "server_app.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <cstdlib>
#include <cstring>

#include "api/acd_routes.hpp"
#include "api/admin_routes.hpp"
#include "api/call_center.hpp"
#include "api/clock_routes.hpp"
#include "api/ivr_routes.hpp"
#include "api/kb_routes.hpp"
#include "api/report_routes.hpp"
#include "api/ticket_json.hpp"
#include "api/ticket_push.hpp"
#include "api/ticket_routes.hpp"
#include "config.hpp"
#include "demo_data.hpp"
#include "housekeeping.hpp"
#include "hotline/api/dispatcher.hpp"
#include "hotline/api/metrics.hpp"
#include "hotline/api/router.hpp"
#include "hotline/api/ws_hub.hpp"
#include "hotline/auth/auth_service.hpp"
#include "hotline/auth/directory.hpp"
#include "hotline/auth/passwords.hpp"
#include "hotline/acd/config.hpp"
#include "hotline/core/calendar.hpp"
#include "hotline/ivr/menu.hpp"
#include "hotline/ivr/step.hpp"
#include "hotline/kb/service.hpp"
#include "hotline/workorder/config.hpp"
#include "hotline/workorder/service.hpp"
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
  // A whole knowledge base in one file (all-or-nothing), and a voice message of the menu's
  // longest recording as uncompressed WAV, are larger than any other request.
  o.large_body_routes = {{"/api/v1/kb/import", "", 64u << 20},
                         {"/ivr/vxml/", "/recording", 16u << 20}};
  return o;
}

/// `ivr.menu_file`, or the compiled-in default menu.
core::Result<ivr::Menu> LoadMenu(const core::Json& config) {
  if (!config["ivr"]["menu_file"].is_string()) return ivr::DefaultMenu();
  std::ifstream in(config["ivr"]["menu_file"].get<std::string>());
  core::Json json = core::Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return core::Error::Validation("ivr.menu_file is not a JSON file", "ivr.menu_file");
  return ivr::ParseMenu(json);
}

/// `ivr.voicemail_due_time` ("HH:MM"): when a voice message is due on the next business morning.
core::Result<std::optional<int>> VoicemailDueMinute(const core::Json& config) {
  const auto& v = config["ivr"]["voicemail_due_time"];
  if (!v.is_string()) return std::optional<int>();
  auto minute = core::ParseClockTime(v.get<std::string>());
  if (!minute || *minute >= 1440) {
    return core::Error::Validation("config: ivr.voicemail_due_time must be HH:MM", "ivr.voicemail_due_time");
  }
  return std::optional<int>(*minute);
}

/// The key that signs voice-menu URLs: auth.url_signing_key, else derived from the gateway key.
std::string SigningKey(const core::Json& config) {
  if (config["auth"]["url_signing_key"].is_string()) return config["auth"]["url_signing_key"].get<std::string>();
  std::string base = config["auth"]["telephony_key"].is_string() ? config["auth"]["telephony_key"].get<std::string>() : "";
  if (base.empty()) return auth::RandomToken(32);  // documents signed this run only
  return auth::Sha256("hotline-url-signing:" + base);
}

std::vector<ivr::DutyNumber> FallbackDuty(const core::Json& config) {
  std::vector<ivr::DutyNumber> out;
  for (const auto& d : config["ivr"]["duty_numbers"]) {
    if (d.is_object() && d.value("phone", "") != "") {
      out.push_back({d.value("name", ""), d.value("kind", ""), d.value("phone", "")});
    }
  }
  return out;
}

std::string RecordingsDir(const core::Json& config) {
  auto db = std::filesystem::path(config["db"]["path"].get<std::string>());
  return (db.parent_path() / "recordings").string();
}

/// What an agent sees of the caller when a call is offered: the caller's other recent calls
/// (never the offered one), the open work orders and the last 3 closed ones.
core::Json CallerContext(storage::Database& db, const workorder::Service& tickets, const std::string& phone,
                         int64_t call_id) {
  core::Json calls = db.Read([&](storage::Connection& c) {
    core::Json out = core::Json::array();
    auto q = c.Prepare("SELECT id, state, enqueued_at, agent_id FROM calls WHERE caller = ?1 AND id != ?2 "
                       "ORDER BY enqueued_at DESC, id DESC LIMIT 5");
    q->BindAll(phone, call_id);
    while (q->Step()) {
      out.push_back({{"call_id", q->Int(0)}, {"state", q->Text(1)},
                     {"enqueued_at", core::FormatIso(core::FromUnixMillis(q->Int(2)), tickets.zone())},
                     {"agent_id", q->OptInt(3) ? core::Json(*q->OptInt(3)) : core::Json(nullptr)}});
    }
    return out;
  });
  const auto now = tickets.clock().Now();
  core::Json orders = core::Json::array();
  for (const auto& wo : tickets.OpenForPhone(phone, 10)) orders.push_back(api::TicketJson(wo, now, tickets.zone()));
  core::Json closed = core::Json::array();
  workorder::ListFilter filter;
  filter.status = workorder::Status::kClosed;
  filter.phone = phone;
  if (auto page = tickets.List(core::Actor{0, core::Role::kAdmin, std::nullopt, "system"}, filter, 3)) {
    for (const auto& wo : page->items) closed.push_back(api::TicketJson(wo, now, tickets.zone()));
  }
  return {{"phone", phone}, {"calls", std::move(calls)}, {"open_tickets", std::move(orders)},
          {"closed_tickets", std::move(closed)}};
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
  core::SystemClock system_clock;
  std::optional<core::OffsetClock> test_clock;
  if (options.clock_start) {
    test_clock.emplace(*options.clock_start);
    spdlog::warn("running on a test clock set to {}", core::FormatIso(*options.clock_start, *zone));
  }
  const core::Clock& clock = test_clock ? static_cast<const core::Clock&>(*test_clock) : system_clock;
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
  auto wo_config = workorder::WorkOrderConfigFromJson(config["workorder"]);
  if (!wo_config) {
    spdlog::critical("config: {}", wo_config.error().message);
    return 1;
  }
  auto notify = ReadNotify(config["notify"]);
  if (!notify) {
    spdlog::critical("config: {}", notify.error().message);
    return 1;
  }
  auto menu = LoadMenu(config);
  if (!menu) {
    spdlog::critical("config: {}", menu.error().message);
    return 1;
  }
  auto voicemail_due = VoicemailDueMinute(config);
  if (!voicemail_due) {
    spdlog::critical("{}", voicemail_due.error().message);
    return 1;
  }
  workorder::Service tickets(*db, clock, *calendar, *wo_config);
  kb::Service kb(*db, clock);
  if (options.demo) LoadDemoData(directory, kb);

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
  api::RegisterTicketRoutes(router, tickets);
  api::RegisterReportRoutes(router, {*db, clock, *zone, *acd_config});
  api::RegisterKbRoutes(router, ws_commands, kb, *zone);
  api::RegisterIvrRoutes(router, {*db, center, tickets, kb, directory, auth, *calendar, clock, *menu,
                                  SigningKey(config), config["auth"]["signed_url_ttl_s"].get<int>(), "",
                                  RecordingsDir(config), FallbackDuty(config), acd_config->ring_timeout_s,
                                  *voicemail_due});
  if (test_clock) {
    api::RegisterClockRoutes(router, *test_clock, *zone, [&tickets, &clock] { tickets.RunDueReminders(clock.Now()); });
  }
  center.SetOwnerLookup([&tickets](const std::string& phone) { return tickets.OwnerOfOpen(phone); });
  center.SetCallerContext(
      [&](const std::string& phone, int64_t call_id) { return CallerContext(*db, tickets, phone, call_id); });
  tickets.SetChangeCallback(
      [&hub, &tickets, &clock](const workorder::WorkOrder& wo, std::string_view event) {
        api::PushTicketEvent(hub, wo, event, api::TicketJson(wo, clock.Now(), tickets.zone()));
      });
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
  StartHousekeeping(*server, tickets, clock, *notify);
  // Always printed, whatever the log level: scripts and tests read the port from it.
  std::printf("Hotline %s listening on http://%s:%u (database %s)\n", kVersion,
              config["server"]["address"].get<std::string>().c_str(), port,
              config["db"]["path"].get<std::string>().c_str());
  std::fflush(stdout);
  server->Wait();
  spdlog::info("shutting down: flushing the database");
  center.Stop();
  db->Close();
  return 0;
}

}  // namespace hotline::app

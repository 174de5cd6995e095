// hotline: the server and its admin commands.
//   hotline serve   --config FILE [--demo] [--clock ISO-TIME]
//   hotline migrate --config FILE
//   hotline user add --config FILE --username U --password P --role R [--unit-id N]
//   hotline backup FILE --config FILE
#include <spdlog/spdlog.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "config.hpp"
#include "server_app.hpp"
#include "storage_setup.hpp"
#include "hotline/auth/directory.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/time.hpp"

namespace {

using hotline::core::Json;

int Usage() {
  std::fputs(
      "usage:\n"
      "  hotline serve   --config FILE [--demo] [--clock ISO-TIME]   (--clock: tests and demos only)\n"
      "  hotline migrate --config FILE\n"
      "  hotline user add --config FILE --username U --password P --role ROLE [--unit-id N]\n"
      "  hotline backup FILE --config FILE\n",
      stderr);
  return 2;
}

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // "--name" → value ("" for flags)
};

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0) {
      bool flag = s == "--demo";
      a.options[s] = (!flag && i + 1 < argc) ? argv[++i] : "";
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "hotline: %s\n", message.c_str());
  return 1;
}

int AddUser(const Json& config, Args& a) {
  auto role = hotline::core::ParseRole(a.options["--role"]);
  if (a.options["--username"].empty() || a.options["--password"].size() < 8 || !role) {
    return Fail("user add needs --username, --password (8+ characters) and --role");
  }
  auto db = hotline::app::OpenDatabase(config);
  hotline::core::SystemClock clock;
  hotline::auth::Directory directory(*db, clock, config["acd"]["skills"].get<std::vector<std::string>>());
  hotline::auth::UserInput in;
  in.username = a.options["--username"];
  in.password = a.options["--password"];
  in.role = *role;
  if (!a.options["--unit-id"].empty()) in.unit_id = std::stoll(a.options["--unit-id"]);
  auto user = directory.CreateUser(in);
  if (!user) return Fail(user.error().message);
  std::printf("created user %s (id %lld)\n", user->username.c_str(), static_cast<long long>(user->id));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a = Parse(argc, argv);
  if (a.positional.empty()) return Usage();
  auto config = hotline::app::LoadConfig(a.options["--config"]);
  if (!config) return Fail(config.error().message);
  const std::string& command = a.positional[0];
  try {
    if (command == "serve") {
      hotline::app::ServeOptions serve{a.options["--config"], a.options.count("--demo") > 0, {}};
      if (auto clock = a.options.find("--clock"); clock != a.options.end()) {
        serve.clock_start = hotline::core::ParseIso(clock->second, hotline::core::TimeZone::Utc());
        if (!serve.clock_start) return Fail("--clock: an ISO 8601 time with offset, e.g. 2026-11-20T19:00:00+08:00");
      }
      return hotline::app::Serve(*config, serve);
    }
    if (command == "migrate") {
      auto db = hotline::app::OpenDatabase(*config);
      std::printf("schema version %d\n", db->schema_version());
      return 0;
    }
    if (command == "user" && a.positional.size() == 2 && a.positional[1] == "add") {
      return AddUser(*config, a);
    }
    if (command == "backup" && a.positional.size() == 2) {
      auto db = hotline::app::OpenDatabase(*config);
      db->Backup(a.positional[1]);
      std::printf("backed up to %s\n", a.positional[1].c_str());
      return 0;
    }
  } catch (const std::exception& e) {
    return Fail(e.what());
  }
  return Usage();
}

#include "demo_data.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>

#include "hotline/kb/io.hpp"

namespace hotline::app {

namespace {

core::Json ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  return core::Json::parse(in, nullptr, /*allow_exceptions=*/false);
}

/// config/kb/starter.json and synonyms.json, relative to the working directory.
void LoadStarterKnowledgeBase(kb::Service& kb) {
  auto admin = core::Actor::System();
  core::Json synonyms = ReadJsonFile("config/kb/synonyms.json");
  if (synonyms.is_object()) {
    if (auto parsed = kb::SynonymsFromJson(synonyms)) (void)kb.PutSynonyms(admin, *parsed);
  }
  core::Json entries = ReadJsonFile("config/kb/starter.json");
  if (!entries.is_array()) {
    spdlog::warn("demo data: config/kb/starter.json not found; the knowledge base starts empty");
    return;
  }
  auto report = kb.ImportJson(admin, entries);
  if (!report.ok()) {
    spdlog::warn("demo data: the starter knowledge base was refused ({} bad rows)", report.errors.size());
    return;
  }
  std::printf("Knowledge base: %d starter entries imported\n", report.created);
}

}  // namespace

void LoadDemoData(auth::Directory& directory, kb::Service& kb) {
  if (!directory.ListUnits(0, 1).items.empty()) return;  // not an empty database
  auto hospital = directory.CreateUnit({"北京协和医院", "hospital", "01069156114"});
  auto inspection = directory.CreateUnit({"东城区卫生健康监督所", "inspection", "01064012345"});
  auto cdc = directory.CreateUnit({"北京市疾病预防控制中心", "cdc", "01064407000"});
  if (!hospital || !inspection || !cdc) {
    spdlog::error("demo data: could not create the units");
    return;
  }
  struct DemoUser {
    const char* username;
    core::Role role;
    const char* display_name;
    std::optional<int64_t> unit_id;
  };
  const DemoUser users[] = {
      {"supervisor", core::Role::kSupervisor, "王班长", std::nullopt},
      {"agent1", core::Role::kAgent, "李座席", std::nullopt},
      {"agent2", core::Role::kAgent, "张座席", std::nullopt},
      {"hospital", core::Role::kUnit, "协和医院联络员", hospital->id},
      {"inspection", core::Role::kUnit, "监督所联络员", inspection->id},
      {"cdc", core::Role::kUnit, "疾控中心联络员", cdc->id},
  };
  std::printf("Demo logins (password demo-pass-1 for each):\n");
  for (const auto& u : users) {
    auto created = directory.CreateUser({u.username, "demo-pass-1", u.role, u.display_name, u.unit_id,
                                         std::nullopt});
    if (created) std::printf("  %-11s %s\n", u.username, std::string(core::RoleName(u.role)).c_str());
  }
  std::fflush(stdout);
  LoadStarterKnowledgeBase(kb);
}

}  // namespace hotline::app

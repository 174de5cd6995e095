#pragma once
// A database with the real schema (the knowledge base's tables aside: they need its
// tokenizer), units 1–3 with their unit users 11–13, agent 1, supervisor 2, and the real
// work-order service on a fake clock, so that histories are exactly what the server writes.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "hotline/core/calendar.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/time.hpp"
#include "hotline/storage/database.hpp"
#include "hotline/workorder/service.hpp"
#include "hotline/workorder/sql_functions.hpp"
#include "support/temp_dir.hpp"

namespace hotline::reports::testing {

inline std::vector<storage::Migration> Migrations() {
  std::vector<storage::Migration> out;
  // The reports read no knowledge-base table, and its migrations need the KB's tokenizer.
  for (const auto& m : storage::EmbeddedMigrations()) {
    if (!m.name.starts_with("kb")) out.push_back(m);
  }
  return out;
}

inline core::Calendar Shanghai() {
  core::HoursConfig hours;
  hours.timezone = "Asia/Shanghai";
  return *core::Calendar::Make(hours);
}

inline core::Actor Agent() { return {1, core::Role::kAgent, std::nullopt, "agent"}; }
inline core::Actor Supervisor() { return {2, core::Role::kSupervisor, std::nullopt, "sup"}; }
inline core::Actor UnitUser(int64_t unit) { return {10 + unit, core::Role::kUnit, unit, "unit"}; }

class ReportDb : public ::testing::Test {
 protected:
  ReportDb() : calendar_(Shanghai()), clock_(Local(2026, 3, 2, 9, 0)) {
    db_ = storage::Database::Open(
        {.path = dir_.File("reports.db"), .on_open = {workorder::RegisterSqlFunctions}},
        Migrations());
    tickets_ = std::make_unique<workorder::Service>(*db_, clock_, calendar_, workorder::WorkOrderConfig{});
    db_->Write([](storage::Connection& c) {
      const char* names[] = {"某医院", "某区卫生局", "某疾控中心"};
      const char* kinds[] = {"hospital", "district_bureau", "cdc"};
      for (int u = 1; u <= 3; ++u) {
        c.Prepare("INSERT INTO units(id, name, kind, created_at) VALUES (?1, ?2, ?3, 0)")
            ->BindAll(u, names[u - 1], kinds[u - 1])
            .Run();
        c.Prepare("INSERT INTO users(id, username, password_hash, role, unit_id, created_at)"
                  " VALUES (?1, ?2, 'x', 'unit', ?3, 0)")
            ->BindAll(10 + u, "unit" + std::to_string(u), u)
            .Run();
      }
      c.Prepare("INSERT INTO users(id, username, password_hash, role, display_name, created_at)"
                " VALUES (1, 'agent1', 'x', 'agent', '王芳', 0), (2, 'sup', 'x', 'supervisor', NULL, 0)")
          ->Run();
    });
  }

  const core::TimeZone& zone() const { return calendar_.zone(); }

  /// A local time in Asia/Shanghai.
  core::TimePoint Local(int y, unsigned mo, unsigned d, int h, int mi) const {
    using namespace std::chrono;
    const local_days date{year(y) / month(mo) / day(d)};
    return calendar_.zone().FromLocal(core::LocalTime(date + hours(h) + minutes(mi)));
  }
  void At(int y, unsigned mo, unsigned d, int h, int mi) { clock_.Set(Local(y, mo, d, h, mi)); }

  int64_t Create(workorder::Type type, std::string subject, std::string description = "",
                 std::optional<std::string> category = std::nullopt) {
    workorder::NewWorkOrder n;
    n.type = type;
    n.caller_phone = "13800138000";
    n.subject = std::move(subject);
    n.description = std::move(description);
    n.category = std::move(category);
    auto r = tickets_->Create(Agent(), n);
    EXPECT_TRUE(r.has_value()) << (r.has_error() ? r.error().message : "");
    return r.has_value() ? r->id : 0;
  }

  workorder::WorkOrder Act(const core::Actor& who, int64_t id, workorder::ActionInput in) {
    auto r = tickets_->Act(who, id, in);
    EXPECT_TRUE(r.has_value()) << workorder::ActionName(in.action) << ": "
                               << (r.has_error() ? r.error().message : "");
    return r.has_value() ? *r : workorder::WorkOrder{};
  }

  workorder::WorkOrder Transfer(int64_t id, int64_t unit, std::vector<int64_t> assist = {}) {
    workorder::ActionInput in{.action = workorder::Action::kTransfer};
    in.unit_id = unit;
    in.assist_unit_ids = std::move(assist);
    return Act(Agent(), id, in);
  }
  workorder::WorkOrder Reply(int64_t id, int64_t unit) {
    workorder::ActionInput in{.action = workorder::Action::kReply};
    in.result = "已处理";
    return Act(UnitUser(unit), id, in);
  }
  workorder::WorkOrder Return(int64_t id, int64_t unit) {
    workorder::ActionInput in{.action = workorder::Action::kReturn};
    in.reason = "不属于本单位";
    return Act(UnitUser(unit), id, in);
  }
  workorder::WorkOrder Callback(int64_t id, int satisfaction, std::optional<bool> satisfied = std::nullopt,
                                bool reopen = false) {
    workorder::ActionInput in{.action = workorder::Action::kCallback};
    in.reached = true;
    in.satisfaction = satisfaction;
    in.satisfied = satisfied;
    if (reopen) in.reopen = true;
    return Act(Agent(), id, in);
  }

  ::hotline::testing::TempDir dir_;
  core::Calendar calendar_;
  core::FakeClock clock_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<workorder::Service> tickets_;
};

}  // namespace hotline::reports::testing

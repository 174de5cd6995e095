#pragma once
// Shared set-up for work-order tests: the foundation and work-order migrations from the
// source tree, a few users and units, a Shanghai calendar and a fake clock.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "hotline/core/calendar.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/time.hpp"
#include "hotline/storage/database.hpp"
#include "hotline/workorder/service.hpp"
#include "hotline/workorder/sql_functions.hpp"
#include "support/temp_dir.hpp"

namespace hotline::workorder::testing {

inline std::string ReadSchema(const std::string& name) {
  std::ifstream in(std::string(HOTLINE_SOURCE_DIR) + "/schema/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().empty()) ADD_FAILURE() << "missing schema file " << name;
  return ss.str();
}

/// Only the migrations this module needs: the foundation, the ACD's calls and incidents
/// (read by the caller history and incident links) and the work orders.
inline std::vector<storage::Migration> Migrations() {
  return {{1, "foundation", ReadSchema("0001_foundation.sql")},
          {2, "acd", ReadSchema("0002_acd.sql")},
          {3, "workorders", ReadSchema("0003_workorders.sql")},
          {8, "ticket_text_unigrams", ReadSchema("0008_ticket_text_unigrams.sql")}};
}

/// Options for a database at `path` with the work orders' SQL functions (as the server has).
inline storage::DatabaseOptions DbOptions(std::string path) {
  return {.path = std::move(path), .on_open = {RegisterSqlFunctions}};
}

/// 2026-03-02T09:00+08:00, a Monday.
inline core::TimePoint Monday9() { return core::FromUnixMillis(1'772'413'200'000); }

inline core::Calendar ShanghaiCalendar(core::HoursConfig hours = {}) {
  hours.timezone = "Asia/Shanghai";
  auto cal = core::Calendar::Make(std::move(hours));
  EXPECT_TRUE(cal.has_value());
  return *cal;
}

inline core::Actor Agent(int64_t id = 1) { return {id, core::Role::kAgent, std::nullopt, "agent"}; }
inline core::Actor Supervisor(int64_t id = 2) {
  return {id, core::Role::kSupervisor, std::nullopt, "sup"};
}
inline core::Actor Admin(int64_t id = 3) { return {id, core::Role::kAdmin, std::nullopt, "admin"}; }
inline core::Actor UnitUser(int64_t unit, int64_t id) {
  return {id, core::Role::kUnit, unit, "unit" + std::to_string(unit)};
}
inline core::Actor Telephony() { return {0, core::Role::kTelephony, std::nullopt, "gateway"}; }

inline NewWorkOrder Consult(std::string phone = "13800138000", std::string subject = "门诊挂号咨询") {
  NewWorkOrder n;
  n.type = Type::kConsult;
  n.caller_phone = std::move(phone);
  n.caller_name = "李女士";
  n.subject = std::move(subject);
  n.description = "孩子发烧，想问今晚有没有急诊";
  return n;
}

inline ActionInput Do(Action a) {
  ActionInput in;
  in.action = a;
  return in;
}

/// A database with units 1..3 (unit users 11..13), agent 1, supervisor 2, admin 3.
class ServiceTest : public ::testing::Test {
 protected:
  ServiceTest() : calendar_(ShanghaiCalendar()), clock_(Monday9()) { OpenDb(); }

  void OpenDb(WorkOrderConfig config = {}) {
    service_.reset();
    db_.reset();
    db_ = storage::Database::Open(DbOptions(dir_.File("wo.db")), Migrations());
    service_ = std::make_unique<Service>(*db_, clock_, calendar_, config);
    Seed();
  }

  void Seed() {
    db_->Write([](storage::Connection& c) {
      for (int u = 1; u <= 3; ++u) {
        c.Prepare("INSERT OR IGNORE INTO units(id, name, kind, created_at) VALUES (?1, ?2, 'hospital', 0)")
            ->BindAll(u, "unit" + std::to_string(u))
            .Run();
        c.Prepare(
             "INSERT OR IGNORE INTO users(id, username, password_hash, role, unit_id, created_at)"
             " VALUES (?1, ?2, 'x', 'unit', ?3, 0)")
            ->BindAll(10 + u, "unit_user" + std::to_string(u), u)
            .Run();
      }
      const char* roles[] = {"agent", "supervisor", "admin"};
      for (int i = 1; i <= 3; ++i) {
        c.Prepare(
             "INSERT OR IGNORE INTO users(id, username, password_hash, role, created_at)"
             " VALUES (?1, ?2, 'x', ?3, 0)")
            ->BindAll(i, std::string("user") + std::to_string(i), roles[i - 1])
            .Run();
      }
    });
  }

  WorkOrder MustCreate(NewWorkOrder n = Consult()) {
    auto r = service_->Create(Agent(), n);
    EXPECT_TRUE(r.has_value()) << (r.has_error() ? r.error().message : "");
    return r.has_value() ? *r : WorkOrder{};
  }

  WorkOrder MustAct(const core::Actor& who, int64_t id, const ActionInput& in) {
    auto r = service_->Act(who, id, in);
    EXPECT_TRUE(r.has_value()) << ActionName(in.action) << ": "
                               << (r.has_error() ? r.error().message : "");
    return r.has_value() ? *r : WorkOrder{};
  }

  WorkOrder Transfer(int64_t id, int64_t unit, std::vector<int64_t> assist = {}) {
    auto in = Do(Action::kTransfer);
    in.unit_id = unit;
    in.assist_unit_ids = std::move(assist);
    return MustAct(Agent(), id, in);
  }

  WorkOrder Reply(int64_t id, int64_t unit) {
    auto in = Do(Action::kReply);
    in.result = "已处理";
    return MustAct(UnitUser(unit, 10 + unit), id, in);
  }

  ::hotline::testing::TempDir dir_;
  core::Calendar calendar_;
  core::FakeClock clock_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Service> service_;
};

}  // namespace hotline::workorder::testing

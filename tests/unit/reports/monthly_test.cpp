// The monthly report over histories written by the real work-order service: a month of
// transfers, returns, replies, redos, extensions and callbacks, counted by hand.
#include "hotline/reports/monthly.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "report_fixture.hpp"

namespace hotline::reports {
namespace {

using std::chrono::month;
using std::chrono::year;
using testing::Agent;
using testing::Supervisor;
using testing::UnitUser;
using workorder::Action;
using workorder::ActionInput;
using workorder::Type;

class MonthlyReportTest : public testing::ReportDb {
 protected:
  // One timeline (acceptance times only grow): each work order's story, and what it adds to
  // which unit's March.
  void SeedMarch() {
    At(2026, 2, 27, 10, 0);  // feb: unit 1's February, not March
    feb_ = Create(Type::kConsult, "二月的咨询");
    At(2026, 2, 27, 10, 5);
    Transfer(feb_, 1);
    At(2026, 3, 1, 9, 0);  // slow: unit 3 replies after 35 days, in neither 7 nor 30 days
    const int64_t slow = Create(Type::kComplaint, "投诉等候时间长");
    At(2026, 3, 1, 9, 10);
    Transfer(slow, 3);
    At(2026, 3, 2, 9, 0);  // quick: unit 1 replies in 5 days, the caller is satisfied (5)
    const int64_t quick = Create(Type::kComplaint, "投诉服务态度");
    At(2026, 3, 2, 9, 5);
    Transfer(quick, 1);
    At(2026, 3, 2, 9, 30);
    Act(UnitUser(1), quick, {.action = Action::kAcknowledge});
    At(2026, 3, 2, 10, 0);  // redone: unit 1's reply rejected (重办), sent to unit 2, overdue there
    redone_ = Create(Type::kComplaint, "投诉检查结果");
    At(2026, 3, 2, 10, 5);
    Transfer(redone_, 1);
    At(2026, 3, 3, 9, 0);  // returned: unit 2 sends it back, unit 3 has it, extended
    returned_ = Create(Type::kConsult, "咨询疫苗接种");
    At(2026, 3, 3, 9, 5);
    Transfer(returned_, 2);
    At(2026, 3, 3, 10, 0);
    Reply(feb_, 1);
    At(2026, 3, 4, 9, 0);
    Return(returned_, 2);
    At(2026, 3, 4, 10, 0);
    Transfer(returned_, 3);
    At(2026, 3, 5, 9, 0);  // eleven: unit 2 replies in 11 days
    const int64_t eleven = Create(Type::kConsult, "咨询报销");
    At(2026, 3, 5, 9, 5);
    Transfer(eleven, 2);
    At(2026, 3, 7, 9, 0);
    Reply(quick, 1);
    At(2026, 3, 8, 10, 0);
    Callback(quick, 5);
    At(2026, 3, 10, 9, 0);  // the hotline answers one itself and settles a complaint (化解)
    const int64_t answered = Create(Type::kConsult, "门诊时间");
    ActionInput answer{.action = Action::kAnswer};
    answer.answer = "八点开诊";
    Act(Agent(), answered, answer);
    At(2026, 3, 10, 10, 0);
    const int64_t mediated = Create(Type::kComplaint, "投诉挂号难");
    ActionInput mediate{.action = Action::kMediate};
    mediate.outcome = "解释了放号规则";
    Act(Agent(), mediated, mediate);
    Callback(mediated, 4);
    At(2026, 3, 11, 9, 0);  // a duplicate merged into `returned`
    const int64_t duplicate = Create(Type::kConsult, "咨询疫苗接种（重复）");
    ActionInput merge{.action = Action::kMerge};
    merge.into = returned_;
    Act(Agent(), duplicate, merge);
    At(2026, 3, 12, 10, 0);
    Reply(redone_, 1);
    At(2026, 3, 12, 15, 0);
    Callback(redone_, 2, false, true);
    At(2026, 3, 13, 9, 0);
    Transfer(redone_, 2);
    At(2026, 3, 16, 9, 0);
    Reply(eleven, 2);
    At(2026, 3, 20, 9, 0);  // assisted: lead unit 1 and assisting unit 3 both reply within days
    const int64_t assisted = Create(Type::kReport, "举报食物中毒");
    At(2026, 3, 20, 9, 5);
    Transfer(assisted, 1, {3});
    const int64_t child = ChildOf(assisted);
    At(2026, 3, 20, 9, 10);
    ActionInput extend{.action = Action::kExtend};
    extend.reason = "需要调查";
    extend.consent = true;
    Act(Supervisor(), returned_, extend);
    At(2026, 3, 21, 9, 0);
    Reply(child, 3);
    At(2026, 3, 25, 9, 0);
    Reply(assisted, 1);
    At(2026, 3, 31, 23, 30);  // late: sent to unit 1 in the last minutes of March, March's
    const int64_t late = Create(Type::kConsult, "月底来电");
    At(2026, 3, 31, 23, 40);
    Transfer(late, 1);
    At(2026, 3, 31, 23, 50);  // april: accepted in March, sent to unit 2 in April, April's
    const int64_t april = Create(Type::kConsult, "跨月来电");
    At(2026, 4, 1, 0, 10);
    Transfer(april, 2);
    At(2026, 4, 5, 9, 0);
    Reply(slow, 3);
    At(2026, 4, 5, 12, 0);
  }

  int64_t ChildOf(int64_t parent) {
    return db_->Read([&](storage::Connection& c) {
      auto q = c.Prepare("SELECT id FROM tickets WHERE parent_id = ?1");
      q->Bind(1, parent);
      return q->Step() ? q->Int(0) : int64_t{0};
    });
  }

  MonthlyReport Build(int m, std::optional<int64_t> only_unit = std::nullopt) {
    return db_->Read([&](storage::Connection& c) {
      return BuildMonthly(c, year(2026) / month(m), zone(), clock_.Now(), only_unit);
    });
  }

  int64_t feb_ = 0, redone_ = 0, returned_ = 0;
};

TEST_F(MonthlyReportTest, CountsEachUnitsMonthAsItStandsNow) {
  SeedMarch();
  MonthlyReport r = Build(3);
  ASSERT_EQ(r.units.size(), 3u);
  EXPECT_EQ(r.period.from, Local(2026, 3, 1, 0, 0));
  EXPECT_EQ(r.period.to, Local(2026, 4, 1, 0, 0));

  const UnitFigures& u1 = r.units[0].figures;
  EXPECT_EQ(r.units[0].name, "某医院");
  EXPECT_EQ(u1.received, 4);  // quick, redone, assisted, late (not February's)
  EXPECT_EQ(u1.completed, 2);
  EXPECT_EQ(u1.completed_7d, 2);
  EXPECT_EQ(u1.completed_30d, 2);
  EXPECT_EQ(u1.pending, 1);
  EXPECT_EQ(u1.overdue, 0);
  EXPECT_EQ(u1.returned, 0);
  EXPECT_EQ(u1.withdrawn, 1);
  EXPECT_EQ(u1.redo, 1);
  EXPECT_EQ(u1.rated, 2);
  EXPECT_EQ(u1.satisfied, 1);
  EXPECT_DOUBLE_EQ(*u1.satisfaction(), 3.5);
  EXPECT_DOUBLE_EQ(*u1.completion_rate_7d(), 0.5);
  EXPECT_DOUBLE_EQ(*u1.redo_rate(), 0.25);

  const UnitFigures& u2 = r.units[1].figures;
  EXPECT_EQ(u2.received, 3);  // redone (overdue now), returned, eleven (not the April one)
  EXPECT_EQ(u2.completed, 1);
  EXPECT_EQ(u2.completed_7d, 0);
  EXPECT_EQ(u2.completed_30d, 1);
  EXPECT_EQ(u2.pending, 1);
  EXPECT_EQ(u2.overdue, 1);
  EXPECT_EQ(u2.returned, 1);
  EXPECT_EQ(u2.redo, 0);
  EXPECT_EQ(u2.rated, 0);
  EXPECT_FALSE(u2.satisfaction());

  const UnitFigures& u3 = r.units[2].figures;
  EXPECT_EQ(u3.received, 3);  // slow, returned (extended), the assisting child
  EXPECT_EQ(u3.completed, 2);
  EXPECT_EQ(u3.completed_7d, 1);
  EXPECT_EQ(u3.completed_30d, 1);
  EXPECT_EQ(u3.pending, 1);
  EXPECT_EQ(u3.extended, 1);
  EXPECT_EQ(u3.overdue, 0);

  const UnitFigures& t = r.totals;
  EXPECT_EQ(t.received, 10);
  EXPECT_EQ(t.completed, 5);
  EXPECT_EQ(t.completed_7d, 3);
  EXPECT_EQ(t.completed_30d, 4);
  EXPECT_EQ(t.pending, 3);
  EXPECT_EQ(t.overdue, 1);
  EXPECT_EQ(t.extended, 1);
  EXPECT_DOUBLE_EQ(*t.completion_rate_30d(), 0.4);
  for (const auto& line : r.units) {
    const auto& f = line.figures;
    EXPECT_EQ(f.received, f.completed + f.pending + f.returned + f.withdrawn) << line.name;
  }
}

TEST_F(MonthlyReportTest, CountsTheHotlinesOwnMonth) {
  SeedMarch();
  ASSERT_TRUE(Build(3).work_orders);
  const HotlineFigures h = *Build(3).work_orders;
  EXPECT_EQ(h.accepted, 11);  // the assisting child is the unit's copy, not a new request
  EXPECT_EQ(h.by_type.at("complaint"), 4);
  EXPECT_EQ(h.by_type.at("report"), 1);
  EXPECT_EQ(h.by_type.at("consult"), 6);
  EXPECT_EQ(h.by_type.at("praise"), 0);
  EXPECT_EQ(h.by_channel.at("phone"), 11);
  EXPECT_EQ(h.answered, 1);
  EXPECT_EQ(h.mediated, 1);
  EXPECT_EQ(h.transferred, 8);
  EXPECT_EQ(h.merged, 1);
  EXPECT_EQ(h.completed, 6);
  EXPECT_EQ(h.completed_7d, 4);
  EXPECT_EQ(h.completed_30d, 5);
  EXPECT_DOUBLE_EQ(*h.completion_rate_7d(), 0.4);  // of the 10 that are not duplicates
  EXPECT_EQ(h.closed, 4);
  EXPECT_EQ(h.open, 7);
  EXPECT_EQ(h.overdue, 1);
  EXPECT_EQ(h.redo, 1);
  EXPECT_EQ(h.rated, 3);
  EXPECT_EQ(h.satisfied, 2);  // 5 and 4; the 2 that asked for a redo is not
}

TEST_F(MonthlyReportTest, FebruaryHasItsOwnWorkOrders) {
  SeedMarch();
  MonthlyReport r = Build(2);
  EXPECT_EQ(r.units[0].figures.received, 1);
  EXPECT_EQ(r.units[0].figures.completed_7d, 1);
  EXPECT_EQ(r.totals.received, 1);
  EXPECT_EQ(r.work_orders->accepted, 1);
}

TEST_F(MonthlyReportTest, AUnitSeesItsOwnLineOnly) {
  SeedMarch();
  MonthlyReport r = Build(3, 2);
  ASSERT_EQ(r.units.size(), 1u);
  EXPECT_EQ(r.units[0].unit_id, 2);
  EXPECT_EQ(r.totals.received, 3);
  EXPECT_FALSE(r.work_orders);
}

TEST_F(MonthlyReportTest, AnEmptyMonthListsEveryUnitWithZeros) {
  MonthlyReport r = Build(1);
  ASSERT_EQ(r.units.size(), 3u);
  EXPECT_EQ(r.totals.received, 0);
  EXPECT_FALSE(r.totals.completion_rate_7d());
  EXPECT_EQ(r.work_orders->accepted, 0);
  EXPECT_FALSE(r.work_orders->completion_rate_30d());
}

TEST_F(MonthlyReportTest, CsvHasAHeaderAUnitPerRowAndTheTotals) {
  SeedMarch();
  const std::string csv = MonthlyCsv(Build(3));
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  std::istringstream in(csv.substr(3));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line.substr(0, line.size() - 1));  // \r
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0],
            "month,unit_id,unit_name,kind,received,completed,completed_7d,completed_30d,completion_rate_7d,"
            "completion_rate_30d,pending,overdue,extended,returned,withdrawn,redo,redo_rate,rated,satisfaction,"
            "satisfaction_rate");
  EXPECT_EQ(lines[1], "2026-03,1,某医院,hospital,4,2,2,2,0.5,0.5,1,0,0,0,1,1,0.25,2,3.5,0.5");
  EXPECT_EQ(lines[2], "2026-03,2,某区卫生局,district_bureau,3,1,0,1,0,0.3333333333333333,1,1,0,1,0,0,0,0,,");
  EXPECT_EQ(lines[4], "2026-03,,total,,10,5,3,4,0.3,0.4,3,1,1,1,1,1,0.1,2,3.5,0.5");
}

}  // namespace
}  // namespace hotline::reports

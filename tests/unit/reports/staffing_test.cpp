// Erlang C and Erlang A against published and independently computed values. The Erlang A
// references come from tests/unit/reports/erlang_reference.py: the truncated stationary
// distribution of M/M/n+M and, per queue length, the waiting caller's absorbing chain solved
// by uniformization (a different method from the incomplete-beta sums of staffing.cpp),
// cross-checked there by simulation.
#include "hotline/reports/staffing.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace hotline::reports {
namespace {

StaffingInput Input(double calls_per_hour, double aht_s, double target_sl = 0.8, double target_s = 20,
                    std::optional<double> patience_s = std::nullopt) {
  return {calls_per_hour, aht_s, target_sl, target_s, patience_s};
}

TEST(ErlangC, MatchesTheTextbookExample) {
  // 120 calls an hour of 3 minutes on 10 servers: the probability of waiting is "about 0.10".
  auto f = ErlangC(10, Input(120, 180));
  ASSERT_TRUE(f);
  EXPECT_NEAR(f->p_wait, 0.10129924268741751, 1e-12);
  EXPECT_NEAR(f->asa_s, 4.558465920933788, 1e-9);
  EXPECT_DOUBLE_EQ(f->occupancy, 0.6);
  EXPECT_FALSE(f->p_abandon);
}

TEST(ErlangC, TenErlangsNeedFourteenAgentsForEightyInTwenty) {
  // The classic worked example: 200 calls an hour of 180 s is 10 erlangs; 13 agents answer
  // 79.6% within 20 s, 14 agents 88.8%.
  auto thirteen = ErlangC(13, Input(200, 180));
  ASSERT_TRUE(thirteen);
  EXPECT_NEAR(thirteen->service_level, 0.7955947884177831, 1e-12);
  auto best = FewestAgents(Input(200, 180));
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(best->agents, 14);
  EXPECT_NEAR(best->p_wait, 0.17413193359504983, 1e-12);
  EXPECT_NEAR(best->service_level, 0.8883500191794669, 1e-12);
  EXPECT_NEAR(best->asa_s, 7.835937011777243, 1e-9);
  EXPECT_NEAR(best->occupancy, 10.0 / 14, 1e-15);
}

TEST(ErlangC, IsUnstableAtOrBelowTheLoad) {
  EXPECT_FALSE(ErlangC(10, Input(200, 180)));
  EXPECT_FALSE(ErlangC(9, Input(200, 180)));
  EXPECT_TRUE(ErlangC(11, Input(200, 180)));
}

TEST(ErlangC, StaysFiniteForAThousandCallsAnHourAndHundredsOfAgents) {
  for (double calls : {1'000.0, 10'000.0, 60'000.0}) {
    auto best = FewestAgents(Input(calls, 300, 0.9, 15));
    ASSERT_TRUE(best.has_value()) << calls;
    const double load = calls * 300 / 3600;
    EXPECT_GT(best->agents, load);
    EXPECT_GE(best->service_level, 0.9);
    EXPECT_TRUE(std::isfinite(best->asa_s) && std::isfinite(best->p_wait));
    auto one_fewer = ErlangC(best->agents - 1, Input(calls, 300, 0.9, 15));
    EXPECT_TRUE(!one_fewer || one_fewer->service_level < 0.9) << calls;
  }
}

TEST(ErlangC, ServiceLevelGrowsWithAgents) {
  double last = 0;
  for (int n = 11; n < 40; ++n) {
    auto f = ErlangC(n, Input(200, 180));
    ASSERT_TRUE(f);
    EXPECT_GT(f->service_level, last);
    EXPECT_LE(f->service_level, 1.0);
    last = f->service_level;
  }
}

struct ErlangACase {
  int agents;
  StaffingInput in;
  double p_wait, service_level, p_abandon, asa_s, occupancy;
};

TEST(ErlangA, MatchesTheIndependentReference) {
  const ErlangACase cases[] = {
      {9, Input(200, 180, 0.8, 20, 60), 0.524905400195549, 0.6270253338348943, 0.21322380049864703,
       10.408443911327387, 0.8741957772237254},
      {12, Input(200, 180, 0.8, 20, 60), 0.2404261083558744, 0.8603006596476895, 0.07590179693345046,
       3.519832408587414, 0.7700818358887913},
      {3, Input(60, 120, 0.8, 10, 30), 0.2640400922044314, 0.7757797929284537, 0.16236391701601177,
       2.3332800793807342, 0.5584240553226588},
      // Overloaded (6 erlangs on 5 agents) and a target of 0 s: SL is the share not delayed.
      {5, Input(300, 120, 0.8, 0, 90), 0.9508380962094065, 0.049161903790593674, 0.5072102430029143,
       53.32432201236851, 0.9855795139941714},
      {40, Input(1000, 150, 0.8, 30, 120), 0.5914622969278336, 0.8181926971692633, 0.08691218761982826,
       10.073290375078352, 0.9511331378960124},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.agents);
    QueueFigures f = ErlangA(c.agents, c.in);
    EXPECT_EQ(f.agents, c.agents);
    EXPECT_NEAR(f.p_wait, c.p_wait, 1e-9);
    EXPECT_NEAR(f.service_level, c.service_level, 1e-9);
    ASSERT_TRUE(f.p_abandon);
    EXPECT_NEAR(*f.p_abandon, c.p_abandon, 1e-9);
    EXPECT_NEAR(f.asa_s, c.asa_s, 1e-7);
    EXPECT_NEAR(f.occupancy, c.occupancy, 1e-9);
  }
}

TEST(ErlangA, AgreesWithGarnettMandelbaumReimanClosedForms) {
  // P(W>0) = A(x,y)E / (1 + (A(x,y) - 1)E) and P(Ab) = (1/(ρA(x,y)) + 1 - 1/ρ) P(W>0), with E the
  // Erlang B blocking: solve the first for A(x,y), then the second must hold.
  for (int n : {4, 8, 12, 20}) {
    const StaffingInput in = Input(200, 180, 0.8, 20, 45);
    const QueueFigures f = ErlangA(n, in);
    const double e = std::exp(-LogInverseErlangB(n, 10.0));
    const double a = f.p_wait * (1 - e) / (e * (1 - f.p_wait));
    const double rho = 10.0 / n;
    EXPECT_NEAR(*f.p_abandon, (1 / (rho * a) + 1 - 1 / rho) * f.p_wait, 1e-12) << n;
  }
}

TEST(ErlangA, WithEndlessPatienceIsErlangC) {
  for (int n : {11, 14, 20}) {
    auto c = ErlangC(n, Input(200, 180));
    auto a = ErlangA(n, Input(200, 180, 0.8, 20, 1e8));
    ASSERT_TRUE(c);
    EXPECT_NEAR(a.service_level, c->service_level, 1e-4) << n;
    EXPECT_NEAR(a.p_wait, c->p_wait, 1e-4) << n;
    EXPECT_NEAR(a.asa_s, c->asa_s, 1e-2) << n;
    EXPECT_LT(*a.p_abandon, 1e-4) << n;
  }
}

TEST(ErlangA, ServiceLevelGrowsWithAgentsEvenBelowTheLoad) {
  double last = -1;
  for (int n = 1; n < 30; ++n) {
    QueueFigures f = ErlangA(n, Input(200, 180, 0.8, 20, 60));
    EXPECT_GT(f.service_level, last) << n;
    EXPECT_GE(*f.p_abandon, 0);
    EXPECT_LE(f.occupancy, 1);
    last = f.service_level;
  }
}

TEST(ErlangA, NeedsFewerAgentsThanErlangCWhenCallersGiveUp) {
  auto a = FewestAgents(Input(200, 180, 0.8, 20, 60));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->agents, 12);  // 11 agents answer 79.65% within 20 s
  EXPECT_NEAR(a->service_level, 0.8603006596476895, 1e-9);
  ASSERT_TRUE(a->p_abandon);
  EXPECT_EQ(FewestAgents(Input(200, 180))->agents, 14);
}

TEST(ErlangA, FindsTheFewestForABigCenterQuickly) {
  for (double patience : {5.0, 60.0, 3600.0}) {
    auto best = FewestAgents(Input(60'000, 300, 0.95, 20, patience));
    ASSERT_TRUE(best.has_value()) << patience;
    EXPECT_GE(best->service_level, 0.95);
    EXPECT_LT(ErlangA(best->agents - 1, Input(60'000, 300, 0.95, 20, patience)).service_level, 0.95);
  }
}

TEST(Staffing, RefusesInputsOutOfBoundsNamingTheField) {
  auto field = [](StaffingInput in) {
    auto r = FewestAgents(in);
    return r.has_error() ? r.error().field : std::string("(accepted)");
  };
  EXPECT_EQ(field(Input(0, 180)), "calls_per_hour");
  EXPECT_EQ(field(Input(-5, 180)), "calls_per_hour");
  EXPECT_EQ(field(Input(NAN, 180)), "calls_per_hour");
  EXPECT_EQ(field(Input(200'000, 180)), "calls_per_hour");
  EXPECT_EQ(field(Input(100'000, 7'200)), "calls_per_hour");  // 200,000 erlangs
  EXPECT_EQ(field(Input(200, 0)), "aht_s");
  EXPECT_EQ(field(Input(200, INFINITY)), "aht_s");
  EXPECT_EQ(field(Input(200, 180, 1)), "target_sl");
  EXPECT_EQ(field(Input(200, 180, 0)), "target_sl");
  EXPECT_EQ(field(Input(200, 180, 80)), "target_sl");
  EXPECT_EQ(field(Input(200, 180, 0.8, -1)), "target_s");
  EXPECT_EQ(field(Input(200, 180, 0.8, 20, 0)), "patience_s");
  EXPECT_EQ(field(Input(200, 180, 0.8, 20, 86'400)), "patience_s");
  EXPECT_EQ(field(Input(200, 180, 0.8, 0, 60)), "(accepted)");
}

}  // namespace
}  // namespace hotline::reports

// Poisson tails against direct sums (computed in Python with lgamma), and keyword candidates.
#include "reports/topic_stats.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace hotline::reports {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(PoissonTail, MatchesDirectSums) {
  EXPECT_EQ(PoissonTailLog10(0, 3.0), 0);
  EXPECT_NEAR(PoissonTailLog10(1, 1.0), std::log10(1 - std::exp(-1.0)), 1e-12);
  EXPECT_NEAR(PoissonTailLog10(1, 1.0), -0.19920008462778144, 1e-12);
  EXPECT_NEAR(PoissonTailLog10(3, 0.25), -2.665245425232793, 1e-10);
  EXPECT_NEAR(PoissonTailLog10(5, 10.0), -0.012893803376411292, 1e-10);
  EXPECT_NEAR(PoissonTailLog10(40, 5.0), -22.068032678552353, 1e-8);
  EXPECT_NEAR(PoissonTailLog10(1100, 1000.0), -3.016540424716222, 1e-8);
}

TEST(PoissonTail, StaysFiniteFarOutInTheTail) {
  const double v = PoissonTailLog10(5000, 0.01);
  EXPECT_TRUE(std::isfinite(v));
  EXPECT_LT(v, -10000);
}

TEST(KeywordCandidates, TakesChineseSequencesAndLatinWords) {
  auto k = KeywordCandidates("孩子被蜱虫咬了，H1N1 流感？2024年 ＨＰＶ疫苗 a");
  EXPECT_TRUE(Has(k, "蜱虫"));
  EXPECT_TRUE(Has(k, "被蜱虫"));
  EXPECT_TRUE(Has(k, "被蜱虫咬"));
  EXPECT_FALSE(Has(k, "孩子被蜱虫"));  // at most four characters
  EXPECT_FALSE(Has(k, "咬了流感"));    // punctuation splits runs
  EXPECT_TRUE(Has(k, "h1n1"));
  EXPECT_TRUE(Has(k, "流感"));
  EXPECT_TRUE(Has(k, "hpv"));
  EXPECT_TRUE(Has(k, "疫苗"));
  EXPECT_FALSE(Has(k, "2024"));  // digits alone are dates and numbers, not topics
  EXPECT_FALSE(Has(k, "a"));
  EXPECT_FALSE(Has(k, "年"));
  EXPECT_TRUE(std::is_sorted(k.begin(), k.end()));
  EXPECT_EQ(std::adjacent_find(k.begin(), k.end()), k.end());
}

TEST(KeywordCandidates, SurvivesBrokenUtf8) {
  auto k = KeywordCandidates(std::string("发烧\xff\xfe咳嗽\xe5"));
  EXPECT_TRUE(Has(k, "发烧"));
  EXPECT_TRUE(Has(k, "咳嗽"));
  EXPECT_EQ(CodePoints("手足口病"), 4u);
}

}  // namespace
}  // namespace hotline::reports

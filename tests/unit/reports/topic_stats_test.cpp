// Poisson tails against direct sums (computed in Python with lgamma), keyword candidates, and
// the fast paths of hot topics against their definitions: FirstChars against SQLite's substr(),
// KeywordCounter against ForEachKeyword counted by brute force.
#include "reports/topic_stats.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "hotline/storage/sqlite.hpp"
#include "reports/keyword_counter.hpp"

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

TEST(KeywordCandidates, OverlongFormsAreNotCharacters) {
  // 中 (U+4E2D) spelled in four bytes instead of three: not a character, so not a keyword
  // that would print differently from the text it came from.
  EXPECT_TRUE(KeywordCandidates("\xF0\x84\xB8\xAD\xF0\x84\xB8\xAD").empty());
  EXPECT_EQ(KeywordCandidates("中中"), (std::vector<std::string>{"中中"}));
}

TEST(FirstChars, CutsWhereSqliteSubstrCuts) {
  storage::Connection db(":memory:", false);
  // Chinese, ASCII, a supplementary character, stray and truncated sequences, 0 bytes.
  const std::vector<std::string> pieces = {
      "发", "烧",   "a",    "Z",    " ",        "，",   "𠀀",
      "é",  "\x80", "\xbf", "\xc3", "\xe5\x8f", "\xff", std::string(1, '\0')};
  std::mt19937 rng(7);
  for (int t = 0; t < 3000; ++t) {
    std::string s;
    const int length = static_cast<int>(rng() % 48);
    for (int i = 0; i < length; ++i) s += pieces[rng() % (t % 3 == 0 ? pieces.size() : 7)];
    const int n = static_cast<int>(rng() % 64);
    auto q = db.Prepare("SELECT substr(?1, 1, ?2)");
    q->BindAll(std::string_view(s), n);
    ASSERT_TRUE(q->Step());
    ASSERT_EQ(FirstChars(s, static_cast<size_t>(n)), q->Text(0)) << "text #" << t << ", n " << n;
  }
}

// ---- KeywordCounter against brute force -----------------------------------------------

/// Few characters, so that sequences repeat: the main Chinese block, a compatibility ideograph
/// (豈) and a supplementary one (𠀀), Latin words (folded and not), digits and separators.
std::string RandomText(std::mt19937& rng) {
  static const std::vector<std::string> han = {"发", "烧", "咳", "嗽", "疫", "苗", "豈", "𠀀"};
  static const std::vector<std::string> latin = {"hpv", "H1N1", "ＨＰＶ", "2024", "x"};
  static const std::vector<std::string> gaps = {"", "，", " ", "。"};
  std::string out;
  const int segments = 1 + static_cast<int>(rng() % 6);
  for (int s = 0; s < segments; ++s) {
    if (rng() % 5 == 0) {
      out += latin[rng() % latin.size()];
    } else {
      const int n = 1 + static_cast<int>(rng() % 7);
      for (int i = 0; i < n; ++i) {
        const size_t choices = rng() % 4 == 0 ? han.size() : 4;  // the first four most often
        out += han[rng() % choices];
      }
    }
    out += gaps[rng() % gaps.size()];
  }
  return out;
}

struct Corpus {
  std::vector<std::string> window;
  std::vector<std::string> baseline;
};

Corpus RandomCorpus(std::mt19937& rng, size_t window, size_t baseline) {
  Corpus c;
  for (size_t i = 0; i < window; ++i) c.window.push_back(RandomText(rng));
  for (size_t i = 0; i < baseline; ++i) c.baseline.push_back(RandomText(rng));
  return c;
}

/// What KeywordCounter must answer, by ForEachKeyword and maps, by name.
std::map<std::string, TopicTally> BruteForce(const Corpus& c, int min_count,
                                             const KeywordCounter::Keep& keep) {
  std::map<std::string, TopicTally> all;
  for (uint32_t d = 0; d < c.window.size(); ++d) {
    for (const std::string& k : KeywordCandidates(c.window[d])) {
      TopicTally& t = all[k];
      t.name = k;
      ++t.count;
      t.docs.push_back(d);
    }
  }
  for (const std::string& text : c.baseline) {
    for (const std::string& k : KeywordCandidates(text)) {
      if (auto it = all.find(k); it != all.end()) ++it->second.baseline;
    }
  }
  std::erase_if(all, [&](const auto& e) {
    return e.second.count < min_count || !keep(e.second.count, e.second.baseline);
  });
  return all;
}

std::map<std::string, TopicTally> Counted(const Corpus& c, int min_count,
                                          const KeywordCounter::Keep& keep) {
  KeywordCounter counter(min_count, keep);
  for (const std::string& text : c.window) counter.AddWindow(text);
  for (const std::string& text : c.baseline) counter.AddBaseline(text);
  std::map<std::string, TopicTally> out;
  for (TopicTally& t : counter.Collect()) {
    const std::string name = t.name;
    EXPECT_TRUE(out.emplace(name, std::move(t)).second) << "twice: " << name;
  }
  return out;
}

void ExpectSame(const std::map<std::string, TopicTally>& got,
                const std::map<std::string, TopicTally>& want) {
  EXPECT_EQ(got.size(), want.size());
  for (const auto& [name, w] : want) {
    auto it = got.find(name);
    if (it == got.end()) {
      ADD_FAILURE() << "missing " << name;
      continue;
    }
    EXPECT_EQ(it->second.count, w.count) << name;
    EXPECT_EQ(it->second.baseline, w.baseline) << name;
    EXPECT_EQ(it->second.docs, w.docs) << name;
  }
}

TEST(KeywordCounter, CountsEveryFrequentKeywordAsForEachKeywordFindsThem) {
  std::mt19937 rng(12320);
  const auto all = [](int, int) { return true; };
  for (size_t baseline : {size_t{0}, size_t{40}, size_t{1500}}) {
    const Corpus c = RandomCorpus(rng, 300, baseline);
    const auto want = BruteForce(c, 3, all);
    EXPECT_GT(want.size(), 100u);  // 2-, 3- and 4-character ones, and Latin words
    ExpectSame(Counted(c, 3, all), want);
  }
}

TEST(KeywordCounter, KeepsExactlyWhatKeepAcceptsWhenItStopsCountingTheRest) {
  std::mt19937 rng(4);
  // As hot topics does: false for good once the baseline is large enough (here about its
  // usual level, 12.5 times the window's). Enough baseline work orders for the counter to drop
  // what can no longer be kept several times on the way.
  const KeywordCounter::Keep rising = [](int count, int baseline) {
    return 13 * count > baseline + 20;
  };
  for (int round = 0; round < 3; ++round) {
    const Corpus c = RandomCorpus(rng, 200, 2500);
    const auto want = BruteForce(c, 3, rising);
    const auto frequent = BruteForce(c, 3, [](int, int) { return true; });
    EXPECT_GT(want.size(), 10u);
    EXPECT_LT(want.size() + 10, frequent.size());
    ExpectSame(Counted(c, 3, rising), want);
  }
}

TEST(KeywordCounter, AnswersNothingForNothing) {
  KeywordCounter empty(3, [](int, int) { return true; });
  EXPECT_TRUE(empty.Collect().empty());
  KeywordCounter baseline_only(3, [](int, int) { return true; });
  baseline_only.AddBaseline("发烧发烧发烧 hpv hpv");
  EXPECT_TRUE(baseline_only.Collect().empty());
}

}  // namespace
}  // namespace hotline::reports

// TextMatcher decides as the text index decides: checked against FTS5 itself on random texts
// mixing plain characters with ones unicode61 folds (full-width letters, the Kelvin sign) or
// drops (℃, emoji), across separators.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "hotline/storage/sqlite.hpp"
#include "workorder/search_text.hpp"
#include "workorder/text_match.hpp"

namespace hotline::workorder {
namespace {

// The index table of schema/0008_ticket_text_unigrams.sql.
constexpr const char* kIndexTable =
    "CREATE VIRTUAL TABLE ticket_text USING fts5(grams, content='', columnsize=0, prefix='1',"
    " tokenize='unicode61 remove_diacritics 0')";

const std::vector<std::string>& Alphabet() {
  static const std::vector<std::string> chars = {
      "发", "烧", "孩", "子", "编", "号", "a", "b", "K", "k", "1", "2",  // plain
      "Ｋ", "ｋ", "\u212A" /* Kelvin sign */, "ſ", "é", "É", "１", "℃", "①", "😀",
      "\u9FCC" /* beyond U+9FA5 */, "，", " ", "\n", "-"};
  return chars;
}

std::string RandomText(std::mt19937& rng, size_t max_chars) {
  std::string s;
  size_t n = 1 + rng() % max_chars;
  const auto& a = Alphabet();
  for (size_t i = 0; i < n; ++i) s += a[rng() % a.size()];
  return s;
}

// Two to five characters that are plain in a query: a query with any other is not matched
// in C++ (the list keeps the whole expression in the index then).
std::string PlainText(std::mt19937& rng) {
  std::string s;
  for (size_t i = 0, n = 2 + rng() % 4; i < n; ++i) s += Alphabet()[rng() % 12];
  return s;
}

class TextMatcherTest : public ::testing::Test {
 protected:
  TextMatcherTest() : c_(":memory:", false) { c_.Exec(kIndexTable); }

  int64_t Add(const std::string& subject, const std::string& description) {
    docs_.push_back({subject, description});
    auto id = static_cast<int64_t>(docs_.size());
    c_.Prepare("INSERT INTO ticket_text(rowid, grams) VALUES (?1, ?2)")
        ->BindAll(id, TicketGrams(subject, description))
        .Run();
    return id;
  }

  std::set<int64_t> ByIndex(const std::string& match) {
    std::set<int64_t> out;
    auto q = c_.Prepare("SELECT rowid FROM ticket_text WHERE ticket_text MATCH ?1");
    q->BindAll(match);
    while (q->Step()) out.insert(q->Int(0));
    return out;
  }

  std::set<int64_t> ByMatcher(const TextQuery& query) {
    TextMatcher m(query, c_.handle());
    std::set<int64_t> out;
    for (size_t i = 0; i < docs_.size(); ++i) {
      if (m.Matches(docs_[i].first, docs_[i].second)) out.insert(static_cast<int64_t>(i + 1));
    }
    return out;
  }

  storage::Connection c_;
  std::vector<std::pair<std::string, std::string>> docs_;
};

TEST_F(TextMatcherTest, AgreesWithTheIndexOnRandomTexts) {
  std::mt19937 rng(20261124);
  for (int i = 0; i < 400; ++i) Add(RandomText(rng, 8), RandomText(rng, 30));
  int compared = 0;
  for (int i = 0; i < 3000; ++i) {
    // Pieces of the texts themselves, so that most queries find something.
    const auto& doc = docs_[rng() % docs_.size()];
    std::string text = doc.first + "\n" + doc.second;
    size_t from = rng() % text.size(), len = 1 + rng() % 12;
    std::string q = i % 3 == 0   ? PlainText(rng)
                    : i % 3 == 1 ? text.substr(from, len)
                                 : Alphabet()[rng() % 12];  // one plain character
    auto query = ParseTextQuery(q);
    if (!query || !query->plain) continue;
    ++compared;
    EXPECT_EQ(ByMatcher(*query), ByIndex(MatchExpression(*query))) << "query [" << q << "]";
  }
  EXPECT_GT(compared, 2000);
}

TEST_F(TextMatcherTest, FollowsTheIndexAcrossRunsAndFoldedCharacters) {
  int64_t across = Add("门诊", "诊挂");              // 门诊 诊 | 诊挂 挂
  int64_t kelvin = Add("\u212Aa", "");              // unicode61 folds the Kelvin sign to k
  int64_t dropped = Add("发烧，℃℃", "烧退");        // ℃℃ is no token at all
  int64_t upper = Add("ABC", "");
  struct Case {
    const char* query;
    std::set<int64_t> expected;
  };
  const Case cases[] = {
      // A run's last character stands between its bigrams and the next run's: no phrase
      // runs on from one run into the next.
      {"门诊挂", {}},
      {"发烧退", {}},
      {"ka", {kelvin}},
      {"abc", {upper}},
      // One character: at the start, in the middle, at the end of a run, folded.
      {"门", {across}},
      {"b", {upper}},
      {"c", {upper}},
      {"挂", {across}},
      {"退", {dropped}},
      {"k", {kelvin}},
      {"a", {kelvin, upper}},
      {"a 诊", {}},
      {"诊 门诊", {across}},
      {"癌", {}},
  };
  for (const auto& c : cases) {
    auto q = ParseTextQuery(c.query);
    ASSERT_TRUE(q && q->plain) << c.query;
    EXPECT_EQ(ByIndex(MatchExpression(*q)), c.expected) << c.query;
    EXPECT_EQ(ByMatcher(*q), c.expected) << c.query;
  }
}

TEST(SearchText, QueriesAsPhrasesOfGrams) {
  auto q = ParseTextQuery("编号12345 门诊");
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->plain);
  EXPECT_EQ(q->phrases, (std::vector<std::vector<std::string>>{
                            {"编号", "号1", "12", "23", "34", "45"}, {"门诊"}}));
  EXPECT_EQ(MatchExpression(*q), "\"编号 号1 12 23 34 45\" AND \"门诊\"");
  // Left-out grams split a phrase; a phrase left out entirely is gone.
  std::vector<std::vector<bool>> keep = {{false, true, true, false, true, true}, {false}};
  EXPECT_EQ(MatchExpression(*q, &keep), "\"号1 12\" AND \"34 45\"");
  EXPECT_FALSE(ParseTextQuery("Ｃ反应蛋白")->plain);
  // One-character runs are prefix phrases; a lone symbol is left to LIKE.
  auto lone = ParseTextQuery("发 烧烧");
  ASSERT_TRUE(lone);
  EXPECT_EQ(lone->phrases, (std::vector<std::vector<std::string>>{{"发"}, {"烧烧"}}));
  EXPECT_EQ(lone->one_char, (std::vector<bool>{true, false}));
  EXPECT_EQ(MatchExpression(*lone), "\"发\" * AND \"烧烧\"");
  EXPECT_FALSE(ParseTextQuery("发 ℃"));
}

}  // namespace
}  // namespace hotline::workorder

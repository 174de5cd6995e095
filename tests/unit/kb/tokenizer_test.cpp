#include "hotline/kb/tokenizer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

namespace hotline::kb {
namespace {

/// Tokens as "text" and "+text" for one at the same position as the one before.
std::vector<std::string> Cut(std::string_view text, TokenizeMode mode) {
  std::vector<std::string> out;
  Tokenize(text, mode, [&](const Token& t) {
    out.push_back((t.colocated ? "+" : "") + t.text);
    return true;
  });
  return out;
}

using V = std::vector<std::string>;

TEST(Tokenizer, DocumentGivesEachCharacterAndThePairStartingThere) {
  EXPECT_EQ(Cut("发烧了", TokenizeMode::kDocument), (V{"发", "+发烧", "烧", "+烧了", "了"}));
}

TEST(Tokenizer, QueryGivesPairsSoTwoCharacterWordsAreOneToken) {
  EXPECT_EQ(Cut("发烧", TokenizeMode::kQuery), (V{"发烧"}));
  EXPECT_EQ(Cut("狂犬病", TokenizeMode::kQuery), (V{"狂犬", "犬病"}));
}

TEST(Tokenizer, QueryKeepsALoneCharacter) {
  EXPECT_EQ(Cut("狗", TokenizeMode::kQuery), (V{"狗"}));
  EXPECT_EQ(Cut("HPV 针", TokenizeMode::kQuery), (V{"hpv", "针"}));
}

TEST(Tokenizer, AsciiWordsAndNumbersAreLowerCasedWords) {
  EXPECT_EQ(Cut("HPV疫苗 H1N1 拨打12320", TokenizeMode::kQuery),
            (V{"hpv", "疫苗", "h1n1", "拨打", "12320"}));
}

TEST(Tokenizer, PunctuationOfAnyWidthEndsAChineseRun) {
  // No pair may straddle a comma: "烧头" would match text that never says it.
  EXPECT_EQ(Cut("发烧，头痛。咳嗽、乏力!", TokenizeMode::kQuery), (V{"发烧", "头痛", "咳嗽", "乏力"}));
  EXPECT_EQ(Cut("「疫苗」（接种）", TokenizeMode::kQuery), (V{"疫苗", "接种"}));
}

TEST(Tokenizer, FullWidthLettersAndDigitsFoldToAscii) {
  EXPECT_EQ(Cut("ＨＰＶ　１２３２０", TokenizeMode::kQuery), (V{"hpv", "12320"}));
}

TEST(Tokenizer, TraditionalCharactersFoldToSimplified) {
  EXPECT_EQ(Cut("發燒掛號", TokenizeMode::kQuery), (V{"发烧", "烧挂", "挂号"}));
  EXPECT_EQ(Cut("醫院預約疫苗接種", TokenizeMode::kQuery),
            Cut("医院预约疫苗接种", TokenizeMode::kQuery));
}

TEST(Tokenizer, OffsetsAreBytesOfTheOriginalText) {
  std::vector<Token> tokens;
  Tokenize("ＨＰＶ疫苗", TokenizeMode::kDocument, [&](const Token& t) {
    tokens.push_back(t);
    return true;
  });
  ASSERT_EQ(tokens.size(), 4u);  // hpv, 疫, +疫苗, 苗
  EXPECT_EQ(tokens[0].start, 0u);
  EXPECT_EQ(tokens[0].end, 9u);  // three full-width letters of three bytes
  EXPECT_EQ(tokens[2].text, "疫苗");
  EXPECT_EQ(tokens[2].start, 9u);
  EXPECT_EQ(tokens[2].end, 15u);
}

TEST(Tokenizer, InvalidUtf8SeparatesInsteadOfFailing) {
  EXPECT_EQ(Cut("abc\xff\xfe" "def\xe5", TokenizeMode::kQuery), (V{"abc", "def"}));
}

TEST(Tokenizer, StopsWhenTheCallerSaysSo) {
  int n = 0;
  Tokenize("一二三四五", TokenizeMode::kDocument, [&](const Token&) { return ++n < 3; });
  EXPECT_EQ(n, 3);
}

// --- registered with SQLite ---------------------------------------------------------------

class Fts5Table : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    ASSERT_EQ(RegisterTokenizer(db_), SQLITE_OK);
    Exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='hotline_cjk')");
  }
  void TearDown() override { sqlite3_close(db_); }

  void Exec(const std::string& sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  }
  void Insert(int id, const std::string& body) {
    Exec("INSERT INTO t(rowid, body) VALUES (" + std::to_string(id) + ", '" + body + "')");
  }
  std::vector<int> Match(const std::string& expr) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid", -1, &s,
                                 nullptr),
              SQLITE_OK);
    sqlite3_bind_text(s, 1, expr.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<int> ids;
    while (sqlite3_step(s) == SQLITE_ROW) ids.push_back(sqlite3_column_int(s, 0));
    sqlite3_finalize(s);
    return ids;
  }

  sqlite3* db_ = nullptr;
};

TEST_F(Fts5Table, TwoCharacterWordMatchesOnlyWhereTheWordIs) {
  Insert(1, "孩子发烧三天了");
  Insert(2, "发热门诊与烧伤科");  // both characters, never together
  EXPECT_EQ(Match("\"发烧\""), (std::vector<int>{1}));
}

TEST_F(Fts5Table, LongerWordMatchesAsAPhraseOfPairs) {
  Insert(1, "被狗咬伤后要打狂犬病疫苗");
  Insert(2, "狂犬和病猫");  // 狂犬 and 病 but not 犬病
  EXPECT_EQ(Match("\"狂犬病\""), (std::vector<int>{1}));
  EXPECT_EQ(Match("\"狂犬病疫苗\""), (std::vector<int>{1}));
}

TEST_F(Fts5Table, SingleCharacterQueryMatches) {
  Insert(1, "被狗咬了");
  Insert(2, "被猫抓了");
  EXPECT_EQ(Match("\"狗\""), (std::vector<int>{1}));
}

TEST_F(Fts5Table, AsciiWordsMatchWhateverTheirWidthOrCase) {
  Insert(1, "ＨＰＶ疫苗（九价）");
  Insert(2, "甲型H1N1流感");
  Insert(3, "请拨打１２３２０");
  EXPECT_EQ(Match("hpv"), (std::vector<int>{1}));
  EXPECT_EQ(Match("\"h1n1\""), (std::vector<int>{2}));
  EXPECT_EQ(Match("\"12320\""), (std::vector<int>{3}));
  EXPECT_EQ(Match("\"ＨＰＶ疫苗\""), (std::vector<int>{1}));
}

TEST_F(Fts5Table, TraditionalAndSimplifiedFindEachOther) {
  Insert(1, "發燒應到發熱門診就診");
  Insert(2, "预约挂号请提前一天");
  EXPECT_EQ(Match("\"发烧\""), (std::vector<int>{1}));
  EXPECT_EQ(Match("\"掛號\""), (std::vector<int>{2}));
}

TEST_F(Fts5Table, PrefixQueryCompletesAWord) {
  Insert(1, "HPV疫苗");
  Insert(2, "HIV检测");
  EXPECT_EQ(Match("\"hp\"*"), (std::vector<int>{1}));
  EXPECT_EQ(Match("\"h\"*"), (std::vector<int>{1, 2}));
}

TEST(TokenizerRegistration, UnknownOptionIsRefused) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_EQ(RegisterTokenizer(db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(b, tokenize='hotline_cjk x')", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace
}  // namespace hotline::kb

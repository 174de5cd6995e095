// Retrieval quality on the real content: the starter knowledge base and synonyms of
// config/kb/, and the questions agents ask in tests/unit/kb/retrieval_set.json.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "hotline/kb/io.hpp"
#include "kb_fixture.hpp"

namespace hotline::kb::testing {
namespace {

constexpr double kMinRecallAt3 = 0.85;
constexpr int kDepth = 10;  // MRR counts ranks down to here

std::string SourceFile(const std::string& relative) {
  const char* root = std::getenv("HOTLINE_SOURCE_DIR");
  return (root && *root ? std::string(root) : std::string(".")) + "/" + relative;
}

core::Json ReadJson(const std::string& relative) {
  std::ifstream in(SourceFile(relative));
  if (!in) ADD_FAILURE() << "cannot read " << SourceFile(relative);
  std::stringstream text;
  text << in.rdbuf();
  return core::Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
}

class Retrieval : public KbTest {
 protected:
  void LoadContent() {
    auto starter = ReadJson("config/kb/starter.json");
    auto report = kb_.ImportJson(core::Actor::System(), starter);
    for (const auto& e : report.errors) ADD_FAILURE() << "starter.json row " << e.row << ": " << e.message;
    auto synonyms = SynonymsFromJson(ReadJson("config/kb/synonyms.json"));
    ASSERT_TRUE(synonyms.has_value()) << synonyms.error().message;
    ASSERT_TRUE(kb_.PutSynonyms(core::Actor::System(), *synonyms).has_value());
  }
};

TEST_F(Retrieval, StarterKnowledgeBaseAnswersTheRetrievalSetAtRecallAt3Of85Percent) {
  LoadContent();
  auto set = ReadJson("tests/unit/kb/retrieval_set.json");
  ASSERT_TRUE(set.is_array() && !set.empty()) << "retrieval_set.json is not a non-empty array";
  int in_top3 = 0;
  double reciprocal_sum = 0;
  for (const auto& item : set) {
    std::string q = item.at("q").get<std::string>();
    std::string expect = item.at("expect").get<std::string>();
    auto hits = kb_.Search(q, {.limit = kDepth, .record_gap = false});
    int rank = 0;
    for (size_t i = 0; i < hits.size() && rank == 0; ++i) {
      if (hits[i].title == expect) rank = static_cast<int>(i) + 1;
    }
    if (rank >= 1 && rank <= 3) ++in_top3;
    if (rank > 0) reciprocal_sum += 1.0 / rank;
    if (rank == 0 || rank > 3) {
      std::cout << "  miss: \"" << q << "\" -> rank " << (rank ? std::to_string(rank) : "none")
                << " of \"" << expect << "\"; first: \"" << (hits.empty() ? "" : hits[0].title) << "\"\n";
    }
  }
  double n = static_cast<double>(set.size());
  double recall = in_top3 / n;
  double mrr = reciprocal_sum / n;
  std::cout << "retrieval: " << set.size() << " questions, recall@3 = " << recall
            << ", MRR@" << kDepth << " = " << mrr << "\n";
  RecordProperty("recall_at_3", std::to_string(recall));
  RecordProperty("mrr", std::to_string(mrr));
  EXPECT_GE(recall, kMinRecallAt3);
}

TEST_F(Retrieval, EveryExpectedTitleIsInTheStarterKnowledgeBase) {
  LoadContent();
  auto set = ReadJson("tests/unit/kb/retrieval_set.json");
  std::set<std::string> titles;
  for (const auto& e : kb_.ExportJson(core::TimeZone::Utc())) titles.insert(e["title"].get<std::string>());
  for (const auto& item : set) {
    std::string expect = item.at("expect").get<std::string>();
    EXPECT_TRUE(titles.count(expect)) << "retrieval_set.json expects \"" << expect << "\", which starter.json lacks";
  }
}

}  // namespace
}  // namespace hotline::kb::testing

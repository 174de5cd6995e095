#include "corpus.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace hotline::kb::bench {
namespace {

const std::vector<std::string> kDistricts = {
    "东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "通州区", "顺义区",
    "昌平区", "大兴区", "房山区", "门头沟区", "怀柔区", "平谷区", "密云区", "延庆区"};
const std::vector<std::string> kPlaces = {
    "社区卫生服务中心", "疾病预防控制中心", "妇幼保健院", "卫生健康委员会", "卫生监督所",
    "中医医院", "儿童医院", "第一医院", "第二医院", "急救中心"};

/// Sentences of a text, each with its closing punctuation.
std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    cur += text[i];
    for (const char* end : {"。", "；", "！", "？"}) {
      if (cur.size() >= 3 && cur.compare(cur.size() - 3, 3, end) == 0) {
        out.push_back(cur);
        cur.clear();
        break;
      }
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

}  // namespace

core::Json ReadSourceJson(const std::string& relative) {
  const char* root = std::getenv("HOTLINE_SOURCE_DIR");
  std::string path = (root && *root ? std::string(root) : std::string(".")) + "/" + relative;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path + " (set HOTLINE_SOURCE_DIR)");
  std::stringstream text;
  text << in.rdbuf();
  return core::Json::parse(text.str());
}

core::Json MakeCorpus(const core::Json& starter, size_t count, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::vector<std::string>> sentences;
  for (const auto& e : starter) sentences.push_back(Sentences(e["body"].get<std::string>()));
  core::Json out = core::Json::array();
  for (size_t i = 0; i < count; ++i) {
    size_t base = i % starter.size();
    const auto& e = starter[base];
    // Variant v of an entry: a district, an institution and an edition year, so that titles
    // stay distinct (up to 1,760 variants) without words that no real entry would have.
    size_t v = i / starter.size();
    const std::string& district = kDistricts[v % kDistricts.size()];
    const std::string& place = kPlaces[(v / kDistricts.size()) % kPlaces.size()];
    std::string year = std::to_string(2015 + (v / (kDistricts.size() * kPlaces.size())) % 11);
    std::string title = e["title"].get<std::string>();
    if (v > 0) title = district + place + "：" + title + "（" + year + "年版）";
    // The entry's own sentences, rotated, with one sentence of another entry.
    auto own = sentences[base];
    if (v > 0 && own.size() > 1) std::rotate(own.begin(), own.begin() + rng() % own.size(), own.end());
    const auto& other = sentences[rng() % sentences.size()];
    std::string body = v > 0 ? district + place + "提示：" : std::string();
    for (const auto& s : own) body += s;
    if (v > 0 && !other.empty()) body += other[rng() % other.size()];
    core::Json keywords = e["keywords"];
    if (v > 0) keywords.push_back(district);
    out.push_back({{"title", title},
                   {"body", body},
                   {"keywords", keywords},
                   {"category", e["category"]},
                   {"voice", e.value("voice", false)}});
  }
  return out;
}

std::vector<std::string> Questions() {
  std::vector<std::string> out;
  for (const auto& item : ReadSourceJson("tests/unit/kb/retrieval_set.json")) {
    out.push_back(item["q"].get<std::string>());
  }
  return out;
}

std::vector<std::string> Keystrokes(const std::vector<std::string>& questions) {
  std::vector<std::string> out;
  for (const auto& q : questions) {
    for (size_t i = 1; i <= q.size(); ++i) {
      bool boundary = i == q.size() || (static_cast<unsigned char>(q[i]) & 0xC0) != 0x80;
      if (boundary) out.push_back(q.substr(0, i));
    }
  }
  return out;
}

}  // namespace hotline::kb::bench

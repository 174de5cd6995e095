#include "hotline/reports/hot_topics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/keyword_counter.hpp"
#include "reports/topic_stats.hpp"

namespace hotline::reports {
namespace {

using storage::Connection;

constexpr size_t kSamples = 3;
constexpr double kExplained = 0.8;      // share of a keyword's work orders already shown
constexpr int kDescriptionChars = 100;  // enough of a description to carry its topic

/// -log10 of the chance of `count` or more at the usual level, when that makes it rising.
std::optional<double> RisingScore(int count, int baseline, double scale) {
  if (count < kMinTopicCount) return std::nullopt;
  // The usual level with one imagined occurrence, so that a topic never seen before still
  // needs a few work orders to stand out.
  const double usual = (baseline + 1) * scale;
  if (count <= usual) return std::nullopt;
  const double score = -PoissonTailLog10(count, usual);
  if (score < kMinScore) return std::nullopt;
  return score;
}

struct Scored {
  Topic topic;
  size_t length = 0;  // characters, to prefer 手足口病 over 手足口 at equal scores
  const TopicTally* tally = nullptr;
};

/// The rising ones of `tallies`, highest score first (then longer, more, by name).
std::vector<Scored> Rank(const std::vector<TopicTally>& tallies, double scale) {
  std::vector<Scored> out;
  for (const TopicTally& t : tallies) {
    auto score = RisingScore(t.count, t.baseline, scale);
    if (!score) continue;
    Scored s;
    s.topic.name = t.name;
    s.topic.count = t.count;
    s.topic.baseline_count = t.baseline;
    s.topic.expected = t.baseline * scale;
    if (t.baseline > 0) s.topic.ratio = t.count / s.topic.expected;
    s.topic.score = *score;
    s.length = CodePoints(t.name);
    s.tally = &t;
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const Scored& a, const Scored& b) {
    if (a.topic.score != b.topic.score) return a.topic.score > b.topic.score;
    if (a.length != b.length) return a.length > b.length;
    if (a.topic.count != b.topic.count) return a.topic.count > b.topic.count;
    return a.topic.name < b.topic.name;
  });
  return out;
}

Topic WithSamples(const Scored& s, const std::vector<int64_t>& ticket_ids) {
  Topic topic = s.topic;
  const auto& docs = s.tally->docs;
  for (size_t i = 0; i < docs.size() && i < kSamples; ++i) {
    topic.sample_ticket_ids.push_back(ticket_ids[docs[i]]);
  }
  return topic;
}

/// Keeps a keyword only when at least a fifth of its work orders mention none of the
/// keywords kept before it.
std::vector<Topic> Distinct(const std::vector<Scored>& ranked,
                            const std::vector<int64_t>& ticket_ids, int limit) {
  std::vector<bool> shown(ticket_ids.size(), false);
  std::vector<Topic> out;
  for (const Scored& s : ranked) {
    if (out.size() >= static_cast<size_t>(limit)) break;
    const auto& docs = s.tally->docs;
    const auto covered =
        std::count_if(docs.begin(), docs.end(), [&](uint32_t d) { return shown[d]; });
    if (covered >= kExplained * static_cast<double>(docs.size())) continue;
    for (uint32_t d : docs) shown[d] = true;
    out.push_back(WithSamples(s, ticket_ids));
  }
  return out;
}

/// Categories: few, counted in a map.
class CategoryCounter {
 public:
  void AddWindow(const std::string& category, uint32_t doc) {
    if (category.empty()) return;
    TopicTally& t = tallies_[category];
    t.name = category;
    ++t.count;
    t.docs.push_back(doc);
  }
  void AddBaseline(const std::string& category) {
    if (auto it = tallies_.find(category); it != tallies_.end()) ++it->second.baseline;
  }
  std::vector<TopicTally> All() const {
    std::vector<TopicTally> out;
    for (const auto& [name, t] : tallies_) out.push_back(t);
    return out;
  }

 private:
  std::map<std::string, TopicTally> tallies_;
};

}  // namespace

HotTopics FindHotTopics(Connection& c, core::TimePoint now, int days, int limit) {
  HotTopics r;
  r.days = days;
  r.baseline_days = days * kBaselineFactor;
  const core::Millis span = std::chrono::days(days);
  r.window = {now - span, now};
  r.baseline = {r.window.from - span * kBaselineFactor, r.window.from};
  // Newest first: the window, then the baseline. The description is cut here: SQLite's substr()
  // costs more than reading it whole.
  auto q = c.Prepare(
      "SELECT id, accepted_at, coalesce(category, ''), subject, description"
      " FROM tickets WHERE parent_id IS NULL AND accepted_at >= ?1 AND accepted_at < ?2"
      " ORDER BY accepted_at DESC, id DESC");
  q->BindAll(core::ToUnixMillis(r.baseline.from), core::ToUnixMillis(now) + 1);
  std::vector<int64_t> ticket_ids;  // of the window, by index
  const double scale = 1.0 / kBaselineFactor;
  KeywordCounter keywords(kMinTopicCount, [&](int count, int baseline) {
    return RisingScore(count, baseline, scale).has_value();
  });
  CategoryCounter categories;
  std::string text;
  while (q->Step()) {
    const std::string description = q->Text(4);
    text = q->Text(3);
    text += ' ';
    text += FirstChars(description, kDescriptionChars);
    if (core::FromUnixMillis(q->Int(1)) >= r.window.from) {
      categories.AddWindow(q->Text(2), static_cast<uint32_t>(ticket_ids.size()));
      keywords.AddWindow(text);
      ticket_ids.push_back(q->Int(0));
      continue;
    }
    ++r.baseline_work_orders;
    categories.AddBaseline(q->Text(2));
    keywords.AddBaseline(text);
  }
  r.work_orders = static_cast<int>(ticket_ids.size());

  const std::vector<TopicTally> category_tallies = categories.All();  // Scored points into these
  for (const Scored& s : Rank(category_tallies, scale)) {
    if (r.categories.size() >= static_cast<size_t>(limit)) break;
    r.categories.push_back(WithSamples(s, ticket_ids));
  }
  const std::vector<TopicTally> keyword_tallies = keywords.Collect();
  r.keywords = Distinct(Rank(keyword_tallies, scale), ticket_ids, limit);
  return r;
}

}  // namespace hotline::reports

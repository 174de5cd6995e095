#include "hotline/reports/hot_topics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/topic_stats.hpp"

namespace hotline::reports {
namespace {

using storage::Connection;

constexpr size_t kSamples = 3;
constexpr double kExplained = 0.8;      // share of a keyword's work orders already shown
constexpr int kDescriptionChars = 100;  // enough of a description to carry its topic

/// A candidate topic: its counts, and the window work orders (indices) that have it.
struct Tally {
  std::string name;
  int count = 0;
  int baseline = 0;
  std::vector<uint32_t> docs;
};

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
  const Tally* tally = nullptr;
};

/// The rising ones of `tallies`, highest score first (then longer, more, by name).
std::vector<Scored> Rank(const std::vector<Tally>& tallies, double scale) {
  std::vector<Scored> out;
  for (const Tally& t : tallies) {
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
  for (size_t i = 0; i < docs.size() && i < kSamples; ++i) topic.sample_ticket_ids.push_back(ticket_ids[docs[i]]);
  return topic;
}

/// Keeps a keyword only when at least a fifth of its work orders mention none of the
/// keywords kept before it.
std::vector<Topic> Distinct(const std::vector<Scored>& ranked, const std::vector<int64_t>& ticket_ids,
                            int limit) {
  std::vector<bool> shown(ticket_ids.size(), false);
  std::vector<Topic> out;
  for (const Scored& s : ranked) {
    if (out.size() >= static_cast<size_t>(limit)) break;
    const auto& docs = s.tally->docs;
    const auto covered = std::count_if(docs.begin(), docs.end(), [&](uint32_t d) { return shown[d]; });
    if (covered >= kExplained * static_cast<double>(docs.size())) continue;
    for (uint32_t d : docs) shown[d] = true;
    out.push_back(WithSamples(s, ticket_ids));
  }
  return out;
}

/// Keyword hash -> a dense index: open addressing with linear probing, one cache line per
/// look-up (the baseline pass looks up every keyword candidate of every work order).
class HashIndex {
 public:
  explicit HashIndex(const std::vector<uint64_t>& keys = {}) {
    size_t slots = 16;
    while (slots < 2 * keys.size()) slots <<= 1;
    slots_.assign(slots, {});
    mask_ = slots - 1;
    for (uint32_t i = 0; i < keys.size(); ++i) slots_[Slot(keys[i])] = {Key(keys[i]), i};
  }
  std::optional<uint32_t> Find(uint64_t key) const {
    const Entry& e = slots_[Slot(key)];
    if (e.key == 0) return std::nullopt;
    return e.value;
  }

 private:
  struct Entry {
    uint64_t key = 0;  // 0 marks an empty slot
    uint32_t value = 0;
  };
  static uint64_t Key(uint64_t key) { return key == 0 ? 1 : key; }
  size_t Slot(uint64_t key) const {
    key = Key(key);
    size_t i = key & mask_;
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask_;
    return i;
  }
  std::vector<Entry> slots_;
  size_t mask_ = 0;
};

/// Counts keyword candidates in work orders (each once per work order) by hash, so that the
/// many that occur once or twice never cost a map entry or a string: the window by sorting
/// every work order's hashes, the baseline only for the window's frequent ones, and names and
/// work orders only for the few that rise.
class KeywordCounter {
 public:
  void AddWindow(std::string text) {
    hashes_.clear();
    ForEachKeyword(text, [&](std::string_view k) {
      hashes_.push_back(KeywordHash(k));
      return true;
    });
    std::sort(hashes_.begin(), hashes_.end());
    hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
    window_hashes_.insert(window_hashes_.end(), hashes_.begin(), hashes_.end());
    texts_.push_back(std::move(text));
  }

  /// The window is complete: keeps the keywords of at least kMinTopicCount work orders.
  void StartBaseline() {
    std::sort(window_hashes_.begin(), window_hashes_.end());
    for (size_t i = 0; i < window_hashes_.size();) {
      size_t j = i;
      while (j < window_hashes_.size() && window_hashes_[j] == window_hashes_[i]) ++j;
      if (j - i >= static_cast<size_t>(kMinTopicCount)) {
        frequent_.push_back(window_hashes_[i]);
        counts_.push_back({static_cast<uint32_t>(j - i)});
      }
      i = j;
    }
    std::vector<uint64_t>().swap(window_hashes_);
    index_ = HashIndex(frequent_);
  }

  void AddBaseline(std::string_view text) {
    ++baseline_docs_;
    ForEachKeyword(text, [&](std::string_view k) {
      auto i = index_.Find(KeywordHash(k));
      if (!i) return false;  // nor can anything longer that starts with it be frequent
      if (Counts& c = counts_[*i]; c.last_seen != baseline_docs_) {
        c.last_seen = baseline_docs_;
        ++c.baseline;
      }
      return true;
    });
  }

  /// The rising keywords, named, with their window work orders.
  std::vector<Tally> Rising(double scale) const {
    std::vector<uint64_t> rising;
    for (size_t i = 0; i < frequent_.size(); ++i) {
      const Counts& c = counts_[i];
      if (RisingScore(static_cast<int>(c.window), static_cast<int>(c.baseline), scale)) rising.push_back(frequent_[i]);
    }
    const HashIndex index(rising);
    std::vector<Tally> out(rising.size());
    for (size_t i = 0; i < rising.size(); ++i) out[i].baseline = static_cast<int>(counts_[*index_.Find(rising[i])].baseline);
    for (uint32_t doc = 0; doc < texts_.size(); ++doc) {
      ForEachKeyword(texts_[doc], [&](std::string_view k) {
        auto i = index.Find(KeywordHash(k));
        if (i && (out[*i].docs.empty() || out[*i].docs.back() != doc)) {
          if (out[*i].count++ == 0) out[*i].name = k;
          out[*i].docs.push_back(doc);
        }
        return true;
      });
    }
    return out;
  }

 private:
  struct Counts {
    uint32_t window = 0;
    uint32_t baseline = 0;
    uint32_t last_seen = 0;  // the baseline work order that had it last (they count from 1)
  };
  std::vector<std::string> texts_;       // the window's work orders, for naming the rising ones
  std::vector<uint64_t> hashes_;         // scratch
  std::vector<uint64_t> window_hashes_;  // every window work order's distinct hashes
  std::vector<uint64_t> frequent_;       // then the frequent ones, with their counts_
  std::vector<Counts> counts_;
  HashIndex index_;
  uint32_t baseline_docs_ = 0;
};

/// Categories: few, counted in a map.
class CategoryCounter {
 public:
  void AddWindow(const std::string& category, uint32_t doc) {
    if (category.empty()) return;
    Tally& t = tallies_[category];
    t.name = category;
    ++t.count;
    t.docs.push_back(doc);
  }
  void AddBaseline(const std::string& category) {
    if (auto it = tallies_.find(category); it != tallies_.end()) ++it->second.baseline;
  }
  std::vector<Tally> All() const {
    std::vector<Tally> out;
    for (const auto& [name, t] : tallies_) out.push_back(t);
    return out;
  }

 private:
  std::map<std::string, Tally> tallies_;
};

}  // namespace

HotTopics FindHotTopics(Connection& c, core::TimePoint now, int days, int limit) {
  HotTopics r;
  r.days = days;
  r.baseline_days = days * kBaselineFactor;
  const core::Millis span = std::chrono::days(days);
  r.window = {now - span, now};
  r.baseline = {r.window.from - span * kBaselineFactor, r.window.from};
  // Newest first: the window, then the baseline.
  auto q = c.Prepare(
      "SELECT id, accepted_at, coalesce(category, ''), subject || ' ' || substr(description, 1, ?3)"
      " FROM tickets WHERE parent_id IS NULL AND accepted_at >= ?1 AND accepted_at < ?2"
      " ORDER BY accepted_at DESC, id DESC");
  q->BindAll(core::ToUnixMillis(r.baseline.from), core::ToUnixMillis(now) + 1, kDescriptionChars);
  std::vector<int64_t> ticket_ids;  // of the window, by index
  KeywordCounter keywords;
  CategoryCounter categories;
  bool in_baseline = false;
  while (q->Step()) {
    if (core::FromUnixMillis(q->Int(1)) >= r.window.from) {
      categories.AddWindow(q->Text(2), static_cast<uint32_t>(ticket_ids.size()));
      keywords.AddWindow(q->Text(3));
      ticket_ids.push_back(q->Int(0));
      continue;
    }
    if (!in_baseline) keywords.StartBaseline();
    in_baseline = true;
    ++r.baseline_work_orders;
    categories.AddBaseline(q->Text(2));
    keywords.AddBaseline(q->Text(3));
  }
  if (!in_baseline) keywords.StartBaseline();
  r.work_orders = static_cast<int>(ticket_ids.size());

  const double scale = 1.0 / kBaselineFactor;
  const std::vector<Tally> category_tallies = categories.All();  // Scored points into these
  for (const Scored& s : Rank(category_tallies, scale)) {
    if (r.categories.size() >= static_cast<size_t>(limit)) break;
    r.categories.push_back(WithSamples(s, ticket_ids));
  }
  const std::vector<Tally> keyword_tallies = keywords.Rising(scale);
  r.keywords = Distinct(Rank(keyword_tallies, scale), ticket_ids, limit);
  return r;
}

}  // namespace hotline::reports

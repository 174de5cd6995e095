#pragma once
// Counts the keywords of ForEachKeyword (topic_stats.hpp) in work orders, once per work order,
// fast enough for a hot-topics report over months of them (docs/performance.md, "Reports").
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::reports {

/// A topic (keyword or category) and the work orders of the window that have it.
struct TopicTally {
  std::string name;
  int count = 0;               ///< window work orders that have it
  int baseline = 0;            ///< baseline work orders that have it
  std::vector<uint32_t> docs;  ///< the window work orders that have it, by index, ascending
};

/// Counts the keyword candidates of ForEachKeyword once per work order: first all the work
/// orders of the window (indexed 0, 1, … in the order given), then those of the baseline.
/// Only keywords of at least `min_count` window work orders are kept, and of those the ones
/// for which keep(count, baseline) holds. `keep` must become false for good as the baseline
/// count grows (a topic as common as before does not rise): a keyword is no longer counted
/// once it can no longer be kept.
class KeywordCounter {
 public:
  using Keep = std::function<bool(int count, int baseline)>;
  KeywordCounter(int min_count, Keep keep);
  ~KeywordCounter();
  KeywordCounter(const KeywordCounter&) = delete;
  KeywordCounter& operator=(const KeywordCounter&) = delete;

  void AddWindow(std::string_view text);
  void AddBaseline(std::string_view text);

  /// The keywords kept, named, with their window work orders; in no particular order.
  std::vector<TopicTally> Collect();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::reports

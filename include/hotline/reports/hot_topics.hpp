#pragma once
// Hot topics (舆情 analysis, SPEC §6): the categories and keywords of work orders that rise
// above their usual level. The last `days` days (the window) are set against the 4 × days
// before them (the baseline); a topic is rising when its count in the window would be
// unlikely (p <= 0.01) if it came at its baseline rate, a Poisson count. Keywords are the
// words of subjects and descriptions: Latin words (H1N1, HPV) and the 2–4 character
// sequences of Chinese text, since Chinese has no spaces and new words (蜱虫) are what
// matters; a keyword whose work orders are mostly those of a keyword ranked above it is
// left out, so that 手足口病 does not come back as 手足口, 足口病 and 口病.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hotline/core/clock.hpp"
#include "hotline/reports/period.hpp"
#include "hotline/storage/sqlite.hpp"

namespace hotline::reports {

inline constexpr int kDefaultHotTopicDays = 7;
inline constexpr int kMaxHotTopicDays = 90;  // a quarter against the year before it
inline constexpr int kBaselineFactor = 4;   // the baseline is this many windows long
inline constexpr int kMinTopicCount = 3;    // work orders in the window, at least
inline constexpr double kMinScore = 2;      // -log10 p: p <= 0.01
inline constexpr int kDefaultTopicLimit = 20;
inline constexpr int kMaxTopicLimit = 100;

struct Topic {
  std::string name;
  int count = 0;           ///< work orders in the window
  int baseline_count = 0;  ///< work orders in the baseline
  double expected = 0;     ///< the usual count in a window: baseline_count × days / baseline_days
  std::optional<double> ratio;  ///< count / expected; none when the baseline had none
  double score = 0;  ///< -log10 P(X >= count), X ~ Poisson((baseline_count + 1) × days / baseline_days)
  std::vector<int64_t> sample_ticket_ids;  ///< up to 3 of the window's work orders, newest first
};

struct HotTopics {
  int days = kDefaultHotTopicDays;
  int baseline_days = kDefaultHotTopicDays * kBaselineFactor;
  Period window;    ///< [now - days, now]
  Period baseline;  ///< the baseline_days before the window
  int work_orders = 0;           ///< accepted in the window (assisting units' copies excluded)
  int baseline_work_orders = 0;  ///< accepted in the baseline
  std::vector<Topic> categories;  ///< rising, highest score first
  std::vector<Topic> keywords;    ///< rising, highest score first, at most `limit`
};

/// The rising topics of the `days` days up to `now` (1..kMaxHotTopicDays).
HotTopics FindHotTopics(storage::Connection& c, core::TimePoint now, int days,
                        int limit = kDefaultTopicLimit);

}  // namespace hotline::reports

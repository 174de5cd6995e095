#pragma once
// Running sums behind the daily measures; rates are computed when read.
#include <cstdint>
#include <optional>

#include "hotline/acd/model.hpp"

namespace hotline::acd {

/// One local day's call figures, counted on the day each call arrived.
class DayStats {
 public:
  void Offered() { ++offered_; }
  /// Turned away at arrival: offered and never answered.
  void Overflowed() {
    ++offered_;
    ++overflowed_;
  }
  /// A turned-away call let back into the queue: offered once, no longer turned away.
  void Readmitted() {
    if (overflowed_ == 0) return;
    --offered_;
    --overflowed_;
  }
  void Answered(int64_t wait_ms, std::optional<int> predicted_s, int service_level_s);
  void Abandoned(bool is_short, int64_t wait_ms);
  /// The caller chose to be called back (virtual hold); the call itself is still offered.
  void CallbackRequested() { ++callback_requests_; }
  /// An answered call's talk + wrap-up, known when its wrap-up ends.
  void Completed(int64_t handle_ms);
  /// Writes counts and rates into `out` (the live fields are left alone).
  void Fill(DayMeasures& out) const;
  /// Counts a call as its record stands: offered (or turned away), then each outcome it has
  /// reached. The live engine counts the same steps as they happen.
  void Replay(const CallRecord& call, int service_level_s);

 private:
  int offered_ = 0;
  int answered_ = 0;
  int abandoned_ = 0;
  int short_abandoned_ = 0;
  int overflowed_ = 0;
  int callback_requests_ = 0;
  int answered_in_sl_ = 0;
  int64_t wait_sum_ms_ = 0;
  int completed_ = 0;
  int64_t handle_sum_ms_ = 0;
  int64_t longest_wait_ms_ = 0;  // of the calls answered or abandoned
  int ewt_samples_ = 0;
  double ewt_error_sum_s_ = 0;
};

}  // namespace hotline::acd

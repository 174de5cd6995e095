#include "acd/measures.hpp"

#include <algorithm>
#include <cmath>

namespace hotline::acd {

void DayStats::Answered(int64_t wait_ms, std::optional<int> predicted_s, int service_level_s) {
  ++answered_;
  wait_sum_ms_ += wait_ms;
  longest_wait_ms_ = std::max(longest_wait_ms_, wait_ms);
  if (wait_ms <= int64_t{service_level_s} * 1000) ++answered_in_sl_;
  if (predicted_s) {
    ++ewt_samples_;
    ewt_error_sum_s_ += std::abs(double(*predicted_s) - double(wait_ms) / 1000.0);
  }
}

void DayStats::Abandoned(bool is_short, int64_t wait_ms) {
  ++abandoned_;
  longest_wait_ms_ = std::max(longest_wait_ms_, wait_ms);
  if (is_short) ++short_abandoned_;
}

void DayStats::Completed(int64_t handle_ms) {
  ++completed_;
  handle_sum_ms_ += handle_ms;
}

void DayStats::Fill(DayMeasures& out) const {
  out.offered = offered_;
  out.answered = answered_;
  out.abandoned = abandoned_;
  out.short_abandoned = short_abandoned_;
  out.overflowed = overflowed_;
  out.callback_requests = callback_requests_;
  out.answered_in_sl = answered_in_sl_;
  const int rate_base = offered_ - short_abandoned_;
  if (rate_base > 0) out.answer_rate = double(answered_) / rate_base;
  // Service level: of the calls that got an outcome that counts (answered, abandoned after
  // short_abandon_s, turned away), the share answered within service_level_s. Calls still
  // waiting are not counted yet.
  const int sl_base = answered_ + (abandoned_ - short_abandoned_) + overflowed_;
  if (sl_base > 0) out.service_level = double(answered_in_sl_) / sl_base;
  if (answered_ > 0) out.asa_s = double(wait_sum_ms_) / 1000.0 / answered_;
  if (completed_ > 0) out.aht_s = double(handle_sum_ms_) / 1000.0 / completed_;
  if (ewt_samples_ > 0) out.ewt_error_s = ewt_error_sum_s_ / ewt_samples_;
  out.longest_wait_s = longest_wait_ms_ / 1000;  // whole seconds, as the live view counts
}

void DayStats::Replay(const CallRecord& call, int service_level_s) {
  if (call.state == CallState::kOverflow) {
    Overflowed();
    return;
  }
  Offered();
  if (call.callback) CallbackRequested();
  if (call.answered_at) {
    Answered((*call.answered_at - call.enqueued_at).count(), call.predicted_ewt_s, service_level_s);
    if (call.ended_at && call.wrap_up_end) {
      Completed((*call.ended_at - *call.answered_at).count() + (*call.wrap_up_end - *call.ended_at).count());
    }
  } else if (call.abandoned_at) {
    Abandoned(call.short_abandon, (*call.abandoned_at - call.enqueued_at).count());
  }
}

}  // namespace hotline::acd

// Readmit: a call the full queue turned away comes back in when its caller asks for an agent
// again from the voice menu (key 0 after `overflow`, during hours). The call keeps its id, so
// its record, voice-menu session and any voice message stay one call.
#include <algorithm>

#include "acd/engine_impl.hpp"

namespace hotline::acd {

core::Result<Arrival> Engine::Readmit(const NewCall& call) {
  impl_->Advance();
  auto result = impl_->Readmit(call);
  impl_->Finish();
  return result;
}

core::Result<Arrival> Engine::Impl::Readmit(const NewCall& in) {
  CallRec* known = FindCall(in.id);
  if (!known) {
    // Evicted since (or never seen by this run): rebuilt from the caller's details. Its turn-away
    // was counted when it happened (or replayed from its record after a restart).
    if (queue_.size() >= size_t(config_.max_waiting)) return Arrival{.state = CallState::kOverflow};
    auto arrival = CallArrived(in);
    if (!arrival) return arrival;
    if (CallRec* call = FindCall(in.id); call && call->rec.state != CallState::kOverflow) {
      if (DayStats* stats = StatsFor(call->day)) stats->Readmitted();
    }
    for (Event& e : events_) {
      if (e.kind == EventKind::kCallQueued && e.call_id == in.id) e.reason = "readmitted";
    }
    return arrival;
  }
  switch (known->rec.state) {
    case CallState::kOverflow:
      break;
    case CallState::kQueued:
    case CallState::kRinging: {
      // A repeated request: the call is already where the caller wants it.
      Arrival here;
      here.offered = known->rec.state == CallState::kRinging;
      here.incident_id = known->rec.incident_id;
      if (!here.offered) {
        here.position = int(queue_.CountAhead(known->key)) + 1;
        here.ewt_s = EstimateWait(*known, here.position, GatherServing(now_), now_);
      }
      return here;
    }
    default:
      return core::Error::InvalidTransition("call " + std::to_string(in.id) + " is " +
                                            std::string(CallStateName(known->rec.state)));
  }
  if (queue_.size() >= size_t(config_.max_waiting)) {
    Arrival still;
    still.state = CallState::kOverflow;
    still.incident_id = known->rec.incident_id;
    return still;
  }
  // Out of the retired list (it would be evicted while waiting) and back as a new arrival.
  retired_.erase(std::remove_if(retired_.begin(), retired_.end(),
                                [&](const auto& r) { return r.second == in.id; }),
                 retired_.end());
  CallRec call = std::move(*known);
  calls_.erase(in.id);
  call.rec.state = CallState::kQueued;
  call.rec.enqueued_at = now_;  // a new wait begins; the overflow deadline follows from it
  call.rec.any_agent = false;
  call.overflow_due.reset();
  if (DayStats* stats = StatsFor(call.day)) stats->Readmitted();
  const size_t first_event = events_.size();
  Arrival out = Admit(std::move(call));
  for (size_t i = first_event; i < events_.size(); ++i) {
    if (events_[i].kind == EventKind::kCallQueued && events_[i].call_id == in.id) {
      events_[i].reason = "readmitted";
    }
  }
  return out;
}

}  // namespace hotline::acd

// Readmit: a call the full queue turned away comes back in when its caller asks for an agent
// again from the voice menu (key 0 after `overflow`, during hours). The call keeps its id, so
// its record, voice-menu session and any voice message stay one call.
#include "acd/engine_impl.hpp"

namespace hotline::acd {

core::Result<Arrival> Engine::Readmit(const NewCall& call) {
  impl_->Advance();
  auto result = impl_->Readmit(call);
  impl_->Finish();
  return result;
}

core::Result<Arrival> Engine::Impl::Readmit(const NewCall& in) {
  const size_t first_event = events_.size();
  // The queued event this readmission emits says why the call came back.
  auto mark_readmitted = [&] {
    for (size_t i = first_event; i < events_.size(); ++i) {
      if (events_[i].kind == EventKind::kCallQueued && events_[i].call_id == in.id) {
        events_[i].reason = "readmitted";
      }
    }
  };
  CallRec* known = FindCall(in.id);
  if (!known) {
    // Evicted since (or never seen by this run): it arrives again from the caller's details,
    // by the same rules. Its first turn-away was counted when it happened (or replayed from its
    // record after a restart), so the arrival's own count is taken back either way.
    auto arrival = CallArrived(in);
    if (!arrival) return arrival;
    if (DayStats* stats = StatsFor(today_)) stats->Readmitted();
    mark_readmitted();
    return arrival;
  }
  if (known->rec.state == CallState::kQueued || known->rec.state == CallState::kRinging) {
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
  if (known->rec.state != CallState::kOverflow) {
    return core::Error::InvalidTransition("call " + std::to_string(in.id) + " is " +
                                          std::string(CallStateName(known->rec.state)));
  }
  // As for a new arrival: the sticky agent or the best free one takes it now, else it stays
  // turned away while the queue is full.
  AgentRec* target = TakerFor(*known, in.sticky_agent_id);
  if (!target && QueueFull()) {
    return Arrival{.state = CallState::kOverflow, .incident_id = known->rec.incident_id};
  }
  // Out of the retired list (it would be evicted while waiting) and back as a new arrival.
  std::erase_if(retired_, [&](const auto& r) { return r.second == in.id; });
  CallRec call = std::move(*known);
  calls_.erase(in.id);
  call.rec.state = CallState::kQueued;
  call.rec.enqueued_at = now_;  // a new wait begins; the overflow deadline follows from it
  call.rec.any_agent = false;
  call.overflow_due.reset();
  if (DayStats* stats = StatsFor(call.day)) stats->Readmitted();
  Arrival out = Admit(std::move(call), target);
  mark_readmitted();
  return out;
}

}  // namespace hotline::acd

// The engine's invariants: what must hold after every event. A violation is a bug.
#include <sstream>

#include "acd/engine_impl.hpp"

namespace hotline::acd {
namespace {

std::string Describe(const char* what, int64_t id) {
  std::ostringstream out;
  out << what << " (id " << id << ")";
  return out.str();
}

}  // namespace

std::optional<std::string> Engine::Impl::FindViolation() const {
  // Seats and agents point at each other.
  for (size_t s = 1; s < seats_.size(); ++s) {
    const AgentRec* a = seats_[s];
    if (a && (a->seat != int(s) || a->state == AgentState::kOffline)) {
      return Describe("seat holds an agent sitting elsewhere or offline", a->id);
    }
  }
  int ringing_agents = 0;
  for (const auto& [id, a] : agents_) {
    const bool online = a.state != AgentState::kOffline;
    if (online != (a.seat > 0) || (online && seats_[size_t(a.seat)] != &a)) {
      return Describe("agent and seat disagree", id);
    }
    const CallRec* call = a.call_id ? FindCall(*a.call_id) : nullptr;
    if (a.call_id && !call) return Describe("agent holds an unknown call", id);
    const bool own = call && call->rec.agent_id == id;
    switch (a.state) {
      case AgentState::kRinging:
        ++ringing_agents;
        if (!own || call->rec.state != CallState::kRinging) {
          return Describe("ringing agent without its ringing call", id);
        }
        break;
      case AgentState::kTalking:
        if (!own || call->rec.state != CallState::kTalking) {
          return Describe("talking agent without its call in talk", id);
        }
        break;
      case AgentState::kWrapUp:
        if (!own || call->rec.state != CallState::kEnded || call->rec.wrap_up_end) {
          return Describe("agent in wrap-up without its ended call", id);
        }
        if (config_.wrap_up_s > 0 &&
            (!a.wrap_due || !timers_.Contains({*a.wrap_due, TimerKind::kWrapUp, id}))) {
          return Describe("agent in wrap-up without a live timer (stuck agent)", id);
        }
        break;
      default:
        if (a.call_id) return Describe("idle agent still holds a call", id);
        if (a.wrap_due) return Describe("idle agent has a wrap-up timer", id);
    }
    // A lost caller: a waiting call that a ready agent could take but was not given.
    if (Routable(a) && BestCallFor(a)) return Describe("ready agent left with a routable call", id);
  }
  size_t queued = 0;
  int ringing_calls = 0;
  for (const auto& [id, c] : calls_) {
    const bool in_queue = queue_.ContainsAll(c.key) && queue_.ContainsInSkill(c.key, c.skill);
    const bool waiting = c.rec.state == CallState::kQueued;
    if (waiting != in_queue) return Describe("call queue membership disagrees with its state", id);
    if (waiting && queue_.ContainsAny(c.key) != c.rec.any_agent) {
      return Describe("call's any-agent flag disagrees with the queue", id);
    }
    if (waiting) {
      ++queued;
      if (c.rec.agent_id) return Describe("queued call still names an agent", id);
      if (!c.rec.any_agent && !c.overflow_due) return Describe("queued call can never overflow", id);
    }
    if (c.overflow_due && !timers_.Contains({*c.overflow_due, TimerKind::kOverflow, id})) {
      return Describe("call's overflow timer is missing", id);
    }
    if (c.rec.state == CallState::kRinging) {
      ++ringing_calls;
      if (!c.ring_due || !timers_.Contains({*c.ring_due, TimerKind::kRing, id})) {
        return Describe("ringing call without a live ring timer", id);
      }
      auto a = agents_.find(*c.rec.agent_id);
      if (a == agents_.end() || a->second.call_id != id) {
        return Describe("ringing call's agent does not hold it", id);
      }
    } else if (c.ring_due) {
      return Describe("a call that is not ringing has a ring timer", id);
    }
    if (c.rec.state == CallState::kTalking) {
      auto a = agents_.find(*c.rec.agent_id);
      if (a == agents_.end() || a->second.call_id != id) {
        return Describe("call in talk whose agent does not hold it", id);
      }
    }
  }
  // Counts add up.
  if (queued != queue_.size() || queue_.SizeBySkills() != queue_.size()) {
    return Describe("queue counts do not add up", int64_t(queue_.size()));
  }
  if (ringing_calls != ringing_calls_ || ringing_agents != ringing_calls_) {
    return Describe("ringing counts do not add up", ringing_calls_);
  }
  // Every timer belongs to something alive in the matching state.
  for (const TimerKey& t : timers_.all()) {
    if (t.kind == TimerKind::kWrapUp) {
      auto a = agents_.find(t.id);
      if (a == agents_.end() || a->second.state != AgentState::kWrapUp) {
        return Describe("wrap-up timer for an agent not in wrap-up", t.id);
      }
      continue;
    }
    const CallRec* c = FindCall(t.id);
    const bool ring_ok = t.kind == TimerKind::kRing && c && c->ring_due == t.due;
    const bool overflow_ok = t.kind == TimerKind::kOverflow && c && c->overflow_due == t.due;
    if (!ring_ok && !overflow_ok) return Describe("stale timer", t.id);
  }
  return std::nullopt;
}

}  // namespace hotline::acd

// The engine's invariants: what must hold after every event. A violation is a bug.
#include <sstream>

#include "acd/engine_impl.hpp"

namespace hotline::acd {
namespace {

using Violation = std::optional<std::string>;

std::string Describe(const char* what, int64_t id) {
  std::ostringstream out;
  out << what << " (id " << id << ")";
  return out.str();
}

}  // namespace

std::optional<std::string> Engine::Impl::FindViolation() const {
  for (size_t s = 1; s < seats_.size(); ++s) {
    const AgentRec* a = seats_[s];
    if (a && (a->seat != int(s) || a->state == AgentState::kOffline)) {
      return Describe("seat holds an agent sitting elsewhere or offline", a->id);
    }
  }
  int ringing_agents = 0;
  for (const auto& [id, agent] : agents_) {
    if (Violation v = CheckAgent(agent)) return v;
    if (agent.state == AgentState::kRinging) ++ringing_agents;
  }
  size_t queued = 0;
  size_t overflow_armed = 0;
  int ringing_calls = 0;
  for (const auto& [id, call] : calls_) {
    if (Violation v = CheckCall(call)) return v;
    if (call.rec.state == CallState::kQueued) ++queued;
    if (call.rec.state == CallState::kRinging) ++ringing_calls;
    if (call.overflow_due) ++overflow_armed;
  }
  // Counts add up.
  if (queued != queue_.size() || queue_.SizeBySkills() != queue_.size()) {
    return Describe("queue counts do not add up", int64_t(queue_.size()));
  }
  if (ringing_calls != ringing_calls_ || ringing_agents != ringing_calls_) {
    return Describe("ringing counts do not add up", ringing_calls_);
  }
  return CheckTimers(overflow_armed);
}

std::optional<std::string> Engine::Impl::CheckAgent(const AgentRec& a) const {
  const bool online = a.state != AgentState::kOffline;
  if (online != (a.seat > 0) || (online && seats_[size_t(a.seat)] != &a)) {
    return Describe("agent and seat disagree", a.id);
  }
  const CallRec* call = a.call_id ? FindCall(*a.call_id) : nullptr;
  if (a.call_id && !call) return Describe("agent holds an unknown call", a.id);
  const bool own = call && call->rec.agent_id == a.id;
  switch (a.state) {
    case AgentState::kRinging:
      if (!own || call->rec.state != CallState::kRinging) {
        return Describe("ringing agent without its ringing call", a.id);
      }
      break;
    case AgentState::kTalking:
      if (!own || call->rec.state != CallState::kTalking) {
        return Describe("talking agent without its call in talk", a.id);
      }
      break;
    case AgentState::kWrapUp:
      if (!own || call->rec.state != CallState::kEnded || call->rec.wrap_up_end) {
        return Describe("agent in wrap-up without its ended call", a.id);
      }
      if (config_.wrap_up_s > 0 &&
          (!a.wrap_due || !timers_.Contains({*a.wrap_due, TimerKind::kWrapUp, a.id}))) {
        return Describe("agent in wrap-up without a live timer (stuck agent)", a.id);
      }
      break;
    default:
      if (a.call_id) return Describe("idle agent still holds a call", a.id);
      if (a.wrap_due) return Describe("idle agent has a wrap-up timer", a.id);
  }
  // A lost caller: a waiting call that a ready agent could take but was not given.
  if (Routable(a) && BestCallFor(a)) return Describe("ready agent left with a routable call", a.id);
  return std::nullopt;
}

std::optional<std::string> Engine::Impl::CheckCall(const CallRec& c) const {
  const int64_t id = c.rec.id;
  const bool waiting = c.rec.state == CallState::kQueued;
  const bool in_queue = queue_.ContainsAll(c.key) && queue_.ContainsInSkill(c.key, c.skill);
  if (waiting != in_queue) return Describe("call queue membership disagrees with its state", id);
  if (waiting) {
    if (queue_.ContainsAny(c.key) != c.rec.any_agent) {
      return Describe("call's any-agent flag disagrees with the queue", id);
    }
    if (c.rec.agent_id) return Describe("queued call still names an agent", id);
    if (!c.rec.any_agent && !c.overflow_due) return Describe("queued call can never overflow", id);
  }
  if ((c.rec.state == CallState::kRinging) != c.ring_due.has_value()) {
    return Describe("ring deadline and ringing state disagree", id);
  }
  if (c.ring_due && !timers_.Contains({*c.ring_due, TimerKind::kRing, id})) {
    return Describe("ringing call without a live ring timer", id);
  }
  if (c.rec.state == CallState::kRinging || c.rec.state == CallState::kTalking) {
    auto a = agents_.find(*c.rec.agent_id);
    if (a == agents_.end() || a->second.call_id != id) {
      return Describe("call with an agent who does not hold it", id);
    }
  }
  return std::nullopt;
}

std::optional<std::string> Engine::Impl::CheckTimers(size_t overflow_armed) const {
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
    if (t.kind != TimerKind::kRing || !c || c->ring_due != t.due) {
      return Describe("stale timer", t.id);
    }
  }
  // Every armed overflow has its entry, in due order, with a live entry in front.
  size_t live = 0;
  for (size_t i = 0; i < overflow_fifo_.size(); ++i) {
    if (i > 0 && overflow_fifo_[i].first < overflow_fifo_[i - 1].first) {
      return Describe("overflow deadlines out of order", overflow_fifo_[i].second);
    }
    if (OverflowLive(overflow_fifo_[i])) ++live;
  }
  if (live != overflow_armed) return Describe("an armed overflow has no deadline", 0);
  if (!overflow_fifo_.empty() && !OverflowLive(overflow_fifo_.front())) {
    return Describe("stale overflow deadline in front", overflow_fifo_.front().second);
  }
  return std::nullopt;
}

}  // namespace hotline::acd

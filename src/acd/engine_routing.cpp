// Routing: which call goes to which agent, offers, re-queues and timers.
#include "acd/engine_impl.hpp"

namespace hotline::acd {
namespace {

// Level given to an agent without the call's skill once the call may go to anyone.
constexpr int kNoSkillLevel = 10;

}  // namespace

bool Engine::Impl::SeatLive(int seat) const {
  return seat >= 1 && (seat <= config_.regular_seats || !incidents_.empty());
}

const QueueKey* Engine::Impl::BestCallFor(const AgentRec& agent) const {
  const QueueKey* best = queue_.HeadOfAny();
  for (size_t s = 0; s < agent.levels.size(); ++s) {
    if (agent.levels[s] == 0) continue;
    const QueueKey* head = queue_.HeadOfSkill(s);
    if (head && (!best || *head < *best)) best = head;
  }
  return best;
}

AgentRec* Engine::Impl::BestAgentFor(const CallRec& call) {
  const int seat_count = config_.total_seats();
  // Round robin: distance after the seat that was offered the last call.
  auto rr_distance = [&](int seat) { return (seat - rr_last_seat_ - 1 + seat_count) % seat_count; };
  auto prefer = [&](const AgentRec& a, int la, const AgentRec& b, int lb) {
    if (la != lb) return la < lb;  // best skill level first
    switch (config_.strategy) {
      case Strategy::kLongestIdle:
        break;
      case Strategy::kFewestCalls:
        if (a.calls_answered != b.calls_answered) return a.calls_answered < b.calls_answered;
        break;
      case Strategy::kLeastTalkTime:
        if (a.talk_ms != b.talk_ms) return a.talk_ms < b.talk_ms;
        break;
      case Strategy::kRoundRobin:
        return rr_distance(a.seat) < rr_distance(b.seat);
    }
    if (a.idle_since != b.idle_since) return a.idle_since < b.idle_since;
    return a.seat < b.seat;
  };
  AgentRec* best = nullptr;
  int best_level = 0;
  for (size_t s = 1; s < seats_.size(); ++s) {
    AgentRec* agent = seats_[s];
    if (!agent || !Routable(*agent)) continue;
    int level = agent->levels[call.skill];
    if (level == 0) {
      if (!call.rec.any_agent) continue;
      level = kNoSkillLevel;
    }
    if (!best || prefer(*agent, level, *best, best_level)) {
      best = agent;
      best_level = level;
    }
  }
  return best;
}

void Engine::Impl::Dispatch() {
  // Repeatedly: the first call in line that some ready agent can take goes to its best
  // agent. O(seats × skills) per decision; the queue itself is never scanned.
  while (!queue_.empty()) {
    const QueueKey* best = nullptr;
    for (size_t s = 1; s < seats_.size(); ++s) {
      const AgentRec* agent = seats_[s];
      if (!agent || !Routable(*agent)) continue;
      const QueueKey* key = BestCallFor(*agent);
      if (key && (!best || *key < *best)) best = key;
    }
    if (!best) return;
    CallRec& call = calls_.at(best->call_id);
    Offer(call, *BestAgentFor(call));
  }
}

void Engine::Impl::Offer(CallRec& call, AgentRec& agent) {
  queue_.Erase(call.slot);
  call.rec.state = CallState::kRinging;
  call.rec.agent_id = agent.id;
  call.rec.seat = agent.seat;
  call.rec.extension = extensions_[size_t(agent.seat)];
  call.rec.offered_at = now_;
  if (!call.rec.first_offered_at) call.rec.first_offered_at = now_;
  ++call.rec.offers;
  call.ring_due = now_ + core::Millis(int64_t{config_.ring_timeout_s} * 1000);
  timers_.Arm(TimerKey{*call.ring_due, TimerKind::kRing, call.rec.id});
  ++ringing_calls_;
  rr_last_seat_ = agent.seat;
  agent.call_id = call.rec.id;
  const bool sticky = call.rec.sticky_agent_id == agent.id;
  EmitCall(EventKind::kCallRouted, call, sticky ? "sticky" : "");
  SetAgentState(agent, AgentState::kRinging, "offered");
}

void Engine::Impl::Requeue(CallRec& call, std::string_view reason) {
  AgentRec* agent = FindAgent(*call.rec.agent_id);
  CancelTimer(call.ring_due, TimerKind::kRing, call.rec.id);
  --ringing_calls_;
  const int64_t agent_id = *call.rec.agent_id;
  const int seat = call.rec.seat;
  std::string extension = std::move(call.rec.extension);
  call.rec.state = CallState::kQueued;
  call.rec.agent_id.reset();
  call.rec.seat = 0;
  call.rec.extension.clear();
  // Its key is unchanged: the call goes back to its original place.
  call.slot = queue_.Insert(call.key, call.skill, call.rec.any_agent);
  EmitCall(EventKind::kCallRequeued, call, std::string(reason), agent_id);
  events_.back().seat = seat;
  events_.back().extension = std::move(extension);
  if (agent) agent->call_id.reset();
}

void Engine::Impl::FireTimer(const TimerKey& timer) {
  switch (timer.kind) {
    case TimerKind::kRing: {
      CallRec& call = *FindCall(timer.id);
      call.ring_due.reset();  // already popped
      AgentRec& agent = *FindAgent(*call.rec.agent_id);
      Requeue(call, "ring_timeout");
      SetAgentState(agent, AgentState::kNotReady, "no_answer");
      break;
    }
    case TimerKind::kWrapUp: {
      AgentRec& agent = *FindAgent(timer.id);
      agent.wrap_due.reset();
      CompleteWrap(agent);
      SetAgentState(agent, AgentState::kReady, "wrap_up_timeout");
      break;
    }
    case TimerKind::kOverflow: {
      if (!OverflowLive({timer.due, timer.id})) return;  // cancelled meanwhile
      CallRec& call = *FindCall(timer.id);
      call.overflow_due.reset();
      call.rec.any_agent = true;
      if (call.rec.state == CallState::kQueued) queue_.MarkAnyAgent(call.slot);
      EmitCall(EventKind::kCallAnyAgent, call, "overflow_after");
      break;
    }
  }
  Dispatch();
}

void Engine::Impl::ArmOverflow(CallRec& call) {
  const core::TimePoint due =
      call.rec.enqueued_at + core::Millis(int64_t{config_.overflow_after_s} * 1000);
  if (due <= now_) {
    call.rec.any_agent = true;
    return;
  }
  call.overflow_due = due;
  overflow_fifo_.emplace_back(due, call.rec.id);
}

void Engine::Impl::CancelTimer(std::optional<core::TimePoint>& due, TimerKind kind, int64_t id) {
  if (!due) return;
  timers_.Cancel(TimerKey{*due, kind, id});
  due.reset();
}

void Engine::Impl::Retire(const CallRec& call) { retired_.emplace_back(now_, call.rec.id); }

}  // namespace hotline::acd

// Calls: arrival, restore after a restart, pick-up and hang-up.
#include <algorithm>
#include <cmath>
#include <set>

#include "acd/engine_impl.hpp"

namespace hotline::acd {
namespace {

constexpr size_t kMaxPhoneLen = 64;
constexpr size_t kMaxChoiceLen = 64;
constexpr size_t kMaxCategoryLen = 200;

core::Result<void> CheckLengths(const std::string& caller, const std::string& called,
                                const std::string& ivr_choice, const std::string& category) {
  if (caller.size() > kMaxPhoneLen) return core::Error::Validation("caller is too long", "caller");
  if (called.size() > kMaxPhoneLen) return core::Error::Validation("called is too long", "called");
  if (ivr_choice.size() > kMaxChoiceLen) {
    return core::Error::Validation("ivr_choice is too long", "ivr_choice");
  }
  if (category.size() > kMaxCategoryLen) {
    return core::Error::Validation("category is too long", "category");
  }
  return {};
}

int64_t MillisBetween(core::TimePoint from, core::TimePoint to) { return (to - from).count(); }

}  // namespace

core::Result<Arrival> Engine::Impl::CallArrived(const NewCall& in) {
  if (in.id <= 0) return core::Error::Validation("call id must be positive", "call_id");
  if (calls_.count(in.id))
    return core::Error::Conflict("call " + std::to_string(in.id) + " exists");
  const std::string& skill_name = in.skill.empty() ? config_.skills.front() : in.skill;
  auto skill = skill_index_.find(skill_name);
  if (skill == skill_index_.end()) {
    return core::Error::Validation("unknown skill '" + skill_name + "'", "skill");
  }
  if (in.priority < 0 || in.priority > 9) {
    return core::Error::Validation("priority must be 0..9", "priority");
  }
  if (auto ok = CheckLengths(in.caller, in.called, in.ivr_choice, in.category); !ok) {
    return ok.error();
  }
  CallRec c;
  c.rec.id = in.id;
  c.rec.caller = in.caller;
  c.rec.called = in.called;
  c.rec.skill = skill_name;
  c.rec.priority = in.priority;
  c.rec.ivr_choice = in.ivr_choice;
  c.rec.category = in.category;
  c.rec.enqueued_at = now_;
  c.rec.incident_id = TagIncident(skill_name, in.ivr_choice, in.category);
  c.skill = skill->second;
  c.day = today_;
  AgentRec* target = TakerFor(c, in.sticky_agent_id);
  if (!target && QueueFull()) return TurnAway(std::move(c));
  return Admit(std::move(c), target);
}

AgentRec* Engine::Impl::TakerFor(CallRec& c, std::optional<int64_t> sticky_agent_id) {
  // The sticky agent first, if ready; else the best agent free now, if any. Before this call
  // no ready agent could take a waiting call, so no other call is passed over.
  if (AgentRec* sticky = StickyAgentFor(sticky_agent_id)) {
    c.rec.sticky_agent_id = sticky->id;
    return sticky;
  }
  return BestAgentFor(c);
}

bool Engine::Impl::QueueFull() const {
  // Overflow (SPEC §2): a call no agent can take now is turned away when MORE than
  // max_waiting calls already wait; with exactly max_waiting waiting it still queues.
  return queue_.size() > size_t(config_.max_waiting);
}

Arrival Engine::Impl::TurnAway(CallRec c) {
  c.rec.state = CallState::kOverflow;
  if (DayStats* stats = StatsFor(c.day)) stats->Overflowed();
  const int64_t id = c.rec.id;
  CallRec& call = calls_.emplace(id, std::move(c)).first->second;
  EmitCall(EventKind::kCallOverflow, call, "queue_full");
  Retire(call);
  Arrival out;
  out.state = CallState::kOverflow;
  out.incident_id = call.rec.incident_id;
  return out;
}

Arrival Engine::Impl::Admit(CallRec c, AgentRec* target) {
  c.key = QueueKey{c.rec.priority, next_seq_++, c.rec.id};
  if (DayStats* stats = StatsFor(c.day)) stats->Offered();
  model_.RecordArrival(now_, c.rec.priority);
  const int64_t id = c.rec.id;
  CallRec& call = calls_.emplace(id, std::move(c)).first->second;
  ArmOverflow(call);
  call.slot = queue_.Insert(call.key, call.skill, call.rec.any_agent);
  Arrival out;
  out.incident_id = call.rec.incident_id;
  if (target) {
    // Offered at once: the wait is the time the agent takes to pick up.
    call.rec.predicted_ewt_s = int(std::lround(model_.ring_s()));
    EmitCall(EventKind::kCallQueued, call);
    Offer(call, *target);
    out.offered = true;
  } else {
    out.position = int(queue_.CountAhead(call.key)) + 1;
    out.ewt_s = EstimateWait(call, out.position, GatherServing(now_), now_);
    call.rec.predicted_ewt_s = out.ewt_s;
    EmitCall(EventKind::kCallQueued, call);
    events_.back().position = out.position;
    events_.back().ewt_s = out.ewt_s;
  }
  Dispatch();
  return out;
}

AgentRec* Engine::Impl::StickyAgentFor(std::optional<int64_t> owner) {
  AgentRec* agent = owner ? FindAgent(*owner) : nullptr;
  return agent && Routable(*agent) ? agent : nullptr;
}

core::Result<void> Engine::Impl::SeedMeasures(std::span<const CallRecord> finished) {
  if (!calls_.empty() || !agents_.empty()) {
    return core::Error::Conflict("measures can only be seeded into an empty engine");
  }
  for (const CallRecord& call : finished) {
    if (call.state == CallState::kQueued || call.state == CallState::kRinging) {
      return core::Error::Validation("only calls that are over can seed the measures", "state");
    }
  }
  for (const CallRecord& call : finished) {
    const core::LocalDays day = LocalDayOf(call.enqueued_at);
    if (day > today_) continue;  // from a clock that ran ahead: not ours to count
    DayStats* stats = StatsFor(day);
    if (!stats) continue;
    stats->Replay(call, config_.service_level_s);
    if (day != today_ || !call.answered_at || !call.agent_id) continue;
    // Today's figures of the agents who took calls; they come back offline and log in again.
    auto [it, added] = agents_.try_emplace(*call.agent_id);
    AgentRec& agent = it->second;
    if (added) {
      agent.id = *call.agent_id;
      agent.since = agent.accounted_at = now_;
    }
    ++agent.calls_answered;
    if (call.ended_at) agent.talk_ms += MillisBetween(*call.answered_at, *call.ended_at);
  }
  return {};
}

core::Result<void> Engine::Impl::RequestCallback(int64_t call_id) {
  CallRec* call = FindCall(call_id);
  if (!call) return core::Error::NotFound("call " + std::to_string(call_id) + " not found");
  if (call->rec.callback) return {};
  switch (call->rec.state) {
    case CallState::kQueued:
      break;
    case CallState::kRinging: {
      // The caller is in the voice menu now, not on the line: the seat stops ringing and the
      // agent, who did nothing wrong, is ready again.
      AgentRec& agent = *FindAgent(*call->rec.agent_id);
      Requeue(*call, "callback_requested");
      SetAgentState(agent, AgentState::kReady, "callback_requested");
      break;
    }
    default:
      return core::Error::InvalidTransition("call " + std::to_string(call_id) + " is " +
                                            std::string(CallStateName(call->rec.state)));
  }
  call->rec.callback = true;
  if (DayStats* stats = StatsFor(call->day)) stats->CallbackRequested();
  EmitCall(EventKind::kCallbackRequested, *call);
  Dispatch();
  return {};
}

core::Result<std::vector<RestoreFailure>> Engine::Impl::Restore(std::vector<RestoredCall> calls) {
  if (!calls_.empty())
    return core::Error::Conflict("calls can only be restored into an empty engine");
  // Each call is checked on its own: one that cannot come back is skipped, not the lot.
  std::vector<RestoreFailure> failed;
  std::set<int64_t> ids;
  std::vector<RestoredCall> good;
  good.reserve(calls.size());
  for (RestoredCall& r : calls) {
    std::string why;
    if (r.id <= 0) {
      why = "call id must be positive";
    } else if (!ids.insert(r.id).second) {
      why = "call id is restored twice";
    } else if (!skill_index_.count(r.skill)) {
      why = "unknown skill '" + r.skill + "'";
    } else if (r.priority < 0 || r.priority > 9) {
      why = "priority must be 0..9";
    } else if (auto ok = CheckLengths(r.caller, r.called, r.ivr_choice, {}); !ok) {
      why = ok.error().message;
    }
    if (why.empty()) {
      good.push_back(std::move(r));
    } else {
      failed.push_back(RestoreFailure{r.id, std::move(why)});
    }
  }
  // Sequence numbers follow enqueued_at, so the original order is kept within each priority.
  std::sort(good.begin(), good.end(), [](const RestoredCall& a, const RestoredCall& b) {
    return a.enqueued_at != b.enqueued_at ? a.enqueued_at < b.enqueued_at : a.id < b.id;
  });
  for (RestoredCall& r : good) {
    CallRec c;
    c.rec.id = r.id;
    c.rec.caller = std::move(r.caller);
    c.rec.called = std::move(r.called);
    c.rec.skill = r.skill;
    c.rec.priority = r.priority;
    c.rec.ivr_choice = std::move(r.ivr_choice);
    c.rec.enqueued_at = std::min(r.enqueued_at, now_);
    c.rec.predicted_ewt_s = r.predicted_ewt_s;
    c.rec.incident_id = r.incident_id;
    c.rec.restored = true;
    c.rec.callback = r.callback;
    c.rec.first_offered_at = r.first_offered_at;
    c.rec.offers = std::max(0, r.offers);
    c.skill = skill_index_.at(r.skill);
    c.day = LocalDayOf(c.rec.enqueued_at);
    c.key = QueueKey{r.priority, next_seq_++, r.id};
    // SeedMeasures counted only the calls that were over: a waiting one counts here, once.
    if (DayStats* stats = StatsFor(c.day)) {
      stats->Offered();
      if (c.rec.callback) stats->CallbackRequested();
    }
    model_.RecordArrival(c.rec.enqueued_at, r.priority);
    CallRec& call = calls_.emplace(r.id, std::move(c)).first->second;
    ArmOverflow(call);
    call.slot = queue_.Insert(call.key, call.skill, call.rec.any_agent);
  }
  // One event row per restored call, in queue order, before any of them is routed.
  std::vector<const CallRec*> order;
  for (const auto& [id, call] : calls_) order.push_back(&call);
  std::sort(order.begin(), order.end(),
            [](const CallRec* a, const CallRec* b) { return a->key < b->key; });
  int position = 0;
  for (const CallRec* call : order) {
    EmitCall(EventKind::kCallQueued, *call, "restored");
    events_.back().position = ++position;
  }
  Dispatch();
  return failed;
}

core::Result<void> Engine::Impl::Accept(int64_t agent_id, int64_t call_id) {
  AgentRec* agent = FindAgent(agent_id);
  if (!agent) return core::Error::NotFound("agent " + std::to_string(agent_id) + " is not known");
  CallRec* call = FindCall(call_id);
  if (!call) return core::Error::NotFound("call " + std::to_string(call_id) + " not found");
  // The gateway's `answered` may have come first: then this is the harmless second report.
  if (call->rec.answered_at && call->rec.agent_id == agent_id) return {};
  if (call->rec.state != CallState::kRinging || call->rec.agent_id != agent_id) {
    return core::Error::InvalidTransition("call " + std::to_string(call_id) +
                                          " is not offered to this agent");
  }
  Answer(*call, *agent);
  return {};
}

core::Result<void> Engine::Impl::Answered(int64_t call_id) {
  CallRec* call = FindCall(call_id);
  if (!call) return core::Error::NotFound("call " + std::to_string(call_id) + " not found");
  if (call->rec.answered_at) return {};
  if (call->rec.state != CallState::kRinging) {
    return core::Error::InvalidTransition("call " + std::to_string(call_id) + " is " +
                                          std::string(CallStateName(call->rec.state)) +
                                          ", not ringing");
  }
  Answer(*call, *FindAgent(*call->rec.agent_id));
  return {};
}

core::Result<void> Engine::Impl::Hangup(int64_t call_id, std::string_view by) {
  Party party = Party::kCaller;
  if (by == "agent") {
    party = Party::kAgent;
  } else if (!by.empty() && by != "caller") {
    return core::Error::Validation("by must be caller or agent", "by");
  }
  CallRec* call = FindCall(call_id);
  if (!call) return core::Error::NotFound("call " + std::to_string(call_id) + " not found");
  switch (call->rec.state) {
    // Not yet picked up, the call is gone whoever the gateway names: the caller abandoned —
    // unless they asked to be called back, which is why they hung up.
    case CallState::kQueued:
    case CallState::kRinging:
      if (call->rec.callback) return {};
      Abandon(*call);
      break;
    case CallState::kTalking:
      EndTalk(*call, party);
      break;
    default:
      return {};  // already over: a repeated report
  }
  Dispatch();
  return {};
}

void Engine::Impl::Answer(CallRec& call, AgentRec& agent) {
  CancelTimer(call.ring_due, TimerKind::kRing, call.rec.id);
  call.overflow_due.reset();  // its FIFO entry goes stale and is dropped lazily
  --ringing_calls_;
  call.rec.state = CallState::kTalking;
  call.rec.answered_at = now_;
  if (DayStats* stats = StatsFor(call.day)) {
    stats->Answered(MillisBetween(call.rec.enqueued_at, now_), call.rec.predicted_ewt_s,
                    config_.service_level_s);
  }
  model_.RecordRing(MillisBetween(*call.rec.offered_at, now_));
  model_.RecordQueueExit(MillisBetween(call.rec.enqueued_at, now_), false);
  ++agent.calls_answered;
  EmitCall(EventKind::kCallAnswered, call);
  SetAgentState(agent, AgentState::kTalking, "answered");
}

void Engine::Impl::EndTalk(CallRec& call, Party by) {
  AgentRec& agent = *FindAgent(*call.rec.agent_id);
  call.rec.state = CallState::kEnded;
  call.rec.ended_at = now_;
  call.rec.ended_by = by;
  const int64_t talk_ms = MillisBetween(*call.rec.answered_at, now_);
  agent.talk_ms += talk_ms;
  model_.RecordTalk(talk_ms);
  EmitCall(EventKind::kCallEnded, call, std::string(PartyName(by)));
  if (config_.wrap_up_s > 0) {
    agent.wrap_due = now_ + core::Millis(int64_t{config_.wrap_up_s} * 1000);
    timers_.Arm(TimerKey{*agent.wrap_due, TimerKind::kWrapUp, agent.id});
    SetAgentState(agent, AgentState::kWrapUp, "call_ended");
  } else {
    CompleteWrap(agent);
    SetAgentState(agent, AgentState::kReady, "call_ended");
  }
}

void Engine::Impl::Abandon(CallRec& call) {
  AgentRec* agent = nullptr;
  if (call.rec.state == CallState::kQueued) {
    queue_.Erase(call.slot);
  } else {
    agent = FindAgent(*call.rec.agent_id);
    CancelTimer(call.ring_due, TimerKind::kRing, call.rec.id);
    --ringing_calls_;
  }
  call.overflow_due.reset();  // its FIFO entry goes stale and is dropped lazily
  call.rec.state = CallState::kAbandoned;
  call.rec.abandoned_at = now_;
  const int64_t waited_ms = MillisBetween(call.rec.enqueued_at, now_);
  call.rec.short_abandon = waited_ms < int64_t{config_.short_abandon_s} * 1000;
  if (DayStats* stats = StatsFor(call.day)) stats->Abandoned(call.rec.short_abandon, waited_ms);
  model_.RecordQueueExit(waited_ms, true);
  EmitCall(EventKind::kCallAbandoned, call, "caller_hung_up");
  if (agent) {
    agent->call_id.reset();
    SetAgentState(*agent, AgentState::kReady, "caller_hung_up");
  }
  Retire(call);
}

}  // namespace hotline::acd

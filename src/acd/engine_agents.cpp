// Agents: login and seats, states, wrap-up and the time accounting behind occupancy.
#include "acd/engine_impl.hpp"

namespace hotline::acd {
namespace {

constexpr int kDefaultLevel = 5;
constexpr size_t kMaxReasonLen = 64;

bool Busy(AgentState s) {
  return s == AgentState::kRinging || s == AgentState::kTalking || s == AgentState::kWrapUp;
}

}  // namespace

core::Result<SeatAssignment> Engine::Impl::Login(int64_t agent_id, std::optional<int> seat,
                                                 const SkillMap& skills) {
  if (agent_id <= 0) return core::Error::Validation("agent id must be positive", "agent_id");
  auto levels = SkillLevels(skills);
  if (!levels) return levels.error();
  if (seat && (*seat < 1 || *seat > config_.total_seats())) {
    return core::Error::Validation("seat must be 1.." + std::to_string(config_.total_seats()),
                                   "seat");
  }
  AgentRec* agent = FindAgent(agent_id);
  auto assignment = [this](int s) {
    return SeatAssignment{s, extensions_[size_t(s)], s > config_.regular_seats};
  };
  if (agent && agent->state != AgentState::kOffline) {
    if (seat && *seat != agent->seat) {
      return core::Error::Conflict("already logged in at seat " + std::to_string(agent->seat));
    }
    agent->levels = std::move(*levels);
    Dispatch();
    return assignment(agent->seat);
  }
  auto chosen = ChooseSeat(seat);
  if (!chosen) return chosen.error();
  if (!agent) {
    agent = &agents_[agent_id];
    agent->id = agent_id;
    agent->accounted_at = now_;
  }
  agent->levels = std::move(*levels);
  agent->seat = *chosen;
  seats_[size_t(*chosen)] = agent;
  SetAgentState(*agent, AgentState::kReady, "login");
  Dispatch();
  return assignment(*chosen);
}

core::Result<std::vector<uint8_t>> Engine::Impl::SkillLevels(const SkillMap& skills) const {
  std::vector<uint8_t> levels(config_.skills.size(), skills.empty() ? kDefaultLevel : 0);
  for (const auto& [name, level] : skills) {
    auto it = skill_index_.find(name);
    if (it == skill_index_.end()) {
      return core::Error::Validation("unknown skill '" + name + "'", "skills");
    }
    if (level < 1 || level > 9) return core::Error::Validation("skill levels are 1..9", "skills");
    levels[it->second] = uint8_t(level);
  }
  return levels;
}

core::Result<int> Engine::Impl::ChooseSeat(std::optional<int> wanted) const {
  if (wanted) {
    if (seats_[size_t(*wanted)]) {
      return core::Error::Conflict("seat " + std::to_string(*wanted) + " is taken");
    }
    return *wanted;
  }
  // Regular seats first, lowest number first; emergency seats only when those are full.
  for (int s = 1; s <= config_.total_seats(); ++s) {
    if (!seats_[size_t(s)]) return s;
  }
  return core::Error{core::ErrorCode::kNoFreeSeat, "every seat is taken", {}};
}

core::Result<void> Engine::Impl::Logout(int64_t agent_id) {
  AgentRec* agent = FindAgent(agent_id);
  if (!agent) return core::Error::NotFound("agent " + std::to_string(agent_id) + " is not known");
  switch (agent->state) {
    case AgentState::kOffline:
      return {};
    case AgentState::kTalking:
      return core::Error::InvalidTransition("the agent is on a call; hang up first");
    case AgentState::kRinging:
      Requeue(*FindCall(*agent->call_id), "agent_logout");
      break;
    case AgentState::kWrapUp:
      CompleteWrap(*agent);
      break;
    default:
      break;
  }
  seats_[size_t(agent->seat)] = nullptr;
  SetAgentState(*agent, AgentState::kOffline, "logout");
  agent->seat = 0;
  Dispatch();
  return {};
}

core::Result<void> Engine::Impl::SetState(int64_t agent_id, std::string_view state,
                                          std::string_view reason) {
  auto target = ParseAgentState(state);
  if (!target || (*target != AgentState::kReady && *target != AgentState::kNotReady)) {
    return core::Error::Validation("state must be ready or not_ready", "state");
  }
  if (reason.size() > kMaxReasonLen) return core::Error::Validation("reason is too long", "reason");
  AgentRec* agent = FindAgent(agent_id);
  if (!agent) return core::Error::NotFound("agent " + std::to_string(agent_id) + " is not known");
  const bool ready = *target == AgentState::kReady;
  std::string why = ready ? "" : reason.empty() ? "break" : std::string(reason);
  switch (agent->state) {
    case AgentState::kOffline:
      return core::Error::InvalidTransition("the agent is not logged in");
    case AgentState::kTalking:
      return core::Error::InvalidTransition("the agent is on a call");
    case AgentState::kRinging:
      if (ready) return {};  // already available: the offer stands
      Requeue(*FindCall(*agent->call_id), "declined");
      break;
    case AgentState::kWrapUp:
      CompleteWrap(*agent);
      break;
    case AgentState::kReady:
      if (ready) return {};
      break;
    case AgentState::kNotReady:
      if (!ready && why == agent->reason) return {};
      break;
  }
  SetAgentState(*agent, *target, ready ? "ready" : why);
  Dispatch();
  return {};
}

core::Result<void> Engine::Impl::WrapDone(int64_t agent_id) {
  AgentRec* agent = FindAgent(agent_id);
  if (!agent) return core::Error::NotFound("agent " + std::to_string(agent_id) + " is not known");
  switch (agent->state) {
    case AgentState::kWrapUp:
      break;
    // The timer may have ended it a moment earlier: nothing left to do.
    case AgentState::kReady:
    case AgentState::kNotReady:
      return {};
    default:
      return core::Error::InvalidTransition("the agent is not in wrap-up");
  }
  CompleteWrap(*agent);
  SetAgentState(*agent, AgentState::kReady, "wrap_done");
  Dispatch();
  return {};
}

void Engine::Impl::CompleteWrap(AgentRec& agent) {
  CancelTimer(agent.wrap_due, TimerKind::kWrapUp, agent.id);
  CallRec* call = agent.call_id ? FindCall(*agent.call_id) : nullptr;
  agent.call_id.reset();
  if (!call) return;
  call->rec.wrap_up_end = now_;
  const int64_t wrap_ms = (now_ - *call->rec.ended_at).count();
  model_.RecordWrap(wrap_ms);
  if (DayStats* stats = StatsFor(call->day)) {
    stats->Completed((*call->rec.ended_at - *call->rec.answered_at).count() + wrap_ms);
  }
  EmitCall(EventKind::kCallCompleted, *call);
  Retire(*call);
}

void Engine::Impl::SetAgentState(AgentRec& agent, AgentState state, std::string reason) {
  Account(agent, now_);
  const AgentState previous = agent.state;
  agent.state = state;
  agent.reason = state == AgentState::kNotReady ? reason : std::string();
  agent.since = now_;
  if (state == AgentState::kReady) agent.idle_since = now_;
  EmitAgent(agent, previous, reason);
}

void Engine::Impl::Account(AgentRec& agent, core::TimePoint at) {
  if (at <= agent.accounted_at) return;
  const int64_t ms = (at - agent.accounted_at).count();
  if (agent.state != AgentState::kOffline) agent.logged_ms += ms;
  if (Busy(agent.state)) agent.busy_ms += ms;
  agent.accounted_at = at;
}

}  // namespace hotline::acd

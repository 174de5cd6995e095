// Read views: calls, agents, the queue and today's measures, with live estimated waits.
#include <algorithm>
#include <cmath>

#include "acd/engine_impl.hpp"

namespace hotline::acd {
namespace {

double Seconds(core::Millis d) { return double(d.count()) / 1000.0; }
int64_t WholeSeconds(core::Millis d) { return std::max<int64_t>(0, d.count() / 1000); }

// A talk longer than the mean is not about to end; assume at least this share of a mean talk.
constexpr double kMinRemainingTalkShare = 0.25;

}  // namespace

Engine::Impl::Serving Engine::Impl::GatherServing(core::TimePoint now) const {
  Serving out;
  const double talk = model_.talk_s();
  const double wrap = model_.wrap_s();
  for (size_t s = 1; s < seats_.size(); ++s) {
    const AgentRec* agent = seats_[s];
    if (!agent || !SeatLive(agent->seat)) continue;
    switch (agent->state) {
      case AgentState::kReady:
        out.idle_agent = true;
        break;
      case AgentState::kRinging:
        out.frees.push_back(talk + wrap);
        break;
      case AgentState::kTalking: {
        const CallRec* call = FindCall(*agent->call_id);
        const double elapsed = Seconds(now - *call->rec.answered_at);
        out.frees.push_back(std::max(talk - elapsed, kMinRemainingTalkShare * talk) + wrap);
        break;
      }
      case AgentState::kWrapUp: {
        // The wrap-up ends by its timer, or earlier if agents usually end it themselves.
        const double by_timer = agent->wrap_due ? Seconds(*agent->wrap_due - now) : 0.0;
        const double by_habit = wrap - Seconds(now - agent->since);
        out.frees.push_back(std::max(0.0, std::min(by_timer, by_habit)));
        break;
      }
      default:
        break;  // not_ready agents serve nobody
    }
  }
  std::sort(out.frees.begin(), out.frees.end());
  return out;
}

int Engine::Impl::EstimateWait(const CallRec& call, int position, const Serving& serving,
                               core::TimePoint now) const {
  double s = model_.Estimate(serving.frees, position, call.rec.priority, now);
  // An idle agent lacking the call's skill takes it once overflow_after_s has passed.
  if (serving.idle_agent && call.overflow_due) s = std::min(s, Seconds(*call.overflow_due - now));
  return int(std::lround(std::max(0.0, s)));
}

CallView Engine::Impl::ViewCall(const CallRec& call, const Serving& serving,
                                core::TimePoint now) const {
  CallView view;
  static_cast<CallRecord&>(view) = call.rec;
  if (call.rec.state == CallState::kQueued) {
    view.position = int(queue_.CountAhead(call.key)) + 1;
    view.ewt_s = EstimateWait(call, *view.position, serving, now);
  }
  return view;
}

AgentView Engine::Impl::ViewAgent(const AgentRec& agent, core::TimePoint now) const {
  AgentView v;
  v.agent_id = agent.id;
  v.seat = agent.seat;
  if (agent.seat > 0) v.extension = extensions_[size_t(agent.seat)];
  v.state = agent.state;
  v.reason = agent.reason;
  v.since = agent.since;
  v.call_id = agent.call_id;
  v.emergency_seat = agent.seat > config_.regular_seats;
  v.seat_live = SeatLive(agent.seat);
  for (size_t s = 0; s < agent.levels.size(); ++s) {
    if (agent.levels[s] > 0) v.skills[config_.skills[s]] = agent.levels[s];
  }
  int64_t logged = agent.logged_ms;
  int64_t busy = agent.busy_ms;
  core::TimePoint from = agent.accounted_at;
  v.calls_answered = agent.calls_answered;
  v.talk_s = agent.talk_ms / 1000;
  if (now >= next_midnight_) {  // a new day the engine has not rolled into yet
    v.calls_answered = 0;
    v.talk_s = logged = busy = 0;
    from = std::max(from, zone_.FromLocal(core::LocalTime(LocalDayOf(now))));
  }
  if (agent.state != AgentState::kOffline && now > from) {
    const int64_t open_ms = (now - from).count();
    logged += open_ms;
    if (agent.state != AgentState::kReady && agent.state != AgentState::kNotReady) {
      busy += open_ms;
    }
  }
  if (logged > 0) v.occupancy = double(busy) / double(logged);
  return v;
}

std::vector<AgentView> Engine::Impl::ViewAgents(core::TimePoint now) const {
  std::vector<AgentView> out;
  out.reserve(agents_.size());
  for (const auto& [id, agent] : agents_) out.push_back(ViewAgent(agent, now));
  std::sort(out.begin(), out.end(), [](const AgentView& a, const AgentView& b) {
    if ((a.seat == 0) != (b.seat == 0)) return a.seat != 0;  // logged-in ones first
    return a.seat != b.seat ? a.seat < b.seat : a.agent_id < b.agent_id;
  });
  return out;
}

int64_t Engine::Impl::LongestWaitS(core::TimePoint now) const {
  std::optional<core::TimePoint> earliest;
  if (auto oldest = queue_.Oldest()) earliest = FindCall(oldest->call_id)->rec.enqueued_at;
  for (size_t s = 1; s < seats_.size(); ++s) {
    const AgentRec* agent = seats_[s];
    if (!agent || agent->state != AgentState::kRinging) continue;
    const core::TimePoint t = FindCall(*agent->call_id)->rec.enqueued_at;
    if (!earliest || t < *earliest) earliest = t;
  }
  return earliest ? WholeSeconds(now - *earliest) : 0;
}

QueueView Engine::Impl::ViewQueue(size_t max_calls) const {
  const core::TimePoint now = ViewNow();
  QueueView q;
  q.waiting = int(queue_.size());
  q.ringing = ringing_calls_;
  q.longest_wait_s = LongestWaitS(now);
  for (AgentState s : {AgentState::kOffline, AgentState::kReady, AgentState::kRinging,
                       AgentState::kTalking, AgentState::kWrapUp, AgentState::kNotReady}) {
    q.agents[std::string(AgentStateName(s))] = 0;
  }
  for (const auto& [id, agent] : agents_) ++q.agents[std::string(AgentStateName(agent.state))];
  const Serving serving = GatherServing(now);
  int position = 0;
  queue_.ForEachInOrder(max_calls, [&](const QueueKey& key) {
    const CallRec& call = *FindCall(key.call_id);
    QueuedCall c;
    c.call_id = call.rec.id;
    c.caller = call.rec.caller;
    c.skill = call.rec.skill;
    c.priority = call.rec.priority;
    c.position = ++position;
    c.ewt_s = EstimateWait(call, position, serving, now);
    c.wait_s = WholeSeconds(now - call.rec.enqueued_at);
    c.enqueued_at = call.rec.enqueued_at;
    c.incident_id = call.rec.incident_id;
    c.any_agent = call.rec.any_agent;
    c.callback = call.rec.callback;
    q.calls.push_back(std::move(c));
  });
  return q;
}

DayMeasures Engine::Impl::ViewToday() const {
  const core::TimePoint now = ViewNow();
  const core::LocalDays day = LocalDayOf(now);
  DayMeasures m;
  m.day = std::chrono::year_month_day(day);
  if (auto it = days_.find(day); it != days_.end()) it->second.Fill(m);
  // The day's longest wait: of the calls answered or abandoned today, or of one still waiting.
  m.longest_wait_s = std::max(m.longest_wait_s, LongestWaitS(now));
  m.waiting = int(queue_.size());
  m.agents = ViewAgents(now);
  return m;
}

// --- Engine: views --------------------------------------------------------------------

core::Result<CallView> Engine::GetCall(int64_t call_id) const {
  const CallRec* call = impl_->FindCall(call_id);
  if (!call) return core::Error::NotFound("call " + std::to_string(call_id) + " not found");
  const core::TimePoint now = impl_->ViewNow();
  Impl::Serving serving;
  if (call->rec.state == CallState::kQueued) serving = impl_->GatherServing(now);
  return impl_->ViewCall(*call, serving, now);
}

core::Result<AgentView> Engine::GetAgent(int64_t agent_id) const {
  auto it = impl_->agents_.find(agent_id);
  if (it == impl_->agents_.end()) {
    return core::Error::NotFound("agent " + std::to_string(agent_id) + " is not known");
  }
  return impl_->ViewAgent(it->second, impl_->ViewNow());
}

std::vector<AgentView> Engine::Agents() const { return impl_->ViewAgents(impl_->ViewNow()); }

QueueView Engine::Queue(size_t max_calls) const { return impl_->ViewQueue(max_calls); }

DayMeasures Engine::Today() const { return impl_->ViewToday(); }

std::vector<IncidentView> Engine::OpenIncidents() const {
  std::vector<IncidentView> out;
  for (const IncidentRec& r : impl_->incidents_) out.push_back(r.view);
  return out;
}

}  // namespace hotline::acd

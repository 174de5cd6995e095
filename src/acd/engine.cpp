#include "hotline/acd/engine.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "acd/engine_impl.hpp"

namespace hotline::acd {
namespace {

// Runs one command: fire what is due, apply it, then evict and check. `impl` is deduced so
// that this helper need not name the private Engine::Impl.
template <class I, class F>
auto Run(I& impl, F&& command) {
  impl.Advance();
  auto result = command();
  impl.Finish();
  return result;
}

constexpr int kKeepDays = 8;
// Room for the events of a typical command, so that emitting them rarely allocates.
constexpr size_t kEventBatch = 32;

}  // namespace

Engine::Impl::Impl(AcdConfig config, const core::Clock& clock, core::TimeZone zone)
    : config_(std::move(config)),
      clock_(clock),
      zone_(std::move(zone)),
      now_(clock.Now()),
      seats_(size_t(config_.total_seats()) + 1, nullptr),
      queue_(config_.skills.size()),
      model_(config_, now_) {
  for (size_t i = 0; i < config_.skills.size(); ++i) skill_index_[config_.skills[i]] = i;
  extensions_.resize(seats_.size());
  for (size_t s = 1; s < seats_.size(); ++s) extensions_[s] = SeatExtension(config_, int(s));
  events_.reserve(kEventBatch);
  next_midnight_ = now_;  // forces the first RollDay to set today_
  RollDay(now_);
}

void Engine::Impl::Advance() {
  // A clock stepping back is treated as standing still, so timestamps never go backwards.
  const core::TimePoint target = std::max(now_, clock_.Now());
  while (auto timer = PopDue(target)) {
    // Each timer fires at its own due time, as if the runtime had been punctual.
    now_ = std::max(now_, timer->due);
    RollDay(now_);
    FireTimer(*timer);
    TrimOverflow();
    Check();
  }
  now_ = target;
  RollDay(now_);
  model_.Prune(now_);
}

void Engine::Impl::Finish() {
  Evict();
  TrimOverflow();
  Check();
}

std::optional<TimerKey> Engine::Impl::PopDue(core::TimePoint target) {
  const std::optional<core::TimePoint> timer = timers_.Next();
  if (!overflow_fifo_.empty() && overflow_fifo_.front().first <= target &&
      (!timer || overflow_fifo_.front().first < *timer)) {
    const auto [due, id] = overflow_fifo_.front();
    overflow_fifo_.pop_front();
    return TimerKey{due, TimerKind::kOverflow, id};
  }
  return timers_.PopDue(target);
}

std::optional<core::TimePoint> Engine::Impl::NextDue() const {
  std::optional<core::TimePoint> next = timers_.Next();
  if (!overflow_fifo_.empty() && (!next || overflow_fifo_.front().first < *next)) {
    next = overflow_fifo_.front().first;
  }
  return next;
}

bool Engine::Impl::OverflowLive(const std::pair<core::TimePoint, int64_t>& entry) const {
  const CallRec* call = FindCall(entry.second);
  return call && call->overflow_due == entry.first;
}

void Engine::Impl::TrimOverflow() {
  while (!overflow_fifo_.empty() && !OverflowLive(overflow_fifo_.front())) {
    overflow_fifo_.pop_front();
  }
}

void Engine::Impl::Evict() {
  const core::Millis keep(int64_t{config_.retain_ended_s} * 1000);
  while (!retired_.empty()) {
    const auto& [at, id] = retired_.front();
    if (now_ - at < keep && retired_.size() <= config_.max_retained_calls) break;
    calls_.erase(id);
    retired_.pop_front();
  }
}

void Engine::Impl::Check() const {
#ifdef HOTLINE_CHECK_INVARIANTS
  if (auto violation = FindViolation()) {
    std::fprintf(stderr, "ACD invariant violated: %s\n", violation->c_str());
    std::abort();
  }
#endif
}

core::LocalDays Engine::Impl::LocalDayOf(core::TimePoint t) const {
  return std::chrono::floor<std::chrono::days>(zone_.ToLocal(t));
}

void Engine::Impl::RollDay(core::TimePoint t) {
  if (t < next_midnight_) return;
  today_ = LocalDayOf(t);
  const core::TimePoint start = zone_.FromLocal(core::LocalTime(today_));
  next_midnight_ = zone_.FromLocal(core::LocalTime(today_ + std::chrono::days(1)));
  // Agents' figures are per day: what ran before midnight belonged to yesterday.
  for (auto& [id, agent] : agents_) {
    agent.calls_answered = 0;
    agent.talk_ms = agent.logged_ms = agent.busy_ms = 0;
    agent.accounted_at = std::max(agent.accounted_at, start);
  }
  while (!days_.empty() && days_.begin()->first < today_ - std::chrono::days(kKeepDays)) {
    days_.erase(days_.begin());
  }
}

DayStats* Engine::Impl::StatsFor(core::LocalDays day) {
  if (day < today_ - std::chrono::days(kKeepDays)) return nullptr;
  return &days_[day];
}

AgentRec* Engine::Impl::FindAgent(int64_t id) {
  auto it = agents_.find(id);
  return it == agents_.end() ? nullptr : &it->second;
}

CallRec* Engine::Impl::FindCall(int64_t id) {
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : &it->second;
}

const CallRec* Engine::Impl::FindCall(int64_t id) const {
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : &it->second;
}

void Engine::Impl::EmitCall(EventKind kind, const CallRec& call, std::string reason,
                            std::optional<int64_t> agent_id) {
  Event e;
  e.kind = kind;
  e.at = now_;
  e.call_id = call.rec.id;
  e.agent_id = agent_id.value_or(call.rec.agent_id.value_or(0));
  e.seat = call.rec.seat;
  e.extension = call.rec.extension;
  e.reason = std::move(reason);
  e.call = call.rec;
  events_.push_back(std::move(e));
}

void Engine::Impl::EmitAgent(const AgentRec& agent, AgentState previous,
                             const std::string& reason) {
  Event e;
  e.kind = EventKind::kAgentState;
  e.at = now_;
  e.call_id = agent.call_id.value_or(0);
  e.agent_id = agent.id;
  e.seat = agent.seat;
  if (agent.seat > 0) e.extension = extensions_[size_t(agent.seat)];
  e.reason = reason;
  e.agent_state = agent.state;
  e.previous_state = previous;
  events_.push_back(std::move(e));
}

void Engine::Impl::EmitIncident(EventKind kind, const IncidentView& incident) {
  Event e;
  e.kind = kind;
  e.at = now_;
  e.incident = incident;
  events_.push_back(std::move(e));
}

// --- Engine: thin forwarders ----------------------------------------------------------

Engine::Engine(AcdConfig config, const core::Clock& clock, core::TimeZone zone) {
  if (auto ok = ValidateConfig(config); !ok) throw std::invalid_argument(ok.error().message);
  impl_ = std::make_unique<Impl>(std::move(config), clock, std::move(zone));
}

Engine::~Engine() = default;

core::Result<Arrival> Engine::CallArrived(const NewCall& call) {
  return Run(*impl_, [&] { return impl_->CallArrived(call); });
}

core::Result<void> Engine::SeedMeasures(std::span<const CallRecord> finished) {
  return Run(*impl_, [&] { return impl_->SeedMeasures(finished); });
}

core::Result<void> Engine::RequestCallback(int64_t call_id) {
  return Run(*impl_, [&] { return impl_->RequestCallback(call_id); });
}

core::Result<std::vector<RestoreFailure>> Engine::Restore(std::vector<RestoredCall> calls) {
  return Run(*impl_, [&] { return impl_->Restore(std::move(calls)); });
}

core::Result<void> Engine::Accept(int64_t agent_id, int64_t call_id) {
  return Run(*impl_, [&] { return impl_->Accept(agent_id, call_id); });
}

core::Result<void> Engine::Answered(int64_t call_id) {
  return Run(*impl_, [&] { return impl_->Answered(call_id); });
}

core::Result<void> Engine::Hangup(int64_t call_id, std::string_view by) {
  return Run(*impl_, [&] { return impl_->Hangup(call_id, by); });
}

core::Result<SeatAssignment> Engine::Login(int64_t agent_id, std::optional<int> seat,
                                           const SkillMap& skills) {
  return Run(*impl_, [&] { return impl_->Login(agent_id, seat, skills); });
}

core::Result<void> Engine::Logout(int64_t agent_id) {
  return Run(*impl_, [&] { return impl_->Logout(agent_id); });
}

core::Result<void> Engine::SetState(int64_t agent_id, std::string_view state,
                                    std::string_view reason) {
  return Run(*impl_, [&] { return impl_->SetState(agent_id, state, reason); });
}

core::Result<void> Engine::WrapDone(int64_t agent_id) {
  return Run(*impl_, [&] { return impl_->WrapDone(agent_id); });
}

core::Result<IncidentView> Engine::OpenIncident(IncidentInput incident) {
  return Run(*impl_, [&] { return impl_->OpenIncident(std::move(incident)); });
}

core::Result<void> Engine::RestoreIncidents(std::vector<IncidentInput> incidents) {
  return Run(*impl_, [&] { return impl_->RestoreIncidents(std::move(incidents)); });
}

core::Result<IncidentView> Engine::CloseIncident(int64_t incident_id) {
  return Run(*impl_, [&] { return impl_->CloseIncident(incident_id); });
}

void Engine::Tick() {
  impl_->Advance();
  impl_->Finish();
}

std::optional<core::TimePoint> Engine::NextDeadline() const { return impl_->NextDue(); }

std::vector<Event> Engine::DrainEvents() {
  std::vector<Event> out = std::move(impl_->events_);
  impl_->events_ = {};
  impl_->events_.reserve(kEventBatch);
  return out;
}

const AcdConfig& Engine::config() const { return impl_->config_; }

std::optional<std::string> Engine::FindInvariantViolation() const { return impl_->FindViolation(); }

}  // namespace hotline::acd

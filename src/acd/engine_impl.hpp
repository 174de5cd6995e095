#pragma once
// The engine's state and the transitions shared by its commands. Split over
// engine.cpp (entry points, time), engine_calls.cpp, engine_agents.cpp, engine_routing.cpp,
// engine_views.cpp and engine_invariants.cpp.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "acd/call_queue.hpp"
#include "acd/measures.hpp"
#include "acd/timers.hpp"
#include "acd/wait_model.hpp"
#include "hotline/acd/engine.hpp"

namespace hotline::acd {

struct AgentRec {
  int64_t id = 0;
  int seat = 0;  // 0 when offline
  AgentState state = AgentState::kOffline;
  std::string reason;
  core::TimePoint since;
  core::TimePoint idle_since;      // when it last became ready: the longest_idle key
  std::optional<int64_t> call_id;  // ringing, talking, or the call in wrap-up
  std::vector<uint8_t> levels;     // per configured skill; 0 = lacks it
  std::optional<core::TimePoint> wrap_due;
  // Today's figures.
  int calls_answered = 0;
  int64_t talk_ms = 0;
  int64_t logged_ms = 0;
  int64_t busy_ms = 0;
  core::TimePoint accounted_at;
};

struct CallRec {
  CallRecord rec;
  size_t skill = 0;
  QueueKey key;
  CallQueue::Slot slot;  // valid while queued
  core::LocalDays day;   // local day of arrival: the day its figures count for
  std::optional<core::TimePoint> ring_due;
  std::optional<core::TimePoint> overflow_due;
};

struct IncidentRec {
  IncidentView view;
  std::vector<std::string> folded;  // keywords, ASCII-lowercased
  bool Matches(const std::string& skill, const std::string& ivr_choice,
               const std::string& category) const;  // engine_incidents.cpp
};

class Engine::Impl {
 public:
  Impl(AcdConfig config, const core::Clock& clock, core::TimeZone zone);

  // Entry and exit of every command.
  void Advance();
  void Finish();

  // Commands (engine_calls.cpp, engine_agents.cpp, engine_routing.cpp).
  core::Result<Arrival> CallArrived(const NewCall& in);
  Arrival TurnAway(CallRec call);  // engine_calls.cpp
  /// Queues the call, offering it at once to `target` (a ready agent who can take it) if given.
  Arrival Admit(CallRec call, AgentRec* target);  // engine_calls.cpp
  AgentRec* StickyAgentFor(std::optional<int64_t> owner);
  /// Who takes a new (or readmitted) call at once: its sticky agent if ready (recorded on the
  /// call), else the best ready agent for it; nullptr when it has to wait.
  AgentRec* TakerFor(CallRec& call, std::optional<int64_t> sticky_agent_id);
  /// True when a call no agent can take now is turned away (`overflow`).
  bool QueueFull() const;
  core::Result<void> SeedMeasures(std::span<const CallRecord> finished);
  core::Result<std::vector<RestoreFailure>> Restore(std::vector<RestoredCall> calls);
  core::Result<void> RequestCallback(int64_t call_id);
  core::Result<Arrival> Readmit(const NewCall& in);  // engine_readmit.cpp
  core::Result<void> Accept(int64_t agent_id, int64_t call_id);
  core::Result<void> Answered(int64_t call_id);
  core::Result<void> Hangup(int64_t call_id, std::string_view by);
  core::Result<SeatAssignment> Login(int64_t agent_id, std::optional<int> seat,
                                     const SkillMap& skills);
  core::Result<void> Logout(int64_t agent_id);
  core::Result<std::vector<uint8_t>> SkillLevels(const SkillMap& skills) const;
  core::Result<int> ChooseSeat(std::optional<int> wanted) const;
  core::Result<void> SetState(int64_t agent_id, std::string_view state, std::string_view reason);
  core::Result<void> WrapDone(int64_t agent_id);
  core::Result<IncidentView> OpenIncident(IncidentInput in);
  core::Result<IncidentRec> CheckIncident(IncidentInput in) const;  // engine_incidents.cpp
  core::Result<void> RestoreIncidents(std::vector<IncidentInput> incidents);
  core::Result<IncidentView> CloseIncident(int64_t id);

  // Views (engine_views.cpp).
  struct Serving;
  CallView ViewCall(const CallRec& call, const Serving& serving, core::TimePoint now) const;
  AgentView ViewAgent(const AgentRec& agent, core::TimePoint now) const;
  QueueView ViewQueue(size_t max_calls) const;
  DayMeasures ViewToday() const;
  std::vector<AgentView> ViewAgents(core::TimePoint now) const;
  /// What the wait model needs to know about the agents, gathered once per view.
  struct Serving {
    std::vector<double> frees;  // seconds until each serving agent is free, ascending
    bool idle_agent = false;    // a routable agent is ready (the waiting calls lack its skills)
  };
  Serving GatherServing(core::TimePoint now) const;
  int EstimateWait(const CallRec& call, int position, const Serving& serving,
                   core::TimePoint now) const;
  int64_t LongestWaitS(core::TimePoint now) const;

  // engine_invariants.cpp
  std::optional<std::string> FindViolation() const;
  std::optional<std::string> CheckAgent(const AgentRec& agent) const;
  std::optional<std::string> CheckCall(const CallRec& call) const;
  std::optional<std::string> CheckTimers(size_t overflow_armed) const;

  // Transitions (engine_routing.cpp unless noted).
  void Dispatch();
  AgentRec* BestAgentFor(const CallRec& call);
  const QueueKey* BestCallFor(const AgentRec& agent) const;
  bool SeatLive(int seat) const;
  bool Routable(const AgentRec& agent) const {
    return agent.state == AgentState::kReady && SeatLive(agent.seat);
  }
  void Offer(CallRec& call, AgentRec& agent);
  void Requeue(CallRec& call, std::string_view reason);
  void FireTimer(const TimerKey& timer);
  void Answer(CallRec& call, AgentRec& agent);                                // engine_calls.cpp
  void EndTalk(CallRec& call, Party by);                                      // engine_calls.cpp
  void Abandon(CallRec& call);                                                // engine_calls.cpp
  void CompleteWrap(AgentRec& agent);                                         // engine_agents.cpp
  void SetAgentState(AgentRec& agent, AgentState state, std::string reason);  // engine_agents.cpp
  void Account(AgentRec& agent, core::TimePoint at);                          // engine_agents.cpp
  void Retire(const CallRec& call);
  void ArmOverflow(CallRec& call);
  void CancelTimer(std::optional<core::TimePoint>& due, TimerKind kind, int64_t id);
  /// Removes and returns the earliest ring, wrap-up or overflow deadline due by `target`.
  std::optional<TimerKey> PopDue(core::TimePoint target);
  std::optional<core::TimePoint> NextDue() const;
  /// Drops overflow entries at the front whose call was answered, abandoned or evicted.
  void TrimOverflow();
  bool OverflowLive(const std::pair<core::TimePoint, int64_t>& entry) const;

  // Events.
  void EmitCall(EventKind kind, const CallRec& call, std::string reason = {},
                std::optional<int64_t> agent_id = std::nullopt);
  void EmitAgent(const AgentRec& agent, AgentState previous, const std::string& reason);
  void EmitIncident(EventKind kind, const IncidentView& incident);

  // Days.
  core::LocalDays LocalDayOf(core::TimePoint t) const;
  void RollDay(core::TimePoint t);
  DayStats* StatsFor(core::LocalDays day);
  std::optional<int64_t> TagIncident(const std::string& skill, const std::string& ivr_choice,
                                     const std::string& category);

  AgentRec* FindAgent(int64_t id);
  CallRec* FindCall(int64_t id);
  const CallRec* FindCall(int64_t id) const;
  core::TimePoint ViewNow() const { return std::max(now_, clock_.Now()); }
  void Evict();
  void Check() const;  // aborts on a violation (HOTLINE_CHECK_INVARIANTS builds)

  AcdConfig config_;
  const core::Clock& clock_;
  core::TimeZone zone_;
  core::TimePoint now_;
  std::unordered_map<std::string, size_t> skill_index_;
  std::unordered_map<int64_t, CallRec> calls_;
  std::unordered_map<int64_t, AgentRec> agents_;
  std::vector<AgentRec*> seats_;         // [seat] → its agent; index 0 unused
  std::vector<std::string> extensions_;  // [seat] → its extension
  CallQueue queue_;
  Timers timers_;  // ring and wrap-up deadlines: at most two per seat
  // Overflow deadlines, one per waiting call, in arrival order — which is their due order,
  // as enqueued_at never decreases. Cancelled ones are skipped lazily; the front is kept live.
  std::deque<std::pair<core::TimePoint, int64_t>> overflow_fifo_;
  WaitModel model_;
  std::map<core::LocalDays, DayStats> days_;
  core::LocalDays today_;
  core::TimePoint next_midnight_;
  std::vector<IncidentRec> incidents_;  // open ones, oldest first
  std::vector<Event> events_;
  std::deque<std::pair<core::TimePoint, int64_t>> retired_;  // finished calls, oldest first
  uint64_t next_seq_ = 1;
  int rr_last_seat_ = 0;
  int ringing_calls_ = 0;
};

}  // namespace hotline::acd

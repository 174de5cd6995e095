#pragma once
// The call-distribution engine: a pure, single-threaded state machine over seats, agents,
// calls and queues. No I/O, no threads: the runtime drives it from one strand with
// commands and Tick(), arms one timer at NextDeadline(), and turns DrainEvents() into
// WebSocket pushes and database rows.
//
// Every command first fires the timers that are due at clock.Now() (so a late Tick changes
// nothing), then applies itself and routes whatever can be routed. Time never runs
// backwards inside the engine: a clock that steps back is treated as standing still.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/acd/config.hpp"
#include "hotline/acd/event.hpp"
#include "hotline/acd/model.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/error.hpp"
#include "hotline/core/time.hpp"

namespace hotline::acd {

class Engine {
 public:
  /// `config` must pass ValidateConfig (std::invalid_argument otherwise: a wiring bug).
  /// `zone` decides where a day starts for the daily measures.
  Engine(AcdConfig config, const core::Clock& clock, core::TimeZone zone);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // --- Calls ---------------------------------------------------------------------------
  /// Queues a new call, offering it at once when an agent can take it (`sticky_agent_id`
  /// first, if that agent is ready); answers kOverflow (and keeps only its record) when no
  /// agent can take it now and more than max_waiting calls already wait.
  /// Errors: validation (skill, priority, id), conflict (id already known).
  core::Result<Arrival> CallArrived(const NewCall& call);
  /// Rebuilds the daily measures and the agents' figures of today from the records of calls
  /// that were over before a restart (waiting ones come back through Restore and count then).
  /// Records of days no longer kept are ignored. Only on an engine with no calls and no agents
  /// yet (conflict otherwise). Emits no events.
  core::Result<void> SeedMeasures(std::span<const CallRecord> finished);
  /// Queues calls that were waiting before a restart, in their original order, each with a
  /// kCallQueued event (reason "restored"), then routes them. A call that cannot be restored
  /// (bad or duplicate id, unknown skill, priority, lengths) is skipped and listed in the
  /// answer; the others are restored all the same. Only on an engine that has no calls yet
  /// (conflict otherwise).
  core::Result<std::vector<RestoreFailure>> Restore(std::vector<RestoredCall> calls);
  /// The agent's pick-up (console `accept`). Repeating it, or after Answered(), is a no-op.
  /// Errors: not_found; invalid_transition when the call is not offered to this agent.
  core::Result<void> Accept(int64_t agent_id, int64_t call_id);
  /// The gateway's pick-up report; a no-op when the call was already picked up.
  core::Result<void> Answered(int64_t call_id);
  /// The call is over. `by` is "caller", "agent" or empty (= caller). Queued or ringing: the
  /// caller abandoned. Talking: ended, the agent goes to wrap_up (ready when wrap_up_s = 0).
  /// A call already over: no-op.
  core::Result<void> Hangup(int64_t call_id, std::string_view by);
  /// Virtual hold: the waiting caller chose to be called back instead of holding on. The call
  /// keeps its place and its record (counted as a callback request); the caller's hang-up no
  /// longer abandons it, and when its turn comes an agent is offered it to call back. A ringing
  /// call goes back to its place (the caller is no longer there to be connected); asking again
  /// is a no-op. Errors: not_found; invalid_transition once the call is answered or over.
  core::Result<void> RequestCallback(int64_t call_id);
  /// Lets a call the full queue turned away (`overflow`) back in, keeping its id: the caller
  /// asked for an agent again from the voice menu. It queues like a new arrival (a new wait,
  /// kCallQueued with reason "readmitted") and stops counting as turned away; a call the engine
  /// no longer holds arrives again from `call`. Answers kOverflow, changing nothing, while no
  /// agent can take it and more than max_waiting calls wait (as CallArrived); a call already
  /// waiting or ringing answers where it is.
  /// Errors: validation (as CallArrived); invalid_transition when the call is answered or over.
  core::Result<Arrival> Readmit(const NewCall& call);

  // --- Agents --------------------------------------------------------------------------
  /// Logs an agent in as `ready`: at `seat`, or at the lowest free regular seat, else the
  /// lowest free emergency seat. Logging in again at the same seat (or none) is a no-op that
  /// updates the skills. Errors: no_free_seat; conflict (seat taken, or already at another
  /// seat); validation (seat out of range, unknown skill, level not 1..9).
  core::Result<SeatAssignment> Login(int64_t agent_id, std::optional<int> seat,
                                     const SkillMap& skills = {});
  /// Frees the seat. A ringing call goes back to its place; wrap-up ends. A logged-out agent
  /// logging out again is a no-op. Errors: not_found; invalid_transition while talking.
  core::Result<void> Logout(int64_t agent_id);
  /// `state` is "ready" or "not_ready" (validation otherwise); `reason` is kept for
  /// not_ready ("break" when empty). From wrap_up it ends the wrap-up; not_ready while
  /// ringing declines the call, which goes back to its place; ready while ringing or ready
  /// is a no-op. Errors: not_found; invalid_transition while talking or when not logged in.
  core::Result<void> SetState(int64_t agent_id, std::string_view state,
                              std::string_view reason = {});
  /// Ends the agent's wrap-up early; a no-op when it is already over (ready or not_ready).
  /// Errors: not_found; invalid_transition while ringing, talking or logged out.
  core::Result<void> WrapDone(int64_t agent_id);

  // --- Incidents -----------------------------------------------------------------------
  /// Opens an incident: emergency seats go live; calls already waiting (queued or ringing)
  /// and new calls that match it (IncidentInput) are tagged, each waiting one with a
  /// kCallTagged event. Errors: validation (title, keywords, skills, ivr_choices), conflict
  /// (id already open).
  core::Result<IncidentView> OpenIncident(IncidentInput incident);
  /// Re-opens the incidents that were open before a restart (opened_at and calls_tagged as
  /// given), so that emergency seats are live again. Only on an engine with no calls yet
  /// (conflict otherwise); call it before Restore. Emits no events.
  core::Result<void> RestoreIncidents(std::vector<IncidentInput> incidents);
  /// Closes an open incident; when none is left open, emergency seats take no new calls.
  /// Errors: not_found (unknown or already closed).
  core::Result<IncidentView> CloseIncident(int64_t incident_id);

  // --- Time and output -----------------------------------------------------------------
  /// Fires every timer due at clock.Now() (ring timeouts, wrap-up ends, overflow).
  void Tick();
  /// The earliest pending timer: arm one runtime timer for it and call Tick() then.
  std::optional<core::TimePoint> NextDeadline() const;
  /// Takes the events produced since the last call, oldest first.
  std::vector<Event> DrainEvents();

  // --- Read views (as of clock.Now(); they fire no timers) -----------------------------
  /// A call still in memory; not_found for an unknown or evicted one (read the database).
  core::Result<CallView> GetCall(int64_t call_id) const;
  /// An agent seen since start (offline ones included); not_found otherwise.
  core::Result<AgentView> GetAgent(int64_t agent_id) const;
  /// Every agent seen since start, logged-in ones first by seat.
  std::vector<AgentView> Agents() const;
  /// Waiting calls in order (at most `max_calls` listed), counts and agent states.
  QueueView Queue(size_t max_calls = std::numeric_limits<size_t>::max()) const;
  /// Today's measures (local day of the engine's time zone).
  DayMeasures Today() const;
  /// The open incidents.
  std::vector<IncidentView> OpenIncidents() const;
  const AcdConfig& config() const;

  /// Describes the first broken invariant, or nothing. Built with HOTLINE_CHECK_INVARIANTS
  /// the engine checks this after every event and aborts on a violation (a bug).
  std::optional<std::string> FindInvariantViolation() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::acd

#pragma once
// The live call center: runs the ACD engine on a thread of its own (its strand), fires its
// timers, writes every event as CDR and event rows through the group-commit writer, and
// pushes routing, call and agent events to the gateway, the agents and the wallboards.
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "hotline/acd/engine.hpp"
#include "hotline/api/push.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/json.hpp"
#include "hotline/core/time.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::api {

class CallCenter {
 public:
  /// Extra facts to show an agent when a call is offered (the caller's other recent calls, open
  /// and last closed work orders; never the offered call itself); runs on a worker thread, may
  /// read the database. Not asked for anonymous or withheld callers.
  using CallerContext = std::function<core::Json(const std::string& phone, int64_t call_id)>;
  /// The agent owning an open work order of a caller (the work-order lookup by phone).
  using OwnerLookup = std::function<std::optional<int64_t>(const std::string& phone)>;
  /// Runs work off the engine thread (pushes that read the database).
  using Poster = std::function<void(std::function<void()>)>;

  CallCenter(acd::AcdConfig config, const core::Clock& clock, core::TimeZone zone,
             storage::Database& db, Push& push, Poster post);
  ~CallCenter();

  /// Re-queues the calls that were waiting when the server stopped, then starts the thread.
  void Start();
  /// Stops the thread after the tasks already queued; their events are written.
  void Stop();

  void SetCallerContext(CallerContext fn) { caller_context_ = std::move(fn); }
  void SetOwnerLookup(OwnerLookup fn) { owner_lookup_ = std::move(fn); }
  /// The sticky agent of a new call (SPEC §2): the owner of the caller's open work order, or
  /// nothing (no lookup set, an anonymous or withheld caller, no open work order). Reads the
  /// database on the calling thread: fill NewCall::sticky_agent_id with it before CallArrived.
  std::optional<int64_t> StickyAgentOf(const std::string& caller) const;

  /// Runs fn(engine) on the engine thread and returns its value once the events it caused
  /// are committed to the database (an acknowledged change is a durable one).
  template <class F>
  auto Run(F&& fn) -> std::invoke_result_t<F&, acd::Engine&>;
  /// Runs fn(engine) on the engine thread for a read; does not wait for the database.
  template <class F>
  auto Read(F&& fn) -> std::invoke_result_t<F&, acd::Engine&>;

  /// Console sessions (/ws/agent) are counted per agent. Each connect re-sends the agent's
  /// state and current call; only when the last session of an agent closes does the grace
  /// period start, after which a ready or ringing agent is set not_ready. A session opened
  /// within the grace period cancels it.
  void AgentConnected(int64_t agent_id);
  void AgentDisconnected(int64_t agent_id, int grace_s);

  /// JSON views shared by REST and WebSocket messages.
  core::Json CallJson(const acd::CallView& call) const;
  core::Json AgentJson(const acd::AgentView& agent) const;
  core::Json QueueJson(const acd::QueueView& queue, const acd::DayMeasures& today) const;
  const core::TimeZone& zone() const { return zone_; }

 private:
  using Task = std::function<void()>;
  void Post(Task task);
  void Loop();
  /// Writes and pushes the engine's events; `done` runs after their commit.
  void Flush(std::function<void(bool)> done);
  void PushEvent(const acd::Event& e);
  void PushOffer(const acd::Event& e);
  /// `seat.status` to the wallboards when emergency seats go live or retire.
  void PushSeatStatus();
  /// `seat.status` for one emergency seat whose last call ended after the incidents closed.
  void PushSeatRetired(const acd::Event& e);
  void ScheduleSnapshot();
  void Restore();

  acd::Engine engine_;
  const core::Clock& clock_;
  core::TimeZone zone_;
  storage::Database& db_;
  Push& push_;
  Poster post_;
  CallerContext caller_context_;
  OwnerLookup owner_lookup_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> tasks_;
  bool stopping_ = false;
  std::thread thread_;
  bool snapshot_due_ = false;
  core::TimePoint last_snapshot_;
  std::unordered_map<int64_t, core::TimePoint> disconnected_;  // agent → grace deadline
  std::unordered_map<int64_t, int> sessions_;                  // agent → open console sessions
  bool emergency_live_ = false;                                // as last pushed in seat.status
};

/// A day's call measures as GET /api/v1/queue shows them under `today` (the daily report too).
core::Json MeasuresJson(const acd::DayMeasures& day);

template <class F>
auto CallCenter::Run(F&& fn) -> std::invoke_result_t<F&, acd::Engine&> {
  using R = std::invoke_result_t<F&, acd::Engine&>;
  auto committed = std::make_shared<std::promise<bool>>();
  auto future = committed->get_future();
  std::optional<R> out;
  std::exception_ptr error;
  Post([&, committed] {
    try {
      out.emplace(fn(engine_));
    } catch (...) {
      error = std::current_exception();
    }
    Flush([committed](bool ok) { committed->set_value(ok); });
  });
  bool written = future.get();
  if (error) std::rethrow_exception(error);
  if (!written) throw storage::StorageError(1, "ACD events were not committed");
  return std::move(*out);
}

template <class F>
auto CallCenter::Read(F&& fn) -> std::invoke_result_t<F&, acd::Engine&> {
  using R = std::invoke_result_t<F&, acd::Engine&>;
  std::promise<void> done;
  std::optional<R> out;
  std::exception_ptr error;
  Post([&] {
    try {
      out.emplace(fn(engine_));
    } catch (...) {
      error = std::current_exception();
    }
    done.set_value();
  });
  done.get_future().get();
  if (error) std::rethrow_exception(error);
  return std::move(*out);
}

}  // namespace hotline::api

#include "call_center.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "cdr.hpp"

namespace hotline::api {
namespace {

using core::Json;
using storage::Connection;

constexpr auto kSnapshotEvery = std::chrono::milliseconds(500);
constexpr auto kMaxSleep = std::chrono::milliseconds(250);

Json Time(const std::optional<core::TimePoint>& t, const core::TimeZone& zone) {
  return t ? Json(core::FormatIso(*t, zone)) : Json(nullptr);
}

}  // namespace

CallCenter::CallCenter(acd::AcdConfig config, const core::Clock& clock, core::TimeZone zone,
                       storage::Database& db, Push& push, Poster post)
    : engine_(std::move(config), clock, zone),
      clock_(clock),
      zone_(std::move(zone)),
      db_(db),
      push_(push),
      post_(std::move(post)) {}

CallCenter::~CallCenter() { Stop(); }

std::optional<int64_t> CallCenter::StickyAgentOf(const std::string& caller) const {
  if (!owner_lookup_ || caller.empty() || caller == "anonymous") return std::nullopt;
  try {
    return owner_lookup_(caller);
  } catch (const std::exception& ex) {
    // The call still gets routed, only without its sticky agent.
    spdlog::warn("sticky-agent lookup failed: {}", ex.what());
    return std::nullopt;
  }
}

void CallCenter::Start() {
  Restore();
  thread_ = std::thread([this] { Loop(); });
}

void CallCenter::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CallCenter::Post(Task task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) throw std::runtime_error("call center is stopping");
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

namespace {

/// The incidents still open, as the engine re-opens them.
std::vector<acd::IncidentInput> OpenIncidentInputs(Connection& c) {
  std::vector<acd::IncidentInput> out;
  for (acd::IncidentView& v : ReadOpenIncidents(c)) {
    acd::IncidentInput in;
    in.id = v.id;
    in.title = std::move(v.title);
    in.keywords = std::move(v.keywords);
    in.ivr_message = std::move(v.ivr_message);
    in.skills = std::move(v.skills);
    in.ivr_choices = std::move(v.ivr_choices);
    in.opened_at = v.opened_at;
    in.calls_tagged = v.calls_tagged;
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace

void CallCenter::Restore() {
  const core::TimePoint at = clock_.Now();
  auto now = core::ToUnixMillis(at);
  const core::TimePoint midnight =
      zone_.FromLocal(core::LocalTime(std::chrono::floor<std::chrono::days>(zone_.ToLocal(at))));
  std::vector<acd::CallRecord> finished;
  std::vector<acd::IncidentInput> incidents;
  std::vector<acd::RestoredCall> waiting = db_.Write([&](Connection& c) {
    // Calls in talk when the server stopped cannot be resumed: agents log in again.
    c.Prepare("UPDATE calls SET state = 'ended', ended_at = ?1, ended_by = 'restart' "
              "WHERE state = 'talking'")
        ->BindAll(now)
        .Run();
    // Today's figures so far come back from the records of the calls that are over.
    for (auto& r : ReadCallRecords(c, midnight, at + std::chrono::milliseconds(1))) {
      if (r.state != acd::CallState::kQueued && r.state != acd::CallState::kRinging) finished.push_back(std::move(r));
    }
    incidents = OpenIncidentInputs(c);
    std::vector<acd::RestoredCall> out;
    for (auto& w : ReadWaitingCalls(c)) {
      acd::RestoredCall r;
      r.id = w.id;
      r.caller = std::move(w.caller);
      r.called = std::move(w.called);
      r.skill = w.skill.empty() ? engine_.config().skills.front() : std::move(w.skill);
      r.priority = w.priority;
      r.ivr_choice = std::move(w.ivr_choice);
      r.enqueued_at = w.enqueued_at;
      r.predicted_ewt_s = w.predicted_ewt_s;
      r.incident_id = w.incident_id;
      r.callback = w.callback;
      r.first_offered_at = w.first_offered_at;
      r.offers = w.offers;
      out.push_back(std::move(r));
    }
    c.Prepare("UPDATE calls SET state = 'queued', agent_id = NULL, seat = NULL WHERE state = 'ringing'")->Run();
    return out;
  });
  if (auto seeded = engine_.SeedMeasures(finished); !seeded) {
    spdlog::error("could not rebuild today's call measures: {}", seeded.error().message);
  }
  // Open incidents first: emergency seats are live again, and restored calls keep their tags.
  if (!incidents.empty()) {
    const size_t count = incidents.size();
    if (auto ok = engine_.RestoreIncidents(std::move(incidents)); !ok) {
      spdlog::error("could not restore the open incidents: {}", ok.error().message);
    } else {
      spdlog::info("restored {} open incident(s)", count);
    }
  }
  emergency_live_ = !engine_.OpenIncidents().empty();
  if (waiting.empty()) return;
  const size_t count = waiting.size();
  auto restored = engine_.Restore(std::move(waiting));
  if (!restored) {
    spdlog::error("could not restore the waiting calls: {}", restored.error().message);
    return;
  }
  spdlog::info("restored {} of {} waiting call(s)", count - restored->size(), count);
  if (restored->empty()) return;
  // A call that cannot come back is over: its row says so, and an event row says why.
  db_.Write([&](Connection& c) {
    for (const acd::RestoreFailure& f : *restored) {
      spdlog::warn("call {} could not be restored: {}", f.id, f.reason);
      c.Prepare("UPDATE calls SET state = 'ended', ended_at = ?2, ended_by = 'restore_failed', "
                "agent_id = NULL, seat = NULL WHERE id = ?1 AND state IN ('queued', 'ringing')")
          ->BindAll(f.id, now)
          .Run();
      c.Prepare("INSERT INTO call_events(at, kind, call_id, state, reason) "
                "VALUES (?1, 'restore_failed', ?2, 'ended', ?3)")
          ->BindAll(now, f.id, f.reason)
          .Run();
    }
  });
}

void CallCenter::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (tasks_.empty() && !stopping_) {
      auto sleep = kMaxSleep;
      if (auto deadline = engine_.NextDeadline()) {
        auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - clock_.Now());
        sleep = std::clamp(until, std::chrono::milliseconds(0), kMaxSleep);
      }
      cv_.wait_for(lock, sleep, [&] { return stopping_ || !tasks_.empty(); });
    }
    std::deque<Task> tasks;
    tasks.swap(tasks_);
    bool stop = stopping_;
    lock.unlock();
    for (auto& t : tasks) t();
    engine_.Tick();
    auto now = clock_.Now();
    for (auto it = disconnected_.begin(); it != disconnected_.end();) {
      if (it->second > now) {
        ++it;
        continue;
      }
      auto agent = engine_.GetAgent(it->first);
      if (agent && (agent->state == acd::AgentState::kReady || agent->state == acd::AgentState::kRinging)) {
        (void)engine_.SetState(it->first, "not_ready", "disconnected");
      }
      it = disconnected_.erase(it);
    }
    Flush(nullptr);
    if (snapshot_due_ && now - last_snapshot_ >= kSnapshotEvery) {
      snapshot_due_ = false;
      last_snapshot_ = now;
      Json snapshot = QueueJson(engine_.Queue(50), engine_.Today());
      snapshot["type"] = "queue.snapshot";
      push_.ToSupervisors(snapshot);
      push_.ToAgents(snapshot);
    }
    lock.lock();
    if (stop && tasks_.empty()) return;
  }
}

void CallCenter::Flush(std::function<void(bool)> done) {
  auto events = engine_.DrainEvents();
  if (events.empty()) {
    if (done) done(true);
    return;
  }
  snapshot_due_ = true;
  for (const auto& e : events) PushEvent(e);
  auto shared = std::make_shared<std::vector<acd::Event>>(std::move(events));
  db_.WriteAsync(
      [shared](Connection& c) {
        for (const auto& e : *shared) WriteEvent(c, e);
      },
      [done = std::move(done)](bool committed) {
        if (!committed) spdlog::error("ACD events were not written to the database");
        if (done) done(committed);
      });
}

void CallCenter::PushEvent(const acd::Event& e) {
  using K = acd::EventKind;
  switch (e.kind) {
    case K::kCallRouted:
      // A callback request has no caller on the line: the gateway dials the caller for the seat.
      push_.ToTelephony({{"type", "call.route"}, {"call_id", e.call_id}, {"agent_id", e.agent_id},
                         {"seat", e.seat}, {"extension", e.extension},
                         {"callback", e.call && e.call->callback}, {"caller", e.call ? e.call->caller : ""}});
      PushOffer(e);
      break;
    case K::kCallRequeued:
      push_.ToTelephony({{"type", "call.requeue"}, {"call_id", e.call_id}, {"reason", e.reason}});
      if (e.agent_id) {
        push_.ToUser(e.agent_id, {{"type", "call.withdrawn"}, {"call_id", e.call_id}, {"reason", e.reason}});
      }
      break;
    case K::kCallAnswered:
      push_.ToTelephony({{"type", "call.answered"}, {"call_id", e.call_id}, {"agent_id", e.agent_id}});
      if (e.agent_id && e.call) {
        push_.ToUser(e.agent_id, {{"type", "call.answered"}, {"call", CallJson(acd::CallView{*e.call})}});
      }
      break;
    case K::kCallEnded:
    case K::kCallAbandoned: {
      Json msg = {{"type", "call.ended"}, {"call_id", e.call_id}, {"by", e.reason},
                  {"abandoned", e.kind == K::kCallAbandoned}};
      push_.ToTelephony(msg);
      if (e.agent_id) push_.ToUser(e.agent_id, msg);
      break;
    }
    case K::kAgentState: {
      Json msg = {{"type", "agent.state"},
                  {"agent_id", e.agent_id},
                  {"state", acd::AgentStateName(e.agent_state.value_or(acd::AgentState::kOffline))},
                  {"reason", e.reason},
                  {"seat", e.seat},
                  {"extension", e.extension},
                  {"at", core::FormatIso(e.at, zone_)}};
      push_.ToUser(e.agent_id, msg);
      push_.ToSupervisors(msg);
      PushSeatRetired(e);
      break;
    }
    case K::kIncidentOpened:
    case K::kIncidentClosed:
      if (e.incident) {
        push_.ToSupervisors({{"type", e.kind == K::kIncidentOpened ? "incident.opened" : "incident.closed"},
                             {"incident_id", e.incident->id},
                             {"title", e.incident->title}});
      }
      PushSeatStatus();
      break;
    default:
      break;
  }
}

void CallCenter::PushSeatStatus() {
  // Whether emergency seats take calls changes only when incidents open or close.
  const bool live = !engine_.OpenIncidents().empty();
  if (live == emergency_live_) return;
  emergency_live_ = live;
  const auto& config = engine_.config();
  std::unordered_map<int, const acd::AgentView*> by_seat;
  auto agents = engine_.Agents();
  for (const auto& a : agents) {
    if (a.seat) by_seat[a.seat] = &a;
  }
  Json seats = Json::array();
  for (int seat = config.regular_seats + 1; seat <= config.total_seats(); ++seat) {
    auto it = by_seat.find(seat);
    const acd::AgentView* a = it == by_seat.end() ? nullptr : it->second;
    seats.push_back({{"seat", seat},
                     {"extension", acd::SeatExtension(config, seat)},
                     {"live", live},
                     {"agent_id", a ? Json(a->agent_id) : Json(nullptr)},
                     {"state", a ? Json(acd::AgentStateName(a->state)) : Json(nullptr)},
                     {"call_id", a && a->call_id ? Json(*a->call_id) : Json(nullptr)}});
  }
  // Retiring seats finish the calls they hold; they get no new ones.
  push_.ToSupervisors({{"type", "seat.status"},
                       {"emergency_live", live},
                       {"reason", live ? "incident_opened" : "incidents_closed"},
                       {"seats", std::move(seats)}});
}

void CallCenter::PushSeatRetired(const acd::Event& e) {
  // After the last incident closed, an emergency seat that was still busy retires once its
  // call (and wrap-up) is over.
  using S = acd::AgentState;
  if (emergency_live_ || e.seat <= engine_.config().regular_seats || !e.previous_state ||
      !e.agent_state)
    return;
  auto busy = [](S s) { return s == S::kRinging || s == S::kTalking || s == S::kWrapUp; };
  if (!busy(*e.previous_state) || busy(*e.agent_state)) return;
  const bool seated = *e.agent_state != S::kOffline;
  push_.ToSupervisors(
      {{"type", "seat.status"},
       {"emergency_live", false},
       {"reason", "seat_retired"},
       {"seats",
        Json::array({{{"seat", e.seat},
                      {"extension", e.extension},
                      {"live", false},
                      {"agent_id", seated ? Json(e.agent_id) : Json(nullptr)},
                      {"state", seated ? Json(acd::AgentStateName(*e.agent_state)) : Json(nullptr)},
                      {"call_id", nullptr}}})}});
}

void CallCenter::PushOffer(const acd::Event& e) {
  if (!e.call) return;
  Json msg = {{"type", "call.offered"}, {"call", CallJson(acd::CallView{*e.call})}};
  const std::string& phone = e.call->caller;
  // An anonymous or withheld caller has no history to show (it would be everyone's).
  Json empty = {{"phone", phone},
                {"calls", Json::array()},
                {"open_tickets", Json::array()},
                {"closed_tickets", Json::array()}};
  if (phone.empty() || phone == "anonymous" || !caller_context_ || !post_) {
    msg["caller_history"] = std::move(empty);
    push_.ToUser(e.agent_id, msg);
    return;
  }
  // The caller's history needs the database: gather it off the engine thread.
  post_([this, msg = std::move(msg), empty = std::move(empty), agent = e.agent_id, phone,
         call_id = e.call->id]() mutable {
    try {
      msg["caller_history"] = caller_context_(phone, call_id);
    } catch (const std::exception& ex) {
      spdlog::warn("caller history for an offered call failed: {}", ex.what());
      msg["caller_history"] = std::move(empty);
    }
    push_.ToUser(agent, msg);
  });
}

void CallCenter::AgentConnected(int64_t agent_id) {
  Post([this, agent_id] {
    ++sessions_[agent_id];
    disconnected_.erase(agent_id);
    auto agent = engine_.GetAgent(agent_id);
    if (!agent || agent->state == acd::AgentState::kOffline) return;
    push_.ToUser(agent_id, {{"type", "agent.state"},
                            {"agent_id", agent_id},
                            {"state", acd::AgentStateName(agent->state)},
                            {"reason", agent->reason},
                            {"seat", agent->seat},
                            {"extension", agent->extension},
                            {"at", core::FormatIso(agent->since, zone_)}});
    if (!agent->call_id) return;
    auto call = engine_.GetCall(*agent->call_id);
    if (!call) return;
    acd::Event e;
    e.kind = acd::EventKind::kCallRouted;
    e.agent_id = agent_id;
    e.call = static_cast<const acd::CallRecord&>(*call);
    PushOffer(e);  // re-sent: the console shows the call again, in its current state
  });
}

void CallCenter::AgentDisconnected(int64_t agent_id, int grace_s) {
  Post([this, agent_id, grace_s] {
    auto it = sessions_.find(agent_id);
    if (it != sessions_.end() && --it->second > 0) return;  // another console is still open
    if (it != sessions_.end()) sessions_.erase(it);
    disconnected_[agent_id] = clock_.Now() + std::chrono::seconds(grace_s);
  });
}

Json CallCenter::CallJson(const acd::CallView& c) const {
  Json j = {{"call_id", c.id},
            {"id", c.id},
            {"state", acd::CallStateName(c.state)},
            {"caller", c.caller},
            {"called", c.called},
            {"skill", c.skill},
            {"priority", c.priority},
            {"ivr_choice", c.ivr_choice},
            {"agent_id", c.agent_id ? Json(*c.agent_id) : Json(nullptr)},
            {"seat", c.seat ? Json(c.seat) : Json(nullptr)},
            {"extension", c.extension.empty() ? Json(nullptr) : Json(c.extension)},
            {"incident_id", c.incident_id ? Json(*c.incident_id) : Json(nullptr)},
            {"enqueued_at", core::FormatIso(c.enqueued_at, zone_)},
            {"first_offered_at", Time(c.first_offered_at, zone_)},
            {"offered_at", Time(c.offered_at, zone_)},
            {"answered_at", Time(c.answered_at, zone_)},
            {"ended_at", Time(c.ended_at, zone_)},
            {"abandoned_at", Time(c.abandoned_at, zone_)},
            {"wrap_up_end", Time(c.wrap_up_end, zone_)},
            {"predicted_ewt_s", c.predicted_ewt_s ? Json(*c.predicted_ewt_s) : Json(nullptr)},
            {"offers", c.offers},
            {"short_abandon", c.short_abandon},
            {"ended_by", c.ended_by ? Json(acd::PartyName(*c.ended_by)) : Json(nullptr)},
            {"callback", c.callback}};
  if (c.position) j["position"] = *c.position;
  if (c.ewt_s) j["ewt_s"] = *c.ewt_s;
  return j;
}

Json CallCenter::AgentJson(const acd::AgentView& a) const {
  return {{"agent_id", a.agent_id},
          {"user_id", a.agent_id},
          {"seat", a.seat ? Json(a.seat) : Json(nullptr)},
          {"extension", a.extension.empty() ? Json(nullptr) : Json(a.extension)},
          {"state", acd::AgentStateName(a.state)},
          {"reason", a.reason.empty() ? Json(nullptr) : Json(a.reason)},
          {"since", core::FormatIso(a.since, zone_)},
          {"call_id", a.call_id ? Json(*a.call_id) : Json(nullptr)},
          {"emergency_seat", a.emergency_seat},
          {"seat_live", a.seat_live},
          {"skills", a.skills},
          {"calls_answered", a.calls_answered},
          {"talk_s", a.talk_s},
          {"occupancy", a.occupancy ? Json(*a.occupancy) : Json(nullptr)}};
}

Json CallCenter::QueueJson(const acd::QueueView& q, const acd::DayMeasures& t) const {
  Json calls = Json::array();
  for (const auto& c : q.calls) {
    calls.push_back({{"call_id", c.call_id},
                     {"caller", c.caller},
                     {"skill", c.skill},
                     {"priority", c.priority},
                     {"position", c.position},
                     {"ewt_s", c.ewt_s},
                     {"wait_s", c.wait_s},
                     {"enqueued_at", core::FormatIso(c.enqueued_at, zone_)},
                     {"incident_id", c.incident_id ? Json(*c.incident_id) : Json(nullptr)},
                     {"any_agent", c.any_agent},
                     {"callback", c.callback}});
  }
  return {{"waiting", q.waiting},
          {"ringing", q.ringing},
          {"longest_wait_s", q.longest_wait_s},
          {"agents", q.agents},
          {"calls", std::move(calls)},
          {"today", MeasuresJson(t)}};
}

Json MeasuresJson(const acd::DayMeasures& t) {
  auto opt = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
  return {{"date", core::FormatDate(t.day)},
          {"offered", t.offered},
          {"answered", t.answered},
          {"abandoned", t.abandoned},
          {"short_abandoned", t.short_abandoned},
          {"overflowed", t.overflowed},
          {"callback_requests", t.callback_requests},
          {"answer_rate", opt(t.answer_rate)},
          {"service_level", opt(t.service_level)},
          {"asa_s", opt(t.asa_s)},
          {"aht_s", opt(t.aht_s)},
          {"ewt_error_s", opt(t.ewt_error_s)},
          {"longest_wait_s", t.longest_wait_s}};
}

}  // namespace hotline::api

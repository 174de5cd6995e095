#pragma once
// The call records (CDR rows of `calls`), the event rows of `call_events` and the incident
// rows: how the ACD's records are written and read back. One place for the column mapping, so
// that what a restart or a report reads is exactly what the call center wrote.
#include <cstdint>
#include <optional>
#include <vector>

#include "hotline/acd/event.hpp"
#include "hotline/acd/model.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/storage/sqlite.hpp"

namespace hotline::api {

/// Updates the call's row to its record (the row was inserted when the call arrived).
void WriteCallRecord(storage::Connection& c, const acd::CallRecord& record);
/// Appends the event row (the queue_log line) and, for a call event, updates the call's row.
void WriteEvent(storage::Connection& c, const acd::Event& event);

/// The records of the calls that reached the ACD and arrived in [from, to), in arrival order:
/// rows in the engine's states (queued … overflow), not after-hours or voice-menu-only calls.
std::vector<acd::CallRecord> ReadCallRecords(storage::Connection& c, core::TimePoint from,
                                             core::TimePoint to);
/// The calls still queued or ringing (whenever they arrived), in arrival order.
std::vector<acd::CallRecord> ReadWaitingCalls(storage::Connection& c);

/// An incident as its row stands; calls_tagged counts the calls that carry its id.
std::optional<acd::IncidentView> ReadIncident(storage::Connection& c, int64_t id);
/// Up to `limit` incidents with ids below `before_id`, newest first.
std::vector<acd::IncidentView> ReadIncidentsBefore(storage::Connection& c, int64_t before_id,
                                                   int limit);
/// The incidents still open, oldest first (as the engine re-opens them after a restart).
std::vector<acd::IncidentView> ReadOpenIncidents(storage::Connection& c);

}  // namespace hotline::api

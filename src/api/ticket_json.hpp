#pragma once
// Work orders in JSON (SPEC §3, §6): the API's view of a work order and of its history,
// and the typed reading of creation bodies, action bodies and list filters. Shared by the
// REST routes and any WebSocket command that writes work orders.
#include <optional>
#include <string>
#include <unordered_map>

#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"
#include "hotline/core/time.hpp"
#include "hotline/workorder/caller_history.hpp"
#include "hotline/workorder/work_order.hpp"

namespace hotline::api {

/// Every field of SPEC §3 plus overdue (at `now`), extended, redo_count, callback_attempts,
/// parent_id, assist_unit_ids and the close reason; times in ISO 8601 in `zone`.
core::Json TicketJson(const workorder::WorkOrder& wo, core::TimePoint now,
                      const core::TimeZone& zone);
/// {id, ticket_id, at, actor, actor_role, action, from_status, to_status, fields}.
core::Json HistoryJson(const workorder::HistoryEntry& e, const core::TimeZone& zone);

/// One entry of a caller's history: {kind: "call", at, call: {call_id, id, state, skill,
/// agent_id, enqueued_at, answered_at, ended_at, ticket_ids}} or {kind: "ticket", at, ticket}.
core::Json CallerEntryJson(const workorder::CallerEntry& e, core::TimePoint now,
                           const core::TimeZone& zone);

/// POST /api/v1/tickets: type (required), channel, caller {phone, name}, category,
/// subject, description, call_ids (or call_id), incident_id, reply_due_at.
core::Result<workorder::NewWorkOrder> ReadNewTicket(const core::Json& body,
                                                    const core::TimeZone& zone);
/// POST /api/v1/tickets/{id}/actions: {action, …fields}. An unknown action name, wrong types
/// and bounds answer validation_failed (the message lists the actions).
core::Result<workorder::ActionInput> ReadTicketAction(const core::Json& body,
                                                      const core::TimeZone& zone);
/// GET /api/v1/tickets query: status, type, unit_id, overdue, phone, q, from, to,
/// incident_id, parent_id. A bare date in `to` includes that whole day.
core::Result<workorder::ListFilter> ReadTicketFilter(
    const std::unordered_map<std::string, std::string>& query, const core::TimeZone& zone);

/// The keyset position of a list cursor, and back (nothing when it is not one).
core::Json TicketCursorPosition(const workorder::ListCursor& c);
std::optional<workorder::ListCursor> TicketCursorFrom(const core::Json& position);
core::Json CallerCursorPosition(const workorder::CallerCursor& c);
std::optional<workorder::CallerCursor> CallerCursorFrom(const core::Json& position);

}  // namespace hotline::api

#pragma once
// SQL for work orders on one connection (the writer inside a write transaction, or a
// reader). Private to the module: the Service is the public way in.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/core/actor.hpp"
#include "hotline/storage/sqlite.hpp"
#include "hotline/workorder/work_order.hpp"

namespace hotline::workorder::repo {

using storage::Connection;

std::optional<WorkOrder> Load(Connection& c, int64_t id);
/// Inserts a new work order (its id is ignored) and its text index; answers the new id.
int64_t Insert(Connection& c, const WorkOrder& wo, TimePoint now);
/// Writes every mutable column of `wo`.
void Update(Connection& c, const WorkOrder& wo, TimePoint now);
/// The acceptance time for a work order created now: never earlier than the newest one's,
/// so that id order and (accepted_at, id) order agree (text search pages by id).
TimePoint NextAcceptedAt(Connection& c, TimePoint now);
/// "YYYYMMDD-NNNNN": the next number of that local day (call inside the write transaction).
std::string NextTicketNo(Connection& c, std::chrono::year_month_day local_day);

void AddHistory(Connection& c, int64_t ticket_id, TimePoint at, const core::Actor& actor,
                std::string_view action, std::optional<Status> from, Status to,
                const core::Json& fields);
/// The history of `id` and of every work order merged into it (transitively), oldest first.
std::vector<HistoryEntry> LoadHistory(Connection& c, int64_t id);

void LinkCall(Connection& c, int64_t ticket_id, int64_t call_id);
/// Moves the linked calls of a merged duplicate to its survivor (both keep them).
void CopyCalls(Connection& c, int64_t from_ticket, int64_t to_ticket);
int64_t OpenChildren(Connection& c, int64_t parent_id);
bool UnitExists(Connection& c, int64_t unit_id);
/// The unit's name, for notifications; nothing when it does not exist.
std::optional<std::string> UnitName(Connection& c, int64_t unit_id);
/// True when the incident exists (open or closed; the ACD's `incidents` table).
bool IncidentExists(Connection& c, int64_t incident_id);
/// The first of `call_ids` that names no call (the ACD's `calls` table), if any.
std::optional<int64_t> MissingCall(Connection& c, const std::vector<int64_t>& call_ids);
void CountRedo(Connection& c, int64_t ticket_id, std::optional<int64_t> unit_id, TimePoint at);
int64_t RedoCount(Connection& c, int64_t unit_id);

/// One page, newest first; `only_unit` restricts it to one unit's work orders.
Page List(Connection& c, const ListFilter& f, std::optional<int64_t> only_unit, TimePoint now,
          int limit, std::optional<ListCursor> after);

/// Work orders waiting on a unit whose deadline, early warning or sign-off may be due.
std::vector<WorkOrder> WaitingOnUnits(Connection& c, TimePoint due_before, TimePoint ack_before);
/// Records a reminder point; false when it had fired before.
bool MarkReminder(Connection& c, int64_t ticket_id, std::string_view kind, TimePoint point,
                  TimePoint now);

}  // namespace hotline::workorder::repo

namespace hotline::workorder::repo {

/// Work orders of a normalised phone that are not closed, newest first.
std::vector<WorkOrder> OpenForPhone(Connection& c, std::string_view phone, int limit);
/// True when that reminder point is already in the bookkeeping.
bool ReminderFired(Connection& c, int64_t ticket_id, std::string_view kind, TimePoint point);

}  // namespace hotline::workorder::repo

#pragma once
// The one SELECT list of a work order and its reading from a statement row.
#include "hotline/storage/sqlite.hpp"
#include "hotline/workorder/work_order.hpp"

namespace hotline::workorder::repo {

/// Columns of `tickets t` in the order ReadRow expects, with the linked calls and the
/// assisting units of the children as comma lists.
inline constexpr std::string_view kColumns =
    "t.id, t.ticket_no, t.status, t.type, t.category, t.channel, t.caller_phone, t.caller_name,"
    " t.subject, t.description, t.owner, t.unit_id, t.parent_id, t.merged_into, t.incident_id,"
    " t.accepted_at, t.due_at, t.reply_due_at, t.transferred_at, t.ack_due_at,"
    " t.acknowledged_at, t.completed_at, t.closed_at, t.close_reason, t.resolution,"
    " t.satisfaction, t.extended, t.deferred, t.redo_count, t.callback_attempts,"
    " t.returned_count,"
    " (SELECT group_concat(call_id) FROM ticket_calls WHERE ticket_id = t.id),"
    " (SELECT group_concat(unit_id) FROM"
    "   (SELECT k.unit_id FROM tickets k WHERE k.parent_id = t.id ORDER BY k.id))";

WorkOrder ReadRow(const storage::Statement& s);
/// The ids of a group_concat() comma list (none for NULL).
std::vector<int64_t> IdList(const std::optional<std::string>& text);

}  // namespace hotline::workorder::repo

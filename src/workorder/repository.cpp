#include "workorder/repository.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "workorder/row.hpp"
#include "workorder/search_text.hpp"

namespace hotline::workorder::repo {
namespace {

using core::FromUnixMillis;
using core::ToUnixMillis;

std::optional<TimePoint> OptTime(const storage::Statement& s, int col) {
  auto v = s.OptInt(col);
  return v ? std::optional<TimePoint>(FromUnixMillis(*v)) : std::nullopt;
}

std::optional<int64_t> OptMs(const std::optional<TimePoint>& t) {
  return t ? std::optional<int64_t>(ToUnixMillis(*t)) : std::nullopt;
}

}  // namespace

std::vector<int64_t> IdList(const std::optional<std::string>& text) {
  std::vector<int64_t> out;
  if (!text) return out;
  const char* p = text->data();
  const char* end = p + text->size();
  while (p < end) {
    int64_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec == std::errc()) out.push_back(v);
    p = next;
    while (p < end && *p == ',') ++p;
    if (ec != std::errc()) break;
  }
  return out;
}

WorkOrder ReadRow(const storage::Statement& s) {
  WorkOrder w;
  w.id = s.Int(0);
  w.ticket_no = s.Text(1);
  w.status = ParseStatus(s.Text(2)).value_or(Status::kOpen);
  w.type = ParseType(s.Text(3)).value_or(Type::kConsult);
  w.category = s.OptText(4);
  w.channel = ParseChannel(s.Text(5)).value_or(Channel::kPhone);
  w.caller_phone = s.Text(6);
  w.caller_name = s.OptText(7);
  w.subject = s.Text(8);
  w.description = s.Text(9);
  w.owner = s.OptInt(10);
  w.unit_id = s.OptInt(11);
  w.parent_id = s.OptInt(12);
  w.merged_into = s.OptInt(13);
  w.incident_id = s.OptInt(14);
  w.accepted_at = FromUnixMillis(s.Int(15));
  w.due_at = FromUnixMillis(s.Int(16));
  w.reply_due_at = OptTime(s, 17);
  w.transferred_at = OptTime(s, 18);
  w.ack_due_at = OptTime(s, 19);
  w.acknowledged_at = OptTime(s, 20);
  w.completed_at = OptTime(s, 21);
  w.closed_at = OptTime(s, 22);
  w.close_reason = s.OptText(23);
  w.resolution = s.OptText(24);
  if (auto v = s.OptInt(25)) w.satisfaction = static_cast<int>(*v);
  w.extended = s.Int(26) != 0;
  w.deferred = s.Int(27) != 0;
  w.redo_count = static_cast<int>(s.Int(28));
  w.callback_attempts = static_cast<int>(s.Int(29));
  w.returned_count = static_cast<int>(s.Int(30));
  w.call_ids = IdList(s.OptText(31));
  w.assist_unit_ids = IdList(s.OptText(32));
  return w;
}

std::optional<WorkOrder> Load(Connection& c, int64_t id) {
  static const std::string sql = "SELECT " + std::string(kColumns) + " FROM tickets t WHERE t.id = ?1";
  auto q = c.Prepare(sql);
  q->BindAll(id);
  if (!q->Step()) return std::nullopt;
  return ReadRow(*q);
}

int64_t Insert(Connection& c, const WorkOrder& w, TimePoint now) {
  c.Prepare(
       "INSERT INTO tickets(ticket_no, status, type, category, channel, caller_phone,"
       " caller_name, subject, description, owner, unit_id, parent_id, incident_id,"
       " accepted_at, due_at, reply_due_at, transferred_at, ack_due_at, deferred, updated_at)"
       " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)")
      ->BindAll(w.ticket_no, StatusName(w.status), TypeName(w.type), w.category,
                ChannelName(w.channel), w.caller_phone, w.caller_name, w.subject, w.description,
                w.owner, w.unit_id, w.parent_id, w.incident_id, ToUnixMillis(w.accepted_at),
                ToUnixMillis(w.due_at), OptMs(w.reply_due_at), OptMs(w.transferred_at),
                OptMs(w.ack_due_at), w.deferred, ToUnixMillis(now))
      .Run();
  int64_t id = c.LastInsertId();
  c.Prepare("INSERT INTO ticket_text(rowid, grams) VALUES (?1, ?2)")
      ->BindAll(id, TicketGrams(w.subject, w.description))
      .Run();
  for (int64_t call : w.call_ids) LinkCall(c, id, call);
  return id;
}

void Update(Connection& c, const WorkOrder& w, TimePoint now) {
  c.Prepare(
       "UPDATE tickets SET status=?2, type=?3, unit_id=?4, merged_into=?5, incident_id=?6,"
       " due_at=?7, reply_due_at=?8, transferred_at=?9, ack_due_at=?10, acknowledged_at=?11,"
       " completed_at=?12, closed_at=?13, close_reason=?14, resolution=?15, satisfaction=?16,"
       " extended=?17, deferred=?18, redo_count=?19, callback_attempts=?20,"
       " returned_count=?21, updated_at=?22 WHERE id=?1")
      ->BindAll(w.id, StatusName(w.status), TypeName(w.type), w.unit_id, w.merged_into,
                w.incident_id, ToUnixMillis(w.due_at), OptMs(w.reply_due_at),
                OptMs(w.transferred_at), OptMs(w.ack_due_at), OptMs(w.acknowledged_at),
                OptMs(w.completed_at), OptMs(w.closed_at), w.close_reason, w.resolution,
                w.satisfaction, w.extended, w.deferred, w.redo_count, w.callback_attempts,
                w.returned_count, ToUnixMillis(now))
      .Run();
}

TimePoint NextAcceptedAt(Connection& c, TimePoint now) {
  auto q = c.Prepare("SELECT max(accepted_at) FROM tickets");
  if (q->Step() && !q->IsNull(0)) return std::max(now, FromUnixMillis(q->Int(0)));
  return now;
}

std::string NextTicketNo(Connection& c, std::chrono::year_month_day d) {
  char day[16];
  std::snprintf(day, sizeof day, "%04d%02u%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  // No RETURNING: SQLite buffers its rows in a temporary b-tree, costly per statement.
  c.Prepare(
       "INSERT INTO ticket_counters(day, last) VALUES (?1, 1)"
       " ON CONFLICT(day) DO UPDATE SET last = last + 1")
      ->BindAll(std::string_view(day))
      .Run();
  auto q = c.Prepare("SELECT last FROM ticket_counters WHERE day = ?1");
  q->BindAll(std::string_view(day));
  q->Step();
  int64_t n = q->Int(0);
  char no[40];
  std::snprintf(no, sizeof no, "%s-%05lld", day, static_cast<long long>(n));
  return no;
}

void AddHistory(Connection& c, int64_t ticket_id, TimePoint at, const core::Actor& actor,
                std::string_view action, std::optional<Status> from, Status to,
                const core::Json& fields) {
  std::optional<int64_t> who;
  if (actor.user_id > 0) who = actor.user_id;
  std::optional<std::string_view> from_name;
  if (from) from_name = StatusName(*from);
  c.Prepare(
       "INSERT INTO ticket_history(ticket_id, at, actor, actor_role, action, from_status,"
       " to_status, fields) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)")
      ->BindAll(ticket_id, ToUnixMillis(at), who, core::RoleName(actor.role), action, from_name,
                StatusName(to), fields.dump())
      .Run();
}

std::vector<HistoryEntry> LoadHistory(Connection& c, int64_t id) {
  auto q = c.Prepare(
      "WITH RECURSIVE family(id) AS (SELECT ?1 UNION SELECT t.id FROM tickets t"
      "   JOIN family f ON t.merged_into = f.id)"
      " SELECT h.id, h.ticket_id, h.at, h.actor, h.actor_role, h.action, h.from_status,"
      "  h.to_status, h.fields FROM ticket_history h WHERE h.ticket_id IN family"
      " ORDER BY h.at, h.id");
  q->BindAll(id);
  std::vector<HistoryEntry> out;
  while (q->Step()) {
    HistoryEntry e;
    e.id = q->Int(0);
    e.ticket_id = q->Int(1);
    e.at = FromUnixMillis(q->Int(2));
    e.actor = q->OptInt(3);
    e.actor_role = q->Text(4);
    e.action = q->Text(5);
    if (auto from = q->OptText(6)) e.from_status = ParseStatus(*from);
    e.to_status = ParseStatus(q->Text(7)).value_or(Status::kOpen);
    e.fields = core::Json::parse(q->Text(8), nullptr, /*allow_exceptions=*/false);
    if (e.fields.is_discarded()) e.fields = core::Json::object();
    out.push_back(std::move(e));
  }
  return out;
}

void LinkCall(Connection& c, int64_t ticket_id, int64_t call_id) {
  c.Prepare("INSERT OR IGNORE INTO ticket_calls(ticket_id, call_id) VALUES (?1, ?2)")
      ->BindAll(ticket_id, call_id)
      .Run();
}

void CopyCalls(Connection& c, int64_t from_ticket, int64_t to_ticket) {
  c.Prepare(
       "INSERT OR IGNORE INTO ticket_calls(ticket_id, call_id)"
       " SELECT ?2, call_id FROM ticket_calls WHERE ticket_id = ?1")
      ->BindAll(from_ticket, to_ticket)
      .Run();
}

int64_t OpenChildren(Connection& c, int64_t parent_id) {
  auto q = c.Prepare("SELECT count(*) FROM tickets WHERE parent_id = ?1 AND status <> 'closed'");
  q->BindAll(parent_id);
  q->Step();
  return q->Int(0);
}

bool UnitExists(Connection& c, int64_t unit_id) {
  auto q = c.Prepare("SELECT 1 FROM units WHERE id = ?1");
  q->BindAll(unit_id);
  return q->Step();
}

std::optional<std::string> UnitName(Connection& c, int64_t unit_id) {
  auto q = c.Prepare("SELECT name FROM units WHERE id = ?1");
  q->BindAll(unit_id);
  if (!q->Step()) return std::nullopt;
  return q->Text(0);
}

bool IncidentExists(Connection& c, int64_t incident_id) {
  auto q = c.Prepare("SELECT 1 FROM incidents WHERE id = ?1");
  q->BindAll(incident_id);
  return q->Step();
}

std::optional<int64_t> MissingCall(Connection& c, const std::vector<int64_t>& call_ids) {
  for (int64_t id : call_ids) {
    auto q = c.Prepare("SELECT 1 FROM calls WHERE id = ?1");
    q->BindAll(id);
    if (!q->Step()) return id;
  }
  return std::nullopt;
}

void CountRedo(Connection& c, int64_t ticket_id, std::optional<int64_t> unit_id, TimePoint at) {
  c.Prepare("INSERT INTO ticket_redos(ticket_id, unit_id, at) VALUES (?1, ?2, ?3)")
      ->BindAll(ticket_id, unit_id, ToUnixMillis(at))
      .Run();
}

int64_t RedoCount(Connection& c, int64_t unit_id) {
  auto q = c.Prepare("SELECT count(*) FROM ticket_redos WHERE unit_id = ?1");
  q->BindAll(unit_id);
  q->Step();
  return q->Int(0);
}

bool MarkReminder(Connection& c, int64_t ticket_id, std::string_view kind, TimePoint point,
                  TimePoint now) {
  c.Prepare(
       "INSERT OR IGNORE INTO ticket_reminders(ticket_id, kind, point_at, fired_at)"
       " VALUES (?1, ?2, ?3, ?4)")
      ->BindAll(ticket_id, kind, ToUnixMillis(point), ToUnixMillis(now))
      .Run();
  return c.Changes() == 1;
}

}  // namespace hotline::workorder::repo

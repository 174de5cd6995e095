// Lists of work orders: one SELECT built from the filters that are set, newest first by
// (accepted_at, id), a keyset cursor instead of OFFSET so every page is an index range.
// Text queries of plain characters go to text_list.cpp.
#include <vector>

#include "workorder/list_sql.hpp"
#include "workorder/repository.hpp"
#include "workorder/row.hpp"

namespace hotline::workorder::repo {

void Where::Add(std::string_view condition, std::vector<Value> values) {
  std::string cond;
  size_t next = 0;
  for (char ch : condition) {
    if (ch == '?' && next < values.size()) {
      cond += Param(std::move(values[next++]));
    } else {
      cond += ch;
    }
  }
  sql_ += " AND ";
  sql_ += cond;
}

std::string Where::Param(Value v) {
  values_.push_back(std::move(v));
  std::string p = "?";
  p += std::to_string(values_.size());
  return p;
}

void Where::BindTo(storage::Statement& s) const {
  for (size_t i = 0; i < values_.size(); ++i) {
    const Value& v = values_[i];
    if (v.is_int) {
      s.Bind(static_cast<int>(i + 1), v.i);
    } else {
      s.Bind(static_cast<int>(i + 1), v.s);
    }
  }
}

Where FilterConditions(const ListFilter& f, std::optional<int64_t> only_unit, TimePoint now) {
  Where w;
  const int64_t now_ms = core::ToUnixMillis(now);
  if (only_unit) w.Add("t.unit_id = ?", {*only_unit});
  if (f.status) w.Add("t.status = ?", {std::string(StatusName(*f.status))});
  if (f.type) w.Add("t.type = ?", {std::string(TypeName(*f.type))});
  if (f.unit_id) w.Add("t.unit_id = ?", {*f.unit_id});
  if (f.phone) w.Add("t.caller_phone = ?", {*f.phone});
  if (f.incident_id) w.Add("t.incident_id = ?", {*f.incident_id});
  if (f.parent_id) w.Add("t.parent_id = ?", {*f.parent_id});
  if (f.from) w.Add("t.accepted_at >= ?", {core::ToUnixMillis(*f.from)});
  if (f.to) w.Add("t.accepted_at < ?", {core::ToUnixMillis(*f.to)});
  if (f.overdue == true) {
    w.Add("t.status IN ('transferred','acknowledged') AND t.due_at <= ?", {now_ms});
  } else if (f.overdue == false) {
    w.Add("NOT (t.status IN ('transferred','acknowledged') AND t.due_at <= ?)", {now_ms});
  }
  return w;
}

namespace {

std::string LikePattern(std::string_view q) {
  std::string out = "%";
  for (char ch : q) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

// "20261125-00042": what an agent types to find a work order the caller quotes.
bool IsTicketNo(std::string_view q) {
  if (q.size() < 14 || q.size() > 20 || q[8] != '-') return false;
  for (size_t i = 0; i < q.size(); ++i) {
    if (i != 8 && (q[i] < '0' || q[i] > '9')) return false;
  }
  return true;
}

}  // namespace

Page List(Connection& c, const ListFilter& f, std::optional<int64_t> only_unit, TimePoint now,
          int limit, std::optional<ListCursor> after) {
  Where w = FilterConditions(f, only_unit, now);
  std::optional<TextQuery> text;
  if (f.q && IsTicketNo(*f.q)) {
    // A work order's number names that work order (the unique index), not texts quoting it.
    w.Add("t.ticket_no = ?", {*f.q});
  } else if (f.q && !f.q->empty()) {
    text = ParseTextQuery(*f.q);
    if (text && text->plain) {
      return ListByText(c, {*text, w, f.overdue == true, limit, after});
    }
    if (!text) {
      // A lone symbol or full-width character (unicode61 may fold or drop it): scan, bounded
      // by the other filters and the page.
      std::string like = LikePattern(*f.q);
      w.Add("(t.subject LIKE ? ESCAPE '\\' OR t.description LIKE ? ESCAPE '\\')", {like, like});
    }
  }
  std::string from, order;
  if (text) {
    // Other characters (full-width letters, symbols): the whole expression through the
    // index, highest rowid first, streamed.
    from = " FROM ticket_text JOIN tickets t ON t.id = ticket_text.rowid"
           " WHERE ticket_text MATCH " + w.Param(MatchExpression(*text));
    if (after) w.Add("ticket_text.rowid < ?", {after->id});
    order = " ORDER BY ticket_text.rowid DESC";
  } else {
    // Overdue work orders are few among many: the partial index of those waiting on a unit
    // beats walking the newest-first index past every recent one.
    from = f.overdue == true ? " FROM tickets t INDEXED BY tickets_waiting WHERE 1"
                             : " FROM tickets t WHERE 1";
    if (after) w.Add("(t.accepted_at, t.id) < (?, ?)", {after->accepted_at_ms, after->id});
    order = " ORDER BY t.accepted_at DESC, t.id DESC";
  }
  std::string sql = "SELECT " + std::string(kColumns) + from + w.sql() + order + " LIMIT ";
  sql += w.Param(int64_t{limit} + 1);
  auto q = c.Prepare(sql);
  w.BindTo(*q);
  Page page;
  while (q->Step()) page.items.push_back(ReadRow(*q));
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    const WorkOrder& last = page.items.back();
    page.next = ListCursor{core::ToUnixMillis(last.accepted_at), last.id};
  }
  return page;
}

std::vector<WorkOrder> WaitingOnUnits(Connection& c, TimePoint due_before, TimePoint ack_before) {
  static const std::string sql =
      "SELECT " + std::string(kColumns) +
      " FROM tickets t WHERE t.status IN ('transferred','acknowledged')"
      " AND (t.due_at <= ?1 OR (t.status = 'transferred' AND t.ack_due_at <= ?2))"
      " ORDER BY t.id";
  auto q = c.Prepare(sql);
  q->BindAll(core::ToUnixMillis(due_before), core::ToUnixMillis(ack_before));
  std::vector<WorkOrder> out;
  while (q->Step()) out.push_back(ReadRow(*q));
  return out;
}

}  // namespace hotline::workorder::repo

namespace hotline::workorder::repo {

std::vector<WorkOrder> OpenForPhone(Connection& c, std::string_view phone, int limit) {
  static const std::string sql = "SELECT " + std::string(kColumns) +
                                 " FROM tickets t WHERE t.caller_phone = ?1"
                                 " AND t.status <> 'closed'"
                                 " ORDER BY t.accepted_at DESC, t.id DESC LIMIT ?2";
  auto q = c.Prepare(sql);
  q->BindAll(phone, limit);
  std::vector<WorkOrder> out;
  while (q->Step()) out.push_back(ReadRow(*q));
  return out;
}

bool ReminderFired(Connection& c, int64_t ticket_id, std::string_view kind, TimePoint point) {
  auto q = c.Prepare(
      "SELECT 1 FROM ticket_reminders WHERE ticket_id = ?1 AND kind = ?2 AND point_at = ?3");
  q->BindAll(ticket_id, kind, core::ToUnixMillis(point));
  return q->Step();
}

}  // namespace hotline::workorder::repo

#include "hotline/reports/monthly.hpp"

#include <algorithm>

#include "hotline/workorder/work_order.hpp"
#include "reports/unit_stints.hpp"

namespace hotline::reports {
namespace {

using std::chrono::days;
using storage::Connection;

constexpr core::Millis kWeek = days(7);
constexpr core::Millis kThirtyDays = days(30);

bool WaitingOnUnit(const std::string& status) { return status == "transferred" || status == "acknowledged"; }

/// What the stints need to know of their work order.
struct TicketNow {
  int64_t id = 0;
  core::TimePoint accepted_at;
  core::TimePoint due_at;
  std::string status;
};

void Count(UnitFigures& f, const Stint& s, const TicketNow& t, core::TimePoint now) {
  ++f.received;
  switch (s.state) {
    case StintState::kCompleted: {
      ++f.completed;
      const auto took = *s.completed_at - t.accepted_at;
      if (took <= kWeek) ++f.completed_7d;
      if (took <= kThirtyDays) ++f.completed_30d;
      break;
    }
    case StintState::kPending:
      ++f.pending;
      if (WaitingOnUnit(t.status) && now >= t.due_at) ++f.overdue;
      break;
    case StintState::kReturned: ++f.returned; break;
    case StintState::kWithdrawn: ++f.withdrawn; break;
  }
  if (s.extended) ++f.extended;
  if (s.redone) ++f.redo;
  if (s.satisfaction) {
    ++f.rated;
    f.satisfaction_sum += *s.satisfaction;
    if (s.satisfied) ++f.satisfied;
  }
}

/// Per unit id: the stints first received in `period`, counted as they stand at `now`.
std::map<int64_t, UnitFigures> CountStints(Connection& c, const Period& period, core::TimePoint now) {
  auto q = c.Prepare(
      "WITH received AS ("
      "  SELECT DISTINCT ticket_id FROM ticket_history WHERE at >= ?1 AND at < ?2 AND"
      "  (action = 'transfer' OR (action = 'create' AND json_extract(fields, '$.unit_id') IS NOT NULL)))"
      " SELECT h.ticket_id, h.at, h.action, json_extract(h.fields, '$.unit_id'),"
      "  json_extract(h.fields, '$.reached'), json_extract(h.fields, '$.satisfaction'),"
      "  json_extract(h.fields, '$.satisfied'), json_extract(h.fields, '$.reopen'),"
      "  t.accepted_at, t.due_at, t.status"
      " FROM received r JOIN ticket_history h ON h.ticket_id = r.ticket_id JOIN tickets t ON t.id = r.ticket_id"
      " WHERE h.action IN ('create', 'transfer', 'extend', 'return', 'reply', 'answer', 'mediate',"
      "  'callback', 'reopen')"
      " ORDER BY h.ticket_id, h.id");
  q->BindAll(core::ToUnixMillis(period.from), core::ToUnixMillis(period.to));
  std::map<int64_t, UnitFigures> out;
  TicketNow ticket;
  std::vector<TicketEvent> events;
  auto flush = [&] {
    for (const Stint& s : FoldStints(events)) {
      if (period.Contains(s.received_at)) Count(out[s.unit_id], s, ticket, now);
    }
    events.clear();
  };
  while (q->Step()) {
    if (q->Int(0) != ticket.id) {
      flush();
      ticket = {q->Int(0), core::FromUnixMillis(q->Int(8)), core::FromUnixMillis(q->Int(9)), q->Text(10)};
    }
    TicketEvent e;
    e.at = core::FromUnixMillis(q->Int(1));
    e.action = q->Text(2);
    e.unit_id = q->OptInt(3);
    e.reached = q->OptInt(4).value_or(0) != 0;
    if (auto s = q->OptInt(5)) e.satisfaction = static_cast<int>(*s);
    if (auto s = q->OptInt(6)) e.satisfied = *s != 0;
    e.reopen = q->OptInt(7).value_or(0) != 0;
    events.push_back(std::move(e));
  }
  flush();
  return out;
}

std::vector<UnitLine> UnitLines(Connection& c, std::map<int64_t, UnitFigures> figures,
                                std::optional<int64_t> only_unit) {
  std::vector<UnitLine> lines;
  auto q = c.Prepare("SELECT id, name, kind FROM units ORDER BY id");
  while (q->Step()) {
    UnitLine line{q->Int(0), q->Text(1), q->Text(2), {}};
    if (auto it = figures.find(line.unit_id); it != figures.end()) {
      line.figures = it->second;
      figures.erase(it);
    }
    if (!only_unit || *only_unit == line.unit_id) lines.push_back(std::move(line));
  }
  // Work for a unit no longer listed still counts, so that the totals hold.
  for (const auto& [id, f] : figures) {
    if (!only_unit || *only_unit == id) lines.push_back({id, "", "", f});
  }
  return lines;
}

HotlineFigures CountHotline(Connection& c, const Period& period, core::TimePoint now) {
  HotlineFigures h;
  for (auto t : workorder::AllTypes()) h.by_type[std::string(workorder::TypeName(t))] = 0;
  for (auto ch : workorder::AllChannels()) h.by_channel[std::string(workorder::ChannelName(ch))] = 0;
  auto q = c.Prepare(
      "SELECT t.type, t.channel, t.status, t.accepted_at, t.due_at, t.completed_at, t.closed_at,"
      " t.merged_into IS NOT NULL, t.satisfaction, t.redo_count,"
      " EXISTS (SELECT 1 FROM ticket_history h WHERE h.ticket_id = t.id AND h.action = 'transfer'),"
      " EXISTS (SELECT 1 FROM ticket_history h WHERE h.ticket_id = t.id AND h.action = 'answer'),"
      " EXISTS (SELECT 1 FROM ticket_history h WHERE h.ticket_id = t.id AND h.action = 'mediate'),"
      " (SELECT json_extract(h.fields, '$.satisfied') FROM ticket_history h WHERE h.ticket_id = t.id"
      "   AND h.action = 'callback' AND json_extract(h.fields, '$.reached') = 1 ORDER BY h.id DESC LIMIT 1)"
      " FROM tickets t WHERE t.parent_id IS NULL AND t.accepted_at >= ?1 AND t.accepted_at < ?2");
  q->BindAll(core::ToUnixMillis(period.from), core::ToUnixMillis(period.to));
  while (q->Step()) {
    ++h.accepted;
    ++h.by_type[q->Text(0)];
    ++h.by_channel[q->Text(1)];
    const std::string status = q->Text(2);
    const auto accepted_at = core::FromUnixMillis(q->Int(3));
    const bool merged = q->Int(7) != 0;
    if (merged) ++h.merged;
    std::optional<int64_t> completed = q->OptInt(5);
    if (!completed && status == "closed" && !merged) completed = q->OptInt(6);
    if (completed) {
      ++h.completed;
      const auto took = core::FromUnixMillis(*completed) - accepted_at;
      if (took <= kWeek) ++h.completed_7d;
      if (took <= kThirtyDays) ++h.completed_30d;
    }
    if (status == "closed") ++h.closed; else ++h.open;
    if (WaitingOnUnit(status) && now > core::FromUnixMillis(q->Int(4))) ++h.overdue;
    if (auto score = q->OptInt(8)) {
      ++h.rated;
      h.satisfaction_sum += static_cast<int>(*score);
      auto flag = q->OptInt(13);
      if (flag ? *flag != 0 : *score >= 4) ++h.satisfied;
    }
    if (q->Int(9) > 0) ++h.redo;
    if (q->Int(10) != 0) ++h.transferred;
    if (q->Int(11) != 0) ++h.answered;
    if (q->Int(12) != 0) ++h.mediated;
  }
  return h;
}

std::optional<double> Mean(int sum, int count) {
  if (count == 0) return std::nullopt;
  return static_cast<double>(sum) / count;
}

}  // namespace

std::optional<double> Rate(int part, int whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / whole;
}

std::optional<double> UnitFigures::satisfaction() const { return Mean(satisfaction_sum, rated); }
std::optional<double> HotlineFigures::satisfaction() const { return Mean(satisfaction_sum, rated); }

void UnitFigures::Add(const UnitFigures& o) {
  received += o.received;
  completed += o.completed;
  completed_7d += o.completed_7d;
  completed_30d += o.completed_30d;
  pending += o.pending;
  overdue += o.overdue;
  returned += o.returned;
  withdrawn += o.withdrawn;
  extended += o.extended;
  redo += o.redo;
  rated += o.rated;
  satisfied += o.satisfied;
  satisfaction_sum += o.satisfaction_sum;
}

MonthlyReport BuildMonthly(Connection& c, std::chrono::year_month month, const core::TimeZone& zone,
                           core::TimePoint now, std::optional<int64_t> only_unit) {
  MonthlyReport r;
  r.month = month;
  r.period = MonthPeriod(month, zone);
  r.as_of = now;
  r.units = UnitLines(c, CountStints(c, r.period, now), only_unit);
  for (const UnitLine& line : r.units) r.totals.Add(line.figures);
  if (!only_unit) r.work_orders = CountHotline(c, r.period, now);
  return r;
}

}  // namespace hotline::reports

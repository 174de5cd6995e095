// A caller's calls and work orders in one newest-first list. The calls are the ACD's
// records (`calls`, read only here); both sides walk their own (phone, time) index.
#include "hotline/workorder/caller_history.hpp"

#include <algorithm>
#include <limits>

#include "hotline/core/phone.hpp"
#include "hotline/workorder/service.hpp"
#include "workorder/repository.hpp"
#include "workorder/row.hpp"

namespace hotline::workorder {
namespace {

using core::Error;
using storage::Connection;

constexpr int kTicketKind = 1;
constexpr int kCallKind = 0;

std::optional<CallSummary> LoadCall(Connection& c, int64_t id) {
  auto q = c.Prepare(
      "SELECT id, state, skill, agent_id, enqueued_at, answered_at, ended_at,"
      " (SELECT group_concat(ticket_id) FROM"
      "   (SELECT ticket_id FROM ticket_calls WHERE call_id = calls.id ORDER BY ticket_id))"
      " FROM calls WHERE id = ?1");
  q->BindAll(id);
  if (!q->Step()) return std::nullopt;
  auto time = [&](int col) {
    auto v = q->OptInt(col);
    return v ? std::optional<TimePoint>(core::FromUnixMillis(*v)) : std::nullopt;
  };
  return CallSummary{q->Int(0), q->Text(1), q->OptText(2), q->OptInt(3),
                     *time(4),  time(5),    time(6),       repo::IdList(q->OptText(7))};
}

// Assisting units' children repeat their parent's request: the caller's history shows the
// parent only.
CallerPage ReadPage(Connection& c, const std::string& phone, int limit,
                    std::optional<CallerCursor> after) {
  auto q = c.Prepare(
      "SELECT kind, at, id FROM ("
      "  SELECT 1 AS kind, accepted_at AS at, id FROM tickets"
      "   WHERE caller_phone = ?1 AND parent_id IS NULL AND accepted_at <= ?2"
      "  UNION ALL"
      "  SELECT 0, enqueued_at, id FROM calls WHERE caller = ?1 AND enqueued_at <= ?2)"
      " WHERE (at, kind, id) < (?2, ?3, ?4)"
      " ORDER BY at DESC, kind DESC, id DESC LIMIT ?5");
  CallerCursor from = after.value_or(CallerCursor{std::numeric_limits<int64_t>::max(), kTicketKind,
                                                  std::numeric_limits<int64_t>::max()});
  q->BindAll(phone, from.at_ms, from.kind, from.id, limit + 1);
  std::vector<CallerCursor> keys;
  while (q->Step()) keys.push_back({q->Int(1), static_cast<int>(q->Int(0)), q->Int(2)});
  CallerPage page;
  for (size_t i = 0; i < keys.size() && static_cast<int>(i) < limit; ++i) {
    CallerEntry e{core::FromUnixMillis(keys[i].at_ms), std::nullopt, std::nullopt};
    if (keys[i].kind == kTicketKind) {
      e.ticket = repo::Load(c, keys[i].id);
    } else {
      e.call = LoadCall(c, keys[i].id);
    }
    if (e.ticket || e.call) page.items.push_back(std::move(e));
  }
  if (static_cast<int>(keys.size()) > limit) page.next = keys[static_cast<size_t>(limit) - 1];
  return page;
}

}  // namespace

core::Result<CallerPage> Service::CallerHistory(const core::Actor& actor, std::string_view phone,
                                                int limit,
                                                std::optional<CallerCursor> after) const {
  // A unit handles what is transferred to it; the caller's calls and other requests are the
  // hotline's (a unit finds its own work orders of a caller with GET /tickets?phone=).
  if (actor.role != core::Role::kAgent && actor.role != core::Role::kSupervisor &&
      actor.role != core::Role::kAdmin && actor.role != core::Role::kSystem) {
    return Error::Forbidden("only the hotline reads a caller's history");
  }
  auto normal = core::NormalizePhone(phone);
  if (!normal) return Error::Validation("phone is not a phone number", "phone");
  limit = std::clamp(limit, 1, 200);
  return db_.Read([&](Connection& c) { return ReadPage(c, *normal, limit, after); });
}

}  // namespace hotline::workorder

// The reminder scheduler (催办): deadlines, their early warning and missed sign-offs.
// Each point fires once per work order: the bookkeeping row, the history row and the
// notification commit together, so a restart neither repeats nor loses one.
#include <algorithm>

#include "hotline/core/time.hpp"
#include "hotline/workorder/service.hpp"
#include "workorder/effects.hpp"
#include "workorder/repository.hpp"

namespace hotline::workorder {
namespace {

struct DuePoint {
  int64_t ticket_id;
  ReminderPoint point;
};

bool SamePoint(const ReminderPoint& a, const ReminderPoint& b) {
  return a.kind == b.kind && a.at == b.at;
}

}  // namespace

int Service::RunDueReminders(core::TimePoint now) {
  // A little beyond remind_before_days: DuePoints decides exactly (local days, DST).
  const TimePoint horizon = now + std::chrono::days(config_.remind_before_days + 1);
  std::vector<DuePoint> due = db_.Read([&](storage::Connection& c) {
    std::vector<DuePoint> out;
    for (const auto& wo : repo::WaitingOnUnits(c, horizon, now)) {
      for (const auto& p : deadlines_.DuePoints(wo, now)) {
        if (!repo::ReminderFired(c, wo.id, ReminderKindName(p.kind), p.at)) {
          out.push_back({wo.id, p});
        }
      }
    }
    return out;
  });
  if (due.empty()) return 0;
  std::vector<ChangedOrder> changed;
  int fired = db_.Write([&](storage::Connection& c) {
    changed.clear();
    int n = 0;
    for (const auto& [id, point] : due) {
      // Re-read inside the transaction: the unit may have replied meanwhile.
      auto wo = repo::Load(c, id);
      if (!wo) continue;
      auto still = deadlines_.DuePoints(*wo, now);
      if (std::none_of(still.begin(), still.end(),
                       [&](const ReminderPoint& p) { return SamePoint(p, point); })) {
        continue;
      }
      auto kind = ReminderKindName(point.kind);
      if (!repo::MarkReminder(c, id, kind, point.at, now)) continue;
      repo::AddHistory(c, id, now, core::Actor::System(), ActionName(Action::kRemind),
                       wo->status, wo->status,
                       {{"point", kind}, {"point_at", core::FormatIso(point.at, zone())}});
      QueueNotification(c, "reminder", ReminderPayload(c, *wo, kind, zone()), now);
      changed.push_back({*wo, {kEventUpdated}});
      ++n;
    }
    return n;
  });
  Notify(changed);
  return fired;
}

int Service::DeliverOutbox(core::TimePoint now, const NotifySender& send,
                           const OutboxOptions& options) {
  return workorder::DeliverOutbox(db_, now, send, options);
}

}  // namespace hotline::workorder

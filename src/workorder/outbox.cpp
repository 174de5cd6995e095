#include "hotline/workorder/outbox.hpp"

#include <algorithm>
#include <vector>

namespace hotline::workorder {
namespace {

struct Pending {
  int64_t id = 0;
  int attempts = 0;
  core::Json notification;
};

std::vector<Pending> DueNotifications(storage::Database& db, core::TimePoint now, int batch) {
  return db.Read([&](storage::Connection& c) {
    auto q = c.Prepare(
        "SELECT id, kind, payload, attempts FROM outbox"
        " WHERE delivered_at IS NULL AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2");
    q->BindAll(core::ToUnixMillis(now), batch);
    std::vector<Pending> out;
    while (q->Step()) {
      Pending p{q->Int(0), static_cast<int>(q->Int(3)), {}};
      p.notification = core::Json::parse(q->Text(2), nullptr, /*allow_exceptions=*/false);
      if (!p.notification.is_object()) p.notification = core::Json::object();
      p.notification["notification_id"] = p.id;
      p.notification["kind"] = q->Text(1);
      out.push_back(std::move(p));
    }
    return out;
  });
}

core::Millis Backoff(int attempts, const OutboxOptions& o) {
  core::Millis delay = o.first_retry;
  for (int i = 1; i < attempts && delay < o.max_retry; ++i) delay *= 2;
  return std::min(delay, o.max_retry);
}

}  // namespace

int64_t QueueNotification(storage::Connection& c, std::string_view kind,
                          const core::Json& payload, core::TimePoint now) {
  c.Prepare(
       "INSERT INTO outbox(kind, payload, created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?3)")
      ->BindAll(kind, payload.dump(), core::ToUnixMillis(now))
      .Run();
  return c.LastInsertId();
}

int DeliverOutbox(storage::Database& db, core::TimePoint now, const NotifySender& send,
                  const OutboxOptions& options) {
  auto due = DueNotifications(db, now, options.batch);
  if (due.empty()) return 0;
  std::vector<std::pair<int64_t, bool>> results;
  for (const auto& p : due) {
    bool ok = false;
    try {
      ok = send(p.notification);
    } catch (...) {
      ok = false;  // a sender that throws is a failed delivery, retried later
    }
    results.emplace_back(p.id, ok);
    // A receiver that is down or hangs would fail the rest too, each after its own timeout:
    // they stay due for the next pass.
    if (!ok) break;
  }
  int delivered = 0;
  db.Write([&](storage::Connection& c) {
    for (size_t i = 0; i < results.size(); ++i) {
      const auto& [id, ok] = results[i];
      int attempts = due[i].attempts + 1;
      if (ok) {
        ++delivered;
        c.Prepare("UPDATE outbox SET delivered_at = ?2, attempts = ?3 WHERE id = ?1")
            ->BindAll(id, core::ToUnixMillis(now), attempts)
            .Run();
      } else {
        c.Prepare("UPDATE outbox SET next_attempt_at = ?2, attempts = ?3 WHERE id = ?1")
            ->BindAll(id, core::ToUnixMillis(now + Backoff(attempts, options)), attempts)
            .Run();
      }
    }
  });
  return delivered;
}

int64_t PendingNotifications(storage::Database& db) {
  return db.Read([](storage::Connection& c) {
    auto q = c.Prepare("SELECT count(*) FROM outbox WHERE delivered_at IS NULL");
    q->Step();
    return q->Int(0);
  });
}

}  // namespace hotline::workorder

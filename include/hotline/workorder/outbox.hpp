#pragma once
// The notification outbox (SPEC §6): reminders to units and receipts to callers are rows
// written in the same transaction as the change that causes them, then delivered to
// `notify.webhook_url` at least once, retried with exponential backoff across restarts.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "hotline/core/clock.hpp"
#include "hotline/core/json.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::workorder {

/// Delivers one notification; true when the receiver accepted it.
using NotifySender = std::function<bool(const core::Json& notification)>;

struct OutboxOptions {
  std::chrono::milliseconds first_retry{std::chrono::seconds(10)};  // doubled per failure
  std::chrono::milliseconds max_retry{std::chrono::hours(1)};
  int batch = 100;  // notifications per DeliverOutbox call at most
};

/// Queues a notification inside the caller's write transaction. The delivered JSON is
/// `payload` plus `notification_id` (stable across retries, for the receiver to dedupe).
int64_t QueueNotification(storage::Connection& c, std::string_view kind,
                          const core::Json& payload, core::TimePoint now);

/// Sends the notifications due at `now` (oldest first), one at a time, outside any
/// transaction, until one fails; marks the accepted ones delivered and reschedules the failed
/// one (the rest stay due). Returns how many were accepted. Call from one timer only.
int DeliverOutbox(storage::Database& db, core::TimePoint now, const NotifySender& send,
                  const OutboxOptions& options = {});

/// Notifications not yet delivered (for /metrics and tests).
int64_t PendingNotifications(storage::Database& db);

}  // namespace hotline::workorder

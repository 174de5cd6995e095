#include "housekeeping.hpp"

#include <spdlog/spdlog.h>

#include <functional>
#include <memory>
#include <vector>

#include "hotline/net/http_client.hpp"

namespace hotline::app {
namespace {

constexpr int64_t kRemindersEveryMs = 30'000;
// Delivery looks for due rows often (an indexed query on the pending rows): a receipt should
// reach the caller within seconds.
constexpr int64_t kDeliveryEveryMs = 2'000;
// After a failed delivery the receiver is given a rest; the failed row itself waits for its
// backoff, the others would probably fail the same way.
constexpr int64_t kDeliveryRestMs = 5'000;
constexpr std::chrono::seconds kWebhookTimeout{5};

// Runs `pass` on a worker now, then again after the delay it answers, for the life of the
// process; one pass at a time.
void Repeat(net::Server& server, const char* what, std::function<int64_t()> pass) {
  auto tick = std::make_shared<std::function<void()>>();
  *tick = [&server, what, pass = std::move(pass), weak = std::weak_ptr(tick)] {
    int64_t next = kRemindersEveryMs;
    try {
      next = pass();
    } catch (const std::exception& e) {
      spdlog::error("{} failed: {}", what, e.what());
    }
    if (auto again = weak.lock()) server.PostDelayed(next, *again);
  };
  static std::vector<std::shared_ptr<std::function<void()>>> keep;  // as long as the process
  keep.push_back(tick);
  server.PostWork(*tick);
}

}  // namespace

core::Result<NotifyOptions> ReadNotify(const core::Json& notify) {
  NotifyOptions o;
  const core::Json& url = notify["webhook_url"];
  if (url.is_string()) o.webhook_url = url.get<std::string>();
  if (!o.webhook_url.empty()) {
    if (auto problem = net::UrlProblem(o.webhook_url); !problem.empty()) {
      return core::Error::Validation("notify.webhook_url: " + problem, "notify.webhook_url");
    }
  }
  const core::Json& backoff = notify["max_backoff_s"];
  if (!backoff.is_number_integer() || backoff.get<int64_t>() < 1 ||
      backoff.get<int64_t>() > 86'400) {
    return core::Error::Validation("notify.max_backoff_s: whole seconds from 1 to 86400",
                                   "notify.max_backoff_s");
  }
  o.outbox.max_retry = std::chrono::seconds(backoff.get<int64_t>());
  return o;
}

void StartHousekeeping(net::Server& server, workorder::Service& tickets, const core::Clock& clock,
                       NotifyOptions notify) {
  Repeat(server, "reminders", [&tickets, &clock] {
    tickets.RunDueReminders(clock.Now());
    return kRemindersEveryMs;
  });
  if (notify.webhook_url.empty()) return;
  Repeat(server, "notification delivery", [&tickets, &clock, notify] {
    bool failed = false;
    tickets.DeliverOutbox(
        clock.Now(),
        [&](const core::Json& n) {
          int status = net::PostJson(notify.webhook_url, n.dump(), kWebhookTimeout);
          failed = status < 200 || status >= 300;
          return !failed;
        },
        notify.outbox);
    return failed ? kDeliveryRestMs : kDeliveryEveryMs;
  });
}

}  // namespace hotline::app

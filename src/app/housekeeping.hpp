#pragma once
// The work orders' timers: the reminder scheduler (催办) and the delivery of the notification
// outbox to `notify.webhook_url`, each on its own timer so a slow receiver never holds up a
// reminder.
#include <string>

#include "hotline/core/clock.hpp"
#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"
#include "hotline/net/server.hpp"
#include "hotline/workorder/outbox.hpp"
#include "hotline/workorder/service.hpp"

namespace hotline::app {

struct NotifyOptions {
  std::string webhook_url;  // empty: notifications wait in the outbox
  workorder::OutboxOptions outbox;
};

/// The `notify` section; a validation error names the key ("notify.webhook_url: https:// is
/// not supported …").
core::Result<NotifyOptions> ReadNotify(const core::Json& notify);

/// Starts both timers on the server's workers; they run until the process ends.
void StartHousekeeping(net::Server& server, workorder::Service& tickets, const core::Clock& clock,
                       NotifyOptions notify);

}  // namespace hotline::app

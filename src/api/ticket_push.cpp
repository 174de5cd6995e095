#include "ticket_push.hpp"

#include "hotline/workorder/service.hpp"

namespace hotline::api {

void PushTicketEvent(Push& push, const workorder::WorkOrder& wo, std::string_view event,
                     core::Json ticket) {
  const bool callback_due = event == workorder::kEventCallbackDue;
  core::Json msg = {{"type", callback_due ? "callback.due" : "ticket.updated"},
                    {"event", event},
                    {"ticket", std::move(ticket)}};
  if (wo.owner) {
    push.ToUser(*wo.owner, msg);
  } else if (callback_due) {
    push.ToAgents(msg);
  }
  push.ToSupervisors(msg);
}

}  // namespace hotline::api

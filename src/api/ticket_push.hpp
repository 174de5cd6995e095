#pragma once
// Who hears about a changed work order over the WebSockets (SPEC §6: "work order changed,
// callback due").
#include <string_view>

#include "hotline/api/push.hpp"
#include "hotline/core/json.hpp"
#include "hotline/workorder/work_order.hpp"

namespace hotline::api {

/// Sends `ticket.updated {event, ticket}` (or `callback.due {event, ticket}` for that event)
/// to the owner's consoles and to every wallboard; a callback falling due on a work order
/// nobody owns (a voice message) goes to every agent console instead, so someone calls back.
void PushTicketEvent(Push& push, const workorder::WorkOrder& wo, std::string_view event,
                     core::Json ticket);

}  // namespace hotline::api

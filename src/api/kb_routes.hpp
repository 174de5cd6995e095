#pragma once
// Knowledge-base routes (SPEC §6) and the console's kb.search / kb.open WebSocket commands.
// Agents, supervisors and admins read and search; supervisors and admins write, import,
// export, and read the unanswered queries.
#include "hotline/api/push.hpp"
#include "hotline/api/router.hpp"
#include "hotline/core/time.hpp"
#include "hotline/kb/service.hpp"

namespace hotline::api {

/// Registers every /api/v1/kb route and the kb.* commands of /ws/agent and /ws/supervisor.
/// `kb` and `zone` must outlive the router.
void RegisterKbRoutes(Router& router, WsCommands& commands, kb::Service& kb,
                      const core::TimeZone& zone);

}  // namespace hotline::api

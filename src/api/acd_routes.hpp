#pragma once
// The ACD's REST endpoints and WebSocket commands: calls (gateway), agents (console),
// queue and incidents (supervisor), and Zammad's Generic CTI for PBXes that speak it.
#include <string>

#include "call_center.hpp"
#include "hotline/api/push.hpp"
#include "hotline/api/router.hpp"
#include "hotline/auth/directory.hpp"
#include "hotline/core/calendar.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::api {

struct AcdDeps {
  CallCenter& center;
  storage::Database& db;
  const core::Calendar& calendar;
  const auth::Directory& directory;
  const core::Clock& clock;
  std::string cti_token;  // the path token of /api/v1/cti/{token} (the telephony key)
};

void RegisterCallRoutes(Router& router, WsCommands& commands, AcdDeps deps);
void RegisterAgentRoutes(Router& router, WsCommands& commands, AcdDeps deps);

/// Keeps a post-call survey score on the call and, as a `survey` event row naming the agent
/// who took it, on the agent. The first score stands: repeating it is a no-op, a different one
/// is a conflict. not_found for an unknown call; invalid_transition for a call still queued or
/// ringing, or abandoned.
core::Result<void> RecordSurvey(storage::Database& db, const core::Clock& clock, int64_t call_id, int score);

/// The stored record of a call (for calls no longer in the engine's memory).
std::optional<core::Json> StoredCallJson(storage::Database& db, int64_t call_id, const core::TimeZone& zone);

}  // namespace hotline::api

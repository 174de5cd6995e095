#pragma once
// The voice menu for the gateway: VoiceXML documents (GET /ivr/vxml/{call_id}, signed URLs),
// JSON steps (POST /api/v1/ivr/{call_id}/input), voice messages that become work orders, the
// in-queue announcement and the post-call survey.
#include <optional>
#include <string>
#include <vector>

#include "call_center.hpp"
#include "hotline/api/router.hpp"
#include "hotline/auth/auth_service.hpp"
#include "hotline/auth/directory.hpp"
#include "hotline/core/calendar.hpp"
#include "hotline/ivr/menu.hpp"
#include "hotline/ivr/step.hpp"
#include "hotline/kb/service.hpp"
#include "hotline/storage/database.hpp"
#include "hotline/workorder/service.hpp"

namespace hotline::api {

struct IvrDeps {
  storage::Database& db;
  CallCenter& center;
  workorder::Service& tickets;
  const kb::Service& kb;
  const auth::Directory& directory;
  const auth::AuthService& auth;
  const core::Calendar& calendar;
  const core::Clock& clock;
  ivr::Menu menu;
  std::string signing_key;  // HMAC key of the `sig` parameter
  int signed_url_ttl_s = 3600;
  std::string base_url;     // "" for root-relative URLs in documents
  std::string recordings_dir;  // where uploaded voice messages are kept
  std::vector<ivr::DutyNumber> fallback_duty;  // ivr.duty_numbers: when no unit has a duty phone
  int seat_ring_timeout_s = 0;  // acd.ring_timeout_s: how long a transfer to a seat rings
  std::optional<int> voicemail_due_minute;  // ivr.voicemail_due_time (see VoicemailDueAt)
};

void RegisterIvrRoutes(Router& router, IvrDeps deps);

}  // namespace hotline::api

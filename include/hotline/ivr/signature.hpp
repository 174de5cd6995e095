#pragma once
// Signed, expiring URLs for VoiceXML documents. Voice browsers often cannot send the gateway's
// X-Api-Key header, so every `next`/`submit` URL the server writes carries `sig`, a proof that
// the server itself issued it for this call and until when (SPEC §6).
//
// Form: sig=<expiry, unix seconds>.<base64url(HMAC-SHA256(secret, call id and expiry))>, which
// needs no URL escaping.
#include <string>
#include <string_view>

#include "hotline/core/clock.hpp"

namespace hotline::ivr {

/// "sig=…", ready to append to a query string, valid for `call_id` until `expires`.
std::string SignUrlParams(std::string_view secret, std::string_view call_id,
                          core::TimePoint expires);

/// True when `sig` (the parameter's value, without "sig=") was issued with `secret` for `call_id`
/// and `now` is before its expiry. An empty secret verifies nothing.
bool VerifySig(std::string_view secret, std::string_view call_id, std::string_view sig,
               core::TimePoint now);

}  // namespace hotline::ivr

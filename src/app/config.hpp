#pragma once
// The server's configuration: one JSON object of nested sections. The defaults
// (config/hotline.json, also compiled in) double as the schema: a key they do not have, or
// a value of another type, stops start-up with a message that names the key.
#include <string>

#include "hotline/core/calendar.hpp"
#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"

namespace hotline::app {

/// The compiled-in defaults (equal to config/hotline.json; a test keeps them equal).
const core::Json& DefaultConfig();

/// Checks `user` against the defaults and returns the merged document. Secrets may come from
/// the environment: HOTLINE_TELEPHONY_KEY overrides auth.telephony_key.
core::Result<core::Json> MergeConfig(const core::Json& user);

/// Reads and merges a config file ("" = defaults only).
core::Result<core::Json> LoadConfig(const std::string& path);

/// The `hours` section as the calendar's config.
core::Result<core::HoursConfig> ReadHours(const core::Json& hours);

}  // namespace hotline::app

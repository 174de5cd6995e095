#pragma once
// The composition root: config → storage → services → routes → listener. Only this file
// knows every component; everything else receives what it needs.
#include <memory>
#include <optional>
#include <string>

#include "hotline/core/clock.hpp"
#include "hotline/core/json.hpp"

namespace hotline::app {

struct ServeOptions {
  std::string config_path;
  bool demo = false;  // load demo users, units and the starter knowledge base when empty
  /// Tests and demos: run on a movable clock starting here, with /api/v1/test/clock to move it.
  std::optional<core::TimePoint> clock_start;
};

/// Builds the server from `config`, runs it until SIGINT/SIGTERM, then shuts down cleanly.
/// Returns the process exit code.
int Serve(const core::Json& config, const ServeOptions& options);

}  // namespace hotline::app

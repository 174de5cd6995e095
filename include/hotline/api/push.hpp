#pragma once
// Server-to-client pushes over the WebSocket endpoints (/ws/agent, /ws/supervisor,
// /ws/telephony), and the commands clients send there. Route files register their
// commands; domain services push through this interface without knowing about sockets.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hotline/core/actor.hpp"
#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"

namespace hotline::api {

/// Where pushes go. Thread-safe; never blocks on a slow client.
class Push {
 public:
  virtual ~Push() = default;
  /// To every /ws/agent (or other) connection of one user.
  virtual void ToUser(int64_t user_id, const core::Json& message) = 0;
  /// To every /ws/agent connection (the consoles).
  virtual void ToAgents(const core::Json& message) = 0;
  /// To every /ws/supervisor connection (wallboards).
  virtual void ToSupervisors(const core::Json& message) = 0;
  /// To every /ws/telephony connection (the gateway).
  virtual void ToTelephony(const core::Json& message) = 0;
};

/// A WebSocket command handler: the message's fields in, the ack's `result` out (or an
/// error, sent as {type:"ack", id, ok:false, error:{code, message}}).
using WsCommand = std::function<core::Result<core::Json>(const core::Actor&, const core::Json&)>;

/// Commands by message `type` per endpoint ("agent", "supervisor", "telephony").
class WsCommands {
 public:
  void Add(std::string endpoint, std::string type, WsCommand command);
  const WsCommand* Find(std::string_view endpoint, std::string_view type) const;

 private:
  std::unordered_map<std::string, WsCommand> commands_;  // key "endpoint:type"
};

}  // namespace hotline::api

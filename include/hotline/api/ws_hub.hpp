#pragma once
// The WebSocket endpoints /ws/agent, /ws/supervisor and /ws/telephony: authenticates the
// upgrade, answers `hello`, runs registered commands with an `ack` each, and fans pushes out
// to the connected clients of a user, of the supervisors, or of the gateway.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "hotline/api/dispatcher.hpp"
#include "hotline/api/push.hpp"
#include "hotline/net/server.hpp"

namespace hotline::api {

class WsHub final : public Push {
 public:
  /// Told when a client connects to an endpoint and when that connection closes.
  using PresenceHook = std::function<void(const std::string& endpoint, const core::Actor&, bool connected)>;

  WsHub(const Dispatcher& dispatcher, const WsCommands& commands);

  /// The server's WsAcceptor.
  std::variant<net::WsCallbacks, net::Response> Accept(net::Request& req,
                                                        std::shared_ptr<net::WsClient> client);
  void OnPresence(PresenceHook hook) { presence_ = std::move(hook); }

  void ToUser(int64_t user_id, const core::Json& message) override;
  void ToAgents(const core::Json& message) override;
  void ToSupervisors(const core::Json& message) override;
  void ToTelephony(const core::Json& message) override;
  size_t connections() const;

 private:
  struct Client {
    std::string endpoint;
    core::Actor actor;
    std::shared_ptr<net::WsClient> socket;  // dropped when the connection closes
  };
  void OnMessage(const std::string& endpoint, const core::Actor& actor,
                 const std::shared_ptr<net::WsClient>& client, const std::string& text);
  void Remove(uint64_t client_id);
  /// Copies the live sockets matching `pred` under the lock; sends outside it.
  void SendWhere(const std::function<bool(const Client&)>& pred, const core::Json& message);

  const Dispatcher& dispatcher_;
  const WsCommands& commands_;
  PresenceHook presence_;
  mutable std::mutex mu_;
  std::map<uint64_t, Client> clients_;
};

}  // namespace hotline::api

#include "hotline/api/ws_hub.hpp"

#include <spdlog/spdlog.h>

namespace hotline::api {
namespace {

using core::Json;
using core::Role;

/// Which roles may open which endpoint.
bool Allowed(const std::string& endpoint, Role role) {
  if (endpoint == "agent") return role == Role::kAgent || role == Role::kSupervisor;
  if (endpoint == "supervisor") return role == Role::kSupervisor || role == Role::kAdmin;
  if (endpoint == "telephony") return role == Role::kTelephony;
  return false;
}

Json Ack(const Json& id, bool ok) {
  Json ack = {{"type", "ack"}, {"ok", ok}};
  ack["id"] = id;
  return ack;
}

}  // namespace

WsHub::WsHub(const Dispatcher& dispatcher, const WsCommands& commands)
    : dispatcher_(dispatcher), commands_(commands) {}

std::variant<net::WsCallbacks, net::Response> WsHub::Accept(net::Request& req,
                                                             std::shared_ptr<net::WsClient> client) {
  static const std::string kPrefix = "/ws/";
  std::string endpoint = req.path.rfind(kPrefix, 0) == 0 ? req.path.substr(kPrefix.size()) : "";
  if (endpoint != "agent" && endpoint != "supervisor" && endpoint != "telephony") {
    return net::Response::Problem(core::Error::NotFound("no such WebSocket endpoint"));
  }
  auto actor = dispatcher_.Authenticate(req, /*allow_query_token=*/true);
  if (!actor) return net::Response::Problem(actor.error());
  if (!Allowed(endpoint, actor->role)) {
    return net::Response::Problem(core::Error::Forbidden("your role may not open /ws/" + endpoint));
  }
  {
    std::lock_guard lock(mu_);
    clients_[client->id()] = Client{endpoint, *actor, client};
  }
  uint64_t id = client->id();
  // The server keeps only a weak reference to the handle: holding it is the application's job.
  net::WsCallbacks callbacks;
  callbacks.on_message = [this, endpoint, a = *actor, client](const std::string& text) {
    OnMessage(endpoint, a, client, text);
  };
  callbacks.on_close = [this, id, endpoint, a = *actor] {
    Remove(id);
    if (presence_) presence_(endpoint, a, false);
  };
  if (presence_) presence_(endpoint, *actor, true);
  return callbacks;
}

void WsHub::OnMessage(const std::string& endpoint, const core::Actor& actor,
                      const std::shared_ptr<net::WsClient>& client, const std::string& text) {
  Json msg = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!msg.is_object() || !msg.contains("type") || !msg["type"].is_string()) {
    Json ack = Ack(msg.is_object() && msg.contains("id") ? msg["id"] : Json(nullptr), false);
    ack["error"] = {{"code", "validation_failed"}, {"message", "a message is a JSON object with a type"}};
    client->Send(ack.dump());
    return;
  }
  const std::string type = msg["type"].get<std::string>();
  Json id = msg.contains("id") ? msg["id"] : Json(nullptr);
  if (type == "hello" || type == "ping") {
    Json reply = {{"type", type == "hello" ? "hello" : "pong"},
                  {"user_id", actor.user_id},
                  {"role", core::RoleName(actor.role)},
                  {"endpoint", endpoint}};
    if (!id.is_null()) reply["id"] = id;
    client->Send(reply.dump());
    return;
  }
  Json ack = Ack(id, false);
  const WsCommand* command = commands_.Find(endpoint, type);
  if (!command) {
    ack["error"] = {{"code", "validation_failed"}, {"message", "unknown command '" + type + "'"}};
    client->Send(ack.dump());
    return;
  }
  try {
    auto result = (*command)(actor, msg);
    if (result) {
      ack["ok"] = true;
      ack["result"] = std::move(*result);
    } else {
      ack["error"] = {{"code", core::CodeName(result.error().code)}, {"message", result.error().message}};
    }
  } catch (const std::exception& e) {
    spdlog::error("ws command {} of user {} failed: {}", type, actor.user_id, e.what());
    ack["error"] = {{"code", "internal"}, {"message", "internal error"}};
  }
  client->Send(ack.dump(-1, ' ', false, Json::error_handler_t::replace));
}

void WsHub::Remove(uint64_t client_id) {
  std::lock_guard lock(mu_);
  clients_.erase(client_id);
}

void WsHub::SendWhere(const std::function<bool(const Client&)>& pred, const core::Json& message) {
  std::vector<std::shared_ptr<net::WsClient>> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, c] : clients_) {
      if (!pred(c)) continue;
      targets.push_back(c.socket);
    }
  }
  if (targets.empty()) return;
  std::string text = message.dump(-1, ' ', false, Json::error_handler_t::replace);
  for (auto& t : targets) t->Send(text);
}

void WsHub::ToUser(int64_t user_id, const core::Json& message) {
  SendWhere([&](const Client& c) { return c.actor.user_id == user_id && c.endpoint != "telephony"; },
            message);
}

void WsHub::ToAgents(const core::Json& message) {
  SendWhere([](const Client& c) { return c.endpoint == "agent"; }, message);
}

void WsHub::ToSupervisors(const core::Json& message) {
  SendWhere([](const Client& c) { return c.endpoint == "supervisor"; }, message);
}

void WsHub::ToTelephony(const core::Json& message) {
  SendWhere([](const Client& c) { return c.endpoint == "telephony"; }, message);
}

size_t WsHub::connections() const {
  std::lock_guard lock(mu_);
  return clients_.size();
}

}  // namespace hotline::api

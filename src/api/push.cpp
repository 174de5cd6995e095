#include "hotline/api/push.hpp"

namespace hotline::api {

void WsCommands::Add(std::string endpoint, std::string type, WsCommand command) {
  commands_[endpoint + ":" + type] = std::move(command);
}

const WsCommand* WsCommands::Find(std::string_view endpoint, std::string_view type) const {
  auto it = commands_.find(std::string(endpoint) + ":" + std::string(type));
  return it == commands_.end() ? nullptr : &it->second;
}

}  // namespace hotline::api

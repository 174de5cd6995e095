#pragma once
// One HTTP/1.1 connection. The session class lives in http_session.cpp so that Beast is
// compiled there and not in every file that starts a session.
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "net/server_state.hpp"

namespace hotline::net {

/// Serves requests on an accepted socket (already bound to its own strand) until it closes.
void StartHttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);

}  // namespace hotline::net

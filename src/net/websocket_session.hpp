#pragma once
// One WebSocket connection, from the application's decision on the upgrade to the close.
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>

#include "hotline/net/message.hpp"
#include "net/server_state.hpp"
#include "net/wire.hpp"

namespace hotline::net {

/// Takes over `stream` from the HTTP session that read the upgrade request `upgrade`
/// (`request` is the same request for the application) and runs the connection.
void StartWebSocketSession(boost::beast::tcp_stream stream, WireRequest upgrade, Request request,
                           std::shared_ptr<ServerState> state);

}  // namespace hotline::net

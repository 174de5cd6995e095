#pragma once
// Between Beast's HTTP messages and the transport-neutral Request/Response: the only place
// that converts, shared by the HTTP and WebSocket sessions.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "hotline/core/error.hpp"
#include "hotline/net/message.hpp"

namespace hotline::net {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;
using WireResponse = boost::beast::http::response<boost::beast::http::string_body>;

/// Builds a Request from a parsed message, taking its body. validation_failed when the
/// target is not an origin-form path or does not percent-decode.
core::Result<Request> FromWire(WireRequest& wire, std::string remote_address,
                               std::string request_id);

/// How a Response goes on the wire for one request.
struct WireContext {
  unsigned version = 11;
  bool keep_alive = false;
  bool head = false;  // a HEAD request: headers (with the real Content-Length) but no body
  std::string_view request_id;
};

/// Builds the message to write. Never throws: bad statuses become 500, headers carrying
/// CR or LF are dropped.
WireResponse ToWire(Response res, const WireContext& ctx);

}  // namespace hotline::net

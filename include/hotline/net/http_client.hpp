#pragma once
// A minimal blocking HTTP/1.1 client for webhooks: the outbox POSTs notifications with it from
// a worker thread. Plain http:// only (put a local relay in front of an https receiver).
#include <chrono>
#include <string>

namespace hotline::net {

/// POSTs `json` to `url` ("http://host[:port]/path"); answers the response status, or 0 when
/// the URL is not http:// or the receiver could not be reached within `timeout`.
int PostJson(const std::string& url, const std::string& json, std::chrono::milliseconds timeout);

/// Empty when PostJson can reach `url`; otherwise why not, for a start-up error (https://,
/// another scheme, no host, a bad port, credentials in the URL).
std::string UrlProblem(const std::string& url);

}  // namespace hotline::net

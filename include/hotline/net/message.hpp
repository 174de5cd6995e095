#pragma once
// Transport-neutral HTTP request and response. The net module fills a Request from the
// wire and writes a Response back; the api module's handlers never see Beast.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hotline/core/actor.hpp"
#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"

namespace hotline::net {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string path;    // percent-decoded, without the query string
  std::string target;  // as received (path and query), for logs — mask before logging
  std::unordered_map<std::string, std::string> path_params;  // from "{name}" segments
  std::unordered_map<std::string, std::string> query;        // percent-decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  std::string request_id;
  std::optional<core::Actor> actor;  // set by the router for routes that need a login

  /// A header value by lower-case name, or "".
  std::string_view Header(std::string_view lower_name) const;
  std::optional<std::string> Query(std::string_view name) const;
  /// The path parameter as a positive integer id; not_found when it is not one.
  core::Result<int64_t> IdParam(std::string_view name) const;
  /// The body parsed as a JSON object (validation_failed when malformed or too deep).
  core::Result<core::Json> JsonBody() const;
  /// The logged-in actor; only call on routes that require one.
  const core::Actor& Who() const { return *actor; }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  /// A JSON body with the given status.
  static Response Json(int status, const core::Json& body);
  /// An RFC 7807 problem body (application/problem+json) for a domain error.
  static Response Problem(const core::Error& error, std::string_view request_id = {});
  /// A problem body with an explicit status (e.g. 431 with code validation_failed).
  static Response Problem(int status, const core::Error& error, std::string_view request_id = {});
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
};

/// Percent-decodes a URL component ('+' as space when `plus_is_space`); nothing when malformed.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);
/// Splits "a=1&b=2" into decoded pairs (malformed pairs are skipped).
std::unordered_map<std::string, std::string> ParseQuery(std::string_view query);
/// The standard reason phrase of an HTTP status ("Not Found"), or "Unknown".
std::string_view ReasonPhrase(int status);
/// A request target made safe for logs: phone numbers and `access_token` values masked.
std::string MaskTargetForLog(std::string_view target);

}  // namespace hotline::net

#pragma once
// Transport-neutral HTTP request and response as the REST handlers see them. The net
// module fills a Request from Beast and writes a Response back; handlers never see Beast.
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

namespace hotline::api {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string path;    // percent-decoded, without the query string
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
  static Response Text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
};

/// The JSON of a result's value with `status`, or its error as a problem body.
template <class T, class ToJson>
Response Reply(const core::Result<T>& r, int status, ToJson&& to_json) {
  if (r.has_error()) return Response::Problem(r.error());
  return Response::Json(status, to_json(*r));
}

/// `{items: [...], next_cursor}` with the page bounds of SPEC §6.
struct PageParams {
  int limit = 50;          // 1..200
  std::string cursor;      // opaque, "" for the first page
};
/// Reads `limit` (default 50, at most 200) and `cursor` from the query.
core::Result<PageParams> ReadPageParams(const Request& req);
/// Opaque cursor text for a keyset position (base64url of the JSON), and back.
std::string EncodeCursor(const core::Json& position);
core::Result<core::Json> DecodeCursor(std::string_view cursor);

}  // namespace hotline::api

#pragma once
// What REST handlers work with: the net module's Request and Response, replies built from
// domain Results, and the list pagination of SPEC §6.
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
#include "hotline/net/message.hpp"

namespace hotline::api {

using Request = net::Request;
using Response = net::Response;

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

#include "net/wire.hpp"

#include <algorithm>
#include <cctype>

namespace hotline::net {
namespace http = boost::beast::http;
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A handler echoing input into a header must not be able to split the response.
bool IsSafeHeaderText(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool MustHaveNoBody(int status) { return status < 200 || status == 204 || status == 304; }

}  // namespace

core::Result<Request> FromWire(WireRequest& wire, std::string remote_address,
                               std::string request_id) {
  Request req;
  req.method = std::string(wire.method_string());
  req.target = std::string(wire.target());
  req.remote_address = std::move(remote_address);
  req.request_id = std::move(request_id);
  std::string_view target = req.target;
  size_t question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  auto path = raw_path.starts_with('/') ? PercentDecode(raw_path, false) : std::nullopt;
  if (!path) return core::Error::Validation("malformed request target");
  req.path = std::move(*path);
  if (question != std::string_view::npos) req.query = ParseQuery(target.substr(question + 1));
  req.headers.reserve(std::distance(wire.begin(), wire.end()));
  for (const auto& field : wire) {
    req.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
  }
  req.body = std::move(wire.body());
  return req;
}

WireResponse ToWire(Response res, const WireContext& ctx) {
  if (res.status < 100 || res.status > 599) {
    res = Response::Problem({core::ErrorCode::kInternal, "internal error", {}}, ctx.request_id);
  }
  WireResponse out{static_cast<http::status>(res.status), ctx.version};
  out.set(http::field::server, "hotline");
  if (!res.content_type.empty() && IsSafeHeaderText(res.content_type)) {
    out.set(http::field::content_type, res.content_type);
  }
  for (const auto& [name, value] : res.headers) {
    if (!name.empty() && IsSafeHeaderText(name) && IsSafeHeaderText(value)) {
      out.insert(name, value);
    }
  }
  if (!ctx.request_id.empty()) out.set("X-Request-Id", ctx.request_id);
  out.keep_alive(ctx.keep_alive);
  if (MustHaveNoBody(res.status)) {
    out.content_length(boost::none);
  } else if (ctx.head) {
    out.content_length(res.body.size());
  } else {
    out.body() = std::move(res.body);
    out.prepare_payload();
  }
  return out;
}

}  // namespace hotline::net

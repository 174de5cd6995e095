#include "hotline/net/message.hpp"

#include <charconv>

#include "hotline/core/phone.hpp"

namespace hotline::net {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// nlohmann throws on invalid UTF-8 by default; a handler echoing client bytes must not 500.
std::string Dump(const core::Json& body) {
  return body.dump(-1, ' ', false, core::Json::error_handler_t::replace);
}

}  // namespace

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::optional<std::string> Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

core::Result<int64_t> Request::IdParam(std::string_view name) const {
  auto it = path_params.find(std::string(name));
  if (it == path_params.end()) return core::Error::NotFound();
  const std::string& text = it->second;
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  // from_chars accepts a leading '-'; ids are positive, so that is not found as well.
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return core::Error::NotFound();
  }
  return id;
}

core::Result<core::Json> Request::JsonBody() const { return core::ParseJsonObject(body); }

Response Response::Json(int status, const core::Json& body) {
  Response res;
  res.status = status;
  res.content_type = "application/json";
  res.body = Dump(body);
  return res;
}

Response Response::Problem(const core::Error& error, std::string_view request_id) {
  return Problem(core::HttpStatus(error.code), error, request_id);
}

Response Response::Problem(int status, const core::Error& error, std::string_view request_id) {
  core::Json body = {
      {"type", "about:blank"},   {"title", ReasonPhrase(status)},      {"status", status},
      {"detail", error.message}, {"code", core::CodeName(error.code)},
  };
  if (!error.field.empty()) body["field"] = error.field;
  if (!request_id.empty()) body["request_id"] = request_id;
  Response res = Json(status, body);
  res.content_type = "application/problem+json";
  return res;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response res;
  res.status = status;
  res.content_type = std::move(content_type);
  res.body = std::move(body);
  return res;
}

std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::unordered_map<std::string, std::string> ParseQuery(std::string_view query) {
  std::unordered_map<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value || key->empty()) continue;
    out.emplace(std::move(*key), std::move(*value));  // the first occurrence wins
  }
  return out;
}

std::string_view ReasonPhrase(int status) {
  static constexpr std::pair<int, std::string_view> kPhrases[] = {
      {100, "Continue"},
      {101, "Switching Protocols"},
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {204, "No Content"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {303, "See Other"},
      {304, "Not Modified"},
      {307, "Temporary Redirect"},
      {308, "Permanent Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {410, "Gone"},
      {411, "Length Required"},
      {412, "Precondition Failed"},
      {413, "Payload Too Large"},
      {414, "URI Too Long"},
      {415, "Unsupported Media Type"},
      {422, "Unprocessable Entity"},
      {426, "Upgrade Required"},
      {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
  };
  for (const auto& [code, phrase] : kPhrases) {
    if (code == status) return phrase;
  }
  return "Unknown";
}

std::string MaskTargetForLog(std::string_view target) {
  std::string out = core::MaskPhonesInText(target);
  size_t query = out.find('?');
  if (query == std::string::npos) return out;
  static constexpr std::string_view kToken = "access_token=";
  for (size_t pos = out.find(kToken, query); pos != std::string::npos;
       pos = out.find(kToken, pos + 1)) {
    // Only a whole parameter name: "xaccess_token=" is someone else's parameter.
    if (out[pos - 1] != '?' && out[pos - 1] != '&') continue;
    size_t start = pos + kToken.size();
    size_t end = out.find('&', start);
    if (end == std::string::npos) end = out.size();
    out.replace(start, end - start, "***");
  }
  return out;
}

}  // namespace hotline::net

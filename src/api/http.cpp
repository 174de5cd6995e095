#include "hotline/api/http.hpp"

#include "hotline/core/base64.hpp"

namespace hotline::api {

core::Result<PageParams> ReadPageParams(const Request& req) {
  PageParams p;
  if (auto limit = req.Query("limit")) {
    try {
      size_t used = 0;
      int n = std::stoi(*limit, &used);
      if (used != limit->size() || n < 1 || n > 200) throw std::out_of_range("limit");
      p.limit = n;
    } catch (const std::exception&) {
      return core::Error::Validation("limit: must be a whole number from 1 to 200", "limit");
    }
  }
  if (auto cursor = req.Query("cursor")) p.cursor = *cursor;
  return p;
}

std::string EncodeCursor(const core::Json& position) {
  return core::Base64UrlEncode(position.dump());
}

core::Result<core::Json> DecodeCursor(std::string_view cursor) {
  auto raw = core::Base64UrlDecode(cursor);
  core::Json j = raw ? core::Json::parse(*raw, nullptr, /*allow_exceptions=*/false)
                     : core::Json(core::Json::value_t::discarded);
  if (j.is_discarded()) return core::Error::Validation("cursor: not a cursor of this list", "cursor");
  return core::Result<core::Json>(boost::system::in_place_value, std::move(j));
}

}  // namespace hotline::api

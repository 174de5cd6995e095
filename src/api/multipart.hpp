#pragma once
// multipart/form-data bodies (RFC 7578), as voice browsers submit recordings.
#include <string>
#include <string_view>
#include <vector>

#include "hotline/core/error.hpp"

namespace hotline::api {

struct MultipartPart {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string data;
};

/// Splits a body by the boundary named in `content_type`; validation_failed when malformed.
core::Result<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type, std::string_view body);
/// The first part named `name`, or null.
const MultipartPart* FindPart(const std::vector<MultipartPart>& parts, std::string_view name);

}  // namespace hotline::api

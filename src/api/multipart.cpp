#include "multipart.hpp"

#include <algorithm>
#include <cctype>

namespace hotline::api {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

/// The value of `key="…"` (or key=token) in a header value.
std::string Param(std::string_view header, std::string_view key) {
  std::string lower = Lower(header);
  size_t p = 0;
  while ((p = lower.find(std::string(key) + "=", p)) != std::string::npos) {
    if (p == 0 || lower[p - 1] == ';' || lower[p - 1] == ' ') break;
    ++p;
  }
  if (p == std::string::npos) return {};
  p += key.size() + 1;
  if (p < header.size() && header[p] == '"') {
    size_t end = header.find('"', p + 1);
    return end == std::string_view::npos ? std::string() : std::string(header.substr(p + 1, end - p - 1));
  }
  size_t end = header.find(';', p);
  return std::string(header.substr(p, end == std::string_view::npos ? std::string_view::npos : end - p));
}

}  // namespace

core::Result<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type, std::string_view body) {
  if (Lower(content_type).rfind("multipart/form-data", 0) != 0) {
    return core::Error::Validation("expected multipart/form-data");
  }
  std::string boundary = Param(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200) return core::Error::Validation("multipart boundary missing");
  const std::string delimiter = "--" + boundary;
  std::vector<MultipartPart> parts;
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return core::Error::Validation("multipart body without parts");
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") break;
    pos += 2;
    size_t head_end = body.find("\r\n\r\n", pos);
    size_t next = body.find("\r\n" + delimiter, pos);
    if (head_end == std::string_view::npos || next == std::string_view::npos || head_end > next) break;
    MultipartPart part;
    std::string_view head = body.substr(pos, head_end - pos);
    size_t line_start = 0;
    while (line_start <= head.size()) {
      size_t eol = head.find("\r\n", line_start);
      std::string_view line = head.substr(line_start, eol == std::string_view::npos ? std::string_view::npos : eol - line_start);
      std::string lower = Lower(line);
      if (lower.rfind("content-disposition:", 0) == 0) {
        part.name = Param(line, "name");
        part.filename = Param(line, "filename");
      } else if (lower.rfind("content-type:", 0) == 0) {
        part.content_type = std::string(line.substr(13));
      }
      if (eol == std::string_view::npos) break;
      line_start = eol + 2;
    }
    part.data = std::string(body.substr(head_end + 4, next - head_end - 4));
    parts.push_back(std::move(part));
    pos = next + 2;
  }
  return core::Error::Validation("malformed multipart body");
}

const MultipartPart* FindPart(const std::vector<MultipartPart>& parts, std::string_view name) {
  for (const auto& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace hotline::api

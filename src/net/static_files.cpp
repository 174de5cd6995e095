#include "net/static_files.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace hotline::net {
namespace fs = std::filesystem;
namespace {

bool IsPagePrefix(std::string_view path) {
  return path.starts_with("/console/") || path.starts_with("/dashboard/");
}

Response Redirect(std::string location) {
  Response res = Response::Text(302, "", "text/plain; charset=utf-8");
  res.headers.emplace_back("Location", std::move(location));
  return res;
}

// A segment that could climb out (".."), stay put (".") or reach hidden files (".git").
bool IsForbiddenSegment(std::string_view segment) {
  return !segment.empty() && segment.front() == '.';
}

bool IsWithin(const fs::path& root, const fs::path& p) {
  return std::mismatch(root.begin(), root.end(), p.begin(), p.end()).first == root.end();
}

std::optional<std::string> ReadFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(out).str();
}

}  // namespace

StaticFiles::StaticFiles(const std::string& root) {
  if (root.empty()) return;
  std::error_code ec;
  root_ = fs::weakly_canonical(fs::absolute(root, ec), ec);
  if (ec) root_.clear();
}

std::optional<Response> StaticFiles::Serve(const Request& req) const {
  if (req.method != "GET" && req.method != "HEAD") return std::nullopt;
  if (req.path == "/") return Redirect("/console/");
  if (req.path == "/console" || req.path == "/dashboard") return Redirect(req.path + "/");
  if (!IsPagePrefix(req.path)) return std::nullopt;

  auto file = Resolve(req.path);
  std::optional<std::string> body = file ? ReadFile(*file) : std::nullopt;
  if (!body) return Response::Problem(core::Error::NotFound("no such page"), req.request_id);
  Response res = Response::Text(200, std::move(*body), std::string(ContentTypeFor(*file)));
  // Pages change with each deployment; browsers must revalidate rather than run stale code.
  res.headers.emplace_back("Cache-Control", "no-cache");
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return res;
}

std::optional<fs::path> StaticFiles::Resolve(std::string_view url_path) const {
  if (root_.empty() || !url_path.starts_with('/')) return std::nullopt;
  std::string rel(url_path.substr(1));
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  if (rel.find('\0') != std::string::npos || rel.find('\\') != std::string::npos) {
    return std::nullopt;
  }
  for (size_t start = 0; start <= rel.size();) {
    size_t slash = std::min(rel.find('/', start), rel.size());
    if (IsForbiddenSegment(std::string_view(rel).substr(start, slash - start))) return std::nullopt;
    start = slash + 1;
  }
  std::error_code ec;
  // Canonical form resolves symlinks too, so a link pointing outside the root is refused.
  fs::path file = fs::weakly_canonical(root_ / rel, ec);
  if (ec || !IsWithin(root_, file) || !fs::is_regular_file(file, ec)) return std::nullopt;
  return file;
}

std::string_view ContentTypeFor(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".json") return "application/json";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace hotline::net

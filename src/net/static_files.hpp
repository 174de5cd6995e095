#pragma once
// The console and dashboard pages: plain files under one root, read-only, never outside it.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "hotline/net/message.hpp"

namespace hotline::net {

/// Serves GET/HEAD of `/` (a redirect), `/console/…` and `/dashboard/…` from a folder.
class StaticFiles {
 public:
  /// `root` holds console/ and dashboard/; "" serves nothing (every page is 404).
  explicit StaticFiles(const std::string& root);

  /// The answer when `req` asks for a static page; nothing when it is for the application.
  std::optional<Response> Serve(const Request& req) const;

  /// The file a decoded URL path maps to, or nothing when it is missing or escapes the root.
  std::optional<std::filesystem::path> Resolve(std::string_view url_path) const;

 private:
  std::filesystem::path root_;  // canonical; empty when there is none
};

/// The Content-Type for a file name's extension (".js" → "text/javascript; charset=utf-8").
std::string_view ContentTypeFor(const std::filesystem::path& file);

}  // namespace hotline::net

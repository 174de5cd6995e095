#include "hotline/api/router.hpp"

#include <algorithm>

namespace hotline::api {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool IsParam(const std::string& seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

}  // namespace

bool Access::Allows(core::Role r) const {
  return is_public || std::find(roles.begin(), roles.end(), r) != roles.end();
}

void Router::Add(std::string method, std::string pattern, Access access, Handler handler) {
  auto route = std::make_unique<Route>();
  route->segments = Split(pattern);
  route->method = std::move(method);
  route->pattern = std::move(pattern);
  route->access = std::move(access);
  route->handler = std::move(handler);
  routes_.push_back(std::move(route));
}

Match Router::Find(std::string_view method, std::string_view path) const {
  Match best;
  auto segments = Split(path);
  int best_literals = -1;
  for (const auto& r : routes_) {
    if (r->segments.size() != segments.size()) continue;
    int literals = 0;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      if (IsParam(r->segments[i])) continue;
      ok = r->segments[i] == segments[i];
      ++literals;
    }
    if (!ok) continue;
    best.path_known = true;
    // The most specific route wins: "/kb/search" before "/kb/{id}".
    if (r->method == method && literals > best_literals) {
      best_literals = literals;
      best.route = r.get();
      best.params.clear();
      for (size_t i = 0; i < segments.size(); ++i) {
        const auto& seg = r->segments[i];
        if (IsParam(seg)) best.params[seg.substr(1, seg.size() - 2)] = segments[i];
      }
    }
  }
  return best;
}

}  // namespace hotline::api

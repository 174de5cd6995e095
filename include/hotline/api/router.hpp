#pragma once
// Method + path routing with "{param}" segments and a role requirement per route.
// Every route of the server is registered explicitly in one place (api/routes.cpp).
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hotline/api/http.hpp"
#include "hotline/core/actor.hpp"

namespace hotline::api {

using Handler = std::function<Response(Request&)>;

/// Who may call a route.
struct Access {
  bool is_public = false;            // no credentials needed
  std::vector<core::Role> roles;     // any of these (telephony = the gateway's API key)

  static Access Public() { return {true, {}}; }
  static Access Roles(std::initializer_list<core::Role> r) { return {false, r}; }
  bool Allows(core::Role r) const;
};

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/tickets/{id}/actions"
  Access access;
  Handler handler;
  std::vector<std::string> segments;  // pattern split on '/'
};

struct Match {
  const Route* route = nullptr;
  std::unordered_map<std::string, std::string> params;
  bool path_known = false;  // some route has this path (so a wrong method is 405, not 404)
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Access access, Handler handler);
  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace hotline::api

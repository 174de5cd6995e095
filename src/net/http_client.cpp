#include "hotline/net/http_client.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <memory>

namespace hotline::net {
namespace {

struct Target {
  std::string host;
  std::string port = "80";
  std::string path = "/";
};

// "http://host[:port]/path", host a name, an IPv4 address or a bracketed IPv6 one.
bool ParseUrl(const std::string& url, Target& t) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return false;
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) t.path = rest.substr(slash);
  if (authority.find_first_of("@ \t\r\n") != std::string::npos) return false;
  size_t colon = authority.rfind(':');
  if (!authority.empty() && authority[0] == '[') {  // [::1]:8080
    size_t close = authority.find(']');
    if (close == std::string::npos) return false;
    t.host = authority.substr(1, close - 1);
    colon =
        close + 1 < authority.size() && authority[close + 1] == ':' ? close + 1 : std::string::npos;
    if (colon == std::string::npos && close + 1 != authority.size()) return false;
  } else {
    t.host = authority.substr(0, colon);
  }
  if (colon != std::string::npos) t.port = authority.substr(colon + 1);
  int port = 0;
  auto [end, ec] = std::from_chars(t.port.data(), t.port.data() + t.port.size(), port);
  bool port_ok =
      ec == std::errc() && end == t.port.data() + t.port.size() && port >= 1 && port <= 65535;
  return !t.host.empty() && port_ok && t.path.find_first_of(" \r\n") == std::string::npos;
}

int Connect(const Target& t, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(t.host.c_str(), t.port.c_str(), &hints, &found) != 0) return -1;
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  for (addrinfo* a = found; a; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // also bounds connect() on Linux
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) return fd;
    close(fd);
  }
  return -1;
}

}  // namespace

int PostJson(const std::string& url, const std::string& json, std::chrono::milliseconds timeout) {
  Target t;
  if (!ParseUrl(url, t)) return 0;
  int fd = Connect(t, timeout);
  if (fd < 0) return 0;
  std::string request = "POST " + t.path + " HTTP/1.1\r\nHost: " + t.host +
                        "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                        std::to_string(json.size()) + "\r\n\r\n" + json;
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      close(fd);
      return 0;
    }
    sent += static_cast<size_t>(n);
  }
  char buf[256];
  std::string head;
  while (head.find("\r\n") == std::string::npos && head.size() < 4096) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    head.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  // "HTTP/1.1 204 No Content"
  if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12) return 0;
  return std::atoi(head.c_str() + 9);
}

std::string UrlProblem(const std::string& url) {
  if (url.rfind("https://", 0) == 0) {
    return "https:// is not supported: give a plain http:// receiver (for an https one, a local "
           "relay such as nginx or stunnel in front of it)";
  }
  Target t;
  if (!ParseUrl(url, t)) return "must be an http://host[:port]/path URL without credentials";
  return {};
}

}  // namespace hotline::net

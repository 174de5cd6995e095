#pragma once
// A deliberately small HTTP/1.1 and WebSocket client over POSIX sockets, for talking to the
// real server in tests: it can send malformed bytes, stop reading, and every read times out.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hotline::net::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct WsFrame {
  int opcode = 0;  // 1 text, 2 binary, 8 close, 9 ping, 10 pong
  std::string payload;
  int CloseCode() const {
    return payload.size() >= 2
               ? (static_cast<uint8_t>(payload[0]) << 8) | static_cast<uint8_t>(payload[1])
               : 0;
  }
};

class RawClient {
 public:
  /// Connects to 127.0.0.1:port; `rcvbuf` > 0 shrinks the receive buffer (slow consumers).
  explicit RawClient(uint16_t port, int rcvbuf = 0, int timeout_s = 5) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    timeval tv{timeout_s, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  /// Sends everything; false when the peer stopped taking it.
  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  /// Reads one response (skipping "100 Continue" unless told not to); nothing on EOF,
  /// timeout or garbage.
  std::optional<HttpReply> ReadReply(bool head_request = false, bool skip_continue = true) {
    for (;;) {
      size_t end;
      while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
        if (!Fill()) return std::nullopt;
      }
      HttpReply reply;
      std::string head = buf_.substr(0, end);
      buf_.erase(0, end + 4);
      if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return std::nullopt;
      reply.status = std::stoi(head.substr(9, 3));
      for (size_t pos = head.find("\r\n"); pos != std::string::npos;) {
        size_t next = head.find("\r\n", pos + 2);
        std::string line =
            head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        size_t colon = line.find(':');
        if (colon != std::string::npos) {
          std::string name = line.substr(0, colon);
          std::transform(name.begin(), name.end(), name.begin(), ::tolower);
          size_t v = line.find_first_not_of(' ', colon + 1);
          reply.headers[name] = v == std::string::npos ? "" : line.substr(v);
        }
        pos = next;
      }
      if (reply.status == 100 && skip_continue) continue;
      if (head_request || reply.status < 200 || reply.status == 204 || reply.status == 304) {
        return reply;
      }
      std::string length = reply.Header("content-length");
      if (length.empty()) {
        while (Fill()) {
        }
        reply.body = std::move(buf_);
        buf_.clear();
        return reply;
      }
      if (!Ensure(std::stoul(length))) return std::nullopt;
      reply.body = buf_.substr(0, std::stoul(length));
      buf_.erase(0, reply.body.size());
      return reply;
    }
  }

  /// Reads and discards until the server closes; false if it is still open at the timeout.
  bool WaitClosed() {
    buf_.clear();
    char chunk[65536];
    for (;;) {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n == 0) return true;
      if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
    }
  }

  /// Half-closes: the server sees end of stream (what a browser does after a close frame).
  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  /// Sends an upgrade request for `target` and reads the answer (101 when accepted).
  std::optional<HttpReply> Upgrade(std::string_view target, std::string_view extra = "") {
    std::string req = "GET " + std::string(target) +
                      " HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n" +
                      std::string(extra) + "\r\n";
    if (!Send(req)) return std::nullopt;
    return ReadReply();
  }

  /// Sends one masked frame, as a client must.
  bool SendFrame(int opcode, std::string_view payload) {
    std::string frame;
    frame += static_cast<char>(0x80 | opcode);
    if (payload.size() < 126) {
      frame += static_cast<char>(0x80 | payload.size());
    } else if (payload.size() <= 0xffff) {
      frame += static_cast<char>(0x80 | 126);
      for (int shift = 8; shift >= 0; shift -= 8)
        frame += static_cast<char>(payload.size() >> shift);
    } else {
      frame += static_cast<char>(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8)
        frame += static_cast<char>(payload.size() >> shift);
    }
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(key, 4);
    for (size_t i = 0; i < payload.size(); ++i) frame += static_cast<char>(payload[i] ^ key[i % 4]);
    return Send(frame);
  }
  bool SendText(std::string_view text) { return SendFrame(1, text); }

  /// Reads one frame (no fragmentation: the server sends whole messages).
  std::optional<WsFrame> ReadFrame() {
    if (!Ensure(2)) return std::nullopt;
    WsFrame frame;
    frame.opcode = buf_[0] & 0x0f;
    bool masked = buf_[1] & 0x80;
    uint64_t length = buf_[1] & 0x7f;
    size_t header = 2;
    int extra = length == 126 ? 2 : length == 127 ? 8 : 0;
    if (!Ensure(header + extra)) return std::nullopt;
    if (extra > 0) {
      length = 0;
      for (int i = 0; i < extra; ++i) length = (length << 8) | static_cast<uint8_t>(buf_[2 + i]);
      header += extra;
    }
    if (masked) header += 4;
    if (!Ensure(header + length)) return std::nullopt;
    frame.payload = buf_.substr(header, length);
    if (masked) {
      for (size_t i = 0; i < length; ++i) frame.payload[i] ^= buf_[header - 4 + i % 4];
    }
    buf_.erase(0, header + length);
    return frame;
  }

 private:
  bool Fill() {
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  bool Ensure(size_t n) {
    while (buf_.size() < n) {
      if (!Fill()) return false;
    }
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

/// A plain request with a Host header; `extra` holds more header lines, each ending in CRLF.
inline std::string HttpRequest(std::string_view method, std::string_view target,
                               std::string_view extra = "", std::string_view body = "") {
  std::string req = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n";
  req += extra;
  if (!body.empty()) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req += body;
  return req;
}

}  // namespace hotline::net::testing

#include "net/http_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

#include "net/websocket_session.hpp"
#include "net/wire.hpp"

namespace hotline::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

namespace {

// After a refusal the client may still be sending a body; reading it for a while (instead
// of closing with unread data, which sends a TCP reset) lets the client see the response.
constexpr auto kDrainTimeout = std::chrono::seconds(5);
constexpr auto kShutdownDrainTimeout = std::chrono::seconds(1);
constexpr size_t kDrainChunk = 16 * 1024;
constexpr std::string_view k100Continue = "HTTP/1.1 100 Continue\r\n\r\n";

size_t MaxBodyLimit(const ServerOptions& options) {
  size_t limit = options.body_limit;
  for (const auto& route : options.large_body_routes) limit = std::max(limit, route.limit);
  return limit;
}

bool IsHttpParseError(error_code ec) {
  return ec.category() == make_error_code(http::error::bad_method).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

class HttpSession : public Session, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<ServerState> state)
      : stream_(std::move(socket)),
        executor_(stream_.get_executor()),
        state_(std::move(state)),
        id_(state_->NextConnectionId()),
        idle_(std::chrono::seconds(state_->options().idle_timeout_s)) {
    error_code ec;
    auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string();
  }
  ~HttpSession() override { state_->Remove(id_); }

  void Run() {
    asio::dispatch(executor_, [self = shared_from_this()] {
      if (!self->state_->Add(self->id_, self)) return self->CloseNow();
      self->DoRead();
    });
  }

  void Shutdown() override {
    Post([this] {
      shutdown_requested_ = true;
      // Only a connection waiting for its next request is cut; one mid-request finishes
      // and its response says Connection: close.
      if (awaiting_request_ && buffer_.size() == 0) stream_.cancel();
    });
  }
  void Abort() override {
    Post([this] { CloseNow(); });
  }

 private:
  // From worker threads too: the pool is drained before the io_context goes away.
  template <class F>
  void Post(F&& fn) {
    asio::post(executor_,
               [self = shared_from_this(), fn = std::forward<F>(fn)]() mutable { fn(); });
  }

  void DoRead() {
    if (shutdown_requested_ || state_->stopping()) return CloseNow();
    const ServerOptions& options = state_->options();
    parser_.emplace();
    body_limit_ = 0;
    parser_->header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser_->body_limit(MaxBodyLimit(options));  // narrowed to the route's once the path is known
    awaiting_request_ = true;
    stream_.expires_after(idle_);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&HttpSession::OnReadHeader, shared_from_this()));
  }

  void OnReadHeader(error_code ec, size_t) {
    awaiting_request_ = false;
    if (ec) return OnReadError(ec);
    if (parser_->is_done()) return Dispatch();
    const std::string_view target = parser_->get().target();
    body_limit_ = BodyLimitFor(state_->options(), target.substr(0, target.find('?')));
    if (parser_->content_length() && *parser_->content_length() > body_limit_) {
      return OnReadError(http::error::body_limit);  // refused before any body is read
    }
    parser_->body_limit(body_limit_);  // a chunked body is counted as it arrives
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      asio::async_write(stream_, asio::buffer(k100Continue.data(), k100Continue.size()),
                        [self = shared_from_this()](error_code ec, size_t) {
                          if (ec) return self->CloseNow();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(idle_);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::OnRead, shared_from_this()));
  }

  void OnRead(error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    Dispatch();
  }

  void OnReadError(error_code ec) {
    const ServerOptions& options = state_->options();
    if (ec == http::error::body_limit) {
      const size_t limit = body_limit_ ? body_limit_ : options.body_limit;
      spdlog::debug("net: {} sent a body over {} bytes", remote_, limit);
      return Refuse(413, {core::ErrorCode::kPayloadTooLarge,
                          fmt::format("request body is larger than {} bytes", limit), {}});
    }
    if (ec == http::error::header_limit) {
      spdlog::debug("net: {} sent a header over {} bytes", remote_, options.header_limit);
      return Refuse(431, core::Error::Validation(fmt::format(
                             "request header is larger than {} bytes", options.header_limit)));
    }
    if (IsHttpParseError(ec)) {
      spdlog::debug("net: malformed request from {}: {}", remote_, ec.message());
      return Refuse(400, core::Error::Validation("malformed HTTP request"));
    }
    if (ec != http::error::end_of_stream && ec != asio::error::operation_aborted) {
      spdlog::debug("net: connection {} from {} ends: {}", id_, remote_, ec.message());
    }
    CloseNow();
  }

  void Dispatch() {
    WireRequest& wire = parser_->get();
    context_ = {wire.version(), wire.keep_alive(), wire.method() == http::verb::head, {}};
    request_id_ = ServerState::NewRequestId();
    auto req = FromWire(wire, remote_, request_id_);
    if (!req) {
      context_.keep_alive = false;
      return Write(Response::Problem(req.error(), request_id_));
    }
    if (beast::websocket::is_upgrade(wire)) {
      state_->Remove(id_);  // the WebSocket session registers itself
      handed_off_ = true;
      return StartWebSocketSession(std::move(stream_), parser_->release(), std::move(*req), state_);
    }
    auto self = shared_from_this();
    bool posted = state_->pool().Post([self, req = std::move(*req)]() mutable {
      Response res = self->state_->Handle(req);
      self->Post([self, res = std::move(res)]() mutable { self->Write(std::move(res)); });
    });
    if (!posted) {
      Write(Response::Problem({core::ErrorCode::kUnavailable, "server is shutting down", {}},
                              request_id_));
    }
  }

  // Answers a request that could not be read and closes the connection.
  void Refuse(int status, const core::Error& error) {
    request_id_ = ServerState::NewRequestId();
    context_ = {11, false, false, {}};
    Write(Response::Problem(status, error, request_id_));
  }

  void Write(Response res) {
    context_.keep_alive = context_.keep_alive && !shutdown_requested_ && !state_->stopping();
    context_.request_id = request_id_;
    response_ = ToWire(std::move(res), context_);
    stream_.expires_after(idle_);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this()));
  }

  void OnWrite(error_code ec, size_t) {
    if (ec) {
      spdlog::debug("net: write to {} failed: {}", remote_, ec.message());
      return CloseNow();
    }
    if (!context_.keep_alive) return CloseGracefully();
    response_ = {};
    DoRead();  // the next pipelined request is read only now: responses stay in order
  }

  void CloseGracefully() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return CloseNow();
    stream_.expires_after(state_->stopping() ? kShutdownDrainTimeout : kDrainTimeout);
    DoDrain();
  }

  void DoDrain() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(kDrainChunk),
                            [self = shared_from_this()](error_code ec, size_t) {
                              if (ec) return self->CloseNow();  // EOF: the client has read all
                              self->DoDrain();
                            });
  }

  void CloseNow() {
    if (handed_off_) return;
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    state_->Remove(id_);
  }

  beast::tcp_stream stream_;
  const asio::any_io_executor executor_;  // the connection's strand; copied for other threads
  const std::shared_ptr<ServerState> state_;
  const uint64_t id_;
  const std::chrono::seconds idle_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  WireContext context_;
  std::string request_id_;
  WireResponse response_;
  size_t body_limit_ = 0;  // this request's, once its header is read
  bool awaiting_request_ = false;
  bool shutdown_requested_ = false;
  bool handed_off_ = false;
};

}  // namespace

size_t BodyLimitFor(const ServerOptions& options, std::string_view path) {
  for (const auto& route : options.large_body_routes) {
    if (path.starts_with(route.path_prefix) && path.ends_with(route.path_suffix) &&
        path.size() >= route.path_prefix.size() + route.path_suffix.size()) {
      return route.limit;
    }
  }
  return options.body_limit;
}

void StartHttpSession(tcp::socket socket, std::shared_ptr<ServerState> state) {
  std::make_shared<HttpSession>(std::move(socket), std::move(state))->Run();
}

}  // namespace hotline::net

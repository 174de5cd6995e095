#include "net/websocket_session.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

namespace hotline::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using beast::error_code;

namespace {

// Received messages waiting for on_message; above this the session stops reading until the
// application catches up, so a flooding client cannot grow the server's memory either.
constexpr size_t kMaxPendingMessages = 64;

class WebSocketSession : public Session, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(beast::tcp_stream&& stream, WireRequest upgrade, Request request,
                   std::shared_ptr<ServerState> state)
      : ws_(std::move(stream)),
        executor_(ws_.get_executor()),
        state_(std::move(state)),
        id_(state_->NextConnectionId()),
        upgrade_(std::move(upgrade)),
        request_(std::move(request)),
        inbox_(state_->pool()) {}

  ~WebSocketSession() override {
    state_->Remove(id_);
    NotifyClose();  // only if it has not run yet, e.g. the io_context stopped first
  }

  void Start();
  uint64_t id() const { return id_; }

  /// Hands `fn` to the strand, with `self` keeping the session alive until it has run.
  template <class F>
  static void Post(std::shared_ptr<WebSocketSession> self, F&& fn) {
    auto executor = self->executor_;
    asio::post(executor,
               [self = std::move(self), fn = std::forward<F>(fn)]() mutable { fn(*self); });
  }
  void Enqueue(std::string text);
  void BeginClose(websocket::close_code code);

  // Session: the shutdown thread, while the io_context exists.
  void Shutdown() override {
    Post(shared_from_this(),
         [](WebSocketSession& s) { s.BeginClose(websocket::close_code::going_away); });
  }
  void Abort() override {
    Post(shared_from_this(), [](WebSocketSession& s) { s.Fail("aborted at shutdown"); });
  }

 private:
  enum class Phase { kDeciding, kAccepting, kOpen, kClosing, kDone };

  void OnDecision(std::variant<WsCallbacks, Response> decision);
  void Refuse(Response res);
  void OnAccept(error_code ec);
  void DoRead();
  void OnRead(error_code ec, size_t bytes);
  void OnMessageDone();
  void DoWrite();
  void OnWrite(error_code ec, size_t bytes);
  void DoClose();
  void Fail(std::string_view why);
  void Finish(std::string_view why);
  void NotifyClose();

  websocket::stream<beast::tcp_stream> ws_;
  const asio::any_io_executor executor_;
  const std::shared_ptr<ServerState> state_;
  const uint64_t id_;
  WireRequest upgrade_;
  Request request_;
  WireResponse refusal_;
  SerialQueue inbox_;
  std::shared_ptr<WsClient> client_;  // the application's handle; it holds only a weak_ptr
  WsCallbacks callbacks_;             // set once on the strand before any on_message is queued
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;  // front() is being written while writing_
  Phase phase_ = Phase::kDeciding;
  bool writing_ = false;
  bool reading_ = false;
  std::optional<websocket::close_code> close_code_;  // close once the outbox is flushed
  std::mutex flow_mu_;                               // between the strand and the workers
  size_t pending_messages_ = 0;
  bool read_paused_ = false;
  std::atomic<bool> close_notified_{false};
};

// What the application holds. It does not own the session: a session must not outlive the
// io_context its socket belongs to, and the application may keep clients longer than that.
class ClientHandle : public WsClient {
 public:
  ClientHandle(const std::shared_ptr<WebSocketSession>& session, std::shared_ptr<ServerState> state)
      : session_(session), state_(std::move(state)), id_(session->id()) {}

  void Send(std::string text) override {
    WithSession([&](std::shared_ptr<WebSocketSession> s) {
      WebSocketSession::Post(std::move(s), [text = std::move(text)](WebSocketSession& ws) mutable {
        ws.Enqueue(std::move(text));
      });
    });
  }
  void Close() override {
    WithSession([](std::shared_ptr<WebSocketSession> s) {
      WebSocketSession::Post(
          std::move(s), [](WebSocketSession& ws) { ws.BeginClose(websocket::close_code::normal); });
    });
  }
  uint64_t id() const override { return id_; }

 private:
  // The strong reference moves into the posted handler, so the session is never destroyed
  // on the application's thread, and nothing is posted once the io_context is gone.
  template <class F>
  void WithSession(F&& fn) {
    state_->IfIoAlive([&] {
      if (auto s = session_.lock()) fn(std::move(s));
    });
  }

  const std::weak_ptr<WebSocketSession> session_;
  const std::shared_ptr<ServerState> state_;
  const uint64_t id_;
};

void WebSocketSession::Start() {
  if (!state_->Add(id_, weak_from_this())) return Fail("server is shutting down");
  // The acceptor authenticates, which may query the database: a worker's job.
  auto self = shared_from_this();
  // Held here as well, so that an application keeping only a weak_ptr can still reach it.
  client_ = std::make_shared<ClientHandle>(self, state_);
  bool posted = state_->pool().Post([self, client = client_]() mutable {
    auto decision = self->state_->AcceptWebSocket(self->request_, std::move(client));
    Post(self,
         [d = std::move(decision)](WebSocketSession& s) mutable { s.OnDecision(std::move(d)); });
  });
  if (!posted) Fail("server is shutting down");
}

void WebSocketSession::OnDecision(std::variant<WsCallbacks, Response> decision) {
  if (phase_ != Phase::kDeciding) {
    // Closed while the application decided: if it took the client, it still hears the close.
    if (auto* callbacks = std::get_if<WsCallbacks>(&decision); callbacks && callbacks->on_close) {
      callbacks_ = std::move(*callbacks);
      inbox_.Post([self = shared_from_this()] { self->NotifyClose(); });
    }
    return;
  }
  if (auto* refusal = std::get_if<Response>(&decision)) return Refuse(std::move(*refusal));
  callbacks_ = std::move(std::get<WsCallbacks>(decision));
  phase_ = Phase::kAccepting;
  // The WebSocket layer has its own timers and pings; the TCP one would cut idle clients.
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.set_option(
      websocket::stream_base::decorator([rid = request_.request_id](websocket::response_type& res) {
        res.set(http::field::server, "hotline");
        res.set("X-Request-Id", rid);
      }));
  ws_.read_message_max(state_->options().ws_message_limit);
  ws_.async_accept(upgrade_,
                   beast::bind_front_handler(&WebSocketSession::OnAccept, shared_from_this()));
}

void WebSocketSession::Refuse(Response res) {
  phase_ = Phase::kClosing;
  refusal_ = ToWire(std::move(res), {upgrade_.version(), false, false, request_.request_id});
  beast::get_lowest_layer(ws_).expires_after(
      std::chrono::seconds(state_->options().idle_timeout_s));
  http::async_write(ws_.next_layer(), refusal_, [self = shared_from_this()](error_code ec, size_t) {
    auto& tcp = beast::get_lowest_layer(self->ws_);
    tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    tcp.close();
    self->Finish("upgrade refused");
  });
}

void WebSocketSession::OnAccept(error_code ec) {
  if (ec) return Finish(ec.message());
  if (phase_ != Phase::kAccepting) return;
  phase_ = Phase::kOpen;
  DoRead();
  if (!outbox_.empty()) {
    DoWrite();  // frames the acceptor sent before the handshake finished
  } else if (close_code_) {
    DoClose();
  }
}

void WebSocketSession::DoRead() {
  reading_ = true;
  ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::OnRead, shared_from_this()));
}

void WebSocketSession::OnRead(error_code ec, size_t) {
  reading_ = false;
  if (ec == websocket::error::closed) return Finish("closed by the client");
  if (ec) return Finish(ec.message());  // message_too_big has already sent close code 1009
  if (!ws_.got_text()) {
    buffer_.clear();
    return BeginClose(websocket::close_code::unknown_data);
  }
  std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.clear();
  bool pause = false;
  {
    std::lock_guard lock(flow_mu_);
    pause = read_paused_ = ++pending_messages_ >= kMaxPendingMessages;
  }
  inbox_.Post([self = shared_from_this(), text = std::move(text)] {
    try {
      if (self->callbacks_.on_message) self->callbacks_.on_message(text);
    } catch (const std::exception& e) {
      spdlog::error("net: WebSocket {} on_message threw: {}", self->id_, e.what());
    }
    self->OnMessageDone();
  });
  if (!pause && phase_ == Phase::kOpen) DoRead();
}

// Worker thread, after on_message: resumes reading once the backlog has halved.
void WebSocketSession::OnMessageDone() {
  {
    std::lock_guard lock(flow_mu_);
    --pending_messages_;
    if (!read_paused_ || pending_messages_ > kMaxPendingMessages / 2) return;
    read_paused_ = false;
  }
  Post(shared_from_this(), [](WebSocketSession& s) {
    if (s.phase_ == Phase::kOpen && !s.reading_) s.DoRead();
  });
}

void WebSocketSession::Enqueue(std::string text) {
  if (phase_ == Phase::kClosing || phase_ == Phase::kDone || close_code_) return;
  if (outbox_.size() >= state_->options().ws_queue_limit) {
    spdlog::warn("net: WebSocket {} from {} is not reading ({} frames queued); closing", id_,
                 request_.remote_address, outbox_.size());
    return Fail("slow consumer");
  }
  outbox_.push_back(std::move(text));
  if (phase_ == Phase::kOpen && !writing_) DoWrite();
}

void WebSocketSession::DoWrite() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(asio::buffer(outbox_.front()),
                  beast::bind_front_handler(&WebSocketSession::OnWrite, shared_from_this()));
}

void WebSocketSession::OnWrite(error_code ec, size_t) {
  writing_ = false;
  if (phase_ == Phase::kDone) return;
  if (ec) return Finish(ec.message());
  outbox_.pop_front();
  if (!outbox_.empty()) return DoWrite();
  if (close_code_ && phase_ == Phase::kOpen) DoClose();
}

void WebSocketSession::BeginClose(websocket::close_code code) {
  if (close_code_ || phase_ == Phase::kClosing || phase_ == Phase::kDone) return;
  close_code_ = code;
  // Before the handshake (the acceptor may Send() then Close()), OnAccept closes after
  // flushing; an open stream closes now or after its queued frames.
  if (phase_ == Phase::kOpen && !writing_) DoClose();
}

void WebSocketSession::DoClose() {
  phase_ = Phase::kClosing;
  ws_.async_close(*close_code_, [self = shared_from_this()](error_code ec) {
    self->Finish(ec ? ec.message() : "closed");
  });
}

// Drops the connection without a close handshake (slow consumer, shutdown deadline).
void WebSocketSession::Fail(std::string_view why) {
  if (phase_ == Phase::kDone) return;
  beast::get_lowest_layer(ws_).close();  // pending operations complete with an error
  Finish(why);
}

void WebSocketSession::Finish(std::string_view why) {
  if (phase_ == Phase::kDone) return;
  phase_ = Phase::kDone;
  outbox_.clear();
  state_->Remove(id_);
  spdlog::debug("net: WebSocket {} from {} ends: {}", id_, request_.remote_address, why);
  // Behind every queued on_message, so the application sees the close last.
  if (callbacks_.on_close) inbox_.Post([self = shared_from_this()] { self->NotifyClose(); });
}

void WebSocketSession::NotifyClose() {
  if (!callbacks_.on_close || close_notified_.exchange(true)) return;
  try {
    callbacks_.on_close();
  } catch (const std::exception& e) {
    spdlog::error("net: WebSocket {} on_close threw: {}", id_, e.what());
  }
}

}  // namespace

void StartWebSocketSession(beast::tcp_stream stream, WireRequest upgrade, Request request,
                           std::shared_ptr<ServerState> state) {
  std::make_shared<WebSocketSession>(std::move(stream), std::move(upgrade), std::move(request),
                                     std::move(state))
      ->Start();
}

}  // namespace hotline::net

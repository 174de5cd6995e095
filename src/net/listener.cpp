#include "net/listener.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "net/http_session.hpp"

namespace hotline::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
// Accept errors such as "too many open files" repeat at once; retrying in a tight loop
// would spin an I/O thread.
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);
}  // namespace

Listener::Listener(asio::io_context& io, std::shared_ptr<ServerState> state)
    : io_(io),
      acceptor_(asio::make_strand(io)),
      retry_(acceptor_.get_executor()),
      state_(std::move(state)) {}

uint16_t Listener::Open(const std::string& address, uint16_t port) {
  tcp::endpoint endpoint(asio::ip::make_address(address), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  return acceptor_.local_endpoint().port();
}

void Listener::Run() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] { self->DoAccept(); });
}

void Listener::Stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->retry_.cancel();
  });
}

void Listener::DoAccept() {
  if (!acceptor_.is_open()) return;
  // Each connection gets a strand of its own, so its handlers never run concurrently.
  acceptor_.async_accept(
      asio::make_strand(io_),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        self->OnAccept(ec, std::move(socket));
      });
}

void Listener::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    spdlog::warn("net: accept failed: {}", ec.message());
    retry_.expires_after(kAcceptRetry);
    retry_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (!wait_ec) self->DoAccept();
    });
    return;
  }
  boost::system::error_code opt_ec;
  socket.set_option(tcp::no_delay(true), opt_ec);  // small JSON answers must not wait for Nagle
  StartHttpSession(std::move(socket), state_);
  DoAccept();
}

}  // namespace hotline::net

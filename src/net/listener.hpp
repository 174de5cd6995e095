#pragma once
// Accepts TCP connections and gives each its own strand and HTTP session.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "net/server_state.hpp"

namespace hotline::net {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& io, std::shared_ptr<ServerState> state);

  /// Binds and listens; returns the bound port. Throws boost::system::system_error.
  uint16_t Open(const std::string& address, uint16_t port);
  /// Starts the accept loop.
  void Run();
  /// Stops accepting (any thread).
  void Stop();

 private:
  void DoAccept();
  void OnAccept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;  // on its own strand
  boost::asio::steady_timer retry_;          // pause after EMFILE and friends
  std::shared_ptr<ServerState> state_;
};

}  // namespace hotline::net

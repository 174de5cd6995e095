// The WebSocket side of the real server, with a minimal client over a raw socket.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "raw_client.hpp"
#include "test_server.hpp"

namespace hotline::net {
namespace {

using namespace std::chrono_literals;
using testing::RawClient;

constexpr int kText = 1;
constexpr int kBinary = 2;
constexpr int kClose = 8;

class ServerWebSocketTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = testing::LocalOptions()) {
    server_.emplace(
        options, [](Request&) { return Response::Text(200, "plain"); },
        [this](Request& req, std::shared_ptr<WsClient> client) { return Accept(req, client); });
  }

  // /ws/echo echoes every message back; /ws/push keeps the client for the test to use;
  // anything else is refused with 401.
  std::variant<WsCallbacks, Response> Accept(Request& req, std::shared_ptr<WsClient> client) {
    if (req.path == "/ws/bye") {  // greets, then closes before the handshake is even done
      client->Send("bye");
      client->Close();
    } else if (req.path != "/ws/echo" && req.path != "/ws/push") {
      return Response::Problem({core::ErrorCode::kUnauthorized, "no token", {}}, req.request_id);
    }
    if (req.path == "/ws/push") pushed_client_.set_value(client);
    token_ = req.Query("access_token").value_or("");
    std::weak_ptr<WsClient> weak = client;
    return WsCallbacks{
        .on_message =
            [this, weak](const std::string& text) {
              received_.Push(text);
              if (auto c = weak.lock()) c->Send("echo:" + text);
            },
        .on_close =
            [this] {
              ++closes_;
              closed_.Push("closed");
            },
    };
  }

  std::shared_ptr<WsClient> PushedClient() {
    auto future = pushed_client_.get_future();
    EXPECT_EQ(future.wait_for(5s), std::future_status::ready);
    return future.get();
  }

  testing::Inbox received_;
  testing::Inbox closed_;
  std::atomic<int> closes_{0};
  std::string token_;  // written by the acceptor before the 101 is sent
  std::promise<std::shared_ptr<WsClient>> pushed_client_;
  std::optional<testing::TestServer> server_;
};

TEST_F(ServerWebSocketTest, RefusedUpgradeGetsTheAcceptorsResponse) {
  StartServer();
  RawClient client(server_->port());
  auto reply = client.Upgrade("/ws/secret");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 401);
  auto body = core::Json::parse(reply->body);
  EXPECT_EQ(body["code"], "unauthorized");
  EXPECT_EQ(body["request_id"], reply->Header("x-request-id"));
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_EQ(closes_, 0);
}

TEST_F(ServerWebSocketTest, EchoesMessagesInOrderAndReportsTheCloseOnce) {
  StartServer();
  RawClient client(server_->port());
  auto reply = client.Upgrade("/ws/echo?access_token=t");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 101);
  EXPECT_EQ(reply->Header("x-request-id").size(), 16u);
  EXPECT_EQ(token_, "t");
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(client.SendText("m" + std::to_string(i)));
  for (int i = 0; i < 50; ++i) {
    auto frame = client.ReadFrame();
    ASSERT_TRUE(frame) << i;
    EXPECT_EQ(frame->opcode, kText);
    EXPECT_EQ(frame->payload, "echo:m" + std::to_string(i));
  }
  ASSERT_TRUE(client.SendFrame(kClose, std::string("\x03\xe8", 2)));  // 1000 normal
  auto close = client.ReadFrame();
  ASSERT_TRUE(close);
  EXPECT_EQ(close->opcode, kClose);
  EXPECT_TRUE(client.WaitClosed());  // the server closes the TCP connection first
  client.ShutdownWrite();
  EXPECT_EQ(closed_.WaitFor(1).size(), 1u);
  EXPECT_EQ(received_.size(), 50u);
  server_->Stop();
  EXPECT_EQ(closes_, 1);
}

TEST_F(ServerWebSocketTest, FramesSentByTheAcceptorArriveBeforeItsClose) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_EQ(client.Upgrade("/ws/bye")->status, 101);
  auto greeting = client.ReadFrame();
  ASSERT_TRUE(greeting);
  EXPECT_EQ(greeting->payload, "bye");
  auto close = client.ReadFrame();
  ASSERT_TRUE(close);
  EXPECT_EQ(close->opcode, kClose);
  EXPECT_EQ(close->CloseCode(), 1000);
  client.SendFrame(kClose, std::string("\x03\xe8", 2));
  EXPECT_TRUE(client.WaitClosed());
  client.ShutdownWrite();
  EXPECT_EQ(closed_.WaitFor(1).size(), 1u);
}

TEST_F(ServerWebSocketTest, SendFromAnotherThreadArrives) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_EQ(client.Upgrade("/ws/push")->status, 101);
  auto ws = PushedClient();
  std::thread([ws] { ws->Send("pushed"); }).join();
  auto frame = client.ReadFrame();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->payload, "pushed");
}

TEST_F(ServerWebSocketTest, ASlowConsumerOverTheQueueLimitIsClosed) {
  ServerOptions options = testing::LocalOptions();
  options.ws_queue_limit = 8;
  StartServer(options);
  RawClient client(server_->port(), /*rcvbuf=*/4096);
  ASSERT_EQ(client.Upgrade("/ws/push")->status, 101);
  auto ws = PushedClient();
  const std::string big(256 * 1024, 'z');
  for (int i = 0; i < 200; ++i) ws->Send(big);  // 50 MiB the client never reads
  EXPECT_EQ(closed_.WaitFor(1).size(), 1u);
  // Whatever the kernel buffered arrives, then the connection ends: far less than was sent.
  size_t frames = 0;
  while (auto frame = client.ReadFrame()) {
    if (frame->opcode == kText) ++frames;
  }
  EXPECT_LT(frames, 200u);
  ws->Send("after close");  // harmless
}

TEST_F(ServerWebSocketTest, BinaryMessageIsAnsweredWithClose1003) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_EQ(client.Upgrade("/ws/echo")->status, 101);
  ASSERT_TRUE(client.SendFrame(kBinary, "\x01\x02"));
  auto frame = client.ReadFrame();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->opcode, kClose);
  EXPECT_EQ(frame->CloseCode(), 1003);
  EXPECT_EQ(received_.size(), 0u);
}

TEST_F(ServerWebSocketTest, OversizedMessageIsAnsweredWithClose1009) {
  ServerOptions options = testing::LocalOptions();
  options.ws_message_limit = 1024;
  StartServer(options);
  RawClient client(server_->port());
  ASSERT_EQ(client.Upgrade("/ws/echo")->status, 101);
  ASSERT_TRUE(client.SendText(std::string(2048, 'a')));
  auto frame = client.ReadFrame();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->opcode, kClose);
  EXPECT_EQ(frame->CloseCode(), 1009);
  EXPECT_EQ(closed_.WaitFor(1).size(), 1u);
}

TEST_F(ServerWebSocketTest, StopSendsGoingAwayAndReportsTheClose) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_EQ(client.Upgrade("/ws/echo")->status, 101);
  ASSERT_TRUE(client.SendText("hello"));
  ASSERT_EQ(client.ReadFrame()->payload, "echo:hello");
  std::thread stopper([&] { server_->Stop(); });
  auto frame = client.ReadFrame();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->opcode, kClose);
  EXPECT_EQ(frame->CloseCode(), 1001);
  client.SendFrame(kClose, std::string("\x03\xe9", 2));
  EXPECT_TRUE(client.WaitClosed());
  client.ShutdownWrite();
  auto start = std::chrono::steady_clock::now();
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);  // no wait for the grace period
  EXPECT_EQ(closes_, 1);
}

TEST(ServerLifetime, DestroyingTheServerClosesClientsTheApplicationStillHolds) {
  std::promise<std::shared_ptr<WsClient>> accepted;
  std::atomic<int> closes{0};
  std::shared_ptr<WsClient> kept;
  std::optional<RawClient> client;  // outlives the server and never answers its close frame
  ServerOptions options = testing::LocalOptions();
  options.shutdown_grace_ms = 200;
  {
    Server server(
        options, [](Request&) { return Response::Text(200, ""); },
        [&](Request&, std::shared_ptr<WsClient> client) -> std::variant<WsCallbacks, Response> {
          accepted.set_value(client);
          return WsCallbacks{.on_message = {}, .on_close = [&] { ++closes; }};
        });
    client.emplace(server.Start());
    ASSERT_EQ(client->Upgrade("/ws")->status, 101);
    auto future = accepted.get_future();
    ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
    kept = future.get();
    // No Stop() and no Wait(): the destructor shuts down, aborting after the grace period.
  }
  EXPECT_EQ(closes, 1);
  EXPECT_EQ(client->ReadFrame()->CloseCode(), 1001);
  EXPECT_TRUE(client->WaitClosed());
  kept->Send("late");  // the io_context is gone: dropped, not a crash
  kept->Close();
  EXPECT_EQ(closes, 1);
}

TEST(ServerLifetime, StartFailsWhenThePortIsTaken) {
  testing::TestServer first(testing::LocalOptions(),
                            [](Request&) { return Response::Text(200, ""); });
  ServerOptions options = testing::LocalOptions();
  options.port = first.port();
  Server second(options, [](Request&) { return Response::Text(200, ""); }, {});
  EXPECT_THROW(second.Start(), std::exception);
}

}  // namespace
}  // namespace hotline::net

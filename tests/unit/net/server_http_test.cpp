// The HTTP side of the real server, over real sockets on 127.0.0.1.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <stdexcept>
#include <thread>

#include "raw_client.hpp"
#include "support/temp_dir.hpp"
#include "test_server.hpp"

namespace hotline::net {
namespace {

using namespace std::chrono_literals;
using testing::HttpRequest;
using testing::RawClient;

// What the application handler saw, echoed back as JSON.
Response Echo(Request& req) {
  return Response::Json(200, {{"method", req.method},
                              {"path", req.path},
                              {"query", req.query},
                              {"body", req.body},
                              {"x_test", req.Header("x-test")},
                              {"request_id", req.request_id},
                              {"remote", req.remote_address}});
}

class ServerHttpTest : public ::testing::Test {
 protected:
  ServerHttpTest() {
    std::ofstream(dir_.path() / "secret.txt") << "top secret";
    std::filesystem::create_directories(dir_.path() / "web" / "console");
    std::ofstream(dir_.path() / "web" / "console" / "index.html") << "<h1>console</h1>";
  }

  void StartServer(ServerOptions options = testing::LocalOptions()) {
    options.static_root = (dir_.path() / "web").string();
    server_.emplace(options, [this](Request& req) { return Handle(req); });
  }

  Response Handle(Request& req) {
    if (req.path == "/throw") throw std::runtime_error("secret 13800138000 in what()");
    if (req.path == "/slow") {
      slow_entered_.set_value();
      std::this_thread::sleep_for(300ms);  // a handler blocked on a database commit
      return Response::Text(200, "slow done");
    }
    return Echo(req);
  }

  core::Json Body(const testing::HttpReply& reply) { return core::Json::parse(reply.body); }

  hotline::testing::TempDir dir_;
  std::promise<void> slow_entered_;
  std::optional<testing::TestServer> server_;
};

TEST_F(ServerHttpTest, ServesTwoRequestsOnOneKeepAliveConnection) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpRequest("GET", "/a%20b?x=1&y=two+words", "X-Test: yes\r\n")));
  auto first = client.ReadReply();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->Header("content-type"), "application/json");
  auto body = Body(*first);
  EXPECT_EQ(body["path"], "/a b");
  EXPECT_EQ(body["query"]["y"], "two words");
  EXPECT_EQ(body["x_test"], "yes");
  EXPECT_EQ(body["remote"], "127.0.0.1");
  EXPECT_EQ(body["request_id"], first->Header("x-request-id"));
  EXPECT_EQ(first->Header("x-request-id").size(), 16u);

  ASSERT_TRUE(client.Send(HttpRequest("POST", "/b", "", R"({"k":1})")));
  auto second = client.ReadReply();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(Body(*second)["body"], R"({"k":1})");
  EXPECT_NE(second->Header("x-request-id"), first->Header("x-request-id"));
}

TEST_F(ServerHttpTest, AnswersPipelinedRequestsInOrder) {
  StartServer();
  RawClient client(server_->port());
  std::string burst;
  for (int i = 0; i < 5; ++i) burst += HttpRequest("GET", "/p" + std::to_string(i));
  ASSERT_TRUE(client.Send(burst));
  for (int i = 0; i < 5; ++i) {
    auto reply = client.ReadReply();
    ASSERT_TRUE(reply) << i;
    EXPECT_EQ(Body(*reply)["path"], "/p" + std::to_string(i));
  }
}

TEST_F(ServerHttpTest, AThrowingHandlerGetsA500ProblemWithoutWhat) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpRequest("GET", "/throw")));
  auto reply = client.ReadReply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 500);
  EXPECT_EQ(reply->Header("content-type"), "application/problem+json");
  EXPECT_EQ(reply->body.find("secret"), std::string::npos);
  EXPECT_EQ(reply->body.find("13800138000"), std::string::npos);
  auto body = Body(*reply);
  EXPECT_EQ(body["code"], "internal");
  EXPECT_EQ(body["request_id"], reply->Header("x-request-id"));
  // The connection survives a handler's bug.
  ASSERT_TRUE(client.Send(HttpRequest("GET", "/after")));
  auto next = client.ReadReply();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(ServerHttpTest, ABodyOverTheLimitGets413BeforeTheBodyIsRead) {
  StartServer();
  RawClient client(server_->port());
  std::string body(1024 * 1024 + 100 * 1024, 'x');  // 1.1 MiB
  // The server answers after the header; the client still sends its whole body.
  client.Send(HttpRequest("POST", "/upload", "Content-Type: text/plain\r\n", body));
  auto reply = client.ReadReply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(reply->Header("connection"), "close");
  EXPECT_EQ(Body(*reply)["code"], "payload_too_large");
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(ServerHttpTest, AChunkedBodyOverTheLimitGets413) {
  StartServer();
  RawClient client(server_->port());
  std::string req = "POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string chunk(64 * 1024, 'y');
  for (int i = 0; i < 18; ++i) req += "10000\r\n" + chunk + "\r\n";  // 18 × 64 KiB > 1 MiB
  req += "0\r\n\r\n";
  client.Send(req);
  auto reply = client.ReadReply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
}

TEST_F(ServerHttpTest, ALargeBodyRouteTakesMoreThanTheLimitOnlyOnItsPath) {
  ServerOptions options = testing::LocalOptions();
  options.large_body_routes = {{"/import", "", 4u << 20}, {"/ivr/", "/recording", 2u << 20}};
  StartServer(options);
  std::string body(3 * 1024 * 1024, 'x');  // 3 MiB: over the default, under /import's
  {
    RawClient client(server_->port());
    client.Send(HttpRequest("POST", "/import?dry_run=1", "Content-Type: text/plain\r\n", body));
    auto reply = client.ReadReply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(Body(*reply)["body"].get<std::string>().size(), body.size());
  }
  for (const char* path : {"/upload", "/ivr/7/recording", "/ivr/7/other"}) {
    RawClient client(server_->port());
    client.Send(HttpRequest("POST", path, "Content-Type: text/plain\r\n", body));
    auto reply = client.ReadReply();
    ASSERT_TRUE(reply) << path;
    EXPECT_EQ(reply->status, 413) << path;
  }
  // A chunked body is held to its route's limit as it arrives.
  RawClient client(server_->port());
  std::string req = "POST /ivr/7/recording HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string chunk(64 * 1024, 'y');
  for (int i = 0; i < 40; ++i) req += "10000\r\n" + chunk + "\r\n";  // 2.5 MiB > 2 MiB
  req += "0\r\n\r\n";
  client.Send(req);
  auto reply = client.ReadReply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
}

TEST_F(ServerHttpTest, ExpectContinueGets100ThenTheAnswer) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(
      client.Send(HttpRequest("POST", "/e", "Expect: 100-continue\r\nContent-Length: 2\r\n")));
  auto interim = client.ReadReply(false, /*skip_continue=*/false);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("hi"));
  auto reply = client.ReadReply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(Body(*reply)["body"], "hi");
}

TEST_F(ServerHttpTest, ExpectContinueOverTheLimitGets413WithoutAsking) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(
      HttpRequest("POST", "/e", "Expect: 100-continue\r\nContent-Length: 5000000\r\n")));
  auto reply = client.ReadReply(false, /*skip_continue=*/false);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(ServerHttpTest, MalformedRequestGets400AndClose) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: t\r\nNo colon here\r\n\r\n"));
  auto reply = client.ReadReply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400);
  EXPECT_EQ(Body(*reply)["code"], "validation_failed");
  EXPECT_TRUE(client.WaitClosed());
}

TEST_F(ServerHttpTest, OversizedHeaderGets431) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpRequest("GET", "/", "X-Big: " + std::string(10000, 'a') + "\r\n")));
  auto reply = client.ReadReply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 431);
  EXPECT_EQ(Body(*reply)["code"], "validation_failed");
}

TEST_F(ServerHttpTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options = testing::LocalOptions();
  options.idle_timeout_s = 1;
  StartServer(options);
  RawClient client(server_->port());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.WaitClosed());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
}

TEST_F(ServerHttpTest, ServesStaticPagesAndRefusesTraversal) {
  StartServer();
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpRequest("GET", "/console/")));
  auto page = client.ReadReply();
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, "<h1>console</h1>");
  EXPECT_EQ(page->Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(page->Header("cache-control"), "no-cache");

  ASSERT_TRUE(client.Send(HttpRequest("HEAD", "/console/")));
  auto head = client.ReadReply(/*head_request=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("content-length"), "16");

  for (const char* target : {"/console/../secret.txt", "/console/%2e%2e/%2e%2e/secret.txt"}) {
    ASSERT_TRUE(client.Send(HttpRequest("GET", target)));
    auto refused = client.ReadReply();
    ASSERT_TRUE(refused) << target;
    EXPECT_EQ(refused->status, 404) << target;
    EXPECT_EQ(refused->body.find("top secret"), std::string::npos) << target;
  }

  ASSERT_TRUE(client.Send(HttpRequest("GET", "/")));
  auto redirect = client.ReadReply();
  ASSERT_TRUE(redirect);
  EXPECT_EQ(redirect->status, 302);
  EXPECT_EQ(redirect->Header("location"), "/console/");
}

TEST_F(ServerHttpTest, ABlockingHandlerDoesNotStallOtherConnections) {
  ServerOptions options = testing::LocalOptions();
  options.io_threads = 1;  // handlers must not run here
  StartServer(options);
  RawClient slow(server_->port());
  ASSERT_TRUE(slow.Send(HttpRequest("GET", "/slow")));
  ASSERT_EQ(slow_entered_.get_future().wait_for(5s), std::future_status::ready);
  RawClient fast(server_->port());
  ASSERT_TRUE(fast.Send(HttpRequest("GET", "/fast")));
  auto start = std::chrono::steady_clock::now();
  auto reply = fast.ReadReply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 250ms);
  EXPECT_EQ(slow.ReadReply()->body, "slow done");
}

TEST_F(ServerHttpTest, StopLetsAnInFlightRequestFinish) {
  StartServer();
  RawClient idle(server_->port());  // an idle keep-alive connection must not hold shutdown up
  RawClient client(server_->port());
  ASSERT_TRUE(client.Send(HttpRequest("GET", "/slow")));
  ASSERT_EQ(slow_entered_.get_future().wait_for(5s), std::future_status::ready);
  std::thread stopper([&] { server_->Stop(); });
  auto reply = client.ReadReply();
  stopper.join();  // Wait() has returned: every thread is joined
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "slow done");
  EXPECT_EQ(reply->Header("connection"), "close");
  EXPECT_TRUE(idle.WaitClosed());
  RawClient late(server_->port());
  EXPECT_FALSE(late.connected());
}

TEST_F(ServerHttpTest, PostDelayedRunsOnceAfterTheDelay) {
  StartServer();
  std::promise<std::chrono::steady_clock::time_point> ran;
  auto start = std::chrono::steady_clock::now();
  server_->server().PostDelayed(50, [&] { ran.set_value(std::chrono::steady_clock::now()); });
  auto future = ran.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_GE(future.get() - start, 50ms);
}

TEST_F(ServerHttpTest, PostWorkRunsOnTheWorkerPool) {
  StartServer();
  std::promise<void> ran;
  server_->server().PostWork([&] { ran.set_value(); });
  EXPECT_EQ(ran.get_future().wait_for(5s), std::future_status::ready);
}

}  // namespace
}  // namespace hotline::net

// The webhook client's URL check: what the server refuses at start-up.
#include "hotline/net/http_client.hpp"

#include <gtest/gtest.h>

namespace hotline::net {
namespace {

TEST(HttpClientUrl, AcceptsPlainHttpUrls) {
  for (const char* url : {"http://127.0.0.1:8080/hook", "http://relay.local/notify",
                          "http://[::1]:9000/", "http://hooks.example.com"}) {
    EXPECT_EQ(UrlProblem(url), "") << url;
  }
}

TEST(HttpClientUrl, RefusesWhatItCannotReach) {
  EXPECT_NE(UrlProblem("https://hooks.example.com/x").find("https:// is not supported"),
            std::string::npos);
  for (const char* url :
       {"ftp://x/", "hooks.example.com/x", "http://", "http://:80/", "http://h:0/",
        "http://h:99999/", "http://h:8o/", "http://user:pw@h/", "http://[::1/", "http://h/a b"}) {
    EXPECT_NE(UrlProblem(url), "") << url;
  }
}

TEST(HttpClientUrl, AnUnreachableReceiverAnswersZero) {
  // Port 1 on the loopback: nothing listens there, the connection is refused at once.
  EXPECT_EQ(PostJson("http://127.0.0.1:1/", "{}", std::chrono::seconds(2)), 0);
  EXPECT_EQ(PostJson("https://127.0.0.1/", "{}", std::chrono::seconds(2)), 0);
}

}  // namespace
}  // namespace hotline::net

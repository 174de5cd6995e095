#include "net/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace hotline::net {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() : root_(dir_.path() / "web"), files_(root_.string()) {
    WriteFile(root_ / "console" / "index.html", "<h1>console</h1>");
    WriteFile(root_ / "console" / "app.js", "console.log(1)");
    WriteFile(root_ / "console" / ".env", "SECRET=1");
    WriteFile(dir_.path() / "secret.txt", "top secret");
    fs::create_symlink(dir_.path() / "secret.txt", root_ / "console" / "link.txt");
  }

  Request Get(std::string path) {
    Request req;
    req.method = "GET";
    req.path = std::move(path);
    req.request_id = "rid";
    return req;
  }

  hotline::testing::TempDir dir_;
  fs::path root_;
  StaticFiles files_;
};

TEST_F(StaticFilesTest, ServesIndexForTheFolder) {
  auto res = files_.Serve(Get("/console/"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "<h1>console</h1>");
  EXPECT_EQ(res->content_type, "text/html; charset=utf-8");
  EXPECT_NE(std::find(res->headers.begin(), res->headers.end(),
                      std::pair<std::string, std::string>("Cache-Control", "no-cache")),
            res->headers.end());
}

TEST_F(StaticFilesTest, RedirectsRootAndBareFolders) {
  for (auto [path, location] :
       {std::pair{"/", "/console/"}, std::pair{"/dashboard", "/dashboard/"}}) {
    auto res = files_.Serve(Get(path));
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 302);
    ASSERT_EQ(res->headers.size(), 1u);
    EXPECT_EQ(res->headers[0].second, location);
  }
}

TEST_F(StaticFilesTest, LeavesOtherPathsAndMethodsToTheApplication) {
  EXPECT_FALSE(files_.Serve(Get("/api/v1/queue")));
  Request post = Get("/console/index.html");
  post.method = "POST";
  EXPECT_FALSE(files_.Serve(post));
}

TEST_F(StaticFilesTest, RefusesTraversalHiddenFilesAndLinksOutOfTheRoot) {
  for (const char* path :
       {"/console/../../secret.txt", "/console/../console/app.js", "/console/.env",
        "/console/link.txt", "/console/./app.js", "/console/a\\..\\app.js"}) {
    EXPECT_FALSE(files_.Resolve(path)) << path;
    auto res = files_.Serve(Get(path));
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(res->body.find("secret"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, MissingFilesAndMissingRootAre404) {
  EXPECT_EQ(files_.Serve(Get("/dashboard/"))->status, 404);
  StaticFiles none("");
  auto res = none.Serve(Get("/console/"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->content_type, "application/problem+json");
}

TEST(ContentTypeFor, KnowsThePageAssetTypes) {
  EXPECT_EQ(ContentTypeFor("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("a.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeFor("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace hotline::net

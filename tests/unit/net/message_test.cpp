#include "hotline/net/message.hpp"

#include <gtest/gtest.h>

namespace hotline::net {
namespace {

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%e4%b8%ad", false), "\xe4\xb8\xad");
}

TEST(PercentDecode, RefusesTruncatedOrNonHexEscapes) {
  EXPECT_EQ(PercentDecode("abc%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("abc%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%zz", false), std::nullopt);
}

TEST(ParseQuery, SplitsDecodesAndSkipsMalformedPairs) {
  auto q = ParseQuery("status=open&q=chest+pain&phone=138%2000&bad=%zz&&flag&=x");
  EXPECT_EQ(q["status"], "open");
  EXPECT_EQ(q["q"], "chest pain");
  EXPECT_EQ(q["phone"], "138 00");
  EXPECT_EQ(q.count("bad"), 0u);
  EXPECT_EQ(q["flag"], "");
  EXPECT_EQ(q.count(""), 0u);
}

TEST(ParseQuery, FirstOccurrenceWins) { EXPECT_EQ(ParseQuery("a=1&a=2")["a"], "1"); }

TEST(Request, HeaderLooksUpLowerCaseNames) {
  Request req;
  req.headers = {{"content-type", "application/json"}, {"x-api-key", "k"}};
  EXPECT_EQ(req.Header("x-api-key"), "k");
  EXPECT_EQ(req.Header("authorization"), "");
}

TEST(Request, QueryIsOptional) {
  Request req;
  req.query = {{"limit", "10"}};
  EXPECT_EQ(req.Query("limit"), "10");
  EXPECT_EQ(req.Query("cursor"), std::nullopt);
}

TEST(Request, IdParamAcceptsOnlyPositiveIntegers) {
  Request req;
  req.path_params = {{"ok", "42"},
                     {"zero", "0"},
                     {"neg", "-3"},
                     {"plus", "+3"},
                     {"junk", "12abc"},
                     {"empty", ""},
                     {"huge", "99999999999999999999"}};
  ASSERT_TRUE(req.IdParam("ok").has_value());
  EXPECT_EQ(*req.IdParam("ok"), 42);
  for (const char* name : {"zero", "neg", "plus", "junk", "empty", "huge", "missing"}) {
    auto id = req.IdParam(name);
    ASSERT_FALSE(id.has_value()) << name;
    EXPECT_EQ(id.error().code, core::ErrorCode::kNotFound) << name;
  }
}

TEST(Request, JsonBodyRequiresAnObject) {
  Request req;
  req.body = R"({"a":1})";
  ASSERT_TRUE(req.JsonBody().has_value());
  EXPECT_EQ((*req.JsonBody())["a"], 1);
  req.body = "[1]";
  EXPECT_EQ(req.JsonBody().error().code, core::ErrorCode::kValidationFailed);
  req.body = "{";
  EXPECT_EQ(req.JsonBody().error().code, core::ErrorCode::kValidationFailed);
}

TEST(Response, JsonReplacesInvalidUtf8InsteadOfThrowing) {
  Response res;
  ASSERT_NO_THROW(res = Response::Json(200, core::Json{{"name", "bad \xff byte"}}));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "application/json");
  EXPECT_EQ(core::Json::parse(res.body)["name"], "bad \xef\xbf\xbd byte");
}

TEST(Response, ProblemFollowsRfc7807WithMachineCode) {
  core::Error err = core::Error::Validation("caller: is required", "caller");
  Response res = Response::Problem(err, "abc123");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.content_type, "application/problem+json");
  auto body = core::Json::parse(res.body);
  EXPECT_EQ(body["type"], "about:blank");
  EXPECT_EQ(body["title"], "Bad Request");
  EXPECT_EQ(body["status"], 400);
  EXPECT_EQ(body["detail"], "caller: is required");
  EXPECT_EQ(body["code"], "validation_failed");
  EXPECT_EQ(body["field"], "caller");
  EXPECT_EQ(body["request_id"], "abc123");
}

TEST(Response, ProblemOmitsEmptyFieldAndRequestId) {
  auto body = core::Json::parse(Response::Problem(core::Error::NotFound()).body);
  EXPECT_EQ(body["status"], 404);
  EXPECT_EQ(body["title"], "Not Found");
  EXPECT_EQ(body["code"], "not_found");
  EXPECT_FALSE(body.contains("field"));
  EXPECT_FALSE(body.contains("request_id"));
}

TEST(Response, ProblemWithExplicitStatusKeepsTheCode) {
  Response res = Response::Problem(431, core::Error::Validation("header too large"));
  EXPECT_EQ(res.status, 431);
  auto body = core::Json::parse(res.body);
  EXPECT_EQ(body["status"], 431);
  EXPECT_EQ(body["title"], "Request Header Fields Too Large");
  EXPECT_EQ(body["code"], "validation_failed");
}

TEST(Response, TextKeepsBodyAndType) {
  Response res = Response::Text(503, "busy");
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(res.body, "busy");
  EXPECT_EQ(res.content_type, "text/plain; charset=utf-8");
}

TEST(MaskTargetForLog, MasksPhonesAndAccessTokens) {
  EXPECT_EQ(MaskTargetForLog("/api/v1/callers/13800138000/history"),
            "/api/v1/callers/138****8000/history");
  EXPECT_EQ(MaskTargetForLog("/ws/agent?access_token=s3cr3t&x=1"),
            "/ws/agent?access_token=***&x=1");
  EXPECT_EQ(MaskTargetForLog("/ws/agent?a=1&access_token=s3cr3t"),
            "/ws/agent?a=1&access_token=***");
  EXPECT_EQ(MaskTargetForLog("/x?my_access_token=keep"), "/x?my_access_token=keep");
}

}  // namespace
}  // namespace hotline::net

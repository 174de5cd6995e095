// The knowledge-base routes without a server: requests built by hand, routed by the real
// Router, answered by the handlers of src/api/kb_routes.cpp.
#include "api/kb_routes.hpp"

#include <gtest/gtest.h>

#include "kb_fixture.hpp"

namespace hotline::kb::testing {
namespace {

using api::Request;
using api::Response;
using core::Json;
using core::Role;

class KbRoutes : public KbTest {
 protected:
  KbRoutes() { api::RegisterKbRoutes(router_, commands_, kb_, zone_); }

  Response Call(const std::string& method, const std::string& target, const std::string& body = {},
                core::Actor who = Supervisor(), std::string content_type = "application/json") {
    Request req;
    req.method = method;
    size_t q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = net::ParseQuery(target.substr(q + 1));
    req.body = body;
    req.headers.emplace_back("content-type", content_type);
    auto match = router_.Find(method, req.path);
    if (!match.route) return Response::Text(404, "no route");
    if (!match.route->access.Allows(who.role)) return Response::Text(403, "forbidden");
    req.path_params = match.params;
    req.actor = who;
    return match.route->handler(req);
  }

  api::Router router_;
  api::WsCommands commands_;
  core::TimeZone zone_ = core::TimeZone::Utc();
};

TEST_F(KbRoutes, CreateAnswers201AndSearchFindsIt) {
  auto created = Call("POST", "/api/v1/kb", R"({"title":"发烧门诊","body":"位于一层","keywords":["发热"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto entry = Json::parse(created.body);
  EXPECT_EQ(entry["version"], 1);
  auto found = Call("GET", "/api/v1/kb/search?q=%E5%8F%91%E7%83%AD&limit=5", {}, Agent());
  // The query string is decoded by net::ParseQuery: q=发热.
  ASSERT_EQ(found.status, 200) << found.body;
  auto results = Json::parse(found.body)["results"];
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]["id"], entry["id"]);
  EXPECT_TRUE(results[0].contains("snippet"));
  EXPECT_GT(results[0]["score"].get<double>(), 0);
}

TEST_F(KbRoutes, AgentsReadButDoNotWrite) {
  EXPECT_EQ(Call("POST", "/api/v1/kb", R"({"title":"t","body":"b"})", Agent()).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/kb/gaps", {}, Agent()).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/kb/export", {}, Agent()).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/kb/synonyms", {}, Agent()).status, 200);
  core::Actor unit{5, Role::kUnit, 3, "hospital"};
  EXPECT_EQ(Call("GET", "/api/v1/kb/search?q=x", {}, unit).status, 403);
}

TEST_F(KbRoutes, EditDeleteAndVersions) {
  auto e = Add("门诊时间", "周一至周五");
  std::string path = "/api/v1/kb/" + std::to_string(e.id);
  auto put = Call("PUT", path, R"({"body":"周一至周六","version":1})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Call("PUT", path, R"({"body":"x","version":1})").status, 409);
  EXPECT_EQ(Call("PUT", path, R"({"title":""})").status, 400);
  auto versions = Json::parse(Call("GET", path + "/versions?limit=1", {}, Agent()).body);
  ASSERT_EQ(versions["items"].size(), 1u);
  EXPECT_EQ(versions["items"][0]["version"], 2);
  ASSERT_TRUE(versions["next_cursor"].is_string());
  auto older = Json::parse(
      Call("GET", path + "/versions?cursor=" + versions["next_cursor"].get<std::string>(), {}, Agent()).body);
  EXPECT_EQ(older["items"][0]["version"], 1);
  EXPECT_TRUE(older["next_cursor"].is_null());
  EXPECT_EQ(Call("DELETE", path).status, 200);
  EXPECT_EQ(Call("GET", path, {}, Agent()).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/kb/abc", {}, Agent()).status, 404);
}

TEST_F(KbRoutes, ImportRefusesBadFileWithRowErrors) {
  auto r = Call("POST", "/api/v1/kb/import", R"([{"title":"a","body":"b"},{"title":"","body":"b"}])");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto body = Json::parse(r.body);
  EXPECT_EQ(body["code"], "validation_failed");
  ASSERT_EQ(body["errors"].size(), 1u);
  EXPECT_EQ(body["errors"][0]["row"], 2);
  EXPECT_EQ(body["errors"][0]["field"], "title");
  auto csv = Call("POST", "/api/v1/kb/import", "title,body\n发烧,多喝水\n", Supervisor(), "text/csv; charset=utf-8");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(Json::parse(csv.body)["created"], 1);
  EXPECT_EQ(Call("POST", "/api/v1/kb/import", "[not json").status, 400);
}

TEST_F(KbRoutes, ExportAsJsonOrCsv) {
  Add("发烧", "多喝水");
  auto json = Call("GET", "/api/v1/kb/export?format=json");
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(Json::parse(json.body).size(), 1u);
  auto csv = Call("GET", "/api/v1/kb/export?format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("发烧,多喝水"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/kb/export?format=xml").status, 400);
}

TEST_F(KbRoutes, SynonymsAndGaps) {
  Add("狂犬病暴露处置", "冲洗伤口");
  EXPECT_EQ(Call("PUT", "/api/v1/kb/synonyms", R"({"狗咬":[]})").status, 400);
  ASSERT_EQ(Call("PUT", "/api/v1/kb/synonyms", R"({"狗咬":["狂犬病"]})").status, 200);
  EXPECT_EQ(Json::parse(Call("GET", "/api/v1/kb/search?q=狗咬", {}, Agent()).body)["results"].size(), 1u);
  Call("GET", "/api/v1/kb/search?q=艾灸", {}, Agent());
  db_->Write([](storage::Connection&) {});
  auto gaps = Json::parse(Call("GET", "/api/v1/kb/gaps").body);
  ASSERT_EQ(gaps["items"].size(), 1u);
  EXPECT_EQ(gaps["items"][0]["query"], "艾灸");
  EXPECT_EQ(gaps["items"][0]["count"], 1);
  EXPECT_EQ(Call("GET", "/api/v1/kb/search?q=x&limit=0", {}, Agent()).status, 400);
}

TEST_F(KbRoutes, ConsoleSearchesAsTheAgentTypesAndOpensEntries) {
  auto e = Add("HPV疫苗", "九价");
  const auto* search = commands_.Find("agent", "kb.search");
  ASSERT_NE(search, nullptr);
  auto r = (*search)(Agent(), Json{{"type", "kb.search"}, {"id", 1}, {"q", "hp"}});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)["results"].size(), 1u);  // prefix mode by default
  const auto* open = commands_.Find("agent", "kb.open");
  ASSERT_NE(open, nullptr);
  int64_t call = AddCall(Agent().user_id, "talking");
  ASSERT_TRUE((*open)(Agent(), Json{{"entry_id", e.id}, {"call_id", call}}).has_value());
  ASSERT_TRUE((*open)(Agent(), Json{{"id", e.id}}).has_value());  // the first consoles' field
  EXPECT_FALSE((*open)(Agent(), Json{{"entry_id", 999}}).has_value());
  // Another agent's call, or no such call: refused, nothing counted.
  int64_t other = AddCall(Agent().user_id + 1, "talking");
  auto refused = (*open)(Agent(), Json{{"entry_id", e.id}, {"call_id", other}});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().field, "call_id");
  EXPECT_FALSE((*open)(Agent(), Json{{"entry_id", e.id}, {"call_id", 424242}}).has_value());
  EXPECT_FALSE((*open)(Agent(), Json{{"entry_id", e.id}, {"call_id", "x"}}).has_value());
  FlushWrites();
  EXPECT_EQ(kb_.Get(e.id)->usage_count, 2);
  EXPECT_FALSE((*search)(Agent(), Json{{"q", 5}}).has_value());
}

TEST_F(KbRoutes, RestoreBringsADeletedEntryBack) {
  auto e = Add("发烧门诊", "一层");
  std::string path = "/api/v1/kb/" + std::to_string(e.id);
  EXPECT_EQ(Call("POST", path + "/restore").status, 409);  // not deleted
  ASSERT_EQ(Call("DELETE", path).status, 200);
  EXPECT_EQ(Call("GET", path, {}, Agent()).status, 404);
  EXPECT_EQ(Call("POST", path + "/restore", {}, Agent()).status, 403);
  auto back = Call("POST", path + "/restore");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_TRUE(Json::parse(back.body)["deleted_at"].is_null());
  EXPECT_EQ(Call("GET", path, {}, Agent()).status, 200);
  auto versions = Json::parse(Call("GET", path + "/versions", {}, Agent()).body)["items"];
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[0]["action"], "restore");
  EXPECT_EQ(Call("POST", "/api/v1/kb/99999/restore").status, 404);
}

TEST_F(KbRoutes, UnknownCategoryAndSemicolonKeywordsAre400) {
  auto bad = Call("POST", "/api/v1/kb", R"({"title":"t","body":"b","category":"nope"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Json::parse(bad.body)["code"], "validation_failed");
  EXPECT_EQ(Call("POST", "/api/v1/kb", R"({"title":"t","body":"b","keywords":["a;b"]})").status, 400);
  EXPECT_EQ(Json::parse(Call("GET", "/api/v1/kb/search?q=t", {}, Agent()).body)["results"].size(), 0u);
}

TEST_F(KbRoutes, GapsAreDismissedBySupervisors) {
  Call("GET", "/api/v1/kb/search?q=" + std::string("狂犬病？"), {}, Agent());
  Call("GET", "/api/v1/kb/search?q=" + std::string("狂犬"), {}, Agent());
  FlushWrites();
  auto gaps = Json::parse(Call("GET", "/api/v1/kb/gaps").body)["items"];
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0]["query"], "狂犬");
  EXPECT_EQ(gaps[0]["count"], 2);
  EXPECT_EQ(gaps[0]["last_query"], "狂犬");
  EXPECT_EQ(Call("POST", "/api/v1/kb/gaps/dismiss", R"({"query":"狂犬"})", Agent()).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/kb/gaps/dismiss", R"({"q":"狂犬"})").status, 400);
  auto ok = Call("POST", "/api/v1/kb/gaps/dismiss", R"({"query":"狂犬病?"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json::parse(ok.body)["dismissed"], 1);
  EXPECT_EQ(Call("POST", "/api/v1/kb/gaps/dismiss", R"({"query":"狂犬"})").status, 404);
  EXPECT_TRUE(Json::parse(Call("GET", "/api/v1/kb/gaps").body)["items"].empty());
}

TEST_F(KbRoutes, OpeningFromASearchChecksTheCallAndSupervisorsReadUsage) {
  auto e = Add("发烧", "多喝水");
  std::string path = "/api/v1/kb/" + std::to_string(e.id);
  int64_t call = AddCall(Agent().user_id, "talking");
  EXPECT_EQ(Call("GET", path + "?from=search&call_id=" + std::to_string(call), {}, Agent()).status, 200);
  EXPECT_EQ(Call("GET", path + "?from=search&call_id=x", {}, Agent()).status, 400);
  EXPECT_EQ(Call("GET", path + "?from=search&call_id=99999", {}, Agent()).status, 400);
  EXPECT_EQ(Call("GET", path, {}, Agent()).status, 200);  // a plain read counts nothing
  FlushWrites();
  EXPECT_EQ(Call("GET", "/api/v1/kb/usage", {}, Agent()).status, 403);
  auto usage = Call("GET", "/api/v1/kb/usage?days=7");
  ASSERT_EQ(usage.status, 200) << usage.body;
  auto items = Json::parse(usage.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["entry_id"], e.id);
  EXPECT_EQ(items[0]["count"], 1);
  EXPECT_EQ(items[0]["calls"], 1);
  EXPECT_TRUE(Json::parse(usage.body)["next_cursor"].is_null());
  EXPECT_EQ(Call("GET", "/api/v1/kb/usage?days=0").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/kb/usage?cursor=zz").status, 400);
}

TEST_F(KbRoutes, ImportContentTypeAndCsvHeaderAnyCase) {
  auto r = Call("POST", "/api/v1/kb/import", "Title,BODY,Keywords\r\n发烧,多喝水,发热;高烧\r\n", Supervisor(),
                "Text/CSV; Charset=UTF-8");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body)["created"], 1);
  auto hits = Json::parse(Call("GET", "/api/v1/kb/search?q=" + std::string("高烧"), {}, Agent()).body)["results"];
  ASSERT_EQ(hits.size(), 1u);
  auto bad = Call("POST", "/api/v1/kb/import", "TITLE,Body,Category\r\n甲,一,\r\n乙,二,nope\r\n", Supervisor(),
                  "TEXT/CSV");
  ASSERT_EQ(bad.status, 400);
  auto errors = Json::parse(bad.body)["errors"];
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["row"], 3);
  EXPECT_EQ(errors[0]["field"], "category");
  EXPECT_TRUE(Json::parse(Call("GET", "/api/v1/kb/search?q=" + std::string("甲"), {}, Agent()).body)["results"].empty());
}

}  // namespace
}  // namespace hotline::kb::testing

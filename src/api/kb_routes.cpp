#include "kb_routes.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "hotline/kb/io.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::Json;
using core::Role;

const Access kReaders = Access::Roles({Role::kAdmin, Role::kSupervisor, Role::kAgent});
const Access kWriters = Access::Roles({Role::kAdmin, Role::kSupervisor});

constexpr int kDefaultSearchLimit = 10;

struct KbDeps {
  kb::Service& kb;
  const core::TimeZone& zone;
};

/// A whole number from 1 to `max` in `text`, or nothing.
std::optional<int64_t> ParseCount(std::string_view text, int64_t max) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1 || v > max) return std::nullopt;
  return v;
}

bool ParseFlag(std::string_view v) { return v == "1" || v == "true" || v == "yes"; }

core::Result<kb::SearchOptions> ReadSearchOptions(std::optional<std::string> limit,
                                                  std::optional<bool> prefix) {
  kb::SearchOptions o;
  o.limit = kDefaultSearchLimit;
  if (limit) {
    auto n = ParseCount(*limit, kb::kMaxSearchLimit);
    if (!n) return Error::Validation("limit: must be a whole number from 1 to 50", "limit");
    o.limit = static_cast<int>(*n);
  }
  o.prefix = prefix.value_or(false);
  return o;
}

Json HitsJson(const std::vector<kb::SearchHit>& hits) {
  Json results = Json::array();
  for (const auto& h : hits) {
    results.push_back({{"id", h.id},
                       {"title", h.title},
                       {"snippet", h.snippet},
                       {"score", h.score},
                       {"category", h.category},
                       {"voice", h.voice}});
  }
  return {{"results", std::move(results)}};
}

core::Result<Json> Search(KbDeps& d, const std::string& q, kb::SearchOptions o) {
  if (q.size() > kb::kMaxQueryBytes) return Error::Validation("q: longer than 500 bytes", "q");
  if (!core::IsValidUtf8(q)) return Error::Validation("q: is not valid UTF-8", "q");
  return core::Result<Json>(boost::system::in_place_value, HitsJson(d.kb.Search(q, o)));
}

Response SearchRoute(KbDeps& d, Request& req) {
  std::optional<bool> prefix;
  if (auto p = req.Query("prefix")) prefix = ParseFlag(*p);
  auto o = ReadSearchOptions(req.Query("limit"), prefix);
  if (!o) return Response::Problem(o.error());
  auto r = Search(d, req.Query("q").value_or(""), *o);
  return Reply(r, 200, [](const Json& j) { return j; });
}

/// An entry read by an agent: `?from=search` (and `call_id`) counts it as used.
Response GetEntry(KbDeps& d, Request& req) {
  auto id = req.IdParam("id");
  if (!id) return Response::Problem(id.error());
  if (req.Query("from").value_or("") == "search") {
    std::optional<int64_t> call_id;
    if (auto c = req.Query("call_id"); c && !c->empty()) {
      call_id = ParseCount(*c, INT64_MAX);
      if (!call_id) return Response::Problem(Error::Validation("call_id: must be a call id", "call_id"));
    }
    return Reply(d.kb.Open(req.Who(), *id, call_id), 200,
                 [&](const kb::Entry& e) { return kb::EntryToJson(e, d.zone); });
  }
  auto e = d.kb.Get(*id);
  if (!e) return Response::Problem(e.error());
  return Response::Json(200, kb::EntryToJson(*e, d.zone));
}

Response CreateEntry(KbDeps& d, Request& req) {
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  auto input = kb::EntryFromJson(*body);
  if (!input) return Response::Problem(input.error());
  return Reply(d.kb.Create(req.Who(), std::move(*input)), 201,
               [&](const kb::Entry& e) { return kb::EntryToJson(e, d.zone); });
}

Response UpdateEntry(KbDeps& d, Request& req) {
  auto id = req.IdParam("id");
  if (!id) return Response::Problem(id.error());
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  auto patch = kb::PatchFromJson(*body);
  if (!patch) return Response::Problem(patch.error());
  return Reply(d.kb.Update(req.Who(), *id, *patch), 200,
               [&](const kb::Entry& e) { return kb::EntryToJson(e, d.zone); });
}

Response Versions(KbDeps& d, Request& req) {
  auto id = req.IdParam("id");
  if (!id) return Response::Problem(id.error());
  auto page = ReadPageParams(req);
  if (!page) return Response::Problem(page.error());
  std::optional<int> before;
  if (!page->cursor.empty()) {
    auto pos = DecodeCursor(page->cursor);
    if (!pos || !pos->is_object() || !(*pos)["before"].is_number_integer()) {
      return Response::Problem(Error::Validation("cursor: not a cursor of this list", "cursor"));
    }
    before = (*pos)["before"].get<int>();
  }
  auto r = d.kb.Versions(*id, before, page->limit);
  if (!r) return Response::Problem(r.error());
  Json items = Json::array();
  for (const auto& v : r->items) items.push_back(kb::VersionToJson(v, d.zone));
  Json next = r->next ? Json(EncodeCursor({{"before", *r->next}})) : Json(nullptr);
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

Response Gaps(KbDeps& d, Request& req) {
  auto page = ReadPageParams(req);
  if (!page) return Response::Problem(page.error());
  std::optional<kb::GapPosition> after;
  if (!page->cursor.empty()) {
    auto pos = DecodeCursor(page->cursor);
    if (!pos || !pos->is_object() || !(*pos)["count"].is_number_integer() || !(*pos)["query"].is_string()) {
      return Response::Problem(Error::Validation("cursor: not a cursor of this list", "cursor"));
    }
    after = kb::GapPosition{(*pos)["count"].get<int64_t>(), (*pos)["query"].get<std::string>()};
  }
  auto r = d.kb.Gaps(after, page->limit);
  Json items = Json::array();
  for (const auto& g : r.items) {
    items.push_back({{"query", g.query},
                     {"last_query", g.last_query},
                     {"count", g.count},
                     {"first_at", core::FormatIso(g.first_at, d.zone)},
                     {"last_at", core::FormatIso(g.last_at, d.zone)}});
  }
  Json next = r.next ? Json(EncodeCursor({{"count", r.next->count}, {"query", r.next->query}}))
                     : Json(nullptr);
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

/// POST /kb/gaps/dismiss {query}: the gap of that topic goes (an entry has been written).
Response DismissGap(KbDeps& d, Request& req) {
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  core::FieldReader in(*body);
  auto query = in.String("query", {.required = true, .max_len = kb::kMaxQueryBytes});
  if (!in.ok()) return Response::Problem(in.error());
  auto r = d.kb.DismissGap(*query);
  if (!r) return Response::Problem(r.error());
  return Response::Json(200, {{"query", *query}, {"dismissed", *r}});
}

/// GET /kb/usage?days=&limit=&cursor=: entries opened from a search, most used first.
Response UsageRoute(KbDeps& d, Request& req) {
  auto page = ReadPageParams(req);
  if (!page) return Response::Problem(page.error());
  int64_t days = 30;
  if (auto v = req.Query("days")) {
    auto n = ParseCount(*v, 366);
    if (!n) return Response::Problem(Error::Validation("days: must be a whole number from 1 to 366", "days"));
    days = *n;
  }
  std::optional<kb::UsagePosition> after;
  if (!page->cursor.empty()) {
    auto pos = DecodeCursor(page->cursor);
    if (!pos || !pos->is_object() || !(*pos)["count"].is_number_integer() ||
        !(*pos)["entry_id"].is_number_integer()) {
      return Response::Problem(Error::Validation("cursor: not a cursor of this list", "cursor"));
    }
    after = kb::UsagePosition{(*pos)["count"].get<int64_t>(), (*pos)["entry_id"].get<int64_t>()};
  }
  auto r = d.kb.RecentUsage(static_cast<int>(days), after, page->limit);
  Json items = Json::array();
  for (const auto& u : r.items) {
    items.push_back({{"entry_id", u.entry_id},
                     {"title", u.title},
                     {"count", u.count},
                     {"calls", u.calls},
                     {"last_at", core::FormatIso(u.last_at, d.zone)}});
  }
  Json next = r.next ? Json(EncodeCursor({{"count", r.next->count}, {"entry_id", r.next->entry_id}}))
                     : Json(nullptr);
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

/// 400 with every bad row: {…problem, errors: [{row, field, message}]}.
Response ImportRefused(const kb::ImportReport& r) {
  Response res = Response::Problem(Error::Validation(
      std::to_string(r.errors.size()) + " bad row(s); nothing was imported"));
  Json body = Json::parse(res.body);
  Json errors = Json::array();
  for (const auto& e : r.errors) errors.push_back({{"row", e.row}, {"field", e.field}, {"message", e.message}});
  body["errors"] = std::move(errors);
  res.body = body.dump();
  return res;
}

Response Import(KbDeps& d, Request& req) {
  kb::ImportReport r;
  std::string type(req.Header("content-type"));
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  type.erase(0, type.find_first_not_of(" \t"));
  if (type.starts_with("text/csv")) {
    r = d.kb.ImportCsv(req.Who(), req.body);
  } else {
    Json array = Json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (array.is_discarded()) return Response::Problem(Error::Validation("body is not valid JSON"));
    r = d.kb.ImportJson(req.Who(), array);
  }
  if (!r.ok()) return ImportRefused(r);
  return Response::Json(200, {{"created", r.created}, {"updated", r.updated}, {"unchanged", r.unchanged}});
}

Response Export(KbDeps& d, Request& req) {
  std::string format = req.Query("format").value_or("json");
  Response res;
  if (format == "csv") {
    res = Response::Text(200, d.kb.ExportCsv(d.zone), "text/csv; charset=utf-8");
  } else if (format == "json") {
    res = Response::Json(200, d.kb.ExportJson(d.zone));
  } else {
    return Response::Problem(Error::Validation("format: must be json or csv", "format"));
  }
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"kb." + format + "\"");
  return res;
}

Response PutSynonyms(KbDeps& d, Request& req) {
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  auto synonyms = kb::SynonymsFromJson(*body);
  if (!synonyms) return Response::Problem(synonyms.error());
  return Reply(d.kb.PutSynonyms(req.Who(), std::move(*synonyms)), 200, kb::SynonymsToJson);
}

Response PutCategoryNames(KbDeps& d, Request& req) {
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  auto names = kb::CategoryNamesFromJson(*body);
  if (!names) return Response::Problem(names.error());
  return Reply(d.kb.PutCategoryNames(req.Who(), std::move(*names)), 200, kb::CategoryNamesToJson);
}

/// kb.search {q, limit?, prefix? (default true: the console searches as the agent types;
/// send prefix:false when the agent presses Enter, so that an empty result counts as a gap)}.
core::Result<Json> WsSearch(KbDeps& d, const Json& m) {
  core::FieldReader in(m);
  auto q = in.String("q", {.max_len = kb::kMaxQueryBytes});
  auto limit = in.Int("limit", {.min = 1, .max = kb::kMaxSearchLimit});
  auto prefix = in.Bool("prefix");
  if (!in.ok()) return in.error();
  kb::SearchOptions o;
  o.limit = static_cast<int>(limit.value_or(kDefaultSearchLimit));
  o.prefix = prefix.value_or(true);
  return Search(d, q.value_or(""), o);
}

/// kb.open {entry_id, call_id?}: the entry, counted as used from a search; call_id must be
/// the agent's current call or one the agent handled recently (kb::kRecentCallWindow). `id`
/// is accepted for entry_id (the first consoles sent it).
core::Result<Json> WsOpen(KbDeps& d, const core::Actor& who, const Json& m) {
  core::FieldReader in(m);
  const char* id_field = m.contains("entry_id") || !m.contains("id") ? "entry_id" : "id";
  auto id = in.Int(id_field, {.required = true, .min = 1});
  auto call_id = m.contains("call_id") && m["call_id"].is_null() ? std::nullopt
                                                                  : in.Int("call_id", {.min = 1});
  if (!in.ok()) return in.error();
  auto e = d.kb.Open(who, *id, call_id);
  if (!e) return e.error();
  return core::Result<Json>(boost::system::in_place_value, kb::EntryToJson(*e, d.zone));
}

}  // namespace

void RegisterKbRoutes(Router& router, WsCommands& commands, kb::Service& kb,
                      const core::TimeZone& zone) {
  auto d = std::make_shared<KbDeps>(KbDeps{kb, zone});
  router.Add("GET", "/api/v1/kb/search", kReaders, [d](Request& r) { return SearchRoute(*d, r); });
  router.Add("POST", "/api/v1/kb/import", kWriters, [d](Request& r) { return Import(*d, r); });
  router.Add("GET", "/api/v1/kb/export", kWriters, [d](Request& r) { return Export(*d, r); });
  router.Add("GET", "/api/v1/kb/gaps", kWriters, [d](Request& r) { return Gaps(*d, r); });
  router.Add("POST", "/api/v1/kb/gaps/dismiss", kWriters, [d](Request& r) { return DismissGap(*d, r); });
  router.Add("GET", "/api/v1/kb/usage", kWriters, [d](Request& r) { return UsageRoute(*d, r); });
  router.Add("GET", "/api/v1/kb/synonyms", kReaders, [d](Request&) {
    return Response::Json(200, kb::SynonymsToJson(d->kb.GetSynonyms()));
  });
  router.Add("PUT", "/api/v1/kb/synonyms", kWriters, [d](Request& r) { return PutSynonyms(*d, r); });
  router.Add("GET", "/api/v1/kb/categories", kReaders, [d](Request&) {
    return Response::Json(200, kb::CategoryNamesToJson(d->kb.GetCategoryNames()));
  });
  router.Add("PUT", "/api/v1/kb/categories", kWriters, [d](Request& r) { return PutCategoryNames(*d, r); });
  router.Add("POST", "/api/v1/kb", kWriters, [d](Request& r) { return CreateEntry(*d, r); });
  router.Add("GET", "/api/v1/kb/{id}", kReaders, [d](Request& r) { return GetEntry(*d, r); });
  router.Add("PUT", "/api/v1/kb/{id}", kWriters, [d](Request& r) { return UpdateEntry(*d, r); });
  router.Add("DELETE", "/api/v1/kb/{id}", kWriters, [d](Request& r) {
    auto id = r.IdParam("id");
    if (!id) return Response::Problem(id.error());
    return Reply(d->kb.Delete(r.Who(), *id), 200,
                 [&](const kb::Entry& e) { return kb::EntryToJson(e, d->zone); });
  });
  router.Add("POST", "/api/v1/kb/{id}/restore", kWriters, [d](Request& r) {
    auto id = r.IdParam("id");
    if (!id) return Response::Problem(id.error());
    return Reply(d->kb.Restore(r.Who(), *id), 200,
                 [&](const kb::Entry& e) { return kb::EntryToJson(e, d->zone); });
  });
  router.Add("GET", "/api/v1/kb/{id}/versions", kReaders, [d](Request& r) { return Versions(*d, r); });
  for (const char* endpoint : {"agent", "supervisor"}) {
    commands.Add(endpoint, "kb.search", [d](const core::Actor&, const Json& m) { return WsSearch(*d, m); });
    commands.Add(endpoint, "kb.open", [d](const core::Actor& a, const Json& m) { return WsOpen(*d, a, m); });
  }
}

}  // namespace hotline::api

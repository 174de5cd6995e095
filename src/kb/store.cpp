#include "store.hpp"

#include "hotline/core/json.hpp"

namespace hotline::kb::internal {
namespace {

void InsertVersionRow(storage::Connection& c, const Entry& e, const core::Actor& who,
                      core::TimePoint now, const char* action, const char* source) {
  c.Prepare(
       "INSERT INTO kb_versions(entry_id, version, action, source, title, body, keywords, category,"
       " voice, actor, actor_name, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
      ->BindAll(e.id, e.version, action, source, e.content.title, e.content.body,
                KeywordsText(e.content.keywords), e.content.category, e.content.voice, who.user_id,
                who.username, core::ToUnixMillis(now))
      .Run();
}

}  // namespace

std::string KeywordsText(const std::vector<std::string>& keywords) {
  return core::Json(keywords).dump();
}

std::vector<std::string> ParseKeywords(const std::string& text) {
  auto j = core::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& k : j) {
    if (k.is_string()) out.push_back(k.get<std::string>());
  }
  return out;
}

Entry ReadEntry(const storage::Statement& s) {
  Entry e;
  e.id = s.Int(0);
  e.content = {s.Text(1), s.Text(2), ParseKeywords(s.Text(3)), s.Text(4), s.Int(5) != 0};
  e.version = static_cast<int>(s.Int(6));
  e.usage_count = s.Int(7);
  e.created_at = core::FromUnixMillis(s.Int(8));
  e.created_by = s.Int(9);
  e.updated_at = core::FromUnixMillis(s.Int(10));
  e.updated_by = s.Int(11);
  if (auto d = s.OptInt(12)) e.deleted_at = core::FromUnixMillis(*d);
  return e;
}

std::optional<Entry> LoadEntry(storage::Connection& c, int64_t id) {
  auto q = c.Prepare(std::string("SELECT ") + kEntryColumns + " FROM kb_entries WHERE id = ?1");
  q->Bind(1, id);
  if (!q->Step()) return std::nullopt;
  return ReadEntry(*q);
}

std::optional<Entry> FindLiveByTitle(storage::Connection& c, const std::string& title) {
  auto q = c.Prepare(std::string("SELECT ") + kEntryColumns +
                     " FROM kb_entries WHERE title = ?1 AND deleted_at IS NULL ORDER BY id LIMIT 1");
  q->Bind(1, title);
  if (!q->Step()) return std::nullopt;
  return ReadEntry(*q);
}

Entry InsertEntry(storage::Connection& c, const EntryInput& in, const core::Actor& who,
                  core::TimePoint now, const char* source) {
  int64_t ms = core::ToUnixMillis(now);
  c.Prepare(
       "INSERT INTO kb_entries(title, body, keywords, category, voice, version, created_at,"
       " created_by, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?6, ?7)")
      ->BindAll(in.title, in.body, KeywordsText(in.keywords), in.category, in.voice, ms, who.user_id)
      .Run();
  Entry e;
  e.id = c.LastInsertId();
  e.content = in;
  e.created_at = e.updated_at = now;
  e.created_by = e.updated_by = who.user_id;
  InsertVersionRow(c, e, who, now, "create", source);
  return e;
}

void SaveVersion(storage::Connection& c, Entry& e, const core::Actor& who, core::TimePoint now,
                 const char* action, const char* source) {
  ++e.version;
  e.updated_at = now;
  e.updated_by = who.user_id;
  std::optional<int64_t> deleted_at;
  if (e.deleted_at) deleted_at = core::ToUnixMillis(*e.deleted_at);
  std::optional<int64_t> deleted_by;
  if (e.deleted_at) deleted_by = who.user_id;
  c.Prepare(
       "UPDATE kb_entries SET title = ?2, body = ?3, keywords = ?4, category = ?5, voice = ?6,"
       " version = ?7, updated_at = ?8, updated_by = ?9, deleted_at = ?10,"
       " deleted_by = CASE WHEN ?10 IS NULL THEN NULL ELSE coalesce(deleted_by, ?11) END"
       " WHERE id = ?1")
      ->BindAll(e.id, e.content.title, e.content.body, KeywordsText(e.content.keywords),
                e.content.category, e.content.voice, e.version, core::ToUnixMillis(now), who.user_id,
                deleted_at, deleted_by)
      .Run();
  InsertVersionRow(c, e, who, now, action, source);
}

}  // namespace hotline::kb::internal

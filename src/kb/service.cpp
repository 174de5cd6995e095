#include "hotline/kb/service.hpp"

#include "hotline/kb/io.hpp"
#include "query.hpp"
#include "ranking.hpp"
#include "store.hpp"

namespace hotline::kb {
namespace {

using core::Error;
using storage::Connection;

/// The content after a patch; unchanged fields keep their value.
EntryInput Apply(const EntryInput& old, const EntryPatch& p) {
  EntryInput out = old;
  if (p.title) out.title = *p.title;
  if (p.body) out.body = *p.body;
  if (p.keywords) out.keywords = *p.keywords;
  if (p.category) out.category = *p.category;
  if (p.voice) out.voice = *p.voice;
  return out;
}

}  // namespace

Service::Service(storage::Database& db, const core::Clock& clock, SearchTuning tuning)
    : db_(db),
      clock_(clock),
      tuning_(tuning),
      df_cache_(std::make_unique<internal::DocFreqCache>(tuning_)) {
  synonyms_ = std::make_shared<const internal::SynonymIndex>(internal::BuildSynonymIndex(GetSynonyms()));
}

Service::~Service() = default;

core::Result<Entry> Service::Create(const core::Actor& who, EntryInput input) {
  auto checked = CheckEntry(std::move(input));
  if (!checked) return checked.error();
  auto now = clock_.Now();
  auto e = db_.Write([&](Connection& c) -> core::Result<Entry> {
    if (auto bad = CheckCategory(c, checked->category)) return *bad;
    return internal::InsertEntry(c, *checked, who, now, "api");
  });
  Changed();
  return e;
}

core::Result<Entry> Service::Update(const core::Actor& who, int64_t id, const EntryPatch& patch) {
  auto now = clock_.Now();
  auto r = db_.Write([&](Connection& c) -> core::Result<Entry> {
    auto e = internal::LoadEntry(c, id);
    if (!e || e->deleted_at) return Error::NotFound("no such knowledge-base entry");
    if (patch.expected_version && *patch.expected_version != e->version) {
      return Error::Conflict("the entry was changed meanwhile (now version " +
                             std::to_string(e->version) + "); reload it and edit again");
    }
    auto content = CheckEntry(Apply(e->content, patch));
    if (!content) return content.error();
    if (*content == e->content) return *e;  // nothing changed: no new version
    if (content->category != e->content.category) {
      if (auto bad = CheckCategory(c, content->category)) return *bad;
    }
    e->content = std::move(*content);
    internal::SaveVersion(c, *e, who, now, "update", "api");
    return *e;
  });
  Changed();
  return r;
}

core::Result<Entry> Service::Delete(const core::Actor& who, int64_t id) {
  auto now = clock_.Now();
  auto r = db_.Write([&](Connection& c) -> core::Result<Entry> {
    auto e = internal::LoadEntry(c, id);
    if (!e || e->deleted_at) return Error::NotFound("no such knowledge-base entry");
    e->deleted_at = now;
    internal::SaveVersion(c, *e, who, now, "delete", "api");
    return *e;
  });
  Changed();
  return r;
}

core::Result<Entry> Service::Restore(const core::Actor& who, int64_t id) {
  auto now = clock_.Now();
  auto r = db_.Write([&](Connection& c) -> core::Result<Entry> {
    auto e = internal::LoadEntry(c, id);
    if (!e) return Error::NotFound("no such knowledge-base entry");
    if (!e->deleted_at) return Error::Conflict("the entry is not deleted");
    e->deleted_at.reset();
    internal::SaveVersion(c, *e, who, now, "restore", "api");
    return *e;
  });
  Changed();
  return r;
}

std::optional<core::Error> Service::CheckCategory(Connection& c, const std::string& category) const {
  if (category.empty()) return std::nullopt;
  auto q = c.Prepare("SELECT 1 FROM kb_categories WHERE slug = ?1");
  q->Bind(1, category);
  if (q->Step()) return std::nullopt;
  return Error::Validation("category: \"" + category +
                               "\" is not a configured category (GET /api/v1/kb/categories)",
                           "category");
}

core::Result<Entry> Service::Get(int64_t id) const {
  auto e = db_.Read([&](Connection& c) { return internal::LoadEntry(c, id); });
  if (!e || e->deleted_at) return Error::NotFound("no such knowledge-base entry");
  return *e;
}

core::Result<Page<Version, int>> Service::Versions(int64_t id, std::optional<int> before,
                                                   int limit) const {
  return db_.Read([&](Connection& c) -> core::Result<Page<Version, int>> {
    if (!internal::LoadEntry(c, id)) return Error::NotFound("no such knowledge-base entry");
    auto q = c.Prepare(
        "SELECT version, action, source, title, body, keywords, category, voice, actor, actor_name,"
        " at FROM kb_versions WHERE entry_id = ?1 AND version < ?2 ORDER BY version DESC LIMIT ?3");
    q->BindAll(id, static_cast<int64_t>(before.value_or(INT32_MAX)), static_cast<int64_t>(limit) + 1);
    Page<Version, int> page;
    while (q->Step()) {
      Version v;
      v.entry_id = id;
      v.version = static_cast<int>(q->Int(0));
      v.action = q->Text(1);
      v.source = q->Text(2);
      v.content = {q->Text(3), q->Text(4), internal::ParseKeywords(q->Text(5)), q->Text(6),
                   q->Int(7) != 0};
      v.actor = q->Int(8);
      v.actor_name = q->Text(9);
      v.at = core::FromUnixMillis(q->Int(10));
      page.items.push_back(std::move(v));
    }
    if (page.items.size() > static_cast<size_t>(limit)) {
      page.items.pop_back();
      page.next = page.items.back().version;
    }
    return page;
  });
}

std::vector<VoiceTopic> Service::VoiceTopics() const {
  return db_.Read([](Connection& c) {
    std::vector<VoiceTopic> topics;
    auto q = c.Prepare(std::string("SELECT ") + internal::kEntryColumns +
                       ", (SELECT name FROM kb_categories WHERE kb_categories.slug = kb_entries.category)"
                       " FROM kb_entries WHERE voice = 1 AND deleted_at IS NULL ORDER BY category, id");
    while (q->Step()) {
      Entry e = internal::ReadEntry(*q);
      if (topics.empty() || topics.back().category != e.content.category) {
        auto name = q->OptText(internal::kEntryColumnCount);
        topics.push_back({e.content.category, name.value_or(e.content.category), {}});
      }
      topics.back().entries.push_back(std::move(e));
    }
    return topics;
  });
}

CategoryNames Service::GetCategoryNames() const {
  return db_.Read([](Connection& c) {
    CategoryNames names;
    auto q = c.Prepare("SELECT slug, name FROM kb_categories");
    while (q->Step()) names[q->Text(0)] = q->Text(1);
    return names;
  });
}

core::Result<CategoryNames> Service::PutCategoryNames(const core::Actor& who, CategoryNames input) {
  // The rules of CategoryNamesFromJson apply however the names arrive.
  auto names = CategoryNamesFromJson(CategoryNamesToJson(input));
  if (!names) return names.error();
  int64_t now = core::ToUnixMillis(clock_.Now());
  db_.Write([&](Connection& c) {
    c.Exec("DELETE FROM kb_categories");
    for (const auto& [slug, name] : *names) {
      c.Prepare("INSERT INTO kb_categories(slug, name, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)")
          ->BindAll(slug, name, now, who.user_id)
          .Run();
    }
  });
  return GetCategoryNames();
}

std::vector<Entry> Service::LiveEntries() const {
  return db_.Read([](Connection& c) {
    std::vector<Entry> out;
    auto q = c.Prepare(std::string("SELECT ") + internal::kEntryColumns +
                       " FROM kb_entries WHERE deleted_at IS NULL ORDER BY id");
    while (q->Step()) out.push_back(internal::ReadEntry(*q));
    return out;
  });
}

void Service::RebuildIndex() {
  db_.Write([](Connection& c) {
    c.Exec("INSERT INTO kb_fts(kb_fts) VALUES ('rebuild')");
    c.Exec("INSERT INTO kb_head(kb_head) VALUES ('rebuild')");
  });
  Changed();
}

void Service::Changed() { df_cache_->Clear(); }

void Service::OptimizeIndex() {
  db_.Write([](Connection& c) {
    c.Exec("INSERT INTO kb_fts(kb_fts) VALUES ('optimize')");
    c.Exec("INSERT INTO kb_head(kb_head) VALUES ('optimize')");
  });
}

}  // namespace hotline::kb

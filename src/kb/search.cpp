// Search, the queries that found nothing, usage counts and synonyms.
#include <algorithm>

#include "hotline/kb/io.hpp"
#include "hotline/kb/service.hpp"
#include "query.hpp"
#include "ranking.hpp"
#include "snippet.hpp"
#include "store.hpp"

namespace hotline::kb {
namespace {

using storage::Connection;

constexpr size_t kMaxGapKeyBytes = 200;

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
std::string_view Clip(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

Synonyms LoadSynonyms(Connection& c) {
  Synonyms s;
  auto q = c.Prepare("SELECT term, expansions FROM kb_synonyms");
  while (q->Step()) s[q->Text(0)] = internal::ParseKeywords(q->Text(1));
  return s;
}

}  // namespace

std::shared_ptr<const internal::SynonymIndex> Service::SynonymSnapshot() const {
  std::lock_guard lock(synonyms_mu_);
  return synonyms_;
}

std::vector<SearchHit> Service::Search(std::string_view query, const SearchOptions& options) const {
  auto synonyms = SynonymSnapshot();
  auto plan = internal::PlanQuery(Clip(query, kMaxQueryBytes), *synonyms, options.prefix);
  if (plan.terms.empty()) return {};
  int limit = std::clamp(options.limit, 1, kMaxSearchLimit);
  auto hits = db_.Read([&](Connection& c) {
    std::vector<SearchHit> out;
    for (const auto& r : internal::RankEntries(c, plan.terms, *df_cache_, tuning_, limit)) {
      auto q = c.Prepare(
          "SELECT title, body, category, voice FROM kb_entries WHERE id = ?1 AND deleted_at IS NULL");
      q->Bind(1, r.id);
      if (!q->Step()) continue;
      out.push_back({r.id, q->Text(0), internal::MakeSnippet(q->Text(1), plan.marks), r.score,
                     q->Text(2), q->Int(3) != 0});
    }
    return out;
  });
  if (hits.empty() && !options.prefix && options.record_gap) {
    RecordGap(std::string(Clip(plan.key, kMaxGapKeyBytes)));
  }
  return hits;
}

void Service::RecordGap(const std::string& key) const {
  int64_t now = core::ToUnixMillis(clock_.Now());
  // Not waited for: a search answers within a keystroke, not after a commit.
  db_.WriteAsync([key, now](Connection& c) {
    c.Prepare(
         "INSERT INTO kb_gaps(query, count, first_at, last_at) VALUES (?1, 1, ?2, ?2)"
         " ON CONFLICT(query) DO UPDATE SET count = count + 1, last_at = excluded.last_at")
        ->BindAll(key, now)
        .Run();
  });
}

void Service::RecordUsage(const core::Actor& who, int64_t entry_id, std::optional<int64_t> call_id) {
  int64_t now = core::ToUnixMillis(clock_.Now());
  db_.WriteAsync([entry_id, call_id, now, user = who.user_id](Connection& c) {
    c.Prepare("UPDATE kb_entries SET usage_count = usage_count + 1 WHERE id = ?1 AND deleted_at IS NULL")
        ->BindAll(entry_id)
        .Run();
    if (c.Changes() == 0) return;
    c.Prepare("INSERT INTO kb_usage(entry_id, user_id, call_id, at) VALUES (?1, ?2, ?3, ?4)")
        ->BindAll(entry_id, user, call_id, now)
        .Run();
  });
}

Page<Gap, GapPosition> Service::Gaps(std::optional<GapPosition> after, int limit) const {
  return db_.Read([&](Connection& c) {
    auto q = c.Prepare(
        "SELECT query, count, first_at, last_at FROM kb_gaps"
        " WHERE ?1 IS NULL OR count < ?1 OR (count = ?1 AND query > ?2)"
        " ORDER BY count DESC, query LIMIT ?3");
    std::optional<int64_t> after_count;
    std::string after_query;
    if (after) {
      after_count = after->count;
      after_query = after->query;
    }
    q->BindAll(after_count, after_query, static_cast<int64_t>(limit) + 1);
    Page<Gap, GapPosition> page;
    while (q->Step()) {
      page.items.push_back({q->Text(0), q->Int(1), core::FromUnixMillis(q->Int(2)),
                            core::FromUnixMillis(q->Int(3))});
    }
    if (page.items.size() > static_cast<size_t>(limit)) {
      page.items.pop_back();
      page.next = GapPosition{page.items.back().count, page.items.back().query};
    }
    return page;
  });
}

Synonyms Service::GetSynonyms() const {
  return db_.Read([](Connection& c) { return LoadSynonyms(c); });
}

core::Result<Synonyms> Service::PutSynonyms(const core::Actor& who, Synonyms input) {
  // The rules of SynonymsFromJson apply however the synonyms arrive.
  auto checked = SynonymsFromJson(SynonymsToJson(input));
  if (!checked) return checked.error();
  const Synonyms& synonyms = *checked;
  int64_t now = core::ToUnixMillis(clock_.Now());
  db_.Write([&](Connection& c) {
    c.Exec("DELETE FROM kb_synonyms");
    for (const auto& [term, expansions] : synonyms) {
      c.Prepare("INSERT INTO kb_synonyms(term, expansions, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)")
          ->BindAll(term, internal::KeywordsText(expansions), now, who.user_id)
          .Run();
    }
  });
  // Reloaded after the commit, so that concurrent replacements end with what the table holds.
  Synonyms stored = GetSynonyms();
  auto index = std::make_shared<const internal::SynonymIndex>(internal::BuildSynonymIndex(stored));
  std::lock_guard lock(synonyms_mu_);
  synonyms_ = std::move(index);
  return stored;
}

}  // namespace hotline::kb

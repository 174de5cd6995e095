// Search, the queries that found nothing, usage counts and synonyms.
#include <algorithm>

#include "hotline/kb/io.hpp"
#include "hotline/kb/service.hpp"
#include "query.hpp"
#include "ranking.hpp"
#include "snippet.hpp"
#include "store.hpp"
#include "text.hpp"

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
    std::string topic(Clip(internal::GapTopic(query), kMaxGapKeyBytes));
    if (!topic.empty()) RecordGap(topic, std::string(Clip(plan.key, kMaxGapKeyBytes)));
  }
  return hits;
}

namespace {

/// The gap rows that group with `topic`: its own, those that are a prefix of it (of two
/// characters or more: 狂犬 for 狂犬病) and, for a topic of two characters or more, those it is a
/// prefix of. Grouping by prefix follows how a question grows while it is asked (狂犬, 狂犬病,
/// 狂犬病疫苗) without merging unrelated ones that merely share a word.
struct GapRow {
  std::string query;
  int64_t count = 0;
  int64_t first_at = 0;
};

std::vector<GapRow> GroupOf(Connection& c, const std::string& topic) {
  std::vector<GapRow> out;
  auto read = [&](storage::Statement& q) {
    while (q.Step()) out.push_back({q.Text(0), q.Int(1), q.Int(2)});
  };
  auto chars = internal::FoldText(topic);
  auto exact = c.Prepare("SELECT query, count, first_at FROM kb_gaps WHERE query = ?1");
  for (size_t n = chars.size() == 1 ? 1 : 2; n <= chars.size(); ++n) {
    exact->Reset();
    exact->Bind(1, topic.substr(0, chars[n - 1].end));
    read(*exact);
  }
  if (chars.size() >= 2) {
    // Every row starting with topic: [topic, topic + U+10FFFF) in byte order.
    auto longer =
        c.Prepare("SELECT query, count, first_at FROM kb_gaps WHERE query > ?1 AND query < ?2");
    longer->BindAll(topic, topic + "\xF4\x8F\xBF\xBF");
    read(*longer);
  }
  return out;
}

}  // namespace

void Service::RecordGap(const std::string& topic, const std::string& query) const {
  int64_t now = core::ToUnixMillis(clock_.Now());
  // Not waited for: a search answers within a keystroke, not after a commit.
  db_.WriteAsync([topic, query, now](Connection& c) {
    // The group is kept under its shortest topic (the common core of the questions).
    std::string key = topic;
    int64_t count = 1, first_at = now;
    for (const GapRow& g : GroupOf(c, topic)) {
      if (g.query.size() < key.size()) key = g.query;
      count += g.count;
      first_at = std::min(first_at, g.first_at);
      c.Prepare("DELETE FROM kb_gaps WHERE query = ?1")->BindAll(g.query).Run();
    }
    c.Prepare("INSERT INTO kb_gaps(query, count, first_at, last_at, last_query) VALUES (?1, ?2, ?3, ?4, ?5)")
        ->BindAll(key, count, first_at, now, query)
        .Run();
  });
}

core::Result<int64_t> Service::DismissGap(std::string_view query) {
  std::string topic(Clip(internal::GapTopic(query), kMaxGapKeyBytes));
  if (topic.empty()) return core::Error::Validation("query: has nothing to search for", "query");
  int64_t removed = db_.Write([&](Connection& c) {
    int64_t n = 0;
    for (const GapRow& g : GroupOf(c, topic)) {
      c.Prepare("DELETE FROM kb_gaps WHERE query = ?1")->BindAll(g.query).Run();
      n += c.Changes();
    }
    return n;
  });
  if (removed == 0) return core::Error::NotFound("no gap of this topic");
  return removed;
}

core::Result<Entry> Service::Open(const core::Actor& who, int64_t entry_id,
                                  std::optional<int64_t> call_id) {
  auto now = clock_.Now();
  auto window = core::ToUnixMillis(now - kRecentCallWindow);
  auto r = db_.Read([&](Connection& c) -> core::Result<Entry> {
    auto e = internal::LoadEntry(c, entry_id);
    if (!e || e->deleted_at) return core::Error::NotFound("no such knowledge-base entry");
    if (!call_id) return *e;
    auto q = c.Prepare(
        "SELECT agent_id, state, coalesce(ended_at, abandoned_at) FROM calls WHERE id = ?1");
    q->Bind(1, *call_id);
    bool mine = q->Step() && q->OptInt(0) == who.user_id;
    bool live = mine && (q->Text(1) == "ringing" || q->Text(1) == "talking");
    bool recent = mine && !live && q->OptInt(2) && *q->OptInt(2) >= window;
    if (!live && !recent) {
      return core::Error::Validation(
          "call_id: not your current call nor one you handled in the last " +
              std::to_string(kRecentCallWindow.count()) + " minutes",
          "call_id");
    }
    return *e;
  });
  if (r) RecordUsage(who, entry_id, call_id);
  return r;
}

Page<Usage, UsagePosition> Service::RecentUsage(int days, std::optional<UsagePosition> after,
                                                int limit) const {
  auto since = clock_.Now() - std::chrono::hours(24) * days;
  return db_.Read([&](Connection& c) {
    auto q = c.Prepare(
        "SELECT u.entry_id, u.n, u.calls, u.last_at, coalesce(e.title, '') FROM"
        " (SELECT entry_id, count(*) AS n, count(DISTINCT call_id) AS calls, max(at) AS last_at"
        "  FROM kb_usage WHERE at >= ?1 GROUP BY entry_id) AS u"
        " LEFT JOIN kb_entries e ON e.id = u.entry_id AND e.deleted_at IS NULL"
        " WHERE ?2 IS NULL OR u.n < ?2 OR (u.n = ?2 AND u.entry_id > ?3)"
        " ORDER BY u.n DESC, u.entry_id LIMIT ?4");
    std::optional<int64_t> after_count;
    int64_t after_id = 0;
    if (after) {
      after_count = after->count;
      after_id = after->entry_id;
    }
    q->BindAll(core::ToUnixMillis(since), after_count, after_id, static_cast<int64_t>(limit) + 1);
    Page<Usage, UsagePosition> page;
    while (q->Step()) {
      page.items.push_back({q->Int(0), q->Text(4), q->Int(1), q->Int(2), core::FromUnixMillis(q->Int(3))});
    }
    if (page.items.size() > static_cast<size_t>(limit)) {
      page.items.pop_back();
      page.next = UsagePosition{page.items.back().count, page.items.back().entry_id};
    }
    return page;
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
        "SELECT query, count, first_at, last_at, last_query FROM kb_gaps"
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
      page.items.push_back({q->Text(0), q->Text(4), q->Int(1), core::FromUnixMillis(q->Int(2)),
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

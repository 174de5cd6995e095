#pragma once
// The knowledge base (知识库): entries with every version kept, soft delete, search as agents
// type in Chinese (FTS5 with the hotline_cjk tokenizer, BM25 with title and keywords above
// body), query-time synonyms, the queries that found nothing, usage, import and export.
// Thread-safe: reads run on the database's readers, writes through its single writer.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/core/actor.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"
#include "hotline/core/time.hpp"
#include "hotline/kb/entry.hpp"
#include "hotline/kb/io.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::kb {

namespace internal {
struct SynonymIndex;
class DocFreqCache;
}  // namespace internal

/// A call ended this long ago still counts as the agent's recent call (wrap-up, a callback
/// note) for the usage of the entries opened meanwhile.
inline constexpr std::chrono::minutes kRecentCallWindow{30};

/// Bounds of a search.
inline constexpr int kMaxSearchLimit = 50;
inline constexpr size_t kMaxQueryBytes = 500;

/// Bounds of the work of one search (docs/kb.md, "Ranking with bounded work"). Below the
/// budget the ranking is exact; the defaults keep p99 under 2 ms at 100,000 entries.
struct SearchTuning {
  int64_t candidate_budget = 1000;  // estimated entries the rarer words may match together
  int scan_cap = 1000;              // candidates scored at most per pass (in id order)
  int head_cap = 250;               // title/keyword matches scored after a pass hit scan_cap
  int probe_cap = 500;              // postings read to estimate how common a word is
  std::chrono::seconds df_cache_ttl{600};
};

class Service {
 public:
  /// Loads the synonyms; the database must have been opened with RegisterTokenizer.
  Service(storage::Database& db, const core::Clock& clock, SearchTuning tuning = {});
  ~Service();

  /// Checks (CheckEntry) and stores a new entry as version 1.
  core::Result<Entry> Create(const core::Actor& who, EntryInput input);
  /// Applies a partial edit as a new version; an edit that changes nothing adds none.
  /// not_found for a missing or deleted entry; conflict for a stale expected_version.
  core::Result<Entry> Update(const core::Actor& who, int64_t id, const EntryPatch& patch);
  /// Soft delete: the entry leaves search and reads, its history stays.
  core::Result<Entry> Delete(const core::Actor& who, int64_t id);
  /// Brings a soft-deleted entry back as a new version (action "restore"); not_found for a
  /// missing entry, conflict for one that is not deleted.
  core::Result<Entry> Restore(const core::Actor& who, int64_t id);
  /// A live entry; not_found for a missing or deleted one.
  core::Result<Entry> Get(int64_t id) const;
  /// Versions, newest first, older than `before` when given; not_found when the entry never
  /// existed (a deleted entry's history is still there).
  core::Result<Page<Version, int>> Versions(int64_t id, std::optional<int> before, int limit) const;

  /// The best live entries for what an agent typed. An empty result of a non-prefix search
  /// with `record_gap` is counted (asynchronously) for Gaps().
  std::vector<SearchHit> Search(std::string_view query, const SearchOptions& options = {}) const;
  /// An entry opened from a search (during `call_id` when given): the live entry, its use
  /// counted (asynchronously). not_found for a missing or deleted entry; validation_failed
  /// (field call_id) unless the call is `who`'s current call or one `who` handled that ended
  /// less than kRecentCallWindow ago.
  core::Result<Entry> Open(const core::Actor& who, int64_t entry_id, std::optional<int64_t> call_id);
  /// Counts a use without checks (Open checks first).
  void RecordUsage(const core::Actor& who, int64_t entry_id, std::optional<int64_t> call_id);
  /// Entries opened from a search in the last `days` days, most used first.
  Page<Usage, UsagePosition> RecentUsage(int days, std::optional<UsagePosition> after, int limit) const;
  /// Unanswered queries by topic, most frequent first.
  Page<Gap, GapPosition> Gaps(std::optional<GapPosition> after, int limit) const;
  /// Removes the gap of `query`'s topic (and the topics it groups with) once an entry has been
  /// written for it: how many gap rows went; not_found when there is none, validation_failed
  /// for a query without a topic.
  core::Result<int64_t> DismissGap(std::string_view query);

  Synonyms GetSynonyms() const;
  /// Replaces every synonym; applies to the next search.
  core::Result<Synonyms> PutSynonyms(const core::Actor& who, Synonyms synonyms);

  /// Imports a JSON array of entries (see io.hpp): every row is checked first; any bad row
  /// refuses the whole file (the report lists every bad row), otherwise all rows are written
  /// in one transaction. A row updates the live entry with its `id`, else the live entry with
  /// its exact title, else creates one; rows equal to their entry change nothing.
  ImportReport ImportJson(const core::Actor& who, const core::Json& array);
  /// The same for a CSV file.
  ImportReport ImportCsv(const core::Actor& who, std::string_view csv);
  /// Every live entry, by id, as a JSON array / a CSV file, both importable again.
  core::Json ExportJson(const core::TimeZone& zone) const;
  std::string ExportCsv(const core::TimeZone& zone) const;

  /// Live entries marked `voice`, grouped by category (categories by slug, entries by id),
  /// each topic with its category's display name: what the night voice menu reads out.
  std::vector<VoiceTopic> VoiceTopics() const;
  /// Display names of categories, by slug.
  CategoryNames GetCategoryNames() const;
  /// Replaces every display name (checked as CategoryNamesFromJson checks them).
  core::Result<CategoryNames> PutCategoryNames(const core::Actor& who, CategoryNames names);
  /// Rebuilds the full-text index from the live entries (after a tokenizer change).
  void RebuildIndex();
  /// Merges the index's segments into one (after a large import: faster searches).
  void OptimizeIndex();

 private:
  ImportReport ImportRows(const core::Actor& who, std::vector<ImportRow> rows,
                          std::vector<RowError> errors);
  std::shared_ptr<const internal::SynonymIndex> SynonymSnapshot() const;
  void RecordGap(const std::string& topic, const std::string& query) const;
  /// validation_failed unless `category` is empty or a slug of kb_categories.
  std::optional<core::Error> CheckCategory(storage::Connection& c, const std::string& category) const;
  /// A row error for each row whose category is not configured (each category looked up once).
  void CheckCategories(storage::Connection& c, const std::vector<ImportRow>& rows,
                       std::vector<RowError>& errors) const;
  std::vector<Entry> LiveEntries() const;

  void Changed();  // after every write: word frequencies are estimated afresh

  storage::Database& db_;
  const core::Clock& clock_;
  SearchTuning tuning_;
  std::unique_ptr<internal::DocFreqCache> df_cache_;
  mutable std::mutex synonyms_mu_;
  std::shared_ptr<const internal::SynonymIndex> synonyms_;
};

}  // namespace hotline::kb

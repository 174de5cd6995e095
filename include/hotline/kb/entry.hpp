#pragma once
// Knowledge-base entries and what the knowledge base answers about them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hotline/core/clock.hpp"

namespace hotline::kb {

/// Bounds of an entry's fields (bytes of UTF-8 unless said otherwise).
inline constexpr size_t kMaxTitle = 200;
inline constexpr size_t kMaxBody = 20000;
inline constexpr size_t kMaxKeyword = 50;
inline constexpr size_t kMaxKeywords = 30;  // items
inline constexpr size_t kMaxCategory = 100;

/// What a writer gives: the editable fields of an entry.
struct EntryInput {
  std::string title;
  std::string body;
  std::vector<std::string> keywords;
  std::string category;
  bool voice = false;  // may be read out by the night voice menu

  bool operator==(const EntryInput&) const = default;
};

/// A partial edit: absent fields keep their value. `expected_version`, when given, must be
/// the entry's current version (optimistic locking: a stale edit answers conflict).
struct EntryPatch {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::vector<std::string>> keywords;
  std::optional<std::string> category;
  std::optional<bool> voice;
  std::optional<int> expected_version;
};

struct Entry {
  int64_t id = 0;
  EntryInput content;
  int version = 1;  // 1 on creation, +1 on every edit and on deletion
  int64_t usage_count = 0;
  core::TimePoint created_at;
  int64_t created_by = 0;
  core::TimePoint updated_at;
  int64_t updated_by = 0;
  std::optional<core::TimePoint> deleted_at;
};

/// One kept state of an entry.
struct Version {
  int64_t entry_id = 0;
  int version = 0;
  std::string action;  // "create", "update", "delete"
  std::string source;  // "api" or "import"
  EntryInput content;
  int64_t actor = 0;   // user id
  std::string actor_name;
  core::TimePoint at;
};

struct SearchHit {
  int64_t id = 0;
  std::string title;
  std::string snippet;  // HTML-escaped body excerpt, matches wrapped in <mark>…</mark>
  double score = 0;     // higher is better (negated BM25)
  std::string category;
  bool voice = false;
};

struct SearchOptions {
  int limit = 10;       // 1..50
  bool prefix = false;  // as-you-type: the last word may be incomplete
  bool record_gap = true;  // an empty result counts towards GET /kb/gaps
};

/// Queries that found nothing, grouped by normalised topic (GapTopic), and how often.
struct Gap {
  std::string query;       // the topic: folded, no punctuation or question words (狂犬)
  std::string last_query;  // the latest query of the topic, folded (狂犬病?)
  int64_t count = 0;
  core::TimePoint first_at;
  core::TimePoint last_at;
};

/// A page of a list; `next` is the position after the last item when more may follow.
template <class T, class Pos>
struct Page {
  std::vector<T> items;
  std::optional<Pos> next;
};
/// Keyset position in the gaps list (count descending, then query).
struct GapPosition {
  int64_t count = 0;
  std::string query;
};

/// How often an entry was opened from a search over a period.
struct Usage {
  int64_t entry_id = 0;
  std::string title;     // empty when the entry has been deleted since
  int64_t count = 0;     // opened from a search
  int64_t calls = 0;     // of which during a call (distinct calls)
  core::TimePoint last_at;
};
/// Keyset position in the usage list (count descending, then entry id).
struct UsagePosition {
  int64_t count = 0;
  int64_t entry_id = 0;
};

/// term -> the expansions it also searches (狗咬 -> [狂犬病, 犬伤]).
using Synonyms = std::map<std::string, std::vector<std::string>>;

/// A problem with one row of an import: `row` is the 1-based item of a JSON array, or the
/// line of a CSV file as a spreadsheet numbers it (the header is row 1).
struct RowError {
  int row = 0;
  std::string field;
  std::string message;
};

/// The outcome of an import. When `errors` is not empty nothing was written.
struct ImportReport {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  std::vector<RowError> errors;
  bool ok() const { return errors.empty(); }
};

/// Display names of categories: slug -> name (rabies -> 狂犬病防治).
using CategoryNames = std::map<std::string, std::string>;
inline constexpr size_t kMaxCategoryName = 100;

/// Voice entries of one category, for the night voice menu.
struct VoiceTopic {
  std::string category;        // the slug
  std::string name;            // what to read out: its display name, or the slug without one
  std::vector<Entry> entries;  // by id
};

}  // namespace hotline::kb

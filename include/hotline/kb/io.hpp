#pragma once
// Entries in and out: JSON objects of the API, and the JSON and CSV files of import and
// export. Every reader checks the same rules (CheckEntry).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/core/error.hpp"
#include "hotline/core/json.hpp"
#include "hotline/core/time.hpp"
#include "hotline/kb/entry.hpp"

namespace hotline::kb {

/// Trims title, category and keywords, drops empty and repeated keywords, and checks the
/// bounds of entry.hpp and UTF-8. Title and body are required. The error names the field.
core::Result<EntryInput> CheckEntry(EntryInput input);

/// An entry from {title, body, keywords?: [..], category?, voice?}.
core::Result<EntryInput> EntryFromJson(const core::Json& object);
/// A partial edit from the same fields, all optional, plus `version` (optimistic locking).
core::Result<EntryPatch> PatchFromJson(const core::Json& object);

/// {id, title, body, keywords, category, voice, version, usage_count, created_at, updated_at,
///  updated_by, deleted_at}
core::Json EntryToJson(const Entry& e, const core::TimeZone& zone);
/// {version, action, source, title, body, keywords, category, voice, actor, actor_name, at}
core::Json VersionToJson(const Version& v, const core::TimeZone& zone);

/// Synonyms from {"狗咬": ["狂犬病", …], …}; at most kMaxSynonymTerms terms.
core::Result<Synonyms> SynonymsFromJson(const core::Json& object);
core::Json SynonymsToJson(const Synonyms& synonyms);
inline constexpr size_t kMaxSynonymTerms = 5000;
inline constexpr size_t kMaxExpansions = 20;

/// Category names from {"rabies": "狂犬病防治", …}: slugs as entries hold them, names not
/// empty; at most kMaxCategories.
core::Result<CategoryNames> CategoryNamesFromJson(const core::Json& object);
core::Json CategoryNamesToJson(const CategoryNames& names);
inline constexpr size_t kMaxCategories = 1000;

/// One good row of an import file.
struct ImportRow {
  int row = 0;                  // as RowError::row
  std::optional<int64_t> id;    // the id the file gave, if any (an export's)
  EntryInput entry;
};

/// Rows of a JSON array of entry objects (unknown fields are ignored). Bad rows go to
/// `errors`, one per row, and are left out.
std::vector<ImportRow> ReadImportJson(const core::Json& array, std::vector<RowError>& errors);
/// Rows of a CSV file: UTF-8 (a BOM is skipped), RFC 4180 quoting, a header row naming the
/// columns title, body and optionally keywords (separated by ; or ；), category, voice
/// (true/false/1/0/yes/no/是/否) and id; other columns are ignored.
std::vector<ImportRow> ReadImportCsv(std::string_view csv, std::vector<RowError>& errors);

/// The columns WriteCsv writes, in order.
inline constexpr const char* kCsvHeader = "id,title,body,keywords,category,voice,version,updated_at";
/// Entries as CSV with a BOM (so that spreadsheets read it as UTF-8) and CRLF line ends.
std::string WriteCsv(const std::vector<Entry>& entries, const core::TimeZone& zone);

}  // namespace hotline::kb

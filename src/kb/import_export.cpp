// Import (validate every row, then write all in one transaction, or nothing) and export.
#include <map>

#include "hotline/kb/io.hpp"
#include "hotline/kb/service.hpp"
#include "store.hpp"

namespace hotline::kb {
namespace {

using storage::Connection;

/// Rows that repeat a title or an id of an earlier row of the same file.
void FindRepeats(const std::vector<ImportRow>& rows, std::vector<RowError>& errors) {
  std::map<std::string, int> titles;
  std::map<int64_t, int> ids;
  for (const auto& r : rows) {
    if (auto [it, fresh] = titles.emplace(r.entry.title, r.row); !fresh) {
      errors.push_back({r.row, "title", "title: the same as row " + std::to_string(it->second)});
    }
    if (!r.id) continue;
    if (auto [it, fresh] = ids.emplace(*r.id, r.row); !fresh) {
      errors.push_back({r.row, "id", "id: the same as row " + std::to_string(it->second)});
    }
  }
}

/// The live entry a row replaces: the one with its id, else the one with its title.
std::optional<Entry> Target(Connection& c, const ImportRow& row) {
  if (row.id) {
    auto e = internal::LoadEntry(c, *row.id);
    if (e && !e->deleted_at) return e;
  }
  return internal::FindLiveByTitle(c, row.entry.title);
}

}  // namespace

ImportReport Service::ImportJson(const core::Actor& who, const core::Json& array) {
  std::vector<RowError> errors;
  auto rows = ReadImportJson(array, errors);
  return ImportRows(who, std::move(rows), std::move(errors));
}

ImportReport Service::ImportCsv(const core::Actor& who, std::string_view csv) {
  std::vector<RowError> errors;
  auto rows = ReadImportCsv(csv, errors);
  return ImportRows(who, std::move(rows), std::move(errors));
}

void Service::CheckCategories(Connection& c, const std::vector<ImportRow>& rows,
                              std::vector<RowError>& errors) const {
  std::map<std::string, std::optional<core::Error>> checked;
  for (const auto& row : rows) {
    auto it = checked.find(row.entry.category);
    if (it == checked.end()) {
      it = checked.emplace(row.entry.category, CheckCategory(c, row.entry.category)).first;
    }
    if (it->second) errors.push_back({row.row, it->second->field, it->second->message});
  }
}

ImportReport Service::ImportRows(const core::Actor& who, std::vector<ImportRow> rows,
                                 std::vector<RowError> errors) {
  FindRepeats(rows, errors);
  // Categories too, so that the report lists every bad row at once (checked again below, in
  // the writing transaction, in case they changed meanwhile).
  db_.Read([&](Connection& c) { CheckCategories(c, rows, errors); });
  ImportReport report;
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(),
                     [](const RowError& a, const RowError& b) { return a.row < b.row; });
    report.errors = std::move(errors);
    return report;  // a bad row refuses the whole file
  }
  auto now = clock_.Now();
  db_.Write([&](Connection& c) {
    // Categories are checked in the writing transaction: a bad one refuses the file.
    if (CheckCategories(c, rows, report.errors); !report.errors.empty()) return;
    for (const auto& row : rows) {
      auto target = Target(c, row);
      if (!target) {
        internal::InsertEntry(c, row.entry, who, now, "import");
        ++report.created;
      } else if (target->content == row.entry) {
        ++report.unchanged;
      } else {
        target->content = row.entry;
        internal::SaveVersion(c, *target, who, now, "update", "import");
        ++report.updated;
      }
    }
  });
  if (!report.ok()) return report;
  Changed();
  return report;
}

core::Json Service::ExportJson(const core::TimeZone& zone) const {
  core::Json out = core::Json::array();
  for (const auto& e : LiveEntries()) out.push_back(EntryToJson(e, zone));
  return out;
}

std::string Service::ExportCsv(const core::TimeZone& zone) const {
  return WriteCsv(LiveEntries(), zone);
}

}  // namespace hotline::kb

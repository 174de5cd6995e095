#pragma once
// The SQL of entries and their versions (schema/0004_kb.sql), shared by the service's
// single-entry writes and imports. Every write of an entry writes its version row with it.
#include <optional>
#include <string>
#include <vector>

#include "hotline/core/actor.hpp"
#include "hotline/kb/entry.hpp"
#include "hotline/storage/sqlite.hpp"

namespace hotline::kb::internal {

/// The columns ReadEntry expects, in order, and how many.
inline constexpr const char* kEntryColumns =
    "id, title, body, keywords, category, voice, version, usage_count, created_at, created_by, "
    "updated_at, updated_by, deleted_at";
inline constexpr int kEntryColumnCount = 13;
Entry ReadEntry(const storage::Statement& s);

/// Any entry, deleted ones included.
std::optional<Entry> LoadEntry(storage::Connection& c, int64_t id);
/// The live entry with exactly this title.
std::optional<Entry> FindLiveByTitle(storage::Connection& c, const std::string& title);

/// Inserts a new entry and its version 1.
Entry InsertEntry(storage::Connection& c, const EntryInput& in, const core::Actor& who,
                  core::TimePoint now, const char* source);
/// Stores `e` (content, deletion) as its next version: bumps version, writes the version row.
/// `action` is "update", "delete" or "restore" (a restore clears the deletion).
void SaveVersion(storage::Connection& c, Entry& e, const core::Actor& who, core::TimePoint now,
                 const char* action, const char* source);

std::string KeywordsText(const std::vector<std::string>& keywords);
std::vector<std::string> ParseKeywords(const std::string& text);

}  // namespace hotline::kb::internal

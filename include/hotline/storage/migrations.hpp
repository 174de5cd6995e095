#pragma once
// Schema migrations: the numbered files of schema/ (NNNN_what.sql), embedded in the binary
// at build time, applied in order at start, each in one transaction, recorded in
// PRAGMA user_version.
#include <string>
#include <vector>

namespace hotline::storage {

class Connection;

struct Migration {
  int version = 0;  // NNNN of the file name
  std::string name;
  std::string sql;
};

/// The migrations compiled into this binary, in version order.
const std::vector<Migration>& EmbeddedMigrations();

/// Applies those above the database's user_version; returns the version reached.
/// Throws StorageError when a migration fails (that migration is rolled back whole).
int ApplyMigrations(Connection& c, const std::vector<Migration>& migrations);

}  // namespace hotline::storage

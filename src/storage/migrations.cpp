#include "hotline/storage/migrations.hpp"

#include "hotline/storage/sqlite.hpp"

namespace hotline::storage {

int ApplyMigrations(Connection& c, const std::vector<Migration>& migrations) {
  int version = 0;
  {
    auto q = c.Prepare("PRAGMA user_version");
    if (q->Step()) version = static_cast<int>(q->Int(0));
  }
  for (const auto& m : migrations) {
    if (m.version <= version) continue;
    c.Exec("BEGIN IMMEDIATE");
    try {
      c.Exec(m.sql);
      c.Exec("PRAGMA user_version = " + std::to_string(m.version));
      c.Exec("COMMIT");
    } catch (const StorageError& e) {
      c.Exec("ROLLBACK");
      throw StorageError(e.code(), "migration " + std::to_string(m.version) + "_" + m.name +
                                       " failed: " + e.what());
    }
    version = m.version;
  }
  return version;
}

}  // namespace hotline::storage

#include "storage_setup.hpp"

namespace hotline::app {

std::unique_ptr<storage::Database> OpenDatabase(const core::Json& config) {
  storage::DatabaseOptions o;
  o.path = config["db"]["path"].get<std::string>();
  o.synchronous_full = config["db"]["synchronous"].get<std::string>() != "normal";
  o.readers = std::max(1, config["db"]["readers"].get<int>());
  return storage::Database::Open(std::move(o), storage::EmbeddedMigrations());
}

}  // namespace hotline::app

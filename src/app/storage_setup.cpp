#include "storage_setup.hpp"

#include "hotline/kb/tokenizer.hpp"
#include "hotline/workorder/sql_functions.hpp"

namespace hotline::app {

std::unique_ptr<storage::Database> OpenDatabase(const core::Json& config) {
  storage::DatabaseOptions o;
  o.path = config["db"]["path"].get<std::string>();
  o.synchronous_full = config["db"]["synchronous"].get<std::string>() != "normal";
  o.readers = std::max(1, config["db"]["readers"].get<int>());
  // The knowledge base's FTS5 tokenizer and the work orders' SQL functions must exist on
  // every connection before migrations.
  o.on_open.push_back([](storage::Connection& c) {
    kb::RegisterTokenizer(c);
    workorder::RegisterSqlFunctions(c);
  });
  return storage::Database::Open(std::move(o), storage::EmbeddedMigrations());
}

}  // namespace hotline::app

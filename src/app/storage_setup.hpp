#pragma once
// Opening the database the way every command needs it: the configured path and durability,
// the tokenizers registered on every connection, the migrations applied.
#include <memory>

#include "hotline/core/json.hpp"
#include "hotline/storage/database.hpp"

namespace hotline::app {

std::unique_ptr<storage::Database> OpenDatabase(const core::Json& config);

}  // namespace hotline::app

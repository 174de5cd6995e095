#include "hotline/workorder/sql_functions.hpp"

#include <sqlite3.h>

#include <new>
#include <string>
#include <string_view>

#include "hotline/storage/sqlite.hpp"
#include "workorder/search_text.hpp"

namespace hotline::workorder {
namespace {

std::string_view TextArg(sqlite3_value* v) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(v));
  if (text == nullptr) return {};  // NULL
  return {text, static_cast<size_t>(sqlite3_value_bytes(v))};
}

void TicketGramsFunction(sqlite3_context* ctx, int, sqlite3_value** args) {
  try {
    std::string grams = TicketGrams(TextArg(args[0]), TextArg(args[1]));
    sqlite3_result_text64(ctx, grams.data(), grams.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  }
}

}  // namespace

void RegisterSqlFunctions(storage::Connection& c) {
  int rc = sqlite3_create_function_v2(c.handle(), "hotline_ticket_grams", 2,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                      nullptr, TicketGramsFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw storage::StorageError(rc, "cannot register hotline_ticket_grams");
}

}  // namespace hotline::workorder

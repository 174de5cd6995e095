#pragma once
// SQL functions the work-order schema needs: registered on every SQLite connection
// (storage::DatabaseOptions::on_open) before migrations, like the knowledge base's tokenizer.
namespace hotline::storage {
class Connection;
}

namespace hotline::workorder {

/// Registers hotline_ticket_grams(subject, description): the text ticket_text holds for a
/// work order, as the service writes it (schema/0008 reindexes with it). Throws StorageError.
void RegisterSqlFunctions(storage::Connection& c);

}  // namespace hotline::workorder

#pragma once
// Thin RAII over the SQLite C API: statements prepared once and cached by SQL text,
// reset and cleared after every use. All SQL of the project goes through these types.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace hotline::storage {

/// An SQLite failure: a bug or an infrastructure fault, never an expected outcome.
/// `code` is SQLite's extended result code (SQLITE_CONSTRAINT_UNIQUE is 2067).
class StorageError : public std::runtime_error {
 public:
  StorageError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  bool IsConstraint() const { return (code_ & 0xff) == 19; }

 private:
  int code_;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Bind by 1-based index. std::nullopt and nullptr bind NULL.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, bool value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, std::nullptr_t);
  template <class T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : Bind(index, nullptr);
  }
  /// Binds every argument in order, from index 1.
  template <class... A>
  Statement& BindAll(const A&... args) {
    int i = 0;
    (Bind(++i, args), ...);
    return *this;
  }

  /// Advances; true while a row is available. Throws StorageError on failure.
  bool Step();
  /// Runs a statement that returns no rows.
  void Run() { while (Step()) {} }
  void Reset();

  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  std::optional<std::string> OptText(int col) const;
  int ColumnCount() const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// A cached statement on loan: resets and clears its bindings when it goes out of scope,
/// so no read transaction is left open by accident.
class Query {
 public:
  explicit Query(Statement& s) : s_(&s) {}
  ~Query() { if (s_) s_->Reset(); }
  Query(Query&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Query(const Query&) = delete;
  Statement* operator->() const { return s_; }
  Statement& operator*() const { return *s_; }

 private:
  Statement* s_;
};

/// One SQLite connection. Not thread-safe: used by one thread at a time.
class Connection {
 public:
  /// Opens `path` (created if missing unless read_only). Throws StorageError.
  Connection(const std::string& path, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  /// A prepared statement for `sql`, cached on this connection.
  Query Prepare(std::string_view sql);
  /// Runs one or more statements without results (DDL, PRAGMA, BEGIN…).
  void Exec(std::string_view sql);
  int64_t LastInsertId() const;
  int Changes() const;

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

/// A scope that rolls back unless Commit() is called (nests as a SAVEPOINT).
class Savepoint {
 public:
  explicit Savepoint(Connection& c, std::string name = "sp");
  ~Savepoint();
  void Commit();

 private:
  Connection& c_;
  std::string name_;
  bool done_ = false;
};

}  // namespace hotline::storage

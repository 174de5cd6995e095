#pragma once
// The SQL pieces of work-order lists shared by list_query.cpp (one SELECT per list) and
// text_list.cpp (text queries, read two ways at once).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotline/storage/sqlite.hpp"
#include "hotline/workorder/work_order.hpp"
#include "workorder/search_text.hpp"

namespace hotline::workorder::repo {

/// A bound value: an integer or a text. (A plain struct: GCC 12 warns falsely on copies
/// of std::variant<int64_t, std::string> at -O2.)
struct Value {
  Value(int64_t v) : is_int(true), i(v) {}
  Value(std::string v) : s(std::move(v)) {}
  bool is_int = false;
  int64_t i = 0;
  std::string s;
};

/// Conditions on `tickets t`, each " AND …", with numbered placeholders.
class Where {
 public:
  /// Adds a condition whose "?" placeholders take `values` in order.
  void Add(std::string_view condition, std::vector<Value> values = {});
  /// A placeholder bound to `v`.
  std::string Param(Value v);
  const std::string& sql() const { return sql_; }
  bool empty() const { return sql_.empty(); }
  void BindTo(storage::Statement& s) const;

 private:
  std::string sql_;
  std::vector<Value> values_;
};

/// Every filter of `f` but the text; `only_unit` restricts to one unit's work orders.
Where FilterConditions(const ListFilter& f, std::optional<int64_t> only_unit, TimePoint now);

/// Which readers a text list runs (tests compare them; lists run kBoth).
enum class TextReaders { kBoth, kIndexOnly, kFiltersOnly };

/// How a list with a text query is read (text_list.cpp).
struct TextList {
  const TextQuery& query;     // plain (TextQuery::plain)
  const Where& filters;       // the other filters; may be empty
  bool overdue_only = false;  // filters include overdue=true
  int limit = 50;
  std::optional<ListCursor> after;
  TextReaders readers = TextReaders::kBoth;
};
/// One page of work orders whose text matches, newest first (id order, which is
/// (accepted_at, id) order: see NextAcceptedAt); the cursor compares ids only.
Page ListByText(storage::Connection& c, const TextList& list);

}  // namespace hotline::workorder::repo

#pragma once
// RFC 4180 CSV: records of fields, quoted fields may hold commas, quotes ("") and line breaks.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::kb::internal {

struct CsvRecord {
  int row = 0;  // 1-based record number (a spreadsheet's row)
  std::vector<std::string> fields;
};

struct CsvParse {
  std::vector<CsvRecord> records;
  std::optional<int> unterminated_row;  // a quoted field still open at the end of input
};

/// Splits `text` into records; blank lines are skipped (but counted as rows).
CsvParse ParseCsv(std::string_view text);

/// Appends one field, quoted when it holds a comma, quote or line break.
void AppendCsvField(std::string& out, std::string_view field);

}  // namespace hotline::kb::internal

#include "csv.hpp"

namespace hotline::kb::internal {

CsvParse ParseCsv(std::string_view text) {
  CsvParse out;
  CsvRecord rec;
  std::string field;
  bool quoted = false;       // inside a quoted field
  bool field_started = false;
  int row = 1;
  auto end_record = [&] {
    if (field_started || !rec.fields.empty()) {
      rec.fields.push_back(std::move(field));
      rec.row = row;
      out.records.push_back(std::move(rec));
    }
    rec = CsvRecord{};
    field.clear();
    field_started = false;
    ++row;
  };
  int quote_row = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        quoted = true;
        quote_row = row;
        field_started = true;
        break;
      case ',':
        rec.fields.push_back(std::move(field));
        field.clear();
        field_started = true;
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        end_record();
        break;
      case '\n':
        end_record();
        break;
      default:
        field += c;
        field_started = true;
    }
  }
  if (quoted) {
    out.unterminated_row = quote_row;
    return out;
  }
  if (field_started || !rec.fields.empty()) end_record();
  return out;
}

void AppendCsvField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace hotline::kb::internal

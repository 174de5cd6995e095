// The monthly report as CSV: the same fields as the JSON lines, one row per unit.
#include <charconv>
#include <functional>

#include "hotline/reports/monthly.hpp"

namespace hotline::reports {
namespace {

void Field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

std::string Number(std::optional<double> v) {
  if (!v) return "";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *v);
  return ec == std::errc() ? std::string(buf, end) : "";
}

struct Column {
  const char* name;
  std::function<std::string(const UnitFigures&)> value;
};

std::vector<Column> FigureColumns() {
  auto count = [](int UnitFigures::*m) {
    return [m](const UnitFigures& f) { return std::to_string(f.*m); };
  };
  auto rate = [](std::optional<double> (UnitFigures::*m)() const) {
    return [m](const UnitFigures& f) { return Number((f.*m)()); };
  };
  return {{"received", count(&UnitFigures::received)},
          {"completed", count(&UnitFigures::completed)},
          {"completed_7d", count(&UnitFigures::completed_7d)},
          {"completed_30d", count(&UnitFigures::completed_30d)},
          {"completion_rate_7d", rate(&UnitFigures::completion_rate_7d)},
          {"completion_rate_30d", rate(&UnitFigures::completion_rate_30d)},
          {"pending", count(&UnitFigures::pending)},
          {"overdue", count(&UnitFigures::overdue)},
          {"extended", count(&UnitFigures::extended)},
          {"returned", count(&UnitFigures::returned)},
          {"withdrawn", count(&UnitFigures::withdrawn)},
          {"redo", count(&UnitFigures::redo)},
          {"redo_rate", rate(&UnitFigures::redo_rate)},
          {"rated", count(&UnitFigures::rated)},
          {"satisfaction", rate(&UnitFigures::satisfaction)},
          {"satisfaction_rate", rate(&UnitFigures::satisfaction_rate)}};
}

void Row(std::string& out, const std::vector<std::string>& head, const UnitFigures& f,
         const std::vector<Column>& columns) {
  bool first = true;
  for (const auto& h : head) {
    if (!first) out += ',';
    Field(out, h);
    first = false;
  }
  for (const auto& c : columns) {
    out += ',';
    out += c.value(f);
  }
  out += "\r\n";
}

}  // namespace

std::string MonthlyCsv(const MonthlyReport& r) {
  const auto columns = FigureColumns();
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte-order mark, as the knowledge-base export
  out += "month,unit_id,unit_name,kind";
  for (const auto& c : columns) {
    out += ',';
    out += c.name;
  }
  out += "\r\n";
  const std::string month = FormatMonth(r.month);
  for (const UnitLine& line : r.units) {
    Row(out, {month, std::to_string(line.unit_id), line.name, line.kind}, line.figures, columns);
  }
  Row(out, {month, "", "total", ""}, r.totals, columns);
  return out;
}

}  // namespace hotline::reports

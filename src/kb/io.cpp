#include "hotline/kb/io.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "csv.hpp"

namespace hotline::kb {
namespace {

using core::Error;
using core::FieldReader;
using core::Json;

std::string Trim(std::string_view s) {
  // Ideographic spaces (U+3000) typed with a Chinese IME are trimmed like ASCII ones.
  constexpr std::string_view kWideSpace = "\xE3\x80\x80";
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  for (bool changed = true; changed;) {
    size_t before = s.size();
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    if (s.starts_with(kWideSpace)) s.remove_prefix(kWideSpace.size());
    if (s.ends_with(kWideSpace)) s.remove_suffix(kWideSpace.size());
    changed = s.size() != before;
  }
  return std::string(s);
}

core::Result<std::string> CheckText(std::string_view field, const std::string& value, size_t max,
                                    bool required) {
  if (!core::IsValidUtf8(value)) return Error::Validation(std::string(field) + ": is not valid UTF-8", std::string(field));
  std::string t = Trim(value);
  if (required && t.empty()) return Error::Validation(std::string(field) + ": must not be empty", std::string(field));
  if (t.size() > max) {
    return Error::Validation(std::string(field) + ": is longer than " + std::to_string(max) + " bytes",
                             std::string(field));
  }
  return t;
}

std::vector<std::string> SplitKeywords(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < s.size(); ++i) {
    bool ascii_sep = s[i] == ';';
    bool wide_sep = s.compare(i, 3, "\xEF\xBC\x9B") == 0;  // ；
    if (!ascii_sep && !wide_sep) {
      cur += s[i];
      continue;
    }
    out.push_back(cur);
    cur.clear();
    if (wide_sep) i += 2;
  }
  out.push_back(cur);
  return out;
}

std::optional<bool> ParseFlag(std::string value) {
  value = Trim(value);
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
  if (value.empty() || value == "false" || value == "0" || value == "no" || value == "否") return false;
  if (value == "true" || value == "1" || value == "yes" || value == "是") return true;
  return std::nullopt;
}

Json KeywordsJson(const std::vector<std::string>& keywords) { return Json(keywords); }

/// The entry of one CSV record, given the column of each known field.
core::Result<ImportRow> CsvRow(const internal::CsvRecord& rec, const std::map<std::string, size_t>& cols) {
  auto get = [&](const char* name) -> std::string {
    auto it = cols.find(name);
    return it != cols.end() && it->second < rec.fields.size() ? rec.fields[it->second] : std::string();
  };
  ImportRow row;
  row.row = rec.row;
  row.entry.title = get("title");
  row.entry.body = get("body");
  row.entry.keywords = SplitKeywords(get("keywords"));
  row.entry.category = get("category");
  auto voice = ParseFlag(get("voice"));
  if (!voice) return Error::Validation("voice: must be true or false", "voice");
  row.entry.voice = *voice;
  if (std::string id = Trim(get("id")); !id.empty()) {
    if (id.find_first_not_of("0123456789") != std::string::npos || id.size() > 18) {
      return Error::Validation("id: must be a positive whole number", "id");
    }
    row.id = std::stoll(id);
  }
  auto checked = CheckEntry(std::move(row.entry));
  if (!checked) return checked.error();
  row.entry = std::move(*checked);
  return row;
}

}  // namespace

core::Result<EntryInput> CheckEntry(EntryInput in) {
  auto title = CheckText("title", in.title, kMaxTitle, true);
  if (!title) return title.error();
  auto body = CheckText("body", in.body, kMaxBody, true);
  if (!body) return body.error();
  auto category = CheckText("category", in.category, kMaxCategory, false);
  if (!category) return category.error();
  std::vector<std::string> keywords;
  for (const auto& k : in.keywords) {
    auto kw = CheckText("keywords", k, kMaxKeyword, false);
    if (!kw) return kw.error();
    // ; and ； separate keywords in a CSV file: a keyword holding one would come back as two.
    if (kw->find(';') != std::string::npos || kw->find("\xEF\xBC\x9B") != std::string::npos) {
      return Error::Validation("keywords: \"" + *kw + "\" holds a ; (the keyword separator of CSV files);"
                               " give each keyword as its own item", "keywords");
    }
    if (!kw->empty() && std::find(keywords.begin(), keywords.end(), *kw) == keywords.end()) {
      keywords.push_back(std::move(*kw));
    }
  }
  if (keywords.size() > kMaxKeywords) {
    return Error::Validation("keywords: more than " + std::to_string(kMaxKeywords), "keywords");
  }
  return EntryInput{std::move(*title), std::move(*body), std::move(keywords), std::move(*category), in.voice};
}

core::Result<EntryInput> EntryFromJson(const Json& object) {
  if (!object.is_object()) return Error::Validation("must be an object");
  FieldReader in(object);
  EntryInput e;
  e.title = in.String("title", {.required = true, .max_len = kMaxTitle}).value_or("");
  e.body = in.String("body", {.required = true, .max_len = kMaxBody}).value_or("");
  e.keywords = in.StringList("keywords", {.max_len = kMaxKeyword}, kMaxKeywords * 2).value_or(
      std::vector<std::string>{});
  e.category = in.String("category", {.max_len = kMaxCategory}).value_or("");
  e.voice = in.Bool("voice").value_or(false);
  if (!in.ok()) return in.error();
  return CheckEntry(std::move(e));
}

core::Result<EntryPatch> PatchFromJson(const Json& object) {
  FieldReader in(object);
  EntryPatch p;
  p.title = in.String("title", {.max_len = kMaxTitle});
  p.body = in.String("body", {.max_len = kMaxBody});
  p.keywords = in.StringList("keywords", {.max_len = kMaxKeyword}, kMaxKeywords * 2);
  p.category = in.String("category", {.max_len = kMaxCategory});
  p.voice = in.Bool("voice");
  if (auto v = in.Int("version", {.min = 1, .max = INT32_MAX})) p.expected_version = static_cast<int>(*v);
  if (!in.ok()) return in.error();
  return p;
}

Json EntryToJson(const Entry& e, const core::TimeZone& zone) {
  return {{"id", e.id},
          {"title", e.content.title},
          {"body", e.content.body},
          {"keywords", KeywordsJson(e.content.keywords)},
          {"category", e.content.category},
          {"voice", e.content.voice},
          {"version", e.version},
          {"usage_count", e.usage_count},
          {"created_at", core::FormatIso(e.created_at, zone)},
          {"updated_at", core::FormatIso(e.updated_at, zone)},
          {"updated_by", e.updated_by},
          {"deleted_at", e.deleted_at ? Json(core::FormatIso(*e.deleted_at, zone)) : Json(nullptr)}};
}

Json VersionToJson(const Version& v, const core::TimeZone& zone) {
  return {{"version", v.version},
          {"action", v.action},
          {"source", v.source},
          {"title", v.content.title},
          {"body", v.content.body},
          {"keywords", KeywordsJson(v.content.keywords)},
          {"category", v.content.category},
          {"voice", v.content.voice},
          {"actor", v.actor},
          {"actor_name", v.actor_name},
          {"at", core::FormatIso(v.at, zone)}};
}

core::Result<Synonyms> SynonymsFromJson(const Json& object) {
  if (!object.is_object()) return Error::Validation("synonyms must be an object of term: [expansions]");
  if (object.size() > kMaxSynonymTerms) {
    return Error::Validation("more than " + std::to_string(kMaxSynonymTerms) + " synonym terms");
  }
  Synonyms out;
  for (const auto& [term, list] : object.items()) {
    auto t = CheckText("synonyms", term, kMaxKeyword, true);
    if (!t) return Error::Validation("synonyms: a term is empty or too long", "synonyms");
    FieldReader in(object, "synonyms");
    auto expansions = in.StringList(term, {.max_len = kMaxKeyword}, kMaxExpansions);
    if (!in.ok()) return in.error();
    std::vector<std::string> clean;
    for (const auto& e : expansions.value_or(std::vector<std::string>{})) {
      auto x = CheckText("synonyms." + term, e, kMaxKeyword, false);
      if (!x) return x.error();
      if (!x->empty() && *x != *t) clean.push_back(std::move(*x));
    }
    if (clean.empty()) return Error::Validation("synonyms." + term + ": has no expansion", "synonyms." + term);
    auto& slot = out[*t];
    for (auto& c : clean) {
      if (std::find(slot.begin(), slot.end(), c) == slot.end()) slot.push_back(std::move(c));
    }
  }
  return out;
}

Json SynonymsToJson(const Synonyms& synonyms) {
  Json out = Json::object();
  for (const auto& [term, expansions] : synonyms) out[term] = expansions;
  return out;
}

core::Result<CategoryNames> CategoryNamesFromJson(const Json& object) {
  if (!object.is_object()) return Error::Validation("categories must be an object of slug: name");
  if (object.size() > kMaxCategories) {
    return Error::Validation("more than " + std::to_string(kMaxCategories) + " categories");
  }
  CategoryNames out;
  for (const auto& [slug, name] : object.items()) {
    // Trimmed as an entry's category is, so that the slug is the one entries hold.
    auto s = CheckText("categories", slug, kMaxCategory, true);
    if (!s) return Error::Validation("categories: a slug is empty or too long", "categories");
    const std::string field = "categories." + *s;
    if (!name.is_string()) return Error::Validation(field + ": must be a text", field);
    auto n = CheckText(field, name.get<std::string>(), kMaxCategoryName, true);
    if (!n) return n.error();
    out[*s] = std::move(*n);
  }
  return out;
}

Json CategoryNamesToJson(const CategoryNames& names) {
  Json out = Json::object();
  for (const auto& [slug, name] : names) out[slug] = name;
  return out;
}

std::vector<ImportRow> ReadImportJson(const Json& array, std::vector<RowError>& errors) {
  std::vector<ImportRow> rows;
  if (!array.is_array()) {
    errors.push_back({0, "", "the file must be a JSON array of entries"});
    return rows;
  }
  int n = 0;
  for (const auto& item : array) {
    ++n;
    auto entry = EntryFromJson(item);
    if (!entry) {
      errors.push_back({n, entry.error().field, entry.error().message});
      continue;
    }
    ImportRow row{n, std::nullopt, std::move(*entry)};
    if (auto it = item.find("id"); it != item.end() && !it->is_null()) {
      if (!it->is_number_integer() || it->get<int64_t>() < 1) {
        errors.push_back({n, "id", "id: must be a positive whole number"});
        continue;
      }
      row.id = it->get<int64_t>();
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<ImportRow> ReadImportCsv(std::string_view csv, std::vector<RowError>& errors) {
  std::vector<ImportRow> rows;
  if (csv.rfind("\xEF\xBB\xBF", 0) == 0) csv.remove_prefix(3);
  if (!core::IsValidUtf8(csv)) {
    errors.push_back({0, "", "the file is not UTF-8 (save it as \"CSV UTF-8\")"});
    return rows;
  }
  auto parsed = internal::ParseCsv(csv);
  if (parsed.unterminated_row) {
    errors.push_back({*parsed.unterminated_row, "", "a quoted field is never closed"});
    return rows;
  }
  if (parsed.records.empty()) {
    errors.push_back({1, "", "the file has no header row"});
    return rows;
  }
  std::map<std::string, size_t> cols;
  const auto& header = parsed.records.front();
  for (size_t i = 0; i < header.fields.size(); ++i) {
    // Header names are matched whatever their case (Title, BODY: spreadsheets capitalise).
    std::string name = Trim(header.fields[i]);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    cols.emplace(std::move(name), i);
  }
  for (const char* required : {"title", "body"}) {
    if (!cols.count(required)) errors.push_back({header.row, required, std::string("the header has no ") + required + " column"});
  }
  if (!errors.empty()) return rows;
  for (size_t r = 1; r < parsed.records.size(); ++r) {
    auto row = CsvRow(parsed.records[r], cols);
    if (!row) {
      errors.push_back({parsed.records[r].row, row.error().field, row.error().message});
      continue;
    }
    rows.push_back(std::move(*row));
  }
  return rows;
}

std::string WriteCsv(const std::vector<Entry>& entries, const core::TimeZone& zone) {
  std::string out = "\xEF\xBB\xBF";
  out += kCsvHeader;
  out += "\r\n";
  for (const auto& e : entries) {
    std::string keywords;
    for (const auto& k : e.content.keywords) keywords += (keywords.empty() ? "" : ";") + k;
    out += std::to_string(e.id) + ",";
    for (std::string_view f : {std::string_view(e.content.title), std::string_view(e.content.body),
                               std::string_view(keywords), std::string_view(e.content.category)}) {
      internal::AppendCsvField(out, f);
      out += ',';
    }
    out += e.content.voice ? "true," : "false,";
    out += std::to_string(e.version) + "," + core::FormatIso(e.updated_at, zone) + "\r\n";
  }
  return out;
}

}  // namespace hotline::kb

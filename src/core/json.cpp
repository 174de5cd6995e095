#include "hotline/core/json.hpp"

namespace hotline::core {

Result<Json> ParseJsonObject(std::string_view body) {
  int depth = 0;
  bool too_deep = false;
  auto limit = [&](int d, Json::parse_event_t event, Json&) {
    if (event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) {
      depth = d;
      if (d >= kMaxJsonDepth) too_deep = true;
    }
    return !too_deep;
  };
  Json parsed = Json::parse(body.begin(), body.end(), limit, /*allow_exceptions=*/false);
  if (too_deep) {
    return Error::Validation("JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  if (parsed.is_discarded()) return Error::Validation("body is not valid JSON");
  if (!parsed.is_object()) return Error::Validation("body must be a JSON object");
  return Result<Json>(boost::system::in_place_value, std::move(parsed));
}

std::string FieldReader::Name(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

void FieldReader::Fail(std::string_view key, std::string message) {
  if (!error_) error_ = Error::Validation(Name(key) + ": " + message, Name(key));
}

bool FieldReader::Has(std::string_view key) const {
  auto it = object_.find(key);
  return it != object_.end() && !it->is_null();
}

const Json* FieldReader::Find(std::string_view key, bool required) {
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) {
    if (required) Fail(key, "is required");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> FieldReader::String(std::string_view key, StringRule rule) {
  const Json* v = Find(key, rule.required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Fail(key, "must be a string");
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > rule.max_len) {
    Fail(key, "is longer than " + std::to_string(rule.max_len) + " bytes");
    return std::nullopt;
  }
  if (s.size() < rule.min_len || (rule.required && s.empty())) {
    Fail(key, "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<int64_t> FieldReader::Int(std::string_view key, IntRule rule) {
  const Json* v = Find(key, rule.required);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    Fail(key, "must be an integer");
    return std::nullopt;
  }
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    Fail(key, "is out of range");
    return std::nullopt;
  }
  int64_t n = v->get<int64_t>();
  if (n < rule.min || n > rule.max) {
    Fail(key, "must be between " + std::to_string(rule.min) + " and " + std::to_string(rule.max));
    return std::nullopt;
  }
  return n;
}

std::optional<double> FieldReader::Number(std::string_view key, bool required) {
  const Json* v = Find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    Fail(key, "must be a number");
    return std::nullopt;
  }
  return v->get<double>();
}

std::optional<bool> FieldReader::Bool(std::string_view key, bool required) {
  const Json* v = Find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    Fail(key, "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::string> FieldReader::Enum(std::string_view key,
                                             std::initializer_list<std::string_view> allowed,
                                             bool required) {
  return Enum(key, std::vector<std::string>(allowed.begin(), allowed.end()), required);
}

std::optional<std::string> FieldReader::Enum(std::string_view key,
                                             const std::vector<std::string>& allowed,
                                             bool required) {
  auto s = String(key, {.required = required, .max_len = 64});
  if (!s) return std::nullopt;
  for (const auto& a : allowed) {
    if (a == *s) return s;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  Fail(key, "must be one of: " + list);
  return std::nullopt;
}

std::optional<std::vector<std::string>> FieldReader::StringList(std::string_view key,
                                                                StringRule rule,
                                                                size_t max_items) {
  const Json* v = Find(key, rule.required);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    Fail(key, "must be an array of strings");
    return std::nullopt;
  }
  if (v->size() > max_items) {
    Fail(key, "has more than " + std::to_string(max_items) + " items");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *v) {
    if (!item.is_string() || item.get_ref<const std::string&>().size() > rule.max_len) {
      Fail(key, "items must be strings of at most " + std::to_string(rule.max_len) + " bytes");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

const Json* FieldReader::Object(std::string_view key, bool required) {
  const Json* v = Find(key, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    Fail(key, "must be an object");
    return nullptr;
  }
  return v;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // every byte but continuation bytes
  return n;
}

}  // namespace hotline::core

#pragma once
// JSON in and out. Parsing untrusted bodies and reading typed, bounded fields from them:
// every failure becomes one validation Error that names the field.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/core/error.hpp"

namespace hotline::core {

using Json = nlohmann::json;

inline constexpr int kMaxJsonDepth = 32;

/// Parses a request body: malformed JSON, nesting deeper than kMaxJsonDepth, or a
/// top-level value that is not an object all answer validation_failed.
Result<Json> ParseJsonObject(std::string_view body);

/// Bounds for FieldReader::String.
struct StringRule {
  bool required = false;
  size_t max_len = 1000;  // in bytes of UTF-8
  size_t min_len = 0;
};
/// Bounds for FieldReader::Int.
struct IntRule {
  bool required = false;
  int64_t min = INT64_MIN;
  int64_t max = INT64_MAX;
};

/// Reads fields of one JSON object, remembering the first problem.
///   FieldReader in(body);
///   auto name = in.String("name", {.required = true, .max_len = 200});
///   if (!in.ok()) return in.error();
class FieldReader {
 public:
  explicit FieldReader(const Json& object, std::string prefix = {})
      : object_(object), prefix_(std::move(prefix)) {}

  std::optional<std::string> String(std::string_view key, StringRule rule = {});
  std::optional<int64_t> Int(std::string_view key, IntRule rule = {});
  std::optional<double> Number(std::string_view key, bool required = false);
  std::optional<bool> Bool(std::string_view key, bool required = false);
  /// A string that must be one of `allowed`.
  std::optional<std::string> Enum(std::string_view key, std::initializer_list<std::string_view> allowed,
                                  bool required = false);
  std::optional<std::string> Enum(std::string_view key, const std::vector<std::string>& allowed,
                                  bool required = false);
  /// An array of strings, each within `rule`.
  std::optional<std::vector<std::string>> StringList(std::string_view key, StringRule rule = {},
                                                     size_t max_items = 100);
  /// A nested object (or nothing when absent and not required).
  const Json* Object(std::string_view key, bool required = false);
  bool Has(std::string_view key) const;

  /// Records a problem found by the caller (the first one wins).
  void Fail(std::string_view key, std::string message);

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  const Json* Find(std::string_view key, bool required);
  std::string Name(std::string_view key) const;

  const Json& object_;
  std::string prefix_;
  std::optional<Error> error_;
};

/// A JSON value as a successful Result. (Json converts implicitly to almost anything, so
/// `return json;` into a Result<Json> is ambiguous: say it outright.)
inline Result<Json> JsonOk(Json value) {
  return Result<Json>(boost::system::in_place_value, std::move(value));
}

/// True when `s` is valid UTF-8 (JSON output would otherwise throw).
bool IsValidUtf8(std::string_view s);
/// The number of characters (code points) of UTF-8 text: what character bounds count.
size_t Utf8Length(std::string_view s);

}  // namespace hotline::core

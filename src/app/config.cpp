#include "config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace hotline::app {

// config/hotline.json, embedded at build time (default_config.cpp.in).
extern const char* const kDefaultConfigJson;

namespace {

using core::Error;
using core::Json;



std::string TypeName(const Json& v) {
  if (v.is_number_integer()) return "a whole number";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "true or false";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

bool SameType(const Json& def, const Json& v) {
  if (def.is_null()) return v.is_null() || v.is_string();  // optional strings
  if (def.is_number_integer()) return v.is_number_integer();
  if (def.is_number()) return v.is_number();
  return def.type() == v.type();
}

// Walks `user` against `def`, merging into `out`; the first problem names its key path.
std::optional<Error> Check(const Json& def, const Json& user, const std::string& path, Json& out) {
  for (const auto& [key, value] : user.items()) {
    std::string name = path.empty() ? key : path + "." + key;
    if (!def.contains(key)) return Error::Validation("config: unknown key '" + name + "'", name);
    const Json& d = def[key];
    if (!SameType(d, value)) {
      return Error::Validation("config: '" + name + "' must be " + TypeName(d.is_null() ? Json("") : d) +
                                   ", not " + TypeName(value),
                               name);
    }
    if (d.is_object()) {
      if (auto e = Check(d, value, name, out[key])) return e;
    } else {
      out[key] = value;
    }
  }
  return std::nullopt;
}

}  // namespace

const core::Json& DefaultConfig() {
  static const Json defaults = Json::parse(kDefaultConfigJson);
  return defaults;
}

core::Result<core::Json> MergeConfig(const core::Json& user) {
  if (!user.is_object()) return Error::Validation("config: must be a JSON object");
  Json merged = DefaultConfig();
  if (auto e = Check(DefaultConfig(), user, "", merged)) return *e;
  if (const char* key = std::getenv("HOTLINE_TELEPHONY_KEY"); key && *key) {
    merged["auth"]["telephony_key"] = key;
  }
  return core::Result<Json>(boost::system::in_place_value, std::move(merged));
}

core::Result<core::Json> LoadConfig(const std::string& path) {
  if (path.empty()) return MergeConfig(Json::object());
  std::ifstream in(path);
  if (!in) return Error::Validation("config: cannot read '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  Json user = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (user.is_discarded()) return Error::Validation("config: '" + path + "' is not valid JSON");
  return MergeConfig(user);
}

core::Result<core::HoursConfig> ReadHours(const core::Json& hours) {
  core::HoursConfig h;
  h.timezone = hours["timezone"].get<std::string>();
  auto open = core::ParseClockTime(hours["open"].get<std::string>());
  auto close = core::ParseClockTime(hours["close"].get<std::string>());
  if (!open || *open >= 1440) return Error::Validation("config: hours.open must be HH:MM", "hours.open");
  if (!close) return Error::Validation("config: hours.close must be HH:MM or 24:00", "hours.close");
  h.open_minute = *open;
  h.close_minute = *close;
  h.days.clear();
  for (const auto& d : hours["days"]) {
    if (!d.is_number_integer() || d.get<int>() < 1 || d.get<int>() > 7) {
      return Error::Validation("config: hours.days holds ISO weekdays 1 to 7", "hours.days");
    }
    h.days.push_back(d.get<int>());
  }
  for (const char* key : {"holidays", "workdays"}) {
    for (const auto& d : hours[key]) {
      auto date = d.is_string() ? core::ParseDate(d.get<std::string>()) : std::nullopt;
      if (!date) {
        return Error::Validation(std::string("config: hours.") + key + " holds dates YYYY-MM-DD",
                                 std::string("hours.") + key);
      }
      (std::string(key) == "holidays" ? h.holidays : h.workdays).insert(*date);
    }
  }
  return h;
}

}  // namespace hotline::app

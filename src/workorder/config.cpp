#include "hotline/workorder/config.hpp"

#include <algorithm>
#include <string>

namespace hotline::workorder {
namespace {

// Reads an integer key within [min, max] into `out` (absent keeps the default).
bool ReadInt(const core::Json& s, const char* key, int min, int max, int& out,
             std::optional<core::Error>& error) {
  auto it = s.find(key);
  if (it == s.end() || it->is_null()) return true;
  if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
    error = core::Error::Validation("workorder." + std::string(key) + " must be an integer in " +
                                        std::to_string(min) + ".." + std::to_string(max),
                                    "workorder." + std::string(key));
    return false;
  }
  out = it->get<int>();
  return true;
}

}  // namespace

bool WorkOrderConfig::NeedsCallback(Type type, bool deferred) const {
  if (type == Type::kConsult && deferred) return true;
  return std::find(callback_required.begin(), callback_required.end(), type) !=
         callback_required.end();
}

core::Result<WorkOrderConfig> WorkOrderConfigFromJson(const core::Json& section) {
  WorkOrderConfig c;
  if (section.is_null()) return c;
  if (!section.is_object()) return core::Error::Validation("workorder must be an object", "workorder");
  std::optional<core::Error> error;
  bool ok = ReadInt(section, "deadline_days", 1, 3650, c.deadline_days, error) &&
            ReadInt(section, "extension_days", 1, 3650, c.extension_days, error) &&
            ReadInt(section, "remind_before_days", 0, 3650, c.remind_before_days, error) &&
            ReadInt(section, "callback_attempts", 1, 100, c.callback_attempts, error) &&
            ReadInt(section, "ack_hours", 1, 24 * 365, c.ack_hours, error);
  if (!ok) return *error;
  if (auto it = section.find("working_days"); it != section.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      return core::Error::Validation("workorder.working_days must be true or false",
                                     "workorder.working_days");
    }
    c.working_days = it->get<bool>();
  }
  if (auto it = section.find("callback_required"); it != section.end() && !it->is_null()) {
    if (!it->is_array()) {
      return core::Error::Validation("workorder.callback_required must be a list of types",
                                     "workorder.callback_required");
    }
    c.callback_required.clear();
    for (const auto& v : *it) {
      auto t = v.is_string() ? ParseType(v.get<std::string>()) : std::nullopt;
      if (!t) {
        return core::Error::Validation("workorder.callback_required holds an unknown type",
                                       "workorder.callback_required");
      }
      c.callback_required.push_back(*t);
    }
  }
  return c;
}

}  // namespace hotline::workorder

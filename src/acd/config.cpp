#include "hotline/acd/config.hpp"

#include <set>

namespace hotline::acd {
namespace {

constexpr int kMaxSeats = 999;
constexpr int kMaxSeconds = 86'400;

struct IntField {
  const char* name;
  int AcdConfig::*member;
  int min;
  int max;
};

// Ranges of the integer settings, shared by validation and parsing.
constexpr IntField kIntFields[] = {
    {"ring_timeout_s", &AcdConfig::ring_timeout_s, 1, kMaxSeconds},
    {"wrap_up_s", &AcdConfig::wrap_up_s, 0, kMaxSeconds},
    {"overflow_after_s", &AcdConfig::overflow_after_s, 0, kMaxSeconds},
    {"max_waiting", &AcdConfig::max_waiting, 0, 1'000'000},
    {"short_abandon_s", &AcdConfig::short_abandon_s, 0, kMaxSeconds},
    {"service_level_s", &AcdConfig::service_level_s, 0, kMaxSeconds},
    {"default_talk_s", &AcdConfig::default_talk_s, 1, kMaxSeconds},
    {"arrival_window_s", &AcdConfig::arrival_window_s, 60, kMaxSeconds},
    {"handle_window", &AcdConfig::handle_window, 1, 100'000},
    {"retain_ended_s", &AcdConfig::retain_ended_s, 0, 7 * kMaxSeconds},
};

core::Error Invalid(const std::string& field, const std::string& what) {
  return core::Error::Validation("acd." + field + ": " + what, "acd." + field);
}

}  // namespace

std::string_view StrategyName(Strategy strategy) {
  switch (strategy) {
    case Strategy::kLongestIdle:
      return "longest_idle";
    case Strategy::kFewestCalls:
      return "fewest_calls";
    case Strategy::kLeastTalkTime:
      return "least_talk_time";
    case Strategy::kRoundRobin:
      return "round_robin";
  }
  return "longest_idle";
}

std::optional<Strategy> ParseStrategy(std::string_view name) {
  for (Strategy s : {Strategy::kLongestIdle, Strategy::kFewestCalls, Strategy::kLeastTalkTime,
                     Strategy::kRoundRobin}) {
    if (StrategyName(s) == name) return s;
  }
  return std::nullopt;
}

core::Result<void> ValidateConfig(const AcdConfig& config) {
  if (config.regular_seats < 0 || config.regular_seats > kMaxSeats) {
    return Invalid("seats.regular", "must be 0.." + std::to_string(kMaxSeats));
  }
  if (config.emergency_seats < 0 || config.emergency_seats > kMaxSeats) {
    return Invalid("seats.emergency", "must be 0.." + std::to_string(kMaxSeats));
  }
  if (config.total_seats() < 1) return Invalid("seats.regular", "there must be a seat");
  for (const IntField& f : kIntFields) {
    int v = config.*f.member;
    if (v < f.min || v > f.max) {
      return Invalid(f.name, "must be " + std::to_string(f.min) + ".." + std::to_string(f.max));
    }
  }
  if (config.skills.empty() || config.skills.size() > 64) {
    return Invalid("skills", "must list 1..64 skills");
  }
  std::set<std::string> seen;
  for (const std::string& s : config.skills) {
    if (s.empty() || s.size() > 64) return Invalid("skills", "a skill name must be 1..64 bytes");
    if (!seen.insert(s).second) return Invalid("skills", "duplicate skill '" + s + "'");
  }
  if (config.extension_pattern.find("{seat}") == std::string::npos) {
    return Invalid("extension_pattern", "must contain {seat}");
  }
  if (config.max_retained_calls < 1) return Invalid("max_retained_calls", "must be positive");
  return {};
}

core::Result<AcdConfig> ParseAcdConfig(const core::Json& acd) {
  AcdConfig config;
  if (!acd.is_object()) return core::Error::Validation("acd: must be an object", "acd");
  core::FieldReader in(acd, "acd");
  if (const core::Json* seats = in.Object("seats")) {
    core::FieldReader s(*seats, "acd.seats");
    if (auto v = s.Int("regular", {.min = 0, .max = kMaxSeats})) config.regular_seats = int(*v);
    if (auto v = s.Int("emergency", {.min = 0, .max = kMaxSeats})) config.emergency_seats = int(*v);
    if (!s.ok()) return s.error();
  }
  for (const IntField& f : kIntFields) {
    if (auto v = in.Int(f.name, {.min = f.min, .max = f.max})) config.*f.member = int(*v);
  }
  if (auto v = in.Int("max_retained_calls", {.min = 1, .max = 10'000'000})) {
    config.max_retained_calls = size_t(*v);
  }
  if (auto v =
          in.Enum("strategy", {"longest_idle", "fewest_calls", "least_talk_time", "round_robin"})) {
    config.strategy = *ParseStrategy(*v);
  }
  if (auto v = in.StringList("skills", {.max_len = 64, .min_len = 1}, 64)) config.skills = *v;
  if (auto v = in.String("extension_pattern", {.max_len = 200})) config.extension_pattern = *v;
  if (!in.ok()) return in.error();
  if (auto ok = ValidateConfig(config); !ok) return ok.error();
  return config;
}

std::string SeatExtension(const AcdConfig& config, int seat) {
  static constexpr std::string_view kPlaceholder = "{seat}";
  std::string out = config.extension_pattern;
  const std::string number = std::to_string(seat);
  for (size_t at = out.find(kPlaceholder); at != std::string::npos;
       at = out.find(kPlaceholder, at + number.size())) {
    out.replace(at, kPlaceholder.size(), number);
  }
  return out;
}

}  // namespace hotline::acd

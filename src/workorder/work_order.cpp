#include "hotline/workorder/work_order.hpp"

#include <array>

namespace hotline::workorder {
namespace {

template <class E, size_t N>
std::optional<E> Lookup(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

template <class E, size_t N>
std::vector<E> Every() {
  std::vector<E> out;
  for (size_t i = 0; i < N; ++i) out.push_back(static_cast<E>(i));
  return out;
}

// Indexed by the enums' values; the order must match their declarations.
constexpr std::array<std::string_view, 7> kStatusNames = {
    "open", "pending_answer", "transferred", "acknowledged", "replied", "callback_due", "closed"};
constexpr std::array<std::string_view, 5> kTypeNames = {"consult", "complaint", "report",
                                                        "suggestion", "praise"};
constexpr std::array<std::string_view, 5> kChannelNames = {"phone", "voicemail", "web", "email",
                                                           "sms"};
constexpr std::array<std::string_view, 16> kActionNames = {
    "answer", "defer",    "escalate", "mediate", "transfer", "acknowledge",
    "return", "reply",    "extend",   "remind",  "callback", "reopen",
    "note",   "merge",    "link_incident", "link_call"};

}  // namespace

std::string_view StatusName(Status s) { return kStatusNames[static_cast<size_t>(s)]; }
std::optional<Status> ParseStatus(std::string_view n) { return Lookup<Status>(kStatusNames, n); }
std::string_view TypeName(Type t) { return kTypeNames[static_cast<size_t>(t)]; }
std::optional<Type> ParseType(std::string_view n) { return Lookup<Type>(kTypeNames, n); }
std::string_view ChannelName(Channel c) { return kChannelNames[static_cast<size_t>(c)]; }
std::optional<Channel> ParseChannel(std::string_view n) {
  return Lookup<Channel>(kChannelNames, n);
}
std::string_view ActionName(Action a) { return kActionNames[static_cast<size_t>(a)]; }
std::optional<Action> ParseAction(std::string_view n) { return Lookup<Action>(kActionNames, n); }

const std::vector<Status>& AllStatuses() {
  static const auto all = Every<Status, kStatusNames.size()>();
  return all;
}
const std::vector<Type>& AllTypes() {
  static const auto all = Every<Type, kTypeNames.size()>();
  return all;
}
const std::vector<Channel>& AllChannels() {
  static const auto all = Every<Channel, kChannelNames.size()>();
  return all;
}
const std::vector<Action>& AllActions() {
  static const auto all = Every<Action, kActionNames.size()>();
  return all;
}

bool WorkOrder::Overdue(TimePoint now) const {
  // From due_at on, the instant the overdue reminder fires (Deadlines::DuePoints).
  return (status == Status::kTransferred || status == Status::kAcknowledged) && now >= due_at;
}

}  // namespace hotline::workorder

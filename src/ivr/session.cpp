#include "hotline/ivr/session.hpp"

namespace hotline::ivr {
namespace {

const char* PhaseName(Phase p) {
  switch (p) {
    case Phase::kMenu:
      return "menu";
    case Phase::kQueue:
      return "queue";
    case Phase::kEnded:
      return "ended";
  }
  return "menu";
}

}  // namespace

core::Json Session::ToJson() const {
  return core::Json{{"phase", PhaseName(phase)}, {"node", node},         {"topic", topic},
                    {"page", page},
                    {"errors", errors},          {"no_input", no_input}, {"greeted", greeted}};
}

core::Result<Session> Session::FromJson(const core::Json& json) {
  if (!json.is_object()) return core::Error::Validation("ivr session must be an object", "session");
  core::FieldReader in(json, "session");
  Session s;
  auto phase = in.Enum("phase", {"menu", "queue", "ended"}, true);
  auto node = in.String("node", {.required = true, .max_len = 40});
  auto topic = in.String("topic", {.max_len = 1000});
  auto page = in.Int("page", {.min = 0, .max = 10000});
  auto errors = in.Int("errors", {.min = 0, .max = 100});
  auto no_input = in.Int("no_input", {.min = 0, .max = 100});
  auto greeted = in.Bool("greeted");
  if (!in.ok()) return in.error();
  s.phase = *phase == "queue" ? Phase::kQueue : *phase == "ended" ? Phase::kEnded : Phase::kMenu;
  s.node = *node;
  s.topic = topic.value_or("");
  s.page = static_cast<int>(page.value_or(0));
  s.errors = static_cast<int>(errors.value_or(0));
  s.no_input = static_cast<int>(no_input.value_or(0));
  s.greeted = greeted.value_or(false);
  return s;
}

Session NewSession(const Menu& menu) {
  Session s;
  s.node = menu.root;
  return s;
}

}  // namespace hotline::ivr

// Incident mode: emergency seats go live and matching calls are tagged.
#include <algorithm>

#include "acd/engine_impl.hpp"

namespace hotline::acd {
namespace {

constexpr size_t kMaxTitleLen = 200;
constexpr size_t kMaxKeywords = 50;
constexpr size_t kMaxKeywordLen = 64;
constexpr size_t kMaxMessageLen = 2000;
constexpr size_t kMaxChoices = 50;
constexpr size_t kMaxChoiceLen = 64;

// Case-folds ASCII only; Chinese keywords match as they are.
std::string Fold(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool IncidentRec::Matches(const std::string& skill, const std::string& ivr_choice,
                          const std::string& category) const {
  if (!skill.empty() && Contains(view.skills, skill)) return true;
  if (!ivr_choice.empty() && Contains(view.ivr_choices, ivr_choice)) return true;
  const std::string texts[] = {Fold(skill), Fold(ivr_choice), Fold(category)};
  for (const std::string& keyword : folded) {
    for (const std::string& text : texts) {
      if (text.find(keyword) != std::string::npos) return true;
    }
  }
  return false;
}

core::Result<IncidentRec> Engine::Impl::CheckIncident(IncidentInput in) const {
  if (in.id <= 0) return core::Error::Validation("incident id must be positive", "id");
  if (in.title.empty() || in.title.size() > kMaxTitleLen) {
    return core::Error::Validation("title must be 1.." + std::to_string(kMaxTitleLen) + " bytes",
                                   "title");
  }
  if (in.keywords.size() > kMaxKeywords) {
    return core::Error::Validation("too many keywords", "keywords");
  }
  for (const std::string& k : in.keywords) {
    if (k.empty() || k.size() > kMaxKeywordLen) {
      return core::Error::Validation(
          "a keyword must be 1.." + std::to_string(kMaxKeywordLen) + " bytes", "keywords");
    }
  }
  if (in.skills.size() > config_.skills.size()) {
    return core::Error::Validation("too many skills", "skills");
  }
  for (const std::string& s : in.skills) {
    if (!skill_index_.count(s))
      return core::Error::Validation("unknown skill '" + s + "'", "skills");
  }
  if (in.ivr_choices.size() > kMaxChoices) {
    return core::Error::Validation("too many ivr_choices", "ivr_choices");
  }
  for (const std::string& c : in.ivr_choices) {
    if (c.empty() || c.size() > kMaxChoiceLen) {
      return core::Error::Validation(
          "an ivr_choice must be 1.." + std::to_string(kMaxChoiceLen) + " bytes", "ivr_choices");
    }
  }
  if (in.ivr_message.size() > kMaxMessageLen) {
    return core::Error::Validation("ivr_message is too long", "ivr_message");
  }
  for (const IncidentRec& open : incidents_) {
    if (open.view.id == in.id) return core::Error::Conflict("incident is already open");
  }
  IncidentRec rec;
  for (const std::string& k : in.keywords) rec.folded.push_back(Fold(k));
  rec.view.id = in.id;
  rec.view.title = std::move(in.title);
  rec.view.keywords = std::move(in.keywords);
  rec.view.ivr_message = std::move(in.ivr_message);
  rec.view.skills = std::move(in.skills);
  rec.view.ivr_choices = std::move(in.ivr_choices);
  rec.view.opened_at = in.opened_at ? std::min(*in.opened_at, now_) : now_;
  rec.view.calls_tagged = std::max(0, in.calls_tagged);
  return rec;
}

core::Result<IncidentView> Engine::Impl::OpenIncident(IncidentInput in) {
  in.opened_at.reset();
  in.calls_tagged = 0;
  auto rec = CheckIncident(std::move(in));
  if (!rec) return rec.error();
  incidents_.push_back(std::move(*rec));
  EmitIncident(EventKind::kIncidentOpened, incidents_.back().view);
  // Calls already waiting (in line or ringing) that match and carry no incident yet are
  // tagged now, in queue order.
  std::vector<CallRec*> waiting;
  for (auto& [id, call] : calls_) {
    if (call.rec.incident_id) continue;
    if (call.rec.state != CallState::kQueued && call.rec.state != CallState::kRinging) continue;
    waiting.push_back(&call);
  }
  std::sort(waiting.begin(), waiting.end(),
            [](const CallRec* a, const CallRec* b) { return a->key < b->key; });
  IncidentRec& incident = incidents_.back();
  for (CallRec* call : waiting) {
    if (!incident.Matches(call->rec.skill, call->rec.ivr_choice, call->rec.category)) continue;
    call->rec.incident_id = incident.view.id;
    ++incident.view.calls_tagged;
    EmitCall(EventKind::kCallTagged, *call, "incident_opened");
  }
  Dispatch();  // emergency seats are live now
  return incidents_.back().view;
}

core::Result<void> Engine::Impl::RestoreIncidents(std::vector<IncidentInput> incidents) {
  if (!calls_.empty()) {
    return core::Error::Conflict("incidents can only be restored into an engine with no calls");
  }
  std::vector<IncidentRec> recs;
  for (IncidentInput& in : incidents) {
    for (const IncidentRec& r : recs) {
      if (r.view.id == in.id) return core::Error::Validation("incident ids must be unique", "id");
    }
    auto rec = CheckIncident(std::move(in));
    if (!rec) return rec.error();
    recs.push_back(std::move(*rec));
  }
  std::stable_sort(recs.begin(), recs.end(), [](const IncidentRec& a, const IncidentRec& b) {
    return a.view.opened_at < b.view.opened_at;
  });
  for (IncidentRec& r : recs) incidents_.push_back(std::move(r));
  Dispatch();  // emergency seats are live again
  return {};
}

core::Result<IncidentView> Engine::Impl::CloseIncident(int64_t id) {
  auto it = std::find_if(incidents_.begin(), incidents_.end(),
                         [id](const IncidentRec& r) { return r.view.id == id; });
  if (it == incidents_.end()) return core::Error::NotFound("incident is not open");
  IncidentView view = std::move(it->view);
  view.closed_at = now_;
  incidents_.erase(it);
  // Emergency seats stop getting calls (SeatLive); the calls they hold run to their end.
  EmitIncident(EventKind::kIncidentClosed, view);
  return view;
}

std::optional<int64_t> Engine::Impl::TagIncident(const std::string& skill,
                                                 const std::string& ivr_choice,
                                                 const std::string& category) {
  for (IncidentRec& incident : incidents_) {
    if (incident.Matches(skill, ivr_choice, category)) {
      ++incident.view.calls_tagged;
      return incident.view.id;
    }
  }
  return std::nullopt;
}

}  // namespace hotline::acd

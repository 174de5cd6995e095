// Incident mode: emergency seats go live and matching calls are tagged.
#include <algorithm>

#include "acd/engine_impl.hpp"

namespace hotline::acd {
namespace {

constexpr size_t kMaxTitleLen = 200;
constexpr size_t kMaxKeywords = 50;
constexpr size_t kMaxKeywordLen = 64;
constexpr size_t kMaxMessageLen = 2000;

// Case-folds ASCII only; Chinese keywords match as they are.
std::string Fold(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

core::Result<IncidentView> Engine::Impl::OpenIncident(IncidentInput in) {
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
  rec.view.opened_at = now_;
  incidents_.push_back(std::move(rec));
  EmitIncident(EventKind::kIncidentOpened, incidents_.back().view);
  Dispatch();  // emergency seats are live now
  return incidents_.back().view;
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
  if (incidents_.empty()) return std::nullopt;
  const std::string texts[] = {Fold(skill), Fold(ivr_choice), Fold(category)};
  for (IncidentRec& incident : incidents_) {
    for (const std::string& keyword : incident.folded) {
      for (const std::string& text : texts) {
        if (text.find(keyword) != std::string::npos) {
          ++incident.view.calls_tagged;
          return incident.view.id;
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace hotline::acd

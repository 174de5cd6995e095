#include "reports/unit_stints.hpp"

#include <algorithm>

namespace hotline::reports {
namespace {

constexpr int kSatisfiedFrom = 4;  // of 1–5, when the agent did not say satisfied: true/false

class Folder {
 public:
  void Apply(const TicketEvent& e) {
    if (e.action == "transfer" || (e.action == "create" && e.unit_id)) {
      Received(e);
    } else if (e.action == "extend") {
      if (holder_) Find(*holder_)->extended = true;
    } else if (e.action == "return") {
      if (Stint* s = Find(e.unit_id.value_or(holder_.value_or(0)))) s->state = StintState::kReturned;
      holder_.reset();
    } else if (e.action == "reply") {
      Replied(e);
    } else if (e.action == "answer" || e.action == "mediate") {
      completer_.reset();  // the hotline settled it itself
    } else if (e.action == "callback") {
      CalledBack(e);
    } else if (e.action == "reopen") {
      Void(/*redo=*/false);
    }
  }

  std::vector<Stint> Take() { return std::move(stints_); }

 private:
  Stint* Find(int64_t unit) {
    auto it = std::find_if(stints_.begin(), stints_.end(), [unit](const Stint& s) { return s.unit_id == unit; });
    return it == stints_.end() ? nullptr : &*it;
  }

  void Received(const TicketEvent& e) {
    if (!e.unit_id) return;
    Stint* s = Find(*e.unit_id);
    if (!s) {
      stints_.push_back({.unit_id = *e.unit_id, .received_at = e.at});
      s = &stints_.back();
    }
    s->state = StintState::kPending;
    s->completed_at.reset();
    holder_ = *e.unit_id;
  }

  void Replied(const TicketEvent& e) {
    const int64_t unit = e.unit_id.value_or(holder_.value_or(0));
    if (Stint* s = Find(unit)) {
      s->state = StintState::kCompleted;
      s->completed_at = e.at;
      completer_ = unit;
    }
    holder_.reset();
  }

  void CalledBack(const TicketEvent& e) {
    if (!e.reached || !e.satisfaction || !completer_) return;
    Stint* s = Find(*completer_);
    if (!s) return;
    s->satisfaction = e.satisfaction;
    s->satisfied = e.satisfied.value_or(*e.satisfaction >= kSatisfiedFrom);
    if (e.satisfied == false && e.reopen) Void(/*redo=*/true);
  }

  // The unit's reply no longer stands: the work order is open again.
  void Void(bool redo) {
    if (!completer_) return;
    if (Stint* s = Find(*completer_)) {
      if (redo) s->redone = true;
      if (s->state == StintState::kCompleted) {
        s->state = StintState::kWithdrawn;
        s->completed_at.reset();
      }
    }
    completer_.reset();
  }

  std::vector<Stint> stints_;
  std::optional<int64_t> holder_;     // the unit that has the work order now
  std::optional<int64_t> completer_;  // the unit whose reply is the current completion
};

}  // namespace

std::vector<Stint> FoldStints(std::span<const TicketEvent> events) {
  Folder folder;
  for (const TicketEvent& e : events) folder.Apply(e);
  return folder.Take();
}

}  // namespace hotline::reports

#pragma once
// A work order's stints with units, read from its history: every unit it was sent to (a
// transfer, or an assisting unit's child work order), when the unit first received it, and
// where that stands now. The monthly report counts these, so that a work order returned by
// one hospital and sent to another counts once for each, and a redo counts against the unit
// whose reply the caller rejected.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hotline/core/clock.hpp"

namespace hotline::reports {

/// One history row, with the fields the fold needs.
struct TicketEvent {
  std::string action;  // "create", "transfer", "reply", "return", "extend", "callback", …
  core::TimePoint at;
  std::optional<int64_t> unit_id;  // fields.unit_id (transfer, return, reply, a child's create)
  bool reached = false;            // callback
  std::optional<int> satisfaction;
  std::optional<bool> satisfied;
  bool reopen = false;
};

enum class StintState {
  kPending,    // with the unit now
  kCompleted,  // the unit replied (办结) and that reply stands
  kReturned,   // the unit sent it back (退回) and it was not sent to it again
  kWithdrawn,  // its reply was voided (a redo or a reopen) and the work went elsewhere
};

struct Stint {
  int64_t unit_id = 0;
  core::TimePoint received_at;  // the first time this unit received the work order
  StintState state = StintState::kPending;
  std::optional<core::TimePoint> completed_at;  // the reply that stands
  bool extended = false;  // its deadline was extended while with this unit
  bool redone = false;    // a caller rejected this unit's reply (重办)
  std::optional<int> satisfaction;  // the last reached callback after this unit's reply
  bool satisfied = false;           // `satisfied` when given, else satisfaction >= 4
};

/// Folds one work order's history (oldest first) into its stints, in order of first receipt.
std::vector<Stint> FoldStints(std::span<const TicketEvent> events);

}  // namespace hotline::reports

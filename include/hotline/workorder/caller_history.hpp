#pragma once
// A caller's history (GET /api/v1/callers/{phone}/history): the caller's calls and work
// orders in one list, newest first, paged with a keyset cursor like the work-order lists.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hotline/workorder/work_order.hpp"

namespace hotline::workorder {

/// One call of the caller, as the call records (the ACD's `calls` table) hold it.
struct CallSummary {
  int64_t id = 0;
  std::string state;  // queued, ringing, talking, ended, abandoned, after_hours, …
  std::optional<std::string> skill;
  std::optional<int64_t> agent_id;
  TimePoint enqueued_at{};
  std::optional<TimePoint> answered_at;
  std::optional<TimePoint> ended_at;
  std::vector<int64_t> ticket_ids;  // work orders the call is linked to
};

/// A call (at its enqueued_at) or a work order (at its accepted_at): exactly one is set.
struct CallerEntry {
  TimePoint at{};
  std::optional<CallSummary> call;
  std::optional<WorkOrder> ticket;
};

/// A keyset position in the order (at, kind, id) descending; kind 1 = work order, 0 = call,
/// so a work order comes before the call it was written during when both share a millisecond.
struct CallerCursor {
  int64_t at_ms = 0;
  int kind = 0;
  int64_t id = 0;
};

struct CallerPage {
  std::vector<CallerEntry> items;
  std::optional<CallerCursor> next;  // none on the last page
};

}  // namespace hotline::workorder

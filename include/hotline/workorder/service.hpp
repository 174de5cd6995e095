#pragma once
// The work-order service: creation, reads, lists, actions and the reminder scheduler on
// the storage::Database. Every change and its history row commit in one transaction;
// observers hear about it through the change callback after the commit.
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/core/actor.hpp"
#include "hotline/core/calendar.hpp"
#include "hotline/core/clock.hpp"
#include "hotline/core/error.hpp"
#include "hotline/storage/database.hpp"
#include "hotline/workorder/caller_history.hpp"
#include "hotline/workorder/config.hpp"
#include "hotline/workorder/deadlines.hpp"
#include "hotline/workorder/outbox.hpp"
#include "hotline/workorder/work_order.hpp"

namespace hotline::workorder {

/// Event names passed to the change callback.
inline constexpr std::string_view kEventCreated = "ticket.created";
inline constexpr std::string_view kEventUpdated = "ticket.updated";
inline constexpr std::string_view kEventCallbackDue = "callback.due";

struct ChangedOrder;  // a changed work order and its events (private)

class Service {
 public:
  /// Called after a commit, once per changed work order and event (an action that makes a
  /// callback due gives "ticket.updated" then "callback.due").
  using ChangeCallback = std::function<void(const WorkOrder&, std::string_view event)>;

  Service(storage::Database& db, const core::Clock& clock, const core::Calendar& calendar,
          WorkOrderConfig config);

  void SetChangeCallback(ChangeCallback callback);
  const WorkOrderConfig& config() const { return config_; }
  const core::TimeZone& zone() const { return calendar_.zone(); }
  const core::Clock& clock() const { return clock_; }

  /// Accepts a work order (agents, supervisors, admins, the system): validates and
  /// normalises it, numbers it, queues the caller's receipt.
  core::Result<WorkOrder> Create(const core::Actor& actor, const NewWorkOrder& in);
  /// not_found when it does not exist or the actor may not see it.
  core::Result<WorkOrder> Get(const core::Actor& actor, int64_t id) const;
  /// Newest first from `after`; a unit sees only its own work orders.
  core::Result<Page> List(const core::Actor& actor, const ListFilter& filter, int limit,
                          std::optional<ListCursor> after = std::nullopt) const;
  /// Takes one action of the transition table; answers the work order after it.
  core::Result<WorkOrder> Act(const core::Actor& actor, int64_t id, const ActionInput& in);
  /// Every action on it (and on the duplicates merged into it), oldest first.
  core::Result<std::vector<HistoryEntry>> History(const core::Actor& actor, int64_t id) const;

  /// The caller's calls and work orders (not assisting units' children), newest first from
  /// `after`. Agents, supervisors and admins only; validation_failed for a bad phone.
  core::Result<CallerPage> CallerHistory(const core::Actor& actor, std::string_view phone,
                                         int limit,
                                         std::optional<CallerCursor> after = std::nullopt) const;
  /// Work orders of a caller that are not closed, newest first (for the agent console).
  std::vector<WorkOrder> OpenForPhone(std::string_view phone, int limit = 20) const;
  /// The owner of the newest open work order of a caller: the ACD's sticky agent.
  std::optional<int64_t> OwnerOfOpen(std::string_view phone) const;
  /// Redos (unsatisfied callbacks that reopened a work order) counted against a unit.
  int64_t UnitRedoCount(int64_t unit_id) const;

  /// Fires every reminder point due at `now` that has not fired yet: records a `remind`
  /// by the system and queues a notification to the unit. Returns how many fired.
  int RunDueReminders(core::TimePoint now);
  /// Delivers due notifications through `send` (see outbox.hpp).
  int DeliverOutbox(core::TimePoint now, const NotifySender& send,
                    const OutboxOptions& options = {});

 private:
  void Notify(const std::vector<ChangedOrder>& changed) const;

  storage::Database& db_;
  const core::Clock& clock_;
  const core::Calendar& calendar_;
  WorkOrderConfig config_;
  Deadlines deadlines_;
  mutable std::mutex callback_mu_;
  ChangeCallback callback_;
};

}  // namespace hotline::workorder

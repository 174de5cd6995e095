#pragma once
// Work orders (工单): the values of SPEC §3 and the inputs that create and change them.
// Plain data; the transition rules live in state_machine.hpp, storage in service.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/core/clock.hpp"
#include "hotline/core/json.hpp"

namespace hotline::workorder {

using core::TimePoint;

enum class Status { kOpen, kPendingAnswer, kTransferred, kAcknowledged, kReplied, kCallbackDue, kClosed };
enum class Type { kConsult, kComplaint, kReport, kSuggestion, kPraise };
enum class Channel { kPhone, kVoicemail, kWeb, kEmail, kSms };
/// Every action of the SPEC §3 table plus the merge and link operations.
enum class Action {
  kAnswer, kDefer, kEscalate, kMediate, kTransfer, kAcknowledge, kReturn, kReply,
  kExtend, kRemind, kCallback, kReopen, kNote, kMerge, kLinkIncident, kLinkCall,
};

/// SPEC names: "open", "pending_answer", … and back; nothing for an unknown name.
std::string_view StatusName(Status s);
std::optional<Status> ParseStatus(std::string_view name);
std::string_view TypeName(Type t);
std::optional<Type> ParseType(std::string_view name);
std::string_view ChannelName(Channel c);
std::optional<Channel> ParseChannel(std::string_view name);
std::string_view ActionName(Action a);
std::optional<Action> ParseAction(std::string_view name);

/// Every value of each enum, in declaration order (for validation messages and tests).
const std::vector<Status>& AllStatuses();
const std::vector<Type>& AllTypes();
const std::vector<Channel>& AllChannels();
const std::vector<Action>& AllActions();

// Field bounds of the texts, in characters (Unicode code points, so that a Chinese subject
// gets as many characters as an English one); the id lists in entries.
inline constexpr size_t kMaxSubject = 200;
inline constexpr size_t kMaxDescription = 10'000;
inline constexpr size_t kMaxCategory = 64;
inline constexpr size_t kMaxCallerName = 100;
inline constexpr size_t kMaxText = 10'000;  // answer, result, outcome, note text
inline constexpr size_t kMaxReason = 2'000;
inline constexpr size_t kMaxAssistUnits = 10;
inline constexpr size_t kMaxCallIds = 50;

/// Why a closed work order was closed.
inline constexpr std::string_view kClosedAnswered = "answered";
inline constexpr std::string_view kClosedMediated = "mediated";
inline constexpr std::string_view kClosedCalledBack = "called_back";
inline constexpr std::string_view kClosedUnreachable = "unreachable";
inline constexpr std::string_view kClosedMerged = "merged";
inline constexpr std::string_view kClosedReplied = "replied";    // an assisting unit's child
inline constexpr std::string_view kClosedReturned = "returned";  // an assisting unit declined

struct WorkOrder {
  int64_t id = 0;
  std::string ticket_no;  // "YYYYMMDD-NNNNN"
  Status status = Status::kOpen;
  Type type = Type::kConsult;
  std::optional<std::string> category;
  Channel channel = Channel::kPhone;
  std::string caller_phone;  // normalised (core::NormalizePhone)
  std::optional<std::string> caller_name;
  std::string subject;
  std::string description;
  std::vector<int64_t> call_ids;
  std::optional<int64_t> owner;        // user id of the accepting agent
  std::optional<int64_t> unit_id;      // the unit it is transferred to
  std::optional<int64_t> parent_id;    // set on an assisting unit's child work order
  std::vector<int64_t> assist_unit_ids;  // units of this work order's children
  std::optional<int64_t> merged_into;  // the survivor, when closed as a duplicate
  std::optional<int64_t> incident_id;
  TimePoint accepted_at{};
  TimePoint due_at{};
  std::optional<TimePoint> reply_due_at;
  std::optional<TimePoint> transferred_at;
  std::optional<TimePoint> ack_due_at;  // sign-off clock of the current transfer
  std::optional<TimePoint> acknowledged_at;
  std::optional<TimePoint> completed_at;
  std::optional<TimePoint> closed_at;
  std::optional<std::string> close_reason;  // kClosed… above
  std::optional<std::string> resolution;    // the latest answer / outcome / unit result
  std::optional<int> satisfaction;          // 1..5, from the last reached callback
  bool extended = false;
  bool deferred = false;
  int redo_count = 0;
  int callback_attempts = 0;  // unreached callbacks in the current callback round
  int returned_count = 0;

  /// True while transferred or acknowledged past due_at (derived, never stored).
  bool Overdue(TimePoint now) const;
  bool IsChild() const { return parent_id.has_value(); }
};

/// What POST /api/v1/tickets (or the voice menu) supplies.
struct NewWorkOrder {
  Type type = Type::kConsult;
  std::optional<std::string> category;
  Channel channel = Channel::kPhone;
  std::string caller_phone;  // raw; normalised by the service
  std::optional<std::string> caller_name;
  std::string subject;
  std::string description;
  std::vector<int64_t> call_ids;
  std::optional<int64_t> incident_id;
  std::optional<TimePoint> reply_due_at;
  /// Starts in callback_due instead of open (a voice message to call back).
  bool awaiting_callback = false;
  /// A deadline other than the configured one (a voice message: the next business morning).
  std::optional<TimePoint> due_at;
};

/// The fields of POST /api/v1/tickets/{id}/actions, typed; which are required is the
/// transition table's business.
struct ActionInput {
  Action action = Action::kNote;
  std::optional<std::string> answer;   // answer
  std::optional<std::string> outcome;  // mediate
  std::optional<std::string> result;   // reply
  std::optional<std::string> reason;   // escalate, return, extend, reopen
  std::optional<std::string> text;     // note, remind
  std::optional<Type> type;            // escalate
  std::optional<int64_t> unit_id;      // transfer
  std::vector<int64_t> assist_unit_ids;  // transfer
  std::optional<TimePoint> reply_due_at;  // defer
  std::optional<bool> consent;            // extend
  std::optional<bool> reached;            // callback
  std::optional<int> satisfaction;        // callback
  std::optional<bool> satisfied;          // callback
  std::optional<bool> reopen;             // callback
  std::optional<int64_t> into;            // merge: the surviving work order
  std::optional<int64_t> incident_id;     // link_incident
  std::optional<int64_t> call_id;         // link_call
};

/// One row of a work order's history.
struct HistoryEntry {
  int64_t id = 0;
  int64_t ticket_id = 0;
  TimePoint at{};
  std::optional<int64_t> actor;  // user id; none for the system or the gateway
  std::string actor_role;
  std::string action;  // an ActionName, or "create", "assist_done"
  std::optional<Status> from_status;
  Status to_status = Status::kOpen;
  core::Json fields = core::Json::object();
};

/// Filters of GET /api/v1/tickets; each is optional.
struct ListFilter {
  std::optional<Status> status;
  std::optional<Type> type;
  std::optional<int64_t> unit_id;
  std::optional<bool> overdue;
  std::optional<std::string> phone;  // raw; normalised by the service
  std::optional<std::string> q;      // text in subject or description, or a ticket_no
  std::optional<TimePoint> from;     // accepted_at >= from
  std::optional<TimePoint> to;       // accepted_at < to
  std::optional<int64_t> incident_id;
  std::optional<int64_t> parent_id;
};

/// A keyset position in the newest-first order (accepted_at, id).
struct ListCursor {
  int64_t accepted_at_ms = 0;
  int64_t id = 0;
};

struct Page {
  std::vector<WorkOrder> items;
  std::optional<ListCursor> next;  // none on the last page
};

}  // namespace hotline::workorder

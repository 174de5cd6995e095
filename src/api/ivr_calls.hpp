#pragma once
// The voice menu's side of a call, shared by the VoiceXML and JSON routes: one turn of the menu
// (session loaded and saved, the queue joined or rejoined), and the voice message that becomes
// exactly one `voicemail` work order. No HTTP here; ivr_routes.cpp renders the answers.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hotline/ivr/step.hpp"
#include "hotline/workorder/work_order.hpp"
#include "ivr_routes.hpp"

namespace hotline::api {

/// The voice-menu columns of a `calls` row.
struct IvrCallRow {
  int64_t id = 0;
  std::string caller;
  std::string called;
  std::string state;
  std::string skill;
  int priority = 0;
  std::string ivr_choice;
  std::optional<std::string> session;
  std::optional<int64_t> voicemail_ticket_id;
  bool callback = false;  // a callback request keeping its place in the queue
  bool hung_up = false;   // ended_at is set
};

/// A saved voice message: its work order, and whether the caller keeps a place in the queue.
struct IvrMessage {
  workorder::WorkOrder ticket;
  bool callback = false;
  ivr::StepResult step;  // thanks and goodbye
};

class IvrCalls {
 public:
  /// How long the list of voice knowledge-base entries is reused before it is read again.
  static constexpr std::chrono::seconds kVoiceEntriesTtl{15};

  explicit IvrCalls(IvrDeps deps) : d_(std::move(deps)) {}

  const IvrDeps& deps() const { return d_; }
  std::optional<IvrCallRow> LoadCall(int64_t id) const;

  /// One turn of the menu: the caller's keys (none = say where the call stands), the effects on
  /// the queue, the session saved. A call that is over (ended, abandoned, a message left) hears
  /// goodbye. not_found for an unknown call.
  core::Result<ivr::StepResult> Turn(int64_t call_id, const std::optional<std::string>& digits);

  /// The call's voice message becomes one `voicemail` work order in `callback_due`, due the next
  /// business morning; a retry finds the work order through its linked call and creates no
  /// other. The call's menu session ends. not_found for an unknown call.
  core::Result<IvrMessage> LeaveMessage(int64_t call_id, const std::string& url, int duration_s);

 private:
  ivr::IvrContext Context(const IvrCallRow& call, const ivr::Session& session);
  std::vector<ivr::VoiceEntry> VoiceEntries();
  std::optional<ivr::QueueStatus> LiveQueueStatus(int64_t call_id);
  /// Puts the call in the queue after key 0: a new arrival after hours' end, the same call again
  /// after `overflow`. False when the queue is still full (or the engine refused).
  bool JoinQueue(const IvrCallRow& call);
  std::optional<int64_t> VoicemailTicketOf(int64_t call_id) const;
  void SaveSession(int64_t call_id, const ivr::Session& session);

  IvrDeps d_;
  std::mutex voicemail_mu_;  // one work order per message, even for concurrent retries
  std::mutex voice_mu_;
  std::vector<ivr::VoiceEntry> voice_entries_;
  std::optional<core::TimePoint> voice_read_at_;
};

}  // namespace hotline::api

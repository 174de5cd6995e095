#pragma once
// VoiceXML 2.1 rendering of voice-menu steps (SPEC §5, §6). Every document validates against the
// W3C VoiceXML 2.1 schema. Menus are VoiceXML `<menu>`s: each offered key is a
// `<choice dtmf="…" next="…">` whose URL brings the key back to the server (`digits`), and a key
// not offered (`nomatch`) or silence (`noinput`) goes back too, so bad keys and silence are
// counted by Step() exactly as on the JSON route. Only transfers to duty numbers run inside the
// document, since they end the menu. Every document has a document-level `<catch event="error">`
// that apologises, says goodbye and disconnects (a fetch that fails, a bad document).
//
// URLs written into documents, each with the signer's query parameters appended:
//   {base_url}/ivr/vxml/{call_id}?{sig}                the next document; `&digits=` carries keys
//                                                      (no `digits` at all: Current(), a re-fetch)
//   {base_url}/ivr/vxml/{call_id}/recording?{sig}      POST multipart/form-data: `msg` (the audio)
//                                                      and `duration_s`
//   {base_url}/ivr/vxml/{call_id}/survey?{sig}         GET: the survey document; with `&score=1..5`
//                                                      the answer (reply with RenderGoodbye)
#include <functional>
#include <string>
#include <string_view>

#include "hotline/ivr/menu.hpp"
#include "hotline/ivr/step.hpp"

namespace hotline::ivr {

namespace internal {
class XmlWriter;
}

/// Where documents link to.
struct VxmlLinks {
  /// Prefix of every URL, without a trailing slash: "https://hotline.example:8443" for absolute
  /// URLs, "" for root-relative ones.
  std::string base_url;
  /// Query parameters that authorise a URL for a call, e.g. a lambda calling SignUrlParams with
  /// the secret and now + a few minutes. May be empty (no parameters).
  std::function<std::string(std::string_view call_id)> sign;
};

class VxmlRenderer {
 public:
  /// Keeps a copy of the menu's texts and timings. `seat_timeout_s`: how long a transfer to an
  /// agent's seat rings (acd.ring_timeout_s, so the transfer gives up when the ACD re-queues the
  /// call); 0 takes the menu's transfer_timeout_s.
  VxmlRenderer(const Menu& menu, VxmlLinks links, int seat_timeout_s = 0);

  /// The document for a step: a menu (also after an error or a read-out entry), a record, a
  /// transfer (to a duty number or, once routed, to the seat), the in-queue announcement, or a
  /// goodbye that disconnects.
  std::string Render(std::string_view call_id, const StepResult& step) const;
  /// The post-call survey: asks for 1-5 and submits `score`.
  std::string RenderSurvey(std::string_view call_id) const;
  /// Says `text` and disconnects.
  std::string RenderGoodbye(std::string_view text) const;
  /// The answer to a request the server cannot serve (bad call id, bad signature, bad input):
  /// an apology, goodbye, and a disconnect.
  std::string RenderError() const;

  std::string DocumentUrl(std::string_view call_id) const;
  std::string RecordingUrl(std::string_view call_id) const;
  std::string SurveyUrl(std::string_view call_id) const;

 private:
  std::string Url(std::string_view call_id, std::string_view suffix) const;
  void MenuDocument(internal::XmlWriter& w, std::string_view call_id, const StepResult& step) const;
  void RecordDocument(internal::XmlWriter& w, std::string_view call_id,
                      const StepResult& step) const;
  void QueueDocument(internal::XmlWriter& w, std::string_view call_id,
                     const StepResult& step) const;
  void StartDocument(internal::XmlWriter& w) const;
  void TransferForm(internal::XmlWriter& w, std::string_view call_id, const std::string& id,
                    const std::string& prompt, const std::string& to, bool to_agent) const;

  MenuTexts texts_;
  int input_timeout_s_;
  int queue_refresh_s_;
  int transfer_timeout_s_;
  int seat_timeout_s_;
  int max_errors_;
  VxmlLinks links_;
};

}  // namespace hotline::ivr

#include "hotline/ivr/vxml.hpp"

#include <algorithm>

#include "choices.hpp"
#include "xml_writer.hpp"

namespace hotline::ivr {
namespace {

using internal::XmlWriter;

// Transfer outcomes after which the caller is still with us and the call did not happen.
constexpr std::string_view kTransferFailed =
    "xfer == 'busy' || xfer == 'noanswer' || xfer == 'network_busy' || xfer == 'unknown'";

std::string Seconds(int s) { return std::to_string(s) + "s"; }

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string WithParam(const std::string& url, std::string_view name, std::string_view value) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + std::string(name) + "=" +
         PercentEncode(value);
}

// A number becomes a tel: URI; a SIP or tel URI (a seat's extension) is used as it is.
std::string DestUri(const std::string& to) {
  if (to.find(':') != std::string::npos) return to;
  std::string uri = "tel:";
  for (char c : to) {
    if ((c >= '0' && c <= '9') || (c == '+' && uri.size() == 4)) uri += c;
  }
  return uri;
}

std::string TransferFormId(const std::string& digit) {
  if (digit == "*") return "transfer_star";
  if (digit == "#") return "transfer_hash";
  return "transfer_" + digit;
}

void Preamble(XmlWriter& w, const std::string& text) {
  if (text.empty()) return;
  w.Open("block").Element("prompt", text).Close();
}

}  // namespace

VxmlRenderer::VxmlRenderer(const Menu& menu, VxmlLinks links, int seat_timeout_s)
    : texts_(menu.texts),
      input_timeout_s_(menu.input_timeout_s),
      queue_refresh_s_(menu.queue_refresh_s),
      transfer_timeout_s_(menu.transfer_timeout_s),
      seat_timeout_s_(seat_timeout_s > 0 ? seat_timeout_s : menu.transfer_timeout_s),
      max_errors_(menu.max_errors),
      links_(std::move(links)) {}

// Every document speaks DTMF only and ends the call politely on any error event (a next
// document that cannot be fetched, a bad transfer destination, …) instead of leaving it to the
// browser's own error handling.
void VxmlRenderer::StartDocument(XmlWriter& w) const {
  w.Open("vxml",
         {{"version", "2.1"}, {"xmlns", "http://www.w3.org/2001/vxml"}, {"xml:lang", "zh-CN"}});
  w.Leaf("property", {{"name", "inputmodes"}, {"value", "dtmf"}});
  w.Open("catch", {{"event", "error"}});
  w.Element("prompt", texts_.system_error + texts_.goodbye).Leaf("disconnect").Close();
}

std::string VxmlRenderer::Url(std::string_view call_id, std::string_view suffix) const {
  std::string url = links_.base_url + "/ivr/vxml/" + PercentEncode(call_id) + std::string(suffix);
  std::string params = links_.sign ? links_.sign(call_id) : std::string();
  if (!params.empty()) url += "?" + params;
  return url;
}

std::string VxmlRenderer::DocumentUrl(std::string_view call_id) const { return Url(call_id, ""); }
std::string VxmlRenderer::RecordingUrl(std::string_view call_id) const {
  return Url(call_id, "/recording");
}
std::string VxmlRenderer::SurveyUrl(std::string_view call_id) const {
  return Url(call_id, "/survey");
}

std::string VxmlRenderer::Render(std::string_view call_id, const StepResult& step) const {
  XmlWriter w;
  StartDocument(w);
  switch (step.action) {
    case Action::kMenu:
    case Action::kPlay:
      MenuDocument(w, call_id, step);
      break;
    case Action::kRecord:
      RecordDocument(w, call_id, step);
      break;
    case Action::kTransfer:
      TransferForm(w, call_id, "transfer", step.Text(), step.transfer_to.value_or(""),
                   step.to_agent);
      break;
    case Action::kQueue:
      QueueDocument(w, call_id, step);
      break;
    case Action::kHangup:
      w.Open("form", {{"id", "goodbye"}}).Open("block");
      w.Element("prompt", step.Text()).Leaf("disconnect").Close().Close();
      break;
  }
  return w.Finish();
}

// A VoiceXML <menu>: one <choice> per offered key. Keys that stay with the server carry
// `digits` in their URL; a duty transfer jumps to its form in this document (it ends the menu;
// a failed one fetches the menu again). Keys not offered and silence go to the server too, which
// counts them and re-prompts or says goodbye.
void VxmlRenderer::MenuDocument(XmlWriter& w, std::string_view call_id,
                                const StepResult& step) const {
  const std::string doc = DocumentUrl(call_id);
  w.Open("menu", {{"id", "menu"}});
  w.Leaf("property", {{"name", "timeout"}, {"value", Seconds(input_timeout_s_)}});
  if (!step.preamble.empty()) w.Element("prompt", step.preamble);
  w.Element("prompt", step.prompt);
  for (const auto& o : step.options) {
    std::string next = o.action == Action::kTransfer ? "#" + TransferFormId(o.digit)
                                                     : WithParam(doc, "digits", o.digit);
    w.Leaf("choice", {{"dtmf", o.digit}, {"next", next}});
  }
  w.Open("noinput").Leaf("goto", {{"next", WithParam(doc, "digits", "")}}).Close();
  w.Open("nomatch").Leaf("goto", {{"next", WithParam(doc, "digits", kNoMatch)}}).Close();
  w.Close();  // menu
  for (const auto& o : step.options) {
    if (o.action != Action::kTransfer) continue;
    TransferForm(w, call_id, TransferFormId(o.digit),
                 internal::Fill(texts_.transferring, {{"name", o.name}}), o.transfer_to, false);
  }
}

void VxmlRenderer::TransferForm(XmlWriter& w, std::string_view call_id, const std::string& id,
                                const std::string& prompt, const std::string& to,
                                bool to_agent) const {
  w.Open("form", {{"id", id}});
  w.Open("transfer", {{"name", "xfer"},
                      {"dest", DestUri(to)},
                      {"bridge", "true"},
                      {"connecttimeout", Seconds(to_agent ? seat_timeout_s_ : transfer_timeout_s_)}});
  w.Element("prompt", prompt);
  w.Open("filled").Open("if", {{"cond", kTransferFailed}});
  if (!to_agent) w.Element("prompt", texts_.transfer_failed);
  // A seat that did not answer puts the call back in the queue: the document says where.
  w.Leaf("goto", {{"next", DocumentUrl(call_id)}, {"maxage", "0"}});
  w.Leaf("else");
  if (to_agent) {
    w.Leaf("goto", {{"next", SurveyUrl(call_id)}});
  } else {
    w.Element("prompt", texts_.goodbye).Leaf("disconnect");
  }
  w.Close().Close().Close().Close();  // if, filled, transfer, form
}

void VxmlRenderer::RecordDocument(XmlWriter& w, std::string_view call_id,
                                  const StepResult& step) const {
  w.Open("form", {{"id", "message"}});
  w.Leaf("var", {{"name", "duration_s"}, {"expr", "0"}});
  Preamble(w, step.preamble);
  w.Open("record", {{"name", "msg"},
                    {"beep", "true"},
                    {"maxtime", Seconds(step.max_s.value_or(120))},
                    {"finalsilence", "5s"},
                    {"dtmfterm", "true"},
                    {"type", "audio/x-wav"}});
  w.Element("prompt", step.prompt);
  w.Open("noinput").Leaf("goto", {{"next", WithParam(DocumentUrl(call_id), "digits", "")}}).Close();
  w.Open("filled");
  w.Leaf("assign", {{"name", "duration_s"}, {"expr", "Math.round(msg$.duration / 1000)"}});
  w.Leaf("submit", {{"next", RecordingUrl(call_id)},
                    {"method", "post"},
                    {"enctype", "multipart/form-data"},
                    {"namelist", "msg duration_s"}});
  w.Close().Close().Close();  // filled, record, form
}

// Virtual hold: announce, wait a few seconds for key 1, then fetch the document again; once
// the call is routed the fetch answers a transfer to the seat instead.
void VxmlRenderer::QueueDocument(XmlWriter& w, std::string_view call_id,
                                 const StepResult& step) const {
  const std::string doc = DocumentUrl(call_id);
  if (step.options.empty()) {
    w.Open("form", {{"id", "queue"}});
    Preamble(w, step.preamble);
    w.Open("block").Open("prompt").Text(step.prompt);
    w.Leaf("break", {{"time", Seconds(queue_refresh_s_)}}).Close();
    w.Leaf("goto", {{"next", doc}, {"maxage", "0"}}).Close().Close();
    return;
  }
  w.Open("menu", {{"id", "queue"}});
  w.Leaf("property", {{"name", "timeout"}, {"value", Seconds(queue_refresh_s_)}});
  if (!step.preamble.empty()) w.Element("prompt", step.preamble);
  w.Element("prompt", step.prompt);
  for (const auto& o : step.options) {
    w.Leaf("choice", {{"dtmf", o.digit}, {"next", WithParam(doc, "digits", o.digit)}});
  }
  w.Open("noinput").Leaf("goto", {{"next", doc}, {"maxage", "0"}}).Close();
  w.Open("nomatch").Leaf("goto", {{"next", doc}, {"maxage", "0"}}).Close();
  w.Close();  // menu
}

// The survey is a <menu> of 1-5; each choice submits its score. It is optional: after
// max_errors misses the caller is let go and nothing is stored.
std::string VxmlRenderer::RenderSurvey(std::string_view call_id) const {
  XmlWriter w;
  StartDocument(w);
  const std::string survey = SurveyUrl(call_id);
  w.Open("menu", {{"id", "survey"}});
  w.Leaf("property", {{"name", "timeout"}, {"value", Seconds(input_timeout_s_)}});
  w.Element("prompt", texts_.survey);
  for (const char* score : {"1", "2", "3", "4", "5"}) {
    w.Leaf("choice", {{"dtmf", score}, {"next", WithParam(survey, "score", score)}});
  }
  std::string last = std::to_string(std::max(2, max_errors_));
  w.Open("noinput", {{"count", "1"}}).Element("prompt", texts_.no_input).Leaf("reprompt").Close();
  w.Open("nomatch", {{"count", "1"}}).Element("prompt", texts_.invalid).Leaf("reprompt").Close();
  for (const char* event : {"noinput", "nomatch"}) {
    w.Open(event, {{"count", last}}).Element("prompt", texts_.goodbye).Leaf("disconnect").Close();
  }
  return w.Finish();
}

std::string VxmlRenderer::RenderGoodbye(std::string_view text) const {
  XmlWriter w;
  StartDocument(w);
  w.Open("form", {{"id", "goodbye"}}).Open("block");
  w.Element("prompt", text).Leaf("disconnect");
  return w.Finish();
}

std::string VxmlRenderer::RenderError() const {
  return RenderGoodbye(texts_.system_error + texts_.goodbye);
}

}  // namespace hotline::ivr

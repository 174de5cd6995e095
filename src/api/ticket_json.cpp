#include "ticket_json.hpp"

#include "hotline/core/phone.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::FieldReader;
using core::Json;
using workorder::WorkOrder;

template <class T>
Json Opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json OptTime(const std::optional<core::TimePoint>& t, const core::TimeZone& zone) {
  return t ? Json(core::FormatIso(*t, zone)) : Json(nullptr);
}

std::vector<std::string> Names(auto all, auto name_of) {
  std::vector<std::string> out;
  for (auto v : all) out.emplace_back(name_of(v));
  return out;
}

// A list of positive ids, at most `max`; records a problem on `in` otherwise.
std::vector<int64_t> IdArray(FieldReader& in, const Json& body, const char* key, size_t max) {
  std::vector<int64_t> out;
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array() || it->size() > max) {
    in.Fail(key, "must be a list of at most " + std::to_string(max) + " ids");
    return out;
  }
  for (const auto& v : *it) {
    if (!v.is_number_integer() || v.get<int64_t>() < 1) {
      in.Fail(key, "must hold positive whole numbers");
      return {};
    }
    out.push_back(v.get<int64_t>());
  }
  return out;
}

// A text of at most `max_chars` characters (the workorder bounds count code points, so a
// Chinese subject has room for as many characters as an English one).
std::optional<std::string> Text(FieldReader& in, const char* key, size_t max_chars,
                                bool required = false) {
  auto s = in.String(key, {.required = required, .max_len = 4 * max_chars});
  if (s && core::Utf8Length(*s) > max_chars) {
    in.Fail(key, "is longer than " + std::to_string(max_chars) + " characters");
    return std::nullopt;
  }
  return s;
}

// A caller's number as the work order keeps it: a mobile, or a landline with its area code
// (SPEC §7: bad phone numbers are a 4xx). Service numbers (110, 12320) call no hotline back.
bool SubscriberNumber(const std::string& raw) {
  auto phone = core::NormalizePhone(raw);
  return phone && phone->size() >= 10;
}

std::optional<core::TimePoint> Time(FieldReader& in, const char* key, const core::TimeZone& zone) {
  auto text = in.String(key, {.max_len = 64});
  if (!text) return std::nullopt;
  auto t = core::ParseIso(*text, zone);
  if (!t) in.Fail(key, "must be an ISO 8601 time with an offset");
  return t;
}

}  // namespace

Json TicketJson(const WorkOrder& w, core::TimePoint now, const core::TimeZone& zone) {
  return {
      {"id", w.id},
      {"ticket_no", w.ticket_no},
      {"status", workorder::StatusName(w.status)},
      {"type", workorder::TypeName(w.type)},
      {"category", Opt(w.category)},
      {"channel", workorder::ChannelName(w.channel)},
      {"caller", {{"phone", w.caller_phone}, {"name", Opt(w.caller_name)}}},
      {"subject", w.subject},
      {"description", w.description},
      {"call_ids", w.call_ids},
      {"owner", Opt(w.owner)},
      {"unit_id", Opt(w.unit_id)},
      {"parent_id", Opt(w.parent_id)},
      {"assist_unit_ids", w.assist_unit_ids},
      {"merged_into", Opt(w.merged_into)},
      {"incident_id", Opt(w.incident_id)},
      {"accepted_at", core::FormatIso(w.accepted_at, zone)},
      {"due_at", core::FormatIso(w.due_at, zone)},
      {"reply_due_at", OptTime(w.reply_due_at, zone)},
      {"transferred_at", OptTime(w.transferred_at, zone)},
      {"ack_due_at", OptTime(w.ack_due_at, zone)},
      {"acknowledged_at", OptTime(w.acknowledged_at, zone)},
      {"completed_at", OptTime(w.completed_at, zone)},
      {"closed_at", OptTime(w.closed_at, zone)},
      {"close_reason", Opt(w.close_reason)},
      {"resolution", Opt(w.resolution)},
      {"satisfaction", Opt(w.satisfaction)},
      {"overdue", w.Overdue(now)},
      {"extended", w.extended},
      {"redo_count", w.redo_count},
      {"callback_attempts", w.callback_attempts},
      {"returned_count", w.returned_count},
  };
}

Json CallerEntryJson(const workorder::CallerEntry& e, core::TimePoint now,
                     const core::TimeZone& zone) {
  Json out = {{"at", core::FormatIso(e.at, zone)}};
  if (e.ticket) {
    out["kind"] = "ticket";
    out["ticket"] = TicketJson(*e.ticket, now, zone);
  } else if (e.call) {
    const auto& c = *e.call;
    out["kind"] = "call";
    out["call"] = {{"call_id", c.id},
                   {"id", c.id},
                   {"state", c.state},
                   {"skill", Opt(c.skill)},
                   {"agent_id", Opt(c.agent_id)},
                   {"enqueued_at", core::FormatIso(c.enqueued_at, zone)},
                   {"answered_at", OptTime(c.answered_at, zone)},
                   {"ended_at", OptTime(c.ended_at, zone)},
                   {"ticket_ids", c.ticket_ids}};
  }
  return out;
}

Json HistoryJson(const workorder::HistoryEntry& e, const core::TimeZone& zone) {
  return {{"id", e.id},
          {"ticket_id", e.ticket_id},
          {"at", core::FormatIso(e.at, zone)},
          {"actor", Opt(e.actor)},
          {"actor_role", e.actor_role},
          {"action", e.action},
          {"from_status", e.from_status ? Json(workorder::StatusName(*e.from_status)) : Json(nullptr)},
          {"to_status", workorder::StatusName(e.to_status)},
          {"fields", e.fields}};
}

core::Result<workorder::NewWorkOrder> ReadNewTicket(const Json& body, const core::TimeZone& zone) {
  using namespace workorder;
  FieldReader in(body);
  NewWorkOrder n;
  if (auto t = in.Enum("type", Names(AllTypes(), TypeName), true)) n.type = *ParseType(*t);
  if (auto c = in.Enum("channel", Names(AllChannels(), ChannelName))) n.channel = *ParseChannel(*c);
  n.category = Text(in, "category", kMaxCategory);
  n.subject = Text(in, "subject", kMaxSubject, /*required=*/true).value_or("");
  n.description = Text(in, "description", kMaxDescription).value_or("");
  n.call_ids = IdArray(in, body, "call_ids", kMaxCallIds);
  if (auto call = in.Int("call_id", {.min = 1})) n.call_ids.push_back(*call);
  n.incident_id = in.Int("incident_id", {.min = 1});
  n.reply_due_at = Time(in, "reply_due_at", zone);
  if (!in.ok()) return in.error();
  const Json* caller = in.Object("caller", true);
  if (!in.ok()) return in.error();
  FieldReader who(*caller, "caller");
  n.caller_phone = who.String("phone", {.required = true, .max_len = 32}).value_or("");
  n.caller_name = Text(who, "name", kMaxCallerName);
  if (who.ok() && !SubscriberNumber(n.caller_phone)) {
    who.Fail("phone", "must be a mobile number or a landline with its area code");
  }
  if (!who.ok()) return who.error();
  return n;
}

core::Result<workorder::ActionInput> ReadTicketAction(const Json& body, const core::TimeZone& zone) {
  using namespace workorder;
  FieldReader in(body);
  // An unknown name is bad input (SPEC §7: unknown enum values are a 4xx); a known action
  // that the state does not allow is the transition table's 409.
  auto name = in.Enum("action", Names(AllActions(), ActionName), /*required=*/true);
  if (!in.ok()) return in.error();
  ActionInput a;
  a.action = *ParseAction(*name);
  a.answer = Text(in, "answer", kMaxText);
  a.outcome = Text(in, "outcome", kMaxText);
  a.result = Text(in, "result", kMaxText);
  a.text = Text(in, "text", kMaxText);
  a.reason = Text(in, "reason", kMaxReason);
  if (auto t = in.Enum("type", Names(AllTypes(), TypeName))) a.type = ParseType(*t);
  a.unit_id = in.Int("unit_id", {.min = 1});
  a.assist_unit_ids = IdArray(in, body, "assist_unit_ids", kMaxAssistUnits);
  a.reply_due_at = Time(in, "reply_due_at", zone);
  a.consent = in.Bool("consent");
  a.reached = in.Bool("reached");
  a.satisfied = in.Bool("satisfied");
  a.reopen = in.Bool("reopen");
  if (auto s = in.Int("satisfaction", {.min = 1, .max = 5})) a.satisfaction = static_cast<int>(*s);
  a.into = in.Int("into", {.min = 1});
  a.incident_id = in.Int("incident_id", {.min = 1});
  a.call_id = in.Int("call_id", {.min = 1});
  if (!in.ok()) return in.error();
  return a;
}

core::Result<workorder::ListFilter> ReadTicketFilter(
    const std::unordered_map<std::string, std::string>& query, const core::TimeZone& zone) {
  using namespace workorder;
  // Query values are text: read them as JSON strings and numbers through one FieldReader.
  Json q = Json::object();
  for (const auto& [k, v] : query) q[k] = v;
  for (const char* key : {"unit_id", "incident_id", "parent_id"}) {
    if (!q.contains(key)) continue;
    const std::string& s = q[key].get_ref<const std::string&>();
    bool digits = !s.empty() && s.size() < 19 && s.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) return Error::Validation(std::string(key) + " must be a positive id", key);
    q[key] = std::stoll(s);
  }
  FieldReader in(q);
  ListFilter f;
  if (auto s = in.Enum("status", Names(AllStatuses(), StatusName))) f.status = ParseStatus(*s);
  if (auto t = in.Enum("type", Names(AllTypes(), TypeName))) f.type = ParseType(*t);
  if (auto o = in.Enum("overdue", {"true", "false", "1", "0"})) f.overdue = *o == "true" || *o == "1";
  f.unit_id = in.Int("unit_id", {.min = 1});
  f.incident_id = in.Int("incident_id", {.min = 1});
  f.parent_id = in.Int("parent_id", {.min = 1});
  f.phone = in.String("phone", {.max_len = 32});
  f.q = in.String("q", {.max_len = 200});
  if (f.q && f.q->empty()) f.q.reset();
  if (f.phone && f.phone->empty()) f.phone.reset();
  f.from = Time(in, "from", zone);
  f.to = Time(in, "to", zone);
  if (!in.ok()) return in.error();
  if (f.to && query.at("to").size() == 10) {  // a bare date: through the end of that day
    f.to = zone.FromLocal(zone.ToLocal(*f.to) + std::chrono::days(1));
  }
  return f;
}

Json TicketCursorPosition(const workorder::ListCursor& c) {
  return {{"a", c.accepted_at_ms}, {"i", c.id}};
}

std::optional<workorder::ListCursor> TicketCursorFrom(const Json& p) {
  if (!p.is_object() || !p.contains("a") || !p.contains("i") || !p["a"].is_number_integer() ||
      !p["i"].is_number_integer()) {
    return std::nullopt;
  }
  return workorder::ListCursor{p["a"].get<int64_t>(), p["i"].get<int64_t>()};
}

Json CallerCursorPosition(const workorder::CallerCursor& c) {
  return {{"a", c.at_ms}, {"k", c.kind}, {"i", c.id}};
}

std::optional<workorder::CallerCursor> CallerCursorFrom(const Json& p) {
  auto ticket = TicketCursorFrom(p);
  if (!ticket || !p.contains("k") || !p["k"].is_number_integer()) return std::nullopt;
  const int64_t kind = p["k"].get<int64_t>();
  if (kind != 0 && kind != 1) return std::nullopt;
  return workorder::CallerCursor{ticket->accepted_at_ms, static_cast<int>(kind), ticket->id};
}

}  // namespace hotline::api

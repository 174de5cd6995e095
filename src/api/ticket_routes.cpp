#include "ticket_routes.hpp"

#include "hotline/core/phone.hpp"
#include "ticket_json.hpp"

namespace hotline::api {
namespace {

using core::Error;
using core::Json;
using core::Role;
using workorder::Service;

// Who may reach the routes; the service narrows a unit to its own work orders (404
// otherwise) and the transition table decides who may take which action.
const Access kDesk = Access::Roles({Role::kAgent, Role::kSupervisor, Role::kAdmin});
const Access kWithUnits = Access::Roles({Role::kAgent, Role::kSupervisor, Role::kAdmin, Role::kUnit});

Json Ticket(const Service& s, const workorder::WorkOrder& w) {
  return TicketJson(w, s.clock().Now(), s.zone());
}

core::Result<std::optional<workorder::ListCursor>> ReadCursor(const PageParams& p) {
  if (p.cursor.empty()) return std::optional<workorder::ListCursor>();
  auto pos = DecodeCursor(p.cursor);
  std::optional<workorder::ListCursor> c;
  if (pos) c = TicketCursorFrom(*pos);
  if (!c) return Error::Validation("cursor: not a cursor of this list", "cursor");
  return c;
}

Response ListPage(Service& s, Request& req, const workorder::ListFilter& filter) {
  auto page_params = ReadPageParams(req);
  if (!page_params) return Response::Problem(page_params.error());
  auto cursor = ReadCursor(*page_params);
  if (!cursor) return Response::Problem(cursor.error());
  auto page = s.List(req.Who(), filter, page_params->limit, *cursor);
  if (!page) return Response::Problem(page.error());
  Json items = Json::array();
  for (const auto& w : page->items) items.push_back(Ticket(s, w));
  Json next = page->next ? Json(EncodeCursor(TicketCursorPosition(*page->next))) : Json();
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", next}});
}

Response Create(Service& s, Request& req) {
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  auto in = ReadNewTicket(*body, s.zone());
  if (!in) return Response::Problem(in.error());
  return Reply(s.Create(req.Who(), *in), 201, [&](const auto& w) { return Ticket(s, w); });
}

Response Get(Service& s, Request& req) {
  auto id = req.IdParam("id");
  if (!id) return Response::Problem(id.error());
  return Reply(s.Get(req.Who(), *id), 200, [&](const auto& w) { return Ticket(s, w); });
}

Response List(Service& s, Request& req) {
  auto filter = ReadTicketFilter(req.query, s.zone());
  if (!filter) return Response::Problem(filter.error());
  return ListPage(s, req, *filter);
}

Response Act(Service& s, Request& req) {
  auto id = req.IdParam("id");
  if (!id) return Response::Problem(id.error());
  auto body = req.JsonBody();
  if (!body) return Response::Problem(body.error());
  auto in = ReadTicketAction(*body, s.zone());
  if (!in) return Response::Problem(in.error());
  return Reply(s.Act(req.Who(), *id, *in), 200, [&](const auto& w) { return Ticket(s, w); });
}

Response History(Service& s, Request& req) {
  auto id = req.IdParam("id");
  if (!id) return Response::Problem(id.error());
  auto history = s.History(req.Who(), *id);
  if (!history) return Response::Problem(history.error());
  Json items = Json::array();
  for (const auto& e : *history) items.push_back(HistoryJson(e, s.zone()));
  return Response::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
}

Response CallerHistory(Service& s, Request& req) {
  auto it = req.path_params.find("phone");
  auto phone = it == req.path_params.end() ? std::nullopt : core::NormalizePhone(it->second);
  if (!phone) return Response::Problem(Error::Validation("phone is not a phone number", "phone"));
  auto page_params = ReadPageParams(req);
  if (!page_params) return Response::Problem(page_params.error());
  std::optional<workorder::CallerCursor> cursor;
  if (!page_params->cursor.empty()) {
    auto pos = DecodeCursor(page_params->cursor);
    if (pos) cursor = CallerCursorFrom(*pos);
    if (!cursor) {
      return Response::Problem(Error::Validation("cursor: not a cursor of this list", "cursor"));
    }
  }
  auto page = s.CallerHistory(req.Who(), *phone, page_params->limit, cursor);
  if (!page) return Response::Problem(page.error());
  Json items = Json::array();
  const auto now = s.clock().Now();
  for (const auto& e : page->items) items.push_back(CallerEntryJson(e, now, s.zone()));
  Json next = page->next ? Json(EncodeCursor(CallerCursorPosition(*page->next))) : Json();
  return Response::Json(200,
                        {{"phone", *phone}, {"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace

void RegisterTicketRoutes(Router& router, Service& service) {
  Service* s = &service;
  auto bind = [s](Response (*fn)(Service&, Request&)) {
    return [s, fn](Request& req) { return fn(*s, req); };
  };
  router.Add("POST", "/api/v1/tickets", kDesk, bind(Create));
  router.Add("GET", "/api/v1/tickets", kWithUnits, bind(List));
  router.Add("GET", "/api/v1/tickets/{id}", kWithUnits, bind(Get));
  router.Add("POST", "/api/v1/tickets/{id}/actions", kWithUnits, bind(Act));
  router.Add("GET", "/api/v1/tickets/{id}/history", kWithUnits, bind(History));
  router.Add("GET", "/api/v1/callers/{phone}/history", kDesk, bind(CallerHistory));
}

}  // namespace hotline::api

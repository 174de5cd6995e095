#pragma once
// Work-order routes (SPEC §6): create, read, list, act, history, and a caller's history.
#include "hotline/api/router.hpp"
#include "hotline/workorder/service.hpp"

namespace hotline::api {

/// POST/GET /api/v1/tickets, GET /api/v1/tickets/{id}, POST /api/v1/tickets/{id}/actions,
/// GET /api/v1/tickets/{id}/history, GET /api/v1/callers/{phone}/history.
/// `service` must outlive the router.
void RegisterTicketRoutes(Router& router, workorder::Service& service);

}  // namespace hotline::api

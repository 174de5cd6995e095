#include "clock_routes.hpp"

#include <memory>

namespace hotline::api {
namespace {

using core::Error;
using core::FieldReader;
using core::Json;

constexpr int64_t kMaxAdvanceS = 400LL * 86'400;  // a year and some: deadlines, reminders, months

}  // namespace

void RegisterClockRoutes(Router& router, core::OffsetClock& clock, const core::TimeZone& zone,
                         std::function<void()> after_move) {
  const Access admin = Access::Roles({core::Role::kAdmin});
  auto now = [&clock, &zone] { return Json{{"now", core::FormatIso(clock.Now(), zone)}}; };
  router.Add("GET", "/api/v1/test/clock", admin, [now](Request&) { return Response::Json(200, now()); });
  auto moved = std::make_shared<std::function<void()>>(std::move(after_move));
  router.Add("POST", "/api/v1/test/clock", admin, [&clock, &zone, now, moved](Request& req) {
    auto body = req.JsonBody();
    if (!body) return Response::Problem(body.error());
    FieldReader in(*body);
    auto advance = in.Int("advance_s", {.min = 0, .max = kMaxAdvanceS});
    auto at = in.String("at", {.max_len = 40});
    if (!in.ok()) return Response::Problem(in.error());
    if (advance.has_value() == at.has_value()) {
      return Response::Problem(Error::Validation("give exactly one of advance_s and at", "advance_s"));
    }
    if (at) {
      auto t = core::ParseIso(*at, zone);
      if (!t) return Response::Problem(Error::Validation("at: an ISO 8601 time with offset", "at"));
      clock.Set(*t);
    } else {
      clock.Advance(std::chrono::seconds(*advance));
    }
    if (*moved) (*moved)();
    return Response::Json(200, now());
  });
}

}  // namespace hotline::api

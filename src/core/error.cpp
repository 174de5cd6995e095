#include "hotline/core/error.hpp"

namespace hotline::core {

std::string_view CodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidationFailed: return "validation_failed";
    case ErrorCode::kUnauthorized: return "unauthorized";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kInvalidTransition: return "invalid_transition";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kNoFreeSeat: return "no_free_seat";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidationFailed: return 400;
    case ErrorCode::kUnauthorized: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kInvalidTransition:
    case ErrorCode::kConflict:
    case ErrorCode::kNoFreeSeat: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw ErrorException(e);
}

}  // namespace hotline::core

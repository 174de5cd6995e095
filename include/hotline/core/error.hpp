#pragma once
// Protocol-agnostic errors. Domain and storage code return Result<T>; the api module maps
// an Error to an HTTP problem body or a WebSocket error frame in exactly one place.
#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace hotline::core {

enum class ErrorCode {
  kValidationFailed,   // 400
  kUnauthorized,       // 401
  kForbidden,          // 403
  kNotFound,           // 404
  kInvalidTransition,  // 409
  kConflict,           // 409
  kNoFreeSeat,         // 409
  kPayloadTooLarge,    // 413
  kRateLimited,        // 429
  kUnavailable,        // 503
  kInternal,           // 500
};

/// The SPEC's machine code for an ErrorCode, e.g. "invalid_transition".
std::string_view CodeName(ErrorCode code);
/// The HTTP status that goes with an ErrorCode.
int HttpStatus(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // safe to show to the client
  std::string field;    // the offending input field, when there is one

  static Error Validation(std::string msg, std::string field = {}) {
    return {ErrorCode::kValidationFailed, std::move(msg), std::move(field)};
  }
  static Error NotFound(std::string msg = "not found") {
    return {ErrorCode::kNotFound, std::move(msg), {}};
  }
  static Error Conflict(std::string msg) { return {ErrorCode::kConflict, std::move(msg), {}}; }
  static Error Forbidden(std::string msg = "forbidden") {
    return {ErrorCode::kForbidden, std::move(msg), {}};
  }
  static Error InvalidTransition(std::string msg) {
    return {ErrorCode::kInvalidTransition, std::move(msg), {}};
  }
};

/// Thrown only by Result::value() on an error (a bug: callers check first).
class ErrorException : public std::exception {
 public:
  explicit ErrorException(Error e) : error_(std::move(e)) {}
  const char* what() const noexcept override { return error_.message.c_str(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
};

[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace hotline::core

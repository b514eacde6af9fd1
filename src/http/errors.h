#pragma once

#include <stdexcept>
#include <string>

#include "core/status.h"

namespace paysandbox {

// Thrown inside the http layer to abandon a request with an Error; the router
// catches it and renders the one error shape.
class ApiError : public std::runtime_error {
 public:
  explicit ApiError(Error error) : std::runtime_error(error.message), error_(std::move(error)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// The one mapping from an error code to its HTTP status and wire spelling.
int http_status_for(ErrorCode code);
const char* wire_code_for(ErrorCode code);
bool recoverable(ErrorCode code);

// {"code","message","param"?,"recoverable","request_id", details...}
// `wire_code` replaces the code's own spelling (a scenario's injected errors).
std::string error_body(const Error& error, const std::string& request_id,
                       const std::string& wire_code = {});

// Unwraps a Result or throws its error as ApiError.
template <typename T>
T value_or_throw(Result<T> result) {
  if (!result.ok()) throw ApiError(result.error());
  return std::move(result.value());
}

}  // namespace paysandbox

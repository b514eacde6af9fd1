#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace paysandbox {

// The small, closed set of error codes the API speaks. Each maps to exactly one
// HTTP status and one wire spelling in http/errors.cc; services pick the most
// specific one.
enum class ErrorCode {
  kValidation,
  kUnauthorized,
  kCardDeclined,
  kInsufficientFunds,
  kExpiredCard,
  kIncorrectCvc,
  kForbidden,
  kOriginNotAllowed,
  kInsufficientScope,
  kChallengeRequired,  // 403: the session needs a challenge answered first
  kChallengeFailed,    // 403: the answer was wrong (recoverable)
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kAlreadyConfirmed,
  kDuplicatePayment,
  kSessionExpired,
  kPayloadTooLarge,
  kRateLimited,
  kProcessingError,
  kNetworkError,
  kInternal,
  kStorage,  // 500: the database refused an operation (store/failure.h)
};

// An error as a value: what went wrong (code), a sentence a developer can act
// on (message), and the dotted path of the one field at fault, if any (param).
// `details` carries extra key/value pairs for the error body (e.g. "expected").
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string param;
  std::vector<std::pair<std::string, std::string>> details;
};

inline Error make_error(ErrorCode code, std::string message, std::string param = {}) {
  return Error{code, std::move(message), std::move(param), {}};
}
inline Error validation_error(std::string param, std::string message) {
  return Error{ErrorCode::kValidation, std::move(message), std::move(param), {}};
}
inline Error not_found(std::string message) {
  return Error{ErrorCode::kNotFound, std::move(message), {}, {}};
}

// Result<T>: either a value or an Error. Services return these; exactly one
// place (http/errors.cc) turns an Error into a response.
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : data_(std::move(error)) {}  // NOLINT: implicit on purpose

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(data_); }
  const T& value() const { return std::get<0>(data_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

// For operations with nothing to return.
struct Done {};
using Status = Result<Done>;
inline Status ok_status() { return Done{}; }

}  // namespace paysandbox

// Early returns for functions that themselves return a Result or Status.
//   TRY(expr);                     returns expr's error, if it has one.
//   ASSIGN_OR_RETURN(lhs, expr);   returns expr's error, or moves its value
//                                  into lhs (a declaration or a variable).
#define PAYSANDBOX_JOIN_INNER(a, b) a##b
#define PAYSANDBOX_JOIN(a, b) PAYSANDBOX_JOIN_INNER(a, b)
#define TRY(expr)                                              \
  do {                                                         \
    auto&& paysandbox_try_ = (expr);                           \
    if (!paysandbox_try_.ok()) return paysandbox_try_.error(); \
  } while (false)
#define ASSIGN_OR_RETURN(lhs, expr) \
  PAYSANDBOX_ASSIGN_OR_RETURN_(PAYSANDBOX_JOIN(paysandbox_result_, __LINE__), lhs, expr)
// `result` names a variable and `lhs` may be a declaration: neither can be
// put in parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define PAYSANDBOX_ASSIGN_OR_RETURN_(result, lhs, expr) \
  auto result = (expr);                                 \
  if (!result.ok()) return result.error();              \
  lhs = std::move(result.value())
// NOLINTEND(bugprone-macro-parentheses)

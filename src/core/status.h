#pragma once

#include <cstddef>
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
//
// A service names the field within the input it was given ("last4",
// "method.type"); whoever knows where that input sat (an HTTP route) places
// the error at its final path with placed_at. A message that names its own
// field keeps the text around each mention in `around_param`, so placing it
// composes the message anew rather than editing its text.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string param;
  std::vector<std::pair<std::string, std::string>> details;
  // Empty, or the text before, between and after the mentions of `param`
  // in `message` (message == around_param joined with param).
  std::vector<std::string> around_param = {};
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

// An error about `field` whose message names it: `around` holds the text
// before, between and after each mention, e.g. {"'", "' is required."}.
inline Error field_error(ErrorCode code, std::string field, std::vector<std::string> around) {
  Error error{code, {}, std::move(field), {}, std::move(around)};
  for (std::size_t i = 0; i < error.around_param.size(); ++i)
    error.message += (i == 0 ? "" : error.param) + error.around_param[i];
  return error;
}
inline Error invalid_field(std::string field, std::vector<std::string> around) {
  return field_error(ErrorCode::kValidation, std::move(field), std::move(around));
}

// The same error about the field at `param` instead; a message that names
// the field is composed again with the new name. (A message changed since it
// was composed keeps its text: only the param moves.)
inline Error placed_at(Error error, std::string param) {
  if (!error.around_param.empty()) {
    Error placed = field_error(error.code, error.param, error.around_param);
    if (placed.message == error.message) {
      placed = field_error(error.code, std::move(param), std::move(error.around_param));
      placed.details = std::move(error.details);
      return placed;
    }
    error.around_param.clear();
  }
  error.param = std::move(param);
  return error;
}

// An error about the member `from` (or a field of it) as one about `to`
// (or that field of `to`); any other error stays as it is.
inline Error renamed(Error error, const std::string& from, const std::string& to) {
  const std::string& param = error.param;
  if (param.compare(0, from.size(), from) != 0 ||
      (param.size() > from.size() && param[from.size()] != '.'))
    return error;
  std::string moved = to + param.substr(from.size());
  return placed_at(std::move(error), std::move(moved));
}

// An error about a field of a member of the input: "last4" of the member
// "claim" becomes "claim.last4". Errors that name no field stay as they are.
inline Error within(const std::string& member, Error error) {
  if (error.param.empty()) return error;
  std::string param = member + "." + error.param;
  return placed_at(std::move(error), std::move(param));
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

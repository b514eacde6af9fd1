#include "http/errors.h"

#include <nlohmann/json.hpp>

namespace paysandbox {

int http_status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kCardDeclined:
    case ErrorCode::kInsufficientFunds:
    case ErrorCode::kExpiredCard:
    case ErrorCode::kIncorrectCvc:
      return 402;
    case ErrorCode::kForbidden:
    case ErrorCode::kOriginNotAllowed:
    case ErrorCode::kInsufficientScope:
    case ErrorCode::kChallengeRequired:
    case ErrorCode::kChallengeFailed:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
    case ErrorCode::kAlreadyConfirmed:
    case ErrorCode::kDuplicatePayment:
      return 409;
    case ErrorCode::kSessionExpired:
      return 410;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kProcessingError:
      return 502;
    case ErrorCode::kNetworkError:
      return 503;
    case ErrorCode::kInternal:
    case ErrorCode::kStorage:
      return 500;
  }
  return 500;
}

const char* wire_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return "validation_error";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kCardDeclined:
      return "card_declined";
    case ErrorCode::kInsufficientFunds:
      return "insufficient_funds";
    case ErrorCode::kExpiredCard:
      return "expired_card";
    case ErrorCode::kIncorrectCvc:
      return "incorrect_cvc";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kOriginNotAllowed:
      return "origin_not_allowed";
    case ErrorCode::kInsufficientScope:
      return "insufficient_scope";
    case ErrorCode::kChallengeRequired:
      return "challenge_required";
    case ErrorCode::kChallengeFailed:
      return "challenge_failed";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kAlreadyConfirmed:
      return "already_confirmed";
    case ErrorCode::kDuplicatePayment:
      return "duplicate_payment";
    case ErrorCode::kSessionExpired:
      return "session_expired";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kProcessingError:
      return "processing_error";
    case ErrorCode::kNetworkError:
      return "network_error";
    case ErrorCode::kInternal:
      return "internal_error";
    case ErrorCode::kStorage:
      return "storage_error";
  }
  return "internal_error";
}

bool recoverable(ErrorCode code) {
  switch (code) {
    case ErrorCode::kCardDeclined:
    case ErrorCode::kInsufficientFunds:
    case ErrorCode::kExpiredCard:
    case ErrorCode::kIncorrectCvc:
    case ErrorCode::kProcessingError:
    case ErrorCode::kNetworkError:
    case ErrorCode::kRateLimited:
    case ErrorCode::kChallengeRequired:
    case ErrorCode::kChallengeFailed:
      return true;
    default:
      return false;
  }
}

namespace {

std::string error_body(const Error& error, const std::string& request_id,
                       const std::string& wire_code) {
  nlohmann::json body = {{"code", wire_code.empty() ? wire_code_for(error.code) : wire_code},
                         {"message", error.message}};
  if (!error.param.empty()) body["param"] = error.param;
  body["recoverable"] = recoverable(error.code);
  body["request_id"] = request_id;
  for (const auto& [key, value] : error.details) body[key] = value;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Reply error_reply(const Error& error, const std::string& request_id, const std::string& wire_code) {
  return reply_raw(http_status_for(error.code), error_body(error, request_id, wire_code));
}

}  // namespace paysandbox

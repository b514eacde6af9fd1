#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace paysandbox {

// What the processor will answer when an instrument is charged: approved, or
// one of the decline and fault codes of the sandbox card table. Set when a
// token is minted and kept by what is made from it (saved methods, payments).
enum class Outcome {
  kApproved,
  kCardDeclined,
  kInsufficientFunds,
  kExpiredCard,
  kIncorrectCvc,
  kProcessingError,
  kNetworkError,
};

// The wire and storage spelling ("card_declined"), also the failure_code of
// a payment that failed with it.
const char* outcome_name(Outcome outcome);
std::optional<Outcome> outcome_from_name(std::string_view name);
// Every spelling, comma-separated, for messages that list what is accepted.
const std::string& outcome_names();
// The error a capture answers (402 declines, 502 processor faults); none
// when approved.
std::optional<ErrorCode> outcome_error(Outcome outcome);
// The first sentence of that error's message ("The card was declined").
const char* outcome_description(Outcome outcome);

}  // namespace paysandbox

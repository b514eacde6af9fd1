#include "core/outcome.h"

#include <string>

#include "core/enum_names.h"

namespace paysandbox {
namespace {

struct OutcomeRow {
  Outcome value;
  const char* name;
  std::optional<ErrorCode> error;
  const char* description;
};

// The one table: spelling, error and message of each outcome.
constexpr OutcomeRow kOutcomes[] = {
    {Outcome::kApproved, "approved", std::nullopt, "The payment was approved"},
    {Outcome::kCardDeclined, "card_declined", ErrorCode::kCardDeclined, "The card was declined"},
    {Outcome::kInsufficientFunds, "insufficient_funds", ErrorCode::kInsufficientFunds,
     "The card has insufficient funds"},
    {Outcome::kExpiredCard, "expired_card", ErrorCode::kExpiredCard,
     "The processor reports the card as expired"},
    {Outcome::kIncorrectCvc, "incorrect_cvc", ErrorCode::kIncorrectCvc,
     "The card's CVC was refused"},
    {Outcome::kProcessingError, "processing_error", ErrorCode::kProcessingError,
     "The processor failed to handle the payment"},
    {Outcome::kNetworkError, "network_error", ErrorCode::kNetworkError,
     "The processor could not be reached"},
};

}  // namespace

const char* outcome_name(Outcome outcome) { return name_in(kOutcomes, outcome); }

std::optional<Outcome> outcome_from_name(std::string_view name) {
  return value_in(kOutcomes, name);
}

const std::string& outcome_names() {
  static const std::string names = [] {
    std::string out;
    for (const auto& row : kOutcomes) out += std::string(out.empty() ? "" : ", ") + row.name;
    return out;
  }();
  return names;
}

std::optional<ErrorCode> outcome_error(Outcome outcome) { return row_in(kOutcomes, outcome).error; }

const char* outcome_description(Outcome outcome) { return row_in(kOutcomes, outcome).description; }

}  // namespace paysandbox

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace paysandbox {

// Luhn check over a string of digits (false for anything else).
bool luhn_valid(std::string_view digits);
// ABA routing number checksum: 9 digits, 3-7-1 weights, sum divisible by 10.
bool aba_valid(std::string_view routing_number);
// Accepted values of an ACH account's account_type.
const std::vector<std::string>& ach_account_types();
bool all_digits(std::string_view text);

// Brand of a card number by its leading digits, upper case ("VISA",
// "MASTERCARD", "AMEX", "DISCOVER", "DINERS", "JCB", or "UNKNOWN").
std::string card_brand_for(std::string_view number);

// The processor outcome for a full card number, from the sandbox card table;
// numbers not in the table are approved.
Outcome outcome_for_number(const std::vector<SandboxCard>& table, std::string_view number);
// The outcome when only bin and last4 are known (imported tokens,
// --accept-any-token): the first table entry whose number starts with `bin`
// and ends with `last4`, else approved.
Outcome outcome_for_bin_last4(const std::vector<SandboxCard>& table, std::string_view bin,
                              std::string_view last4);

// Processing fee in cents on `amount` cents: percent_bps of the amount,
// rounded half up, plus the fixed part.
std::int64_t processing_fee(const FeeRule& rule, std::int64_t amount);

// Whether the account takes a payment of `cents`: between its minimum and
// maximum payment amounts, both included. Payments and payment sessions both
// ask this one rule.
bool within_payment_limits(const Account& account, std::int64_t cents);

// True when a card with this expiry can no longer be used at `now`.
bool card_expired(int exp_month, int exp_year, Millis now);

}  // namespace paysandbox

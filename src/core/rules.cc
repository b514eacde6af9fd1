#include "core/rules.h"

namespace paysandbox {

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

bool luhn_valid(std::string_view digits) {
  if (!all_digits(digits)) return false;
  int sum = 0;
  bool double_it = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int digit = *it - '0';
    if (double_it) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

const std::vector<std::string>& ach_account_types() {
  static const std::vector<std::string> kTypes = {"checking", "savings", "business_checking",
                                                  "business_savings"};
  return kTypes;
}

bool aba_valid(std::string_view routing) {
  if (routing.size() != 9 || !all_digits(routing)) return false;
  static constexpr int kWeights[3] = {3, 7, 1};
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) sum += (routing[i] - '0') * kWeights[i % 3];
  return sum % 10 == 0;
}

std::string card_brand_for(std::string_view number) {
  auto prefix = [&](size_t n) -> int {
    if (number.size() < n) return -1;
    int value = 0;
    for (size_t i = 0; i < n; ++i) value = value * 10 + (number[i] - '0');
    return value;
  };
  const int p1 = prefix(1), p2 = prefix(2), p3 = prefix(3), p4 = prefix(4), p6 = prefix(6);
  if (p2 == 34 || p2 == 37) return "AMEX";
  if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925))
    return "DISCOVER";
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return "MASTERCARD";
  if (p2 == 36 || p2 == 38 || (p3 >= 300 && p3 <= 305)) return "DINERS";
  if (p4 >= 3528 && p4 <= 3589) return "JCB";
  if (p1 == 4) return "VISA";
  return "UNKNOWN";
}

Outcome outcome_for_number(const std::vector<SandboxCard>& table, std::string_view number) {
  for (const auto& card : table)
    if (card.number == number) return card.outcome;
  return Outcome::kApproved;
}

Outcome outcome_for_bin_last4(const std::vector<SandboxCard>& table, std::string_view bin,
                              std::string_view last4) {
  if (bin.empty() || last4.empty()) return Outcome::kApproved;
  for (const auto& card : table) {
    std::string_view number(card.number);
    if (number.size() >= bin.size() + last4.size() && number.substr(0, bin.size()) == bin &&
        number.substr(number.size() - last4.size()) == last4)
      return card.outcome;
  }
  return Outcome::kApproved;
}

std::int64_t processing_fee(const FeeRule& rule, std::int64_t amount) {
  // amount * bps / 10000, rounded half up, in integers.
  const std::int64_t scaled = amount * rule.percent_bps;
  return (scaled + 5000) / 10000 + rule.fixed;
}

bool card_expired(int exp_month, int exp_year, Millis now) {
  return now >= card_expires_at(exp_month, exp_year);
}

bool within_payment_limits(const Account& account, std::int64_t cents) {
  return cents >= account.minimum_payment_amount && cents <= account.maximum_payment_amount;
}

}  // namespace paysandbox

#include "core/session.h"

#include "core/enum_names.h"

namespace paysandbox {
namespace {

// The one table of each enum's spellings.
constexpr EnumName<SessionStatus> kSessionStatuses[] = {
    {SessionStatus::kActive, "active"},
    {SessionStatus::kCompleted, "completed"},
    {SessionStatus::kExpired, "expired"},
};
constexpr EnumName<SessionScope> kSessionScopes[] = {
    {SessionScope::kPayment, "payment"},
    {SessionScope::kWallet, "wallet"},
};
constexpr EnumName<CheckoutMethod> kCheckoutMethods[] = {
    {CheckoutMethod::kCard, "card"},
    {CheckoutMethod::kAch, "ach"},
    {CheckoutMethod::kApplePay, "apple_pay"},
    {CheckoutMethod::kPaypal, "paypal"},
};
constexpr EnumName<SetupFutureUsage> kSetupFutureUsages[] = {
    {SetupFutureUsage::kOff, "off"},
    {SetupFutureUsage::kOnSession, "on_session"},
    {SetupFutureUsage::kOffSession, "off_session"},
};
constexpr EnumName<ChallengeType> kChallengeTypes[] = {
    {ChallengeType::kHcaptcha, "hcaptcha"},
    {ChallengeType::kTurnstile, "turnstile"},
    {ChallengeType::kSms, "sms"},
    {ChallengeType::kEmail, "email"},
};

}  // namespace

const char* session_status_name(SessionStatus status) { return name_in(kSessionStatuses, status); }
std::optional<SessionStatus> session_status_from_name(std::string_view name) {
  return value_in(kSessionStatuses, name);
}
const char* session_scope_name(SessionScope scope) { return name_in(kSessionScopes, scope); }
std::optional<SessionScope> session_scope_from_name(std::string_view name) {
  return value_in(kSessionScopes, name);
}

const char* checkout_method_name(CheckoutMethod method) {
  return name_in(kCheckoutMethods, method);
}
std::optional<CheckoutMethod> checkout_method_from_name(std::string_view name) {
  return value_in(kCheckoutMethods, name);
}
std::vector<std::string> checkout_method_names() { return names_of(kCheckoutMethods); }

const char* setup_future_usage_name(SetupFutureUsage usage) {
  return name_in(kSetupFutureUsages, usage);
}
std::optional<SetupFutureUsage> setup_future_usage_from_name(std::string_view name) {
  return value_in(kSetupFutureUsages, name);
}
std::vector<std::string> setup_future_usage_names() { return names_of(kSetupFutureUsages); }

const char* challenge_type_name(ChallengeType type) { return name_in(kChallengeTypes, type); }
std::optional<ChallengeType> challenge_type_from_name(std::string_view name) {
  return value_in(kChallengeTypes, name);
}
std::vector<std::string> challenge_type_names() { return names_of(kChallengeTypes); }
std::vector<CheckoutMethod> allowed_methods(const SessionOptions& options, const Account& account) {
  if (!options.allowed_methods.empty()) return options.allowed_methods;
  std::vector<CheckoutMethod> out;
  if (account.enable_credit_card) out.push_back(CheckoutMethod::kCard);
  if (account.enable_ach) out.push_back(CheckoutMethod::kAch);
  return out;
}

bool is_captcha(ChallengeType type) {
  return type == ChallengeType::kHcaptcha || type == ChallengeType::kTurnstile;
}

}  // namespace paysandbox

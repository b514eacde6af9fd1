#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.h"
#include "core/types.h"

namespace paysandbox {

// fraud_signals{...}: what the merchant knows about the payer. Stored and
// shown to the merchant's server; is_authorized == false makes the session
// require a challenge (docs/api-differences.md).
struct FraudSignals {
  std::optional<std::string> ip_address;
  std::optional<std::string> user_agent;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> account_type;
  std::optional<std::int64_t> request_timestamp;
  std::optional<bool> is_authorized;
  std::optional<bool> is_admin;
};

// A wallet session's display-only badge over some saved methods.
struct MethodBadge {
  std::string label;
  std::string color;
  std::vector<std::string> payment_method_uids;
};

// A saved method the wallet session may not delete.
struct LockedMethod {
  std::string payment_method_uid;
  std::string reason;
};

// How a payer pays on the hosted page.
enum class CheckoutMethod { kCard, kAch, kApplePay, kPaypal };
// Whether a confirm may save the method for later (off: never).
enum class SetupFutureUsage { kOff, kOnSession, kOffSession };
// A captcha (any token passes) or a one-time code sent by sms / email.
enum class ChallengeType { kHcaptcha, kTurnstile, kSms, kEmail };

// The wire and storage spellings ("apple_pay", "on_session", "sms"), one
// table each in session.cc; the *_names() lists are every spelling, in order.
const char* checkout_method_name(CheckoutMethod method);
std::optional<CheckoutMethod> checkout_method_from_name(std::string_view name);
std::vector<std::string> checkout_method_names();
const char* setup_future_usage_name(SetupFutureUsage usage);
std::optional<SetupFutureUsage> setup_future_usage_from_name(std::string_view name);
std::vector<std::string> setup_future_usage_names();
const char* challenge_type_name(ChallengeType type);
std::optional<ChallengeType> challenge_type_from_name(std::string_view name);
std::vector<std::string> challenge_type_names();
bool is_captcha(ChallengeType type);

// The challenge a session requires before confirm.
struct Challenge {
  ChallengeType type = ChallengeType::kHcaptcha;
  std::string site_key;       // captcha types
  std::string delivery_hint;  // sms / email: masked destination
  std::string code;           // sms / email: set by challenge/send
  bool code_sent = false;
  Millis sent_at = 0;
};

// The documented session fields beyond the payable amount, kept as one unit
// (one column; serialized in wire/).
struct SessionOptions {
  std::string description;
  std::string customer_email;
  std::string layout = "embedded";              // hosted | embedded
  std::vector<CheckoutMethod> allowed_methods;  // empty = every method the account takes
  SetupFutureUsage setup_future_usage = SetupFutureUsage::kOff;
  Branding branding;
  std::vector<std::string> required_avs_fields;
  std::vector<std::pair<std::string, std::string>> metadata;  // in the order sent
  std::optional<FraudSignals> fraud_signals;
  std::vector<MethodBadge> method_badges;
  std::vector<LockedMethod> locked_payment_methods;
  std::optional<Challenge> challenge;
  // Set by a successful confirm.
  std::string saved_method_id;
  std::string ach_authorization;  // "sec_code accepted_at" of the accepted mandate
};

// active -> completed (a confirm paid) | expired (its time ran out, or
// POST .../expire, or a scenario step).
enum class SessionStatus { kActive, kCompleted, kExpired };
// What the page is for: paying an amount, or managing saved methods.
enum class SessionScope { kPayment, kWallet };

// The wire and storage spellings ("active", "wallet"), one table each in
// session.cc.
const char* session_status_name(SessionStatus status);
std::optional<SessionStatus> session_status_from_name(std::string_view name);
const char* session_scope_name(SessionScope scope);
std::optional<SessionScope> session_scope_from_name(std::string_view name);

// The methods a session's page offers: the ones it was created with, or
// else what the account takes (cards, bank accounts).
std::vector<CheckoutMethod> allowed_methods(const SessionOptions& options, const Account& account);

// A hosted checkout session (docs/api/hosted-sessions.md): a page the merchant sends a customer
// to, either to pay an amount (scope "payment") or to manage their saved
// methods (scope "wallet").
struct HostedSession {
  std::string id;             // cs_...
  std::string client_secret;  // cs_..._secret_...: the browser's bearer
  std::string account_uid;
  SessionScope scope = SessionScope::kPayment;
  std::optional<std::int64_t> amount;  // cents; payment scope
  std::string currency = "USD";
  std::string success_url;
  std::string cancel_url;
  std::string customer_reference_id;  // the request's customer_id; empty = guest
  std::string line_items = "[]";      // JSON array text, normalized
  SessionStatus status = SessionStatus::kActive;
  std::string payment_uid;  // set when a confirm paid
  Millis created_at = 0;
  Millis expires_at = 0;
  Millis completed_at = 0;
  SessionOptions options;
};

}  // namespace paysandbox

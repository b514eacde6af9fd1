#pragma once

// The sandbox's objects as typed values, for tests that drive it from C++
// (Sandbox's typed calls, TestAccount). Each struct holds what the HTTP API
// answers for that object (docs/api/), under the same names, so a test
// never parses JSON or guesses a key. Amounts are integer cents; times are
// the RFC 3339 strings the API sends ("2026-12-03T10:00:00.000Z").
//
// They live in paysandbox::api so that they never meet the server's own
// internal types of the same names.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace paysandbox {
namespace api {

// A failed call: the HTTP status and the API's error body
// {"code","message","param"?}. what() reads "STATUS code: message (param)".
class Error : public std::runtime_error {
 public:
  Error(int status, std::string code, std::string message, std::string param);
  int status() const { return status_; }               // 0: the connection was dropped
  const std::string& code() const { return code_; }    // "validation_error", "card_declined"...
  const std::string& param() const { return param_; }  // dotted path of the field, or empty
  const std::string& message() const { return message_; }

 private:
  int status_;
  std::string code_;
  std::string message_;
  std::string param_;
};

// A wait (TestAccount::wait_for_*) that ran out of time.
class Timeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Processing fee of one method kind: percent_bps of the amount (rounded half
// up) plus fixed cents.
struct FeeRule {
  std::int64_t percent_bps = 0;
  std::int64_t fixed = 0;
};
struct FeeRules {
  FeeRule credit{295, 3};  // the sandbox's default: 2.95 % + 3 cents
  FeeRule ach{0, 150};     // the sandbox's default: 1.50 flat
};

// What POST /_sandbox/accounts takes. Every field is optional; the defaults
// give an account like the built-in pa_sandbox, without webhooks.
struct AccountSettings {
  std::string name;          // empty: "Sandbox test account"
  std::string callback_url;  // where webhooks go; empty: none (events are still recorded)
  std::optional<FeeRules> fee_rules;
  std::optional<bool> enable_credit_card;  // unset: enabled
  std::optional<bool> enable_ach;          // unset: enabled
  // Per-payment limits in cents (the API speaks decimal dollars here; the
  // conversion is done for you). Unset: 0 and 999,999.99 dollars.
  std::optional<std::int64_t> minimum_payment_cents;
  std::optional<std::int64_t> maximum_payment_cents;
  std::string client_id;  // the owning OAuth client; empty: sandbox-client
};

// A payment account (docs/api/payment-accounts.md), the isolation unit: nothing of one account is
// visible from another.
struct Account {
  std::string uid;  // "pa_..."
  std::string name;
  std::string webhook_secret;  // "whsec_...": signs every delivery (X-Webhook-Signature)
  std::string callback_url;    // empty when webhooks go nowhere
  bool webhook_enabled = false;
  bool enable_credit_card = true;
  bool enable_ach = true;
  FeeRules fee_rules;
  std::string created_at;
  std::string forked_from;  // set by Sandbox::fork_account: the account it copies
};

// What Sandbox::set_webhooks changes in an account; an unset field stays
// as it is.
struct WebhookSettings {
  std::optional<std::string> callback_url;  // an http(s):// URL, or "" for none
  // Unset while callback_url is set: on for a URL, off for "".
  std::optional<bool> enabled;
};

// Where a clock stands (Sandbox::clock, Sandbox::advance_clock).
struct ClockState {
  std::string account_uid;          // empty: the server-wide clock
  std::string now;                  // RFC 3339, on that clock
  std::int64_t offset_seconds = 0;  // how far it has been moved ahead of real time
};

// A proxynized card token as the browser SDK would post it (docs/control-api.md): good
// for 15 minutes of the account's clock, in any number of saves and payments.
struct CardToken {
  std::string fingerprint;  // "ptok_..."
  std::string expires_at;
  std::string last4;
  std::string bin;
  std::string card_brand;  // "VISA", "MASTERCARD", "AMEX", "DISCOVER"
  int exp_month = 0;
  int exp_year = 0;
};

// A bank account to tokenize (Sandbox::mint_bank_account), as the browser
// SDK would take it from the payer.
struct BankAccount {
  std::string routing_number;             // 9 digits passing the ABA checksum ("011000015")
  std::string account_number;             // 4 to 17 digits
  std::string account_type = "checking";  // or "savings", "business_checking", "business_savings"
  std::string bank_name;                  // optional
  std::string holder_name;                // optional
};

// A proxynized bank-account token (docs/control-api.md#card-and-bank-tokens):
// like a CardToken, good for 15 minutes of the account's clock.
struct BankToken {
  std::string fingerprint;  // "ptok_..."
  std::string expires_at;
  std::string account_number_suffix;  // the account number's last 4 digits
  std::string routing_number;
  std::string account_type;
  std::string bank_name;
};

// A customer of the merchant (docs/api/customers-and-wallet.md).
struct Customer {
  std::string uid;                         // "cus_..."
  std::string reference_id;                // the merchant's own id, unique per account
  std::string name;                        // empty when not given
  std::string email;                       // empty when not given
  std::string default_payment_method_uid;  // empty when the customer has none
  std::string created_at;
};

enum class MethodType { kCredit, kAch };

// A saved payment method (docs/api/customers-and-wallet.md). Card fields are set for kCredit, bank
// fields for kAch; the rest are empty.
struct SavedMethod {
  std::string uid;  // "spm_..."
  std::string customer_uid;
  bool is_default = false;
  MethodType type = MethodType::kCredit;
  // The permanent token ("tok_..."): only the answer to a save carries it,
  // so it is empty on anything read back later.
  std::string token;
  std::string holder_name;
  std::string last4;
  std::string card_brand;
  int exp_month = 0;
  int exp_year = 0;
  std::string account_number_suffix;
  std::string account_type;
  std::string bank_name;
  std::string created_at;
  std::string updated_at;
};

enum class PaymentStatus {
  kValidated,
  kCompleted,
  kFailed,
  kPartiallyRefunded,
  kRefunded,
  kVoided,  // cancelled before capture (POST /api/payments/{uid}/void)
};
// "validated", "completed", ... as the API spells them.
const char* to_string(PaymentStatus status);

// A payment (docs/api/payments.md). total_amount = base + tax + processing fee.
struct Payment {
  std::string uid;  // "pay_..."
  PaymentStatus status = PaymentStatus::kValidated;
  std::int64_t base_amount = 0;
  std::int64_t tax_amount = 0;
  std::int64_t processing_fee_amount = 0;
  std::int64_t total_amount = 0;
  std::int64_t refunded_amount = 0;
  std::string currency;
  std::string reference_id;
  std::string payment_method_type;       // "credit", "ach", "wallet_credit", "wallet_ach"
  std::string saved_payment_method_uid;  // for wallet payments, else empty
  std::string last4;                     // for cards, else empty
  std::string card_brand;
  std::string transaction_id;  // set once completed
  std::string failure_code;    // set when failed: "card_declined", "insufficient_funds"...
  std::string created_at;
  std::string captured_at;  // empty until captured
};

enum class DeliveryStatus { kPending, kDelivered, kFailed, kNotConfigured };

// One event of the account's log (docs/webhooks.md): the webhook envelope plus where
// its delivery stands at the time it was read.
struct Event {
  std::string id;              // the envelope's "webhook_id" ("evt_...")
  std::string type;            // the envelope's "event_type" ("payment.completed"...)
  std::int64_t timestamp = 0;  // unix seconds, wall clock at creation
  std::string data;            // JSON text of the envelope's data, as sent to the receiver
  DeliveryStatus delivery_status = DeliveryStatus::kNotConfigured;
  int attempts = 0;
};

// One delivery attempt of an event to the account's callback_url.
struct Delivery {
  std::string event_id;  // "webhook_id"
  std::string event_type;
  std::string url;
  int attempt = 0;                 // 1 for the first
  std::optional<int> status_code;  // the receiver's answer; unset when there was none
  std::string error;               // why there was no 2xx answer ("timeout"...), or empty
  double duration_ms = 0;
  std::string at;     // on the account's clock
  std::string chaos;  // what a scenario's delivery rule made of it ("duplicate"...), or empty
};

// Which of an account's events Sandbox::events returns.
struct EventFilter {
  std::string type;          // "provider.noc"; empty: every type
  std::string after;         // only events after this id ("evt_..."); empty: from the first
  std::size_t limit = 1000;  // at most this many, oldest first
  // When nothing matches yet, wait up to this long (real time, at most 30 s)
  // for a match to be emitted; zero answers at once.
  std::chrono::milliseconds wait{0};
};

// Which delivery attempts Sandbox::webhook_deliveries returns.
struct DeliveryFilter {
  std::string event_id;      // one event's attempts; empty: every event's
  std::size_t limit = 1000;  // at most this many, oldest first
  // When there is no attempt yet, wait up to this long (real time, at most
  // 30 s) for the first one to be recorded; zero answers at once.
  std::chrono::milliseconds wait{0};
};

// A network update (NOC) to one saved method (Sandbox::apply_noc). Card
// methods take the card fields, ACH methods the bank fields; at least one
// field must be set.
struct NocUpdate {
  std::string saved_payment_method_uid;  // "spm_..."
  std::optional<int> exp_month;
  std::optional<int> exp_year;
  std::optional<std::string> last4;
  std::optional<std::string> card_brand;
  std::optional<std::string> account_number_suffix;
  std::optional<std::string> routing_number;
};

// A scenario as Sandbox::load_scenario left it loaded (docs/scenarios.md).
struct LoadedScenario {
  std::string id;
  std::string name;
  std::string account_uid;
  std::string loaded_at;           // on the account's clock
  std::size_t rules = 0;           // how many rules it holds
  std::size_t timeline_steps = 0;  // how many timeline steps
  std::size_t steps_done = 0;      // steps already run (a step at 0 s runs on load)
};

// A hosted session's challenge as the payer met it
// (Sandbox::session_challenge): how a test reads the one-time code that
// POST /v1/hosted-sessions/{id}/challenge/send "sent".
struct SessionChallenge {
  std::string session_id;
  std::string type;           // "sms", "email", "hcaptcha", "turnstile"
  std::string site_key;       // captcha types, else empty
  std::string delivery_hint;  // sms / email: the masked destination
  bool code_sent = false;
  std::string code;  // the one-time code once sent, else empty
};

// A saved snapshot (docs/snapshots.md).
struct Snapshot {
  std::string name;
  std::string account_uid;  // empty: the whole state
  std::int64_t rows = 0;
  std::int64_t size_bytes = 0;
  std::string created_at;
};

// Which of the journal's requests to return (GET /_sandbox/requests).
struct RequestFilter {
  std::string account_uid;  // one account's requests; empty: any (TestAccount sets its own)
  std::string method;       // "POST"; empty: any
  std::string path_prefix;  // "/api/payments"; empty: any
  int status = 0;           // 0: any
  std::size_t limit = 100;  // the newest matches, up to this many
};

// One request as the sandbox's journal recorded it.
struct RecordedRequest {
  std::string request_id;
  std::string at;
  std::string method;
  std::string path;
  std::string query;
  std::string account_uid;  // X-Payment-Account-Uid, or empty
  int status = 0;
  bool dropped = false;    // a scenario dropped the connection
  std::string error_code;  // the error body's code, or empty
  std::string idempotency_key;
  std::string request_body;  // possibly truncated
  double duration_ms = 0;
};

}  // namespace api
}  // namespace paysandbox

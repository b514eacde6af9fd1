#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event_type.h"
#include "core/outcome.h"
#include "core/time.h"

namespace paysandbox {

enum class MethodKind { kCredit, kAch };

struct FeeRule {
  std::int64_t percent_bps = 0;  // basis points of base + tax
  std::int64_t fixed = 0;        // cents added on top
};

// Defaults as documented: credit 2.95 % + 3 cents, ACH a flat 1.50.
struct FeeRules {
  FeeRule credit{295, 3};
  FeeRule ach{0, 150};
};

// branding{...} of a session, or the account's defaults (checkout-config).
// Unset fields fall back: account defaults < session branding.
struct Branding {
  std::optional<std::string> logo_url;
  std::optional<std::string> accent_color;  // #RRGGBB
  std::optional<std::string> merchant_display_name;
  std::optional<std::string> page_message;  // account level only; HTML allowed
};

struct Client {
  std::string client_id;
  std::string client_secret;
};

struct Account {
  std::string uid;
  std::string client_id;  // owner
  std::string name;
  std::string processor = "zift";
  std::string external_account_id;
  std::string external_merchant_id;
  bool active = true;
  bool enable_ach = true;
  bool enable_credit_card = true;
  std::int64_t minimum_payment_amount = 0;         // cents
  std::int64_t maximum_payment_amount = 99999999;  // cents
  std::string callback_url;                        // empty = none
  bool webhook_enabled = false;
  FeeRules fee_rules;
  std::vector<std::string> allowed_origins;
  std::vector<EventType> disabled_event_types;  // subscriptions turned off
  std::string webhook_secret;
  Millis created_at = 0;
  std::string client_uid;  // the organization (POST /api/clients) it was made under; may be empty
  Branding branding;       // checkout-config defaults for its sessions' pages
};

// Whether the account receives `type` (every type is on until turned off).
inline bool is_subscribed(const Account& account, EventType type) {
  const auto& off = account.disabled_event_types;
  return std::find(off.begin(), off.end(), type) == off.end();
}

// An organization (tenant) of an API client: POST /api/clients.
struct OrgClient {
  std::string uid;    // cli_...
  std::string owner;  // the OAuth client that made it
  std::string customer_id;
  std::string name;
  std::string timezone;
  std::string subdomain;
  Millis created_at = 0;
};

struct AccessToken {
  std::string token;
  std::string client_id;
  std::string scope;
  Millis expires_at = 0;  // server clock
};

struct CardDetails {
  std::string last4;
  std::string bin;
  std::string card_brand;
  int exp_month = 0;
  int exp_year = 0;
  std::string holder_name;
};

struct AchDetails {
  std::string routing_number;
  std::string account_number_suffix;
  std::string account_type;
  std::string bank_name;
  std::string holder_name;
};

// A short-lived proxynized token minted by POST /_sandbox/tokens.
struct ProxyToken {
  std::string fingerprint;  // ptok_...
  std::string account_uid;
  MethodKind kind = MethodKind::kCredit;
  CardDetails card;
  AchDetails ach;
  Outcome outcome = Outcome::kApproved;
  Millis created_at = 0;
  Millis expires_at = 0;  // account clock
};

struct Customer {
  std::string uid;  // cus_...
  std::string account_uid;
  std::string reference_id;
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> default_payment_method_uid;
  Millis created_at = 0;
};

struct SavedMethod {
  std::string uid;  // spm_...
  std::string account_uid;
  std::string customer_uid;
  MethodKind kind = MethodKind::kCredit;
  std::string permanent_token;  // tok_... (or the processor's, when imported)
  CardDetails card;
  AchDetails ach;
  Outcome outcome = Outcome::kApproved;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// New values for a saved method's network-updatable fields (a scenario's noc
// step `set`); unset fields stay as they are.
struct MethodFieldSet {
  std::optional<int> exp_month;  // cards
  std::optional<int> exp_year;
  std::optional<std::string> last4;
  std::optional<std::string> card_brand;
  std::optional<std::string> account_number_suffix;  // ACH
  std::optional<std::string> routing_number;
};

// One row of the sandbox card table (fixtures/cards.json).
struct SandboxCard {
  std::string number;
  std::string brand;
  Outcome outcome = Outcome::kApproved;
};

}  // namespace paysandbox

#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/time.h"

namespace paysandbox {

// A hosted checkout session (SPEC §6): a page the merchant sends a customer
// to, either to pay an amount (scope "payment") or to manage their saved
// methods (scope "wallet").
struct HostedSession {
  std::string id;             // cs_...
  std::string client_secret;  // cs_..._secret_...: the browser's bearer
  std::string account_uid;
  std::string scope;                   // "payment" | "wallet"
  std::optional<std::int64_t> amount;  // cents; payment scope
  std::string currency = "USD";
  std::string success_url;
  std::string cancel_url;
  std::string customer_reference_id;  // the request's customer_id; empty = guest
  std::string line_items = "[]";      // JSON array text, as sent
  std::string status = "active";      // active | completed | expired
  std::string payment_uid;            // set when a confirm paid
  Millis created_at = 0;
  Millis expires_at = 0;
  Millis completed_at = 0;
};

}  // namespace paysandbox

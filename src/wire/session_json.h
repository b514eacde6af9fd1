#pragma once

#include <string>
#include <vector>

#include "core/payment.h"
#include "core/session.h"
#include "wire/json.h"
#include "wire/session_options.h"

namespace paysandbox {

// The session as its server sees it (create, expire, and the base of the
// config): every stored field. `base_url` builds hosted_url (none if empty).
json session_json(const HostedSession& session, const std::string& base_url);

// A saved method as the session config lists it (schema SavedMethodSummary in docs/api/schemas.md
// SavedMethodSummary): id, type card|ach, brand (lower case), last4,
// exp_month, exp_year, holder_name, bank_name, account_type, is_default.
json saved_method_summary_json(const SavedMethod& method, bool is_default);

// The challenge object: {type, site_key?, delivery_hint?, code_sent?}
// (never the code).
json challenge_json(const Challenge& challenge);

// Who reads a session config.
enum class ConfigReader { kServer, kBrowser };

// GET /v1/hosted-sessions/{id} and PATCH's answer: session_json plus the
// documented config (effective branding over `account_defaults`,
// merchant_display_name, page_message, saved_methods when the session has a
// customer, challenge). A browser does not see metadata or fraud_signals.
json session_config_json(const HostedSession& session, const Branding& account_defaults,
                         const std::vector<std::pair<SavedMethod, bool>>* saved_methods,
                         const std::string& base_url, ConfigReader reader);

// checkout_session.* event data: the session, its metadata and, for a
// completed one, the payment (its full object plus `method`, as the browser
// named it, and last4).
json session_event_json(const HostedSession& session, const Payment* payment,
                        const std::string& method);

}  // namespace paysandbox

#pragma once

#include <optional>
#include <string>

#include "http/router.h"
#include "scenario/advance.h"
#include "service/accounts.h"
#include "service/reset.h"
#include "service/tokens.h"
#include "service/wallet.h"
#include "webhooks/event_log.h"

namespace paysandbox {

// What the route handlers reach: the services, by reference. Owned by the
// composition root (sandbox.cc).
class ClientService;
struct ApiContext {
  AccountService& accounts;
  ClientService& clients;
  WalletService& wallet;
  ResetService& resets;
  EventLog& events;
  std::string version;
  TokenService& tokens;
  ClockAdvance& clock_advance;  // the one way a clock moves (POST /_sandbox/clock/advance)
};

// /oauth2/token and /api/paymentaccounts (docs/api/authentication.md,
// docs/api/payment-accounts.md).
void add_account_routes(Router& router, ApiContext& api);
// /api/customers, payment methods, import (docs/api/customers-and-wallet.md).
void add_wallet_routes(Router& router, ApiContext& api);
// A customer's methods as GET lists them: sanitized.
json method_list_json(const std::vector<SavedMethodView>& views);
// The same list serialized: dump_json(method_list_json(views)), byte for byte.
std::string method_list_body(const std::vector<SavedMethodView>& views);
// /_sandbox/ health, accounts, reset, clock, tokens (docs/control-api.md).
void add_control_routes(Router& router, ApiContext& api);

// GET /_sandbox/events (docs/webhooks.md, docs/control-api.md).
void add_event_routes(Router& router, ApiContext& api);
// An event as listed: the envelope's four keys plus delivery_status, attempts.
json event_json(const EventRecord& event);

// /api/webhooks/ types, secret, subscriptions and the webhook controls:
// /_sandbox/webhooks/deliveries, /_sandbox/webhooks/trigger,
// /_sandbox/events/{id}/redeliver, /_sandbox/noc (docs/webhooks.md).
class Dispatcher;
class NocService;
struct WebhookContext {
  Dispatcher& dispatcher;
  NocService& noc;
};
void add_webhook_routes(Router& router, ApiContext& api, WebhookContext& webhooks);

// GET /_sandbox/openapi.json: the OpenAPI document of the whole surface.
void add_openapi_route(Router& router);

// GET /_sandbox/requests: the bounded request journal (docs/control-api.md#the-request-journal).
class RequestJournal;
void add_journal_routes(Router& router, RequestJournal& journal);

// /v1/hosted-sessions (docs/api/hosted-sessions.md).
class SessionService;
void add_session_routes(Router& router, ApiContext& api, SessionService& sessions);
// GET /hosted/{session_id}: the page a session's hosted_url serves.
void add_hosted_page_route(Router& router, ApiContext& api, SessionService& sessions);

// /api/payments: validate, capture, refund, get, list (docs/api/payments.md).
class PaymentService;
// The control side's read-only views: GET /_sandbox/accounts, customers
// (with wallets), payments (with status_history), sessions.
void add_inspect_routes(Router& router, ApiContext& api, PaymentService& payments,
                        SessionService& sessions);
// GET /_sandbox/ui: the dashboard, its files compiled in.
void add_dashboard_routes(Router& router);
void add_payment_routes(Router& router, ApiContext& api, PaymentService& payments);
// POST /v1/hosted-sessions/{id}/ quote-fee, confirm, challenge/send, and
// GET /_sandbox/hosted-sessions/{id}/challenge (docs/control-api.md#hosted-session-challenges).
class CheckoutService;
void add_checkout_routes(Router& router, SessionService& sessions, CheckoutService& checkout);
// /api/clients: organizations (docs/api/clients.md).
void add_client_routes(Router& router, ApiContext& api);

// The Idempotency-Key interceptor for every POST under /api/ and /v1/
// (docs/api/README.md#conventions). Added after the scenario interceptor, so it runs inside it.
class IdempotencyService;
void add_idempotency_interceptor(Router& router, IdempotencyService& idempotency);

// /_sandbox/scenarios and the interceptor that applies loaded rules (docs/scenarios.md).
class ScenarioEngine;
struct LoadedScenario;
void add_scenario_routes(Router& router, ApiContext& api, ScenarioEngine& engine);
json loaded_scenario_json(const LoadedScenario& loaded);

// /_sandbox/snapshots (save, list, delete, restore, file) and
// POST /_sandbox/accounts/{uid}/fork. A restore runs alone (RouteOptions::exclusive).
class SnapshotService;
void add_snapshot_routes(Router& router, ApiContext& api, SnapshotService& snapshots);

// Reads the optional account settings shared by POST /api/paymentaccounts and
// POST /_sandbox/accounts into `draft`.
struct AccountDraft;
class BodyReader;
void read_account_settings(BodyReader& body, AccountDraft& draft);
FeeRules read_fee_rules(BodyReader& rules, FeeRules base);
// The optional `callback_url` of a body: empty (none) or an http(s) URL.
std::optional<std::string> read_callback_url(BodyReader& body);

}  // namespace paysandbox

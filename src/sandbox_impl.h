#pragma once

// The composition root's parts behind paysandbox::Sandbox: the store, the
// services and the HTTP adapter, in dependency order (members are built top
// to bottom and torn down in reverse). Shared by sandbox.cc, which wires
// them, and sandbox_control.cc, whose typed control calls use the services
// directly.

#include "core/clock.h"
#include "core/ids.h"
#include "http/adapter.h"
#include "paysandbox/sandbox.h"
#include "scenario/advance.h"
#include "scenario/engine.h"
#include "scenario/steps.h"
#include "service/accounts.h"
#include "service/checkout.h"
#include "service/clients.h"
#include "service/fixtures.h"
#include "service/idempotency.h"
#include "service/payments.h"
#include "service/reset.h"
#include "service/sessions.h"
#include "service/snapshots.h"
#include "service/tokens.h"
#include "service/wallet.h"
#include "store/account_store.h"
#include "store/client_store.h"
#include "store/connection.h"
#include "store/delivery_store.h"
#include "store/event_store.h"
#include "store/idempotency_store.h"
#include "store/payment_store.h"
#include "store/session_store.h"
#include "store/snapshot_store.h"
#include "store/wallet_store.h"
#include "webhooks/dispatcher.h"
#include "webhooks/event_log.h"
#include "webhooks/noc.h"

namespace paysandbox {

struct Sandbox::Impl {
  explicit Impl(Options opts);  // sandbox.cc

  Options options;
  IdSource ids;  // seeded by options.seed; read by every request (Router)
  Fixtures fixtures;
  SandboxClock clock;
  Store store;
  AccountStore account_store;
  ClientStore client_store;
  WalletStore wallet_store;
  AccountService accounts;
  ClientService clients;
  TokenService tokens;
  WalletService wallet;
  ResetService resets;
  EventStore event_store;
  EventLog events;
  DeliveryStore delivery_store;
  Dispatcher dispatcher;  // stopped (by its destructor) before the stores go away
  NocService noc;
  SessionStore session_store;
  SessionService sessions;
  PaymentStore payment_store;
  PaymentService payments;
  CheckoutService checkout;
  IdempotencyStore idempotency_store;
  IdempotencyService idempotency;
  SnapshotStore snapshot_store;
  SnapshotService snapshots;
  ScenarioEngine scenarios;
  TimelineSteps steps;
  ClockAdvance clock_advance;  // expire sessions, run scenario steps, deliver: in that order
  HttpAdapter http;            // last: stopped first, before anything it calls goes away
};

}  // namespace paysandbox

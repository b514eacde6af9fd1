#pragma once

// The services and stores of one sandbox, wired as the composition root wires
// them but over ":memory:", with no HTTP and a real-time source the test
// owns. For tests of the services' rules through their C++ API.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "service/accounts.h"
#include "service/event_sink.h"
#include "service/fixtures.h"
#include "service/idempotency.h"
#include "service/payments.h"
#include "service/tokens.h"
#include "service/wallet.h"
#include "store/account_store.h"
#include "store/connection.h"
#include "store/idempotency_store.h"
#include "store/payment_store.h"
#include "store/wallet_store.h"

namespace paysandbox::testing {

// 2026-01-01T00:00:00Z, so the sandbox cards (expiring 2030) are valid.
constexpr Millis kWorldStart = 1767225600000;

// What the payment service reported, in order.
struct RecordedEvents : EventSink {
  struct Event {
    std::string account_uid;
    std::string type;
    EventPayload payload;
  };
  std::vector<Event> events;
  void emit_event(const std::string& account_uid, EventType type, EventPayload payload) override {
    events.push_back({account_uid, event_type_name(type), std::move(payload)});
  }
};

inline Fixtures builtin_fixtures() {
  auto fixtures = load_builtin_fixtures();
  if (!fixtures) throw std::runtime_error(fixtures.error().message);
  return std::move(*fixtures);
}

struct ServiceWorld {
  Millis real_time = kWorldStart;
  SandboxClock clock{[this] { return real_time; }};
  Fixtures fixtures = builtin_fixtures();
  Store store{":memory:"};
  AccountStore account_store{store};
  WalletStore wallet_store{store};
  PaymentStore payment_store{store};
  IdempotencyStore idempotency_store{store};
  AccountService accounts{account_store, clock, fixtures};
  TokenService tokens{account_store, clock};
  WalletService wallet{wallet_store, clock, fixtures, WalletConfig{}};
  RecordedEvents events;
  PaymentService payments{payment_store, wallet, clock, events};
  IdempotencyService idempotency{idempotency_store, clock};

  ServiceWorld() { accounts.load(); }

  // A fresh account of the built-in client, with the documented defaults.
  Account new_account() {
    AccountDraft draft;
    draft.client_id = "sandbox-client";
    draft.name = "Unit test account";
    auto account = accounts.create(draft);
    if (!account) throw std::runtime_error(account.error().message);
    return *account;
  }

  // A minted card token's claim, as a save or payment body would repeat it.
  MethodClaim card_claim(const std::string& account_uid,
                         const std::string& number = "4111111111111111") {
    auto token = wallet.mint_card_token(account_uid, CardInput{number, 12, 2030, "Alex Morales"});
    if (!token) throw std::runtime_error(token.error().message);
    MethodClaim claim;
    claim.kind = MethodKind::kCredit;
    claim.fingerprint = token->fingerprint;
    claim.last4 = token->card.last4;
    claim.exp_month = token->card.exp_month;
    claim.exp_year = token->card.exp_year;
    return claim;
  }

  MethodClaim ach_claim(const std::string& account_uid) {
    auto token = wallet.mint_ach_token(
        account_uid,
        AchInput{"021000021", "000123456789", "checking", "Test Bank", "Alex Morales"});
    if (!token) throw std::runtime_error(token.error().message);
    MethodClaim claim;
    claim.kind = MethodKind::kAch;
    claim.fingerprint = token->fingerprint;
    claim.account_number_suffix = token->ach.account_number_suffix;
    claim.routing_number = token->ach.routing_number;
    claim.account_type = token->ach.account_type;
    return claim;
  }

  Customer new_customer(const std::string& account_uid, const std::string& reference_id) {
    auto customer = wallet.create_customer(account_uid, reference_id, std::nullopt, std::nullopt);
    if (!customer) throw std::runtime_error(customer.error().message);
    return *customer;
  }
};

}  // namespace paysandbox::testing

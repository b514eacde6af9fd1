#pragma once

// paysandbox::TestAccount: what one test needs from a running Sandbox. A
// fresh, isolated payment account (nothing of another test's is visible to
// it), a merchant's bearer token kept valid, and typed shortcuts for the
// calls tests make most. Destroying it resets the account.
//
//   paysandbox::Sandbox sandbox;              // once per test run
//   paysandbox::TestAccount account(sandbox); // once per test
//   auto customer = account.create_customer("user-42");
//   auto card = account.save_card(customer, "4111111111111111");
//   auto payment = account.pay(card, 10000);  // validated and captured
//   auto event = account.wait_for_event("payment.completed");
//
// The merchant calls (customers, cards, payments) go through
// Sandbox::request(), in-process, with the same handling as HTTP; the
// control calls are Sandbox's typed ones. A failed call throws api::Error
// (status, code, message, param); a wait that runs out throws api::Timeout.
// Use it from one thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "paysandbox/sandbox.h"
#include "paysandbox/types.h"

namespace paysandbox {

// Which clocks TestAccount::advance_clock moves.
enum class ClockScope {
  // This account's clock only: card tokens, sessions, webhook retries and
  // scenario timelines of this account. Bearer tokens do not age.
  kAccount,
  // The server-wide clock (bearer tokens live on it) and every account's
  // clock, other tests' accounts included.
  kServer,
};

// The optional parts of a payment.
struct PayOptions {
  std::int64_t tax_amount = 0;
  std::string currency = "USD";
  std::string reference_id;     // empty: "order-N", unique within this TestAccount
  std::string idempotency_key;  // sent on the capture when set
};

class TestAccount {
 public:
  // Creates the account (settings.client_id must stay empty: the account
  // belongs to sandbox-client, whose bearer the shortcuts use) and obtains a
  // bearer token. Throws api::Error when the sandbox refuses either.
  explicit TestAccount(Sandbox& sandbox, api::AccountSettings settings = {});
  // Resets the account: its customers, methods, payments, tokens, events,
  // scenarios and clock offset go; the account and its secret stay.
  ~TestAccount();
  TestAccount(const TestAccount&) = delete;
  TestAccount& operator=(const TestAccount&) = delete;

  Sandbox& sandbox() const { return sandbox_; }
  const api::Account& account() const { return account_; }
  const std::string& uid() const { return account_.uid; }

  // A bearer token of sandbox-client that is valid now. Bearer tokens live
  // 3600 s on the server-wide clock (not on the account's): when
  // advance_clock(..., ClockScope::kServer) or anyone else has moved that
  // clock past the token's expiry, a new one is obtained here, so no
  // shortcut ever fails with 401.
  std::string bearer();

  // The raw escape hatch as the merchant's server: a request to the API
  // with the bearer and X-Payment-Account-Uid added.
  Sandbox::Response request(const std::string& method, const std::string& path,
                            const std::string& body = {},
                            std::vector<std::pair<std::string, std::string>> headers = {});

  // POST /api/customers.
  api::Customer create_customer(const std::string& reference_id, const std::string& name = {},
                                const std::string& email = {});
  // A 15-minute proxynized token of this account (POST /_sandbox/tokens).
  api::CardToken mint_card(const std::string& number, int exp_month = 12, int exp_year = 2030);
  // Mints a token for `number` and saves it on the customer; the answer
  // carries the permanent token. The number decides the outcome of payments
  // made with the saved card (docs/control-api.md#sandbox-cards: 4000000000000002 declines).
  api::SavedMethod save_card(const api::Customer& customer, const std::string& number,
                             int exp_month = 12, int exp_year = 2030,
                             const std::string& holder_name = "Alex Morales");
  // The customer's wallet, sanitized (no token).
  std::vector<api::SavedMethod> saved_methods(const api::Customer& customer);

  // Validates then captures a payment of base_amount cents (plus tax) on a
  // saved method, with the fee the validation quoted. Returns the payment as
  // the capture left it: kCompleted; kFailed when the card declines
  // (failure_code says why); kValidated when the processor failed
  // (processing_error), so a retry may capture it. Other refusals throw.
  api::Payment pay(const api::SavedMethod& method, std::int64_t base_amount,
                   const PayOptions& options = {});
  api::Payment payment(const std::string& payment_uid);  // GET /api/payments/{uid}

  // Moves the clock(s) and returns once everything that fell due has run
  // (expiries, scenario steps, webhook attempts recorded).
  void advance_clock(std::chrono::seconds by, ClockScope scope = ClockScope::kAccount);

  // Loads a scenario (docs/scenarios.md), given as JSON text, into this
  // account; its "account", when present, must be this account's uid.
  // Throws api::Error naming the JSON path that is wrong.
  api::LoadedScenario load_scenario(const std::string& scenario_json);
  api::LoadedScenario load_scenario_file(const std::string& path);

  // This account's requests from the sandbox's journal, oldest first.
  std::vector<api::RecordedRequest> requests(const api::RequestFilter& filter = {});

  // Emits a catalogue event; `data_json` (the JSON text of an object)
  // becomes its data, empty builds realistic data.
  api::Event trigger_webhook(const std::string& event_type, const std::string& data_json = {});
  // The account's events, oldest first; `type` empty: all of them.
  std::vector<api::Event> events(const std::string& type = {});
  // The oldest event of `type`, waiting (on the sandbox's long-poll, never
  // sleeping) for one to be emitted when there is none yet.
  api::Event wait_for_event(const std::string& type,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The latest delivery attempt of `event`, waiting (long-poll) for its first
  // attempt to be recorded. Throws at once when the account has no
  // callback_url, since nothing would ever be delivered.
  api::Delivery wait_for_delivery(const api::Event& event,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  // The bearer token and when it expires, under a lock the compiler checks
  // (defined in test_account.cc, so this header stays standard C++ only).
  struct Bearer;

  Sandbox& sandbox_;
  api::Account account_;
  std::unique_ptr<Bearer> bearer_;
  int next_order_ = 1;
};

}  // namespace paysandbox

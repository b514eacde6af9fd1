#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "paysandbox/options.h"
#include "paysandbox/types.h"

namespace paysandbox {

struct OpenResult;

// A running payment sandbox. The constructor loads the fixtures, opens the
// store and starts serving HTTP on options.port (a free port by default); the
// destructor stops it and waits for in-flight requests. Several may run in
// one process, each with its own state.
//
// The typed control calls below use the sandbox's services directly;
// request() serves any HTTP request in-process, through the same handling
// as a socket's. Thread-safe.
class Sandbox {
 public:
  // Ignores SIGPIPE for the whole process (once), since a client may go away
  // mid-answer. Throws std::runtime_error with a one-line reason when the
  // fixtures or a scenario file are invalid, the database cannot be used or the address cannot be
  // bound.
  explicit Sandbox(Options options = {});
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // The constructor without exceptions: the running sandbox, or why it could
  // not start (the same one-line reason the constructor would throw).
  static OpenResult open(Options options = {}) noexcept;
  // What it was started with.
  const Options& options() const;

  int port() const;
  // "http://127.0.0.1:PORT"
  std::string base_url() const;

  // ---- The control API, typed (docs/control-api.md) ---------------------
  // Each call works on the sandbox's services directly (no JSON, no HTTP)
  // with the same rules and checks as the matching /_sandbox route, and
  // throws api::Error (status, code, message, param) where that route would
  // answer an error. Thread-safe.

  // A fresh isolated account. Its webhook_secret signs its deliveries.
  api::Account create_account(const api::AccountSettings& settings = {});
  // One account as it stands (GET /_sandbox/accounts/{uid}); 404 when there
  // is none. The built-in pa_sandbox too.
  api::Account account(const std::string& account_uid);
  // Every account of every client, oldest first (GET /_sandbox/accounts).
  std::vector<api::Account> accounts();
  // Points the account's webhooks at a receiver or turns them off
  // (PUT /_sandbox/accounts/{uid}/webhooks); answers the account as saved.
  api::Account set_webhooks(const std::string& account_uid, const api::WebhookSettings& settings);
  // Replaces the fee rules a validation quotes
  // (PUT /_sandbox/accounts/{uid}/fee-rules).
  api::Account set_fee_rules(const std::string& account_uid, const api::FeeRules& fee_rules);
  // Empties everything: accounts made since the start, and the fixture
  // accounts' customers, payments, events... (POST /_sandbox/reset).
  void reset();
  // Empties one account: its customers, methods, tokens, payments, sessions,
  // events, scenarios and clock offset go; the account and its secret stay.
  void reset_account(const std::string& account_uid);

  // Where one account's clock stands, or (account_uid empty) the server-wide
  // clock that bearer tokens live on.
  api::ClockState clock(const std::string& account_uid = {});
  // Moves one account's clock (or, with account_uid empty, the server-wide
  // clock together with every account's clock) and returns once everything
  // that fell due has run: expiries, scenario steps and webhook attempts,
  // recorded. Answers where the clock stands now.
  api::ClockState advance_clock(std::chrono::seconds by, const std::string& account_uid = {});

  // A 15-minute proxynized card token of the account (what the browser SDK
  // would post to the merchant). The number must pass Luhn.
  api::CardToken mint_card(const std::string& account_uid, const std::string& number,
                           int exp_month = 12, int exp_year = 2030);
  // The same for a bank account (an ACH payment method); the routing number
  // must pass the ABA checksum.
  api::BankToken mint_bank_account(const std::string& account_uid, const api::BankAccount& bank);

  // Loads a scenario (docs/scenarios.md) into the account from its JSON
  // text; a "account" field in it, when present, must name this account.
  // Throws api::Error naming the JSON path that is wrong.
  api::LoadedScenario load_scenario(const std::string& account_uid,
                                    const std::string& scenario_json);
  // The same from a file; errors start with the file's path.
  api::LoadedScenario load_scenario_file(const std::string& account_uid, const std::string& path);
  // The account's loaded scenarios, oldest first, with their steps that fell
  // due run first (GET /_sandbox/scenarios).
  std::vector<api::LoadedScenario> scenarios(const std::string& account_uid);
  // Unloads one scenario; false when none of that id is loaded.
  bool remove_scenario(const std::string& account_uid, const std::string& scenario_id);
  // Unloads every scenario of the account.
  void clear_scenarios(const std::string& account_uid);

  // ---- Hosted sessions ----------------------------------------------------
  // The challenge of one of the account's hosted sessions with the code the
  // payer was sent (GET /_sandbox/hosted-sessions/{id}/challenge); 404 when
  // the session is unknown or has no challenge.
  api::SessionChallenge session_challenge(const std::string& account_uid,
                                          const std::string& session_id);

  // ---- Webhooks (docs/webhooks.md) --------------------------------------
  // Deliveries happen on the sandbox's own threads; advance_clock(0s,
  // account) returns once every attempt due by then is made and recorded.
  //
  // Emits a catalogue event. `data_json` (the JSON text of an object)
  // becomes the envelope's data verbatim; empty builds realistic data from
  // the account's objects.
  api::Event trigger_webhook(const std::string& account_uid, const std::string& event_type,
                             const std::string& data_json = {});
  // Applies network updates to saved methods, all or none, and emits one
  // provider.noc event, which it returns.
  api::Event apply_noc(const std::string& account_uid, const std::vector<api::NocUpdate>& updates);
  // The account's events, oldest first; the filter may wait for the next.
  std::vector<api::Event> events(const std::string& account_uid,
                                 const api::EventFilter& filter = {});
  // The account's delivery attempts, oldest first.
  std::vector<api::Delivery> webhook_deliveries(const std::string& account_uid,
                                                const api::DeliveryFilter& filter = {});
  // Sends an event again now and returns the attempt; the retry schedule is
  // unchanged.
  api::Delivery redeliver_event(const std::string& account_uid, const std::string& event_id);

  // ---- Snapshots and forks (docs/snapshots.md) --------------------------
  //
  // Saves the whole state (`account_uid` empty) or one account's rows
  // (customers, methods, tokens, payments, sessions, events, its settings
  // and clock offset) in memory under `name` (1 to 64 of [A-Za-z0-9._-]).
  // Throws api::Error 409 when the name is taken.
  api::Snapshot snapshot(const std::string& name, const std::string& account_uid = {});
  std::vector<api::Snapshot> snapshots();  // by name
  // Deletes a snapshot; false when there is none of that name.
  bool remove_snapshot(const std::string& name);
  // Puts a snapshot back atomically: a request running meanwhile sees the
  // state before or after it, never half. An account's snapshot replaces
  // that account only; other accounts are untouched. The account's loaded
  // scenarios are cleared and its pending deliveries follow the restored
  // events.
  api::Snapshot restore(const std::string& name);
  // A new isolated account holding a copy of `account_uid`'s state (same
  // settings and clock offset, new ids for every object, references inside
  // the copy kept, its own webhook secret). Its forked_from names the source.
  api::Account fork_account(const std::string& account_uid);
  // The snapshot as a file (the bytes of an SQLite database image), for
  // Options::snapshot_files / serve --snapshot.
  std::string snapshot_file(const std::string& name);

  // ---- The request journal (GET /_sandbox/requests) ---------------------
  // The requests the sandbox served (over HTTP or request()), oldest first.
  std::vector<api::RecordedRequest> requests(const api::RequestFilter& filter = {});

  // ---- The raw escape hatch ---------------------------------------------

  struct Response {
    int status = 0;
    std::string body;  // JSON text
    std::vector<std::pair<std::string, std::string>> headers;
    std::string header(const std::string& name) const;
  };
  // Serves one request in-process. `target` may carry a query string. A
  // scenario that drops the connection gives status 0 and an empty body.
  Response request(const std::string& method, const std::string& target,
                   const std::string& body = {},
                   std::vector<std::pair<std::string, std::string>> headers = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What Sandbox::open answers: a running sandbox, or the reason it is null.
struct OpenResult {
  std::unique_ptr<Sandbox> sandbox;
  std::string error;  // empty when sandbox is set
  explicit operator bool() const { return sandbox != nullptr; }
};

// Checks a scenario file as serve --scenario would load it. Returns empty when
// it is valid, else "FILE: json.path: what was expected".
std::string check_scenario_file(const std::string& path);

}  // namespace paysandbox

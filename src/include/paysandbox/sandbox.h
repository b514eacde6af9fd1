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
// Every method below goes through the same request handling as HTTP, so what
// a test does in-process behaves exactly like what it does over the wire.
// Thread-safe.
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

  // Typed control calls (docs/control-api.md). Each throws api::Error (status, code,
  // message, param) when the sandbox answers anything but 2xx.
  //
  // A fresh isolated account. Its webhook_secret signs its deliveries.
  api::Account create_account(const api::AccountSettings& settings);
  // Moves one account's clock (or, with account_uid empty, the server-wide
  // clock that bearer tokens live on together with every account's clock)
  // and returns once everything that fell due has run: expiries, scenario
  // steps and webhook attempts, recorded.
  void advance_clock(std::chrono::seconds by, const std::string& account_uid = {});
  // A 15-minute proxynized card token of the account (what the browser SDK
  // would post to the merchant). The number must pass Luhn.
  api::CardToken mint_card(const std::string& account_uid, const std::string& number,
                           int exp_month = 12, int exp_year = 2030);

  int port() const;
  // "http://127.0.0.1:PORT"
  std::string base_url() const;

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

  // Control API conveniences (docs/control-api.md). Each returns the response body and
  // throws std::runtime_error on a non-2xx answer.
  // A fresh isolated account; `settings` is the JSON body of
  // POST /_sandbox/accounts. Returns the account JSON (uid, webhook_secret...).
  std::string create_account(const std::string& settings = "{}");
  void reset();
  void reset_account(const std::string& account_uid);
  // Moves one account's clock, or every clock when account_uid is empty, and
  // returns once everything that fell due has run.
  void advance_clock(std::int64_t seconds, const std::string& account_uid = {});
  // Mints a 15-minute proxynized card token; returns the token JSON.
  std::string mint_card_token(const std::string& account_uid, const std::string& number,
                              int exp_month, int exp_year);

  // Webhooks (docs/webhooks.md). Each returns the response body (JSON) and throws
  // std::runtime_error on a non-2xx answer. Deliveries happen on the
  // sandbox's own threads; advance_clock(0, account) returns once every
  // attempt due by then is made and recorded.
  //
  // Emits a catalogue event. `data_json` (a JSON object) becomes the
  // envelope's data verbatim; empty builds realistic data from the account's
  // objects. Returns the event.
  std::string trigger_webhook(const std::string& account_uid, const std::string& event_type,
                              const std::string& data_json = {});
  // Applies network updates to saved methods, all or none, and emits one
  // provider.noc. `updates_json` is the JSON array of
  // {saved_payment_method_uid, exp_month?, exp_year?, last4?, card_brand?,
  // account_number_suffix?, routing_number?}. Returns the event.
  std::string apply_noc(const std::string& account_uid, const std::string& updates_json);
  // The account's events, oldest first. `query` is GET /_sandbox/events'
  // query string without '?' ("after=evt_...&wait_ms=2000" waits for the
  // next one; "type=provider.noc" filters).
  std::string events(const std::string& account_uid, const std::string& query = {});
  // Every delivery attempt of the account, oldest first.
  std::string webhook_deliveries(const std::string& account_uid);
  // Sends an event again now and returns the attempt; the retry schedule is
  // unchanged.
  std::string redeliver_event(const std::string& account_uid, const std::string& event_id);

  // ---- Snapshots and forks ----------------------------------------------
  // Each returns the response body (JSON) and throws std::runtime_error on a
  // non-2xx answer, like the control conveniences above.
  //
  // Saves the whole state (`account_uid` empty) or one account's rows
  // (customers, methods, tokens, payments, sessions, events, its settings
  // and clock offset) in memory under `name` (1 to 64 of [A-Za-z0-9._-]).
  // Throws when the name is taken. Returns the snapshot (name, account,
  // rows, size_bytes, created_at).
  std::string snapshot(const std::string& name, const std::string& account_uid = {});
  // Puts a snapshot back atomically: a request running meanwhile sees the
  // state before or after it, never half. An account's snapshot replaces
  // that account only; other accounts are untouched. The account's loaded
  // scenarios are cleared and its pending deliveries follow the restored
  // events.
  std::string restore(const std::string& name);
  // A new isolated account holding a copy of `account_uid`'s state (same
  // settings and clock offset, new ids for every object, references inside
  // the copy kept, its own webhook secret). Returns the new account
  // (uid, webhook_secret, forked_from).
  std::string fork_account(const std::string& account_uid);
  // The snapshot as a file (an SQLite database image), for
  // Options::snapshot_files / serve --snapshot.
  std::string snapshot_file(const std::string& name);

 private:
  std::vector<std::pair<std::string, std::string>> control_headers() const;
  std::vector<std::pair<std::string, std::string>> account_headers(
      const std::string& account_uid) const;

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

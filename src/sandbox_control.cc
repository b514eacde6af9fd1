// Sandbox's typed control calls: each checks its input as the matching
// /_sandbox route does, calls the services directly (under the router's
// gate and the account's id scope, as a route runs) and answers
// paysandbox::api values. No JSON, no in-process HTTP request.
#include <fstream>
#include <sstream>
#include <utility>

#include "core/delivery.h"
#include "core/event_type.h"
#include "core/field_checks.h"
#include "core/session.h"
#include "core/time.h"
#include "paysandbox/sandbox.h"
#include "sandbox_impl.h"
#include "service/wallet.h"
#include "store/failure.h"
#include "webhooks/samples.h"
#include "wire/json_text.h"

namespace paysandbox {
namespace {

// ---- Errors ---------------------------------------------------------------

api::Error api_error(const Error& error) {
  return api::Error(HttpAdapter::status_for(error.code), HttpAdapter::wire_code_for(error.code),
                    error.message, error.param);
}

[[noreturn]] void fail(const Error& error) { throw api_error(error); }

template <typename T>
T value_or_throw(Result<T> result) {
  if (!result.ok()) fail(result.error());
  return std::move(result.value());
}

// Runs `work` as a route of the account runs: ids drawn in the account's
// scope, under the router's gate (alone when `exclusive`), a store failure
// answered as the route would answer it.
template <typename Impl, typename Work>
auto guarded(Impl& impl, const std::string& account_uid, bool exclusive, Work work)
    -> decltype(work()) {
  using Value = decltype(work());
  IdScope ids(&impl.ids, account_uid);
  try {
    if constexpr (std::is_void_v<Value>) {
      impl.http.run_guarded(exclusive, work);
    } else {
      std::optional<Value> out;
      impl.http.run_guarded(exclusive, [&] { out.emplace(work()); });
      return std::move(*out);
    }
  } catch (const StoreFailure& e) {
    fail(e.error());
  }
}

Account require_account(AccountService& accounts, const std::string& uid) {
  auto account = accounts.find(uid);
  if (!account) fail(not_found("No payment account '" + uid + "'."));
  return *account;
}

void require_range(const char* param, std::int64_t value, std::int64_t low, std::int64_t high) {
  if (value < low || value > high)
    fail(invalid_field(
        param, {"'", "' must be between " + std::to_string(low) + " and " + std::to_string(high) +
                         "; got " + std::to_string(value) + "."}));
}

// ---- Core values as api values ---------------------------------------------

// The public enums mirror the core's one for one, so their names stay the
// core's (one table each, in core/).
static_assert(static_cast<int>(api::DeliveryStatus::kPending) ==
                      static_cast<int>(DeliveryStatus::kPending) &&
                  static_cast<int>(api::DeliveryStatus::kDelivered) ==
                      static_cast<int>(DeliveryStatus::kDelivered) &&
                  static_cast<int>(api::DeliveryStatus::kFailed) ==
                      static_cast<int>(DeliveryStatus::kFailed) &&
                  static_cast<int>(api::DeliveryStatus::kNotConfigured) ==
                      static_cast<int>(DeliveryStatus::kNotConfigured),
              "api::DeliveryStatus must list the core's statuses in the same order");

api::FeeRule fee_rule_of(const FeeRule& rule) { return {rule.percent_bps, rule.fixed}; }

api::Account account_of(const Account& a) {
  api::Account out;
  out.uid = a.uid;
  out.name = a.name;
  out.webhook_secret = a.webhook_secret;
  out.callback_url = a.callback_url;
  out.webhook_enabled = a.webhook_enabled;
  out.enable_credit_card = a.enable_credit_card;
  out.enable_ach = a.enable_ach;
  out.fee_rules.credit = fee_rule_of(a.fee_rules.credit);
  out.fee_rules.ach = fee_rule_of(a.fee_rules.ach);
  out.created_at = format_rfc3339(a.created_at);
  return out;
}

api::CardToken card_token_of(const ProxyToken& token) {
  api::CardToken out;
  out.fingerprint = token.fingerprint;
  out.expires_at = format_rfc3339(token.expires_at);
  out.last4 = token.card.last4;
  out.bin = token.card.bin;
  out.card_brand = token.card.card_brand;
  out.exp_month = token.card.exp_month;
  out.exp_year = token.card.exp_year;
  return out;
}

api::BankToken bank_token_of(const ProxyToken& token) {
  api::BankToken out;
  out.fingerprint = token.fingerprint;
  out.expires_at = format_rfc3339(token.expires_at);
  out.account_number_suffix = token.ach.account_number_suffix;
  out.routing_number = token.ach.routing_number;
  out.account_type = token.ach.account_type;
  out.bank_name = token.ach.bank_name;
  return out;
}

api::Event event_of(const EventRecord& event) {
  api::Event out;
  out.id = event.id;
  out.type = event_type_name(event.event_type);
  out.timestamp = event.timestamp;
  out.data = event.data;
  out.delivery_status = static_cast<api::DeliveryStatus>(event.delivery_status);
  out.attempts = event.attempts;
  return out;
}

api::Delivery delivery_of(const DeliveryRecord& d) {
  api::Delivery out;
  out.event_id = d.webhook_id;
  out.event_type = event_type_name(d.event_type);
  out.url = d.url;
  out.attempt = d.attempt;
  out.status_code = d.status_code;
  out.error = d.error;
  out.duration_ms = d.duration_ms;
  out.at = format_rfc3339(d.at);
  out.chaos = d.chaos;
  return out;
}

api::Snapshot snapshot_of(const SnapshotInfo& info) {
  return {info.name, info.account_uid, info.rows, static_cast<std::int64_t>(info.size_bytes),
          format_rfc3339(info.created_at)};
}

api::LoadedScenario loaded_scenario_of(const LoadedScenario& loaded) {
  api::LoadedScenario out;
  out.id = loaded.id;
  out.name = loaded.scenario.name;
  out.account_uid = loaded.account_uid;
  out.loaded_at = format_rfc3339(loaded.loaded_at);
  out.rules = loaded.scenario.rules.size();
  out.timeline_steps = loaded.scenario.timeline.size();
  for (bool done : loaded.step_done) out.steps_done += done ? 1 : 0;
  return out;
}

api::SessionChallenge session_challenge_of(const HostedSession& session) {
  const Challenge& c = *session.options.challenge;
  api::SessionChallenge out;
  out.session_id = session.id;
  out.type = challenge_type_name(c.type);
  out.site_key = c.site_key;
  if (!is_captcha(c.type)) {
    out.delivery_hint = c.delivery_hint;
    out.code_sent = c.code_sent;
  }
  if (c.code_sent) out.code = c.code;
  return out;
}

api::RecordedRequest recorded_request_of(const JournalEntry& entry) {
  api::RecordedRequest out;
  out.request_id = entry.request_id;
  out.at = format_rfc3339(entry.at);
  out.method = entry.method;
  out.path = entry.path;
  out.query = entry.query;
  out.account_uid = entry.account;
  out.status = entry.status;
  out.dropped = entry.dropped;
  out.error_code = entry.error_code;
  out.idempotency_key = entry.idempotency_key;
  out.request_body = entry.request_body;
  out.duration_ms = entry.duration_ms;
  return out;
}

api::ClockState clock_state(SandboxClock& clock, const std::string& account_uid) {
  if (account_uid.empty())
    return {{}, format_rfc3339(clock.server_now()), clock.server_offset() / kSecond};
  return {account_uid, format_rfc3339(clock.account_now(account_uid)),
          clock.account_offset(account_uid) / kSecond};
}

// ---- Inputs ------------------------------------------------------------------

constexpr std::int64_t kMaxLimitCents = 99999999999;  // $999,999,999.99
constexpr std::int64_t kLongestWaitMs = 30000;

FeeRule fee_rule_from(const api::FeeRule& rule, const std::string& kind) {
  const std::string at = "fee_rules." + kind + ".";
  if (rule.percent_bps < 0 || rule.percent_bps > 10000)
    fail(validation_error(at + "percent_bps", "'" + at + "percent_bps' must be 0 to 10000."));
  if (rule.fixed < 0 || rule.fixed > 1000000)
    fail(validation_error(at + "fixed", "'" + at + "fixed' must be 0 to 1000000."));
  return {rule.percent_bps, rule.fixed};
}

AccountDraft account_draft(const Fixtures& fixtures, const api::AccountSettings& s) {
  AccountDraft draft;
  draft.client_id = s.client_id.empty() ? "sandbox-client" : s.client_id;
  bool known = false;
  for (const auto& client : fixtures.clients) known = known || client.client_id == draft.client_id;
  if (!known)
    fail(validation_error("client_id", "Unknown client_id '" + draft.client_id +
                                           "'; clients come from the fixtures."));
  draft.name = s.name.empty() ? "Sandbox test account" : s.name;
  if (draft.name.size() > 255)
    fail(validation_error("name", "'name' must be at most 255 characters."));
  if (!s.callback_url.empty()) {
    if (s.callback_url.rfind("http://", 0) != 0 && s.callback_url.rfind("https://", 0) != 0)
      fail(validation_error(
          "callback_url",
          "'callback_url' must be an http:// or https:// URL; got '" + s.callback_url + "'."));
    if (s.callback_url.size() > 2048)
      fail(validation_error("callback_url", "'callback_url' must be at most 2048 characters."));
    draft.callback_url = s.callback_url;
  }
  draft.enable_credit_card = s.enable_credit_card;
  draft.enable_ach = s.enable_ach;
  if (s.minimum_payment_cents)
    require_range("minimum_payment_amount", *s.minimum_payment_cents, 0, kMaxLimitCents);
  if (s.maximum_payment_cents)
    require_range("maximum_payment_amount", *s.maximum_payment_cents, 0, kMaxLimitCents);
  draft.minimum_payment_amount = s.minimum_payment_cents;
  draft.maximum_payment_amount = s.maximum_payment_cents;
  if (s.fee_rules)
    draft.fee_rules = FeeRules{fee_rule_from(s.fee_rules->credit, "credit"),
                               fee_rule_from(s.fee_rules->ach, "ach")};
  return draft;
}

EventType event_type_named(const std::string& name, const char* param) {
  if (auto type = event_type_from_name(name)) return *type;
  std::string names;
  for (EventType type : all_event_types())
    names += (names.empty() ? "" : ", ") + std::string(event_type_name(type));
  fail(
      validation_error(param, "Unknown event type '" + name + "'; expected one of " + names + "."));
}

NocUpdate noc_update_from(const api::NocUpdate& in, const std::string& at) {
  NocUpdate out;
  if (in.saved_payment_method_uid.empty())
    fail(validation_error(at + ".saved_payment_method_uid",
                          "'" + at + ".saved_payment_method_uid' is required."));
  if (auto error = length_error(at + ".saved_payment_method_uid", in.saved_payment_method_uid, 1,
                                kMaxMethodUidLength))
    fail(*error);
  out.saved_payment_method_uid = in.saved_payment_method_uid;
  out.exp_month = in.exp_month;
  out.exp_year = in.exp_year;
  out.last4 = in.last4;
  out.card_brand = in.card_brand;
  out.account_number_suffix = in.account_number_suffix;
  out.routing_number = in.routing_number;
  if (auto checked = check_update_values(out); !checked.ok()) fail(within(at, checked.error()));
  if (auto error = nothing_set_error(at, out)) fail(*error);
  return out;
}

void require_snapshot_name(const std::string& name) {
  if (!SnapshotService::valid_name(name))
    fail(validation_error(
        "name", "Expected 1 to 64 letters, digits, '.', '_' or '-', got '" + name + "'."));
}

// A name that cannot be a snapshot's names none (as the routes answer).
void require_known_name(const std::string& name) {
  if (!SnapshotService::valid_name(name)) fail(not_found("No snapshot named '" + name + "'."));
}

std::size_t limit_of(std::size_t limit) {
  if (limit < 1 || limit > 1000) fail(validation_error("limit", "'limit' must be 1 to 1000."));
  return limit;
}

std::int64_t wait_ms_of(std::chrono::milliseconds wait) {
  require_range("wait_ms", wait.count(), 0, kLongestWaitMs);
  return wait.count();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

// ---- Accounts and clocks -------------------------------------------------------

api::Account Sandbox::create_account(const api::AccountSettings& settings) {
  Impl& impl = *impl_;
  const AccountDraft draft = account_draft(impl.fixtures, settings);
  return guarded(impl, {}, false,
                 [&] { return account_of(value_or_throw(impl.accounts.create(draft))); });
}

api::Account Sandbox::account(const std::string& account_uid) {
  Impl& impl = *impl_;
  return guarded(impl, {}, false,
                 [&] { return account_of(require_account(impl.accounts, account_uid)); });
}

std::vector<api::Account> Sandbox::accounts() {
  Impl& impl = *impl_;
  return guarded(impl, {}, false, [&] {
    std::vector<api::Account> out;
    for (const auto& account : impl.accounts.list_all()) out.push_back(account_of(account));
    return out;
  });
}

api::Account Sandbox::set_webhooks(const std::string& account_uid,
                                   const api::WebhookSettings& settings) {
  Impl& impl = *impl_;
  if (settings.callback_url) {
    const std::string& url = *settings.callback_url;
    if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      fail(validation_error(
          "callback_url", "'callback_url' must be an http:// or https:// URL; got '" + url + "'."));
    if (url.size() > 2048)
      fail(validation_error("callback_url", "'callback_url' must be at most 2048 characters."));
  }
  return guarded(impl, {}, false, [&] {
    const Account account = require_account(impl.accounts, account_uid);
    return account_of(impl.accounts.set_webhooks(account, settings.callback_url, settings.enabled));
  });
}

api::Account Sandbox::set_fee_rules(const std::string& account_uid,
                                    const api::FeeRules& fee_rules) {
  Impl& impl = *impl_;
  const FeeRules rules{fee_rule_from(fee_rules.credit, "credit"),
                       fee_rule_from(fee_rules.ach, "ach")};
  return guarded(impl, {}, false, [&] {
    Account account = require_account(impl.accounts, account_uid);
    account.fee_rules = rules;
    return account_of(impl.accounts.update(account));
  });
}

void Sandbox::reset() {
  Impl& impl = *impl_;
  guarded(impl, {}, false, [&] { impl.resets.reset_all(); });
}

void Sandbox::reset_account(const std::string& account_uid) {
  Impl& impl = *impl_;
  guarded(impl, {}, false, [&] {
    const Account account = require_account(impl.accounts, account_uid);
    impl.resets.reset_account(account.uid);
  });
}

api::ClockState Sandbox::clock(const std::string& account_uid) {
  Impl& impl = *impl_;
  if (!account_uid.empty()) require_account(impl.accounts, account_uid);
  return clock_state(impl.clock, account_uid);
}

api::ClockState Sandbox::advance_clock(std::chrono::seconds by, const std::string& account_uid) {
  Impl& impl = *impl_;
  constexpr std::int64_t kTenYears = 10LL * 366 * 24 * 3600;
  require_range("seconds", by.count(), 0, kTenYears);
  return guarded(impl, account_uid, false, [&] {
    if (!account_uid.empty()) require_account(impl.accounts, account_uid);
    impl.clock_advance.advance(account_uid, by.count() * kSecond);
    return clock_state(impl.clock, account_uid);
  });
}

api::CardToken Sandbox::mint_card(const std::string& account_uid, const std::string& number,
                                  int exp_month, int exp_year) {
  Impl& impl = *impl_;
  CardInput input;
  input.number = number;
  input.exp_month = exp_month;
  input.exp_year = exp_year;
  value_or_throw(check_card_input(input));
  return guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    return card_token_of(value_or_throw(impl.wallet.mint_card_token(account_uid, input)));
  });
}

api::BankToken Sandbox::mint_bank_account(const std::string& account_uid,
                                          const api::BankAccount& bank) {
  Impl& impl = *impl_;
  AchInput input;
  input.routing_number = bank.routing_number;
  input.account_number = bank.account_number;
  input.account_type = bank.account_type;
  input.bank_name = bank.bank_name;
  input.holder_name = bank.holder_name;
  if (auto checked = check_ach_input(input); !checked.ok()) fail(within("ach", checked.error()));
  return guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    auto minted = impl.wallet.mint_ach_token(account_uid, input);
    if (!minted.ok()) fail(within("ach", minted.error()));
    return bank_token_of(*minted);
  });
}

// ---- Scenarios ---------------------------------------------------------------

api::LoadedScenario Sandbox::load_scenario(const std::string& account_uid,
                                           const std::string& scenario_json) {
  Impl& impl = *impl_;
  return guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    Scenario scenario = value_or_throw(parse_scenario(scenario_json));
    if (!scenario.account.empty() && scenario.account != account_uid)
      fail(validation_error("account", "The scenario names account '" + scenario.account +
                                           "' but it is loaded into '" + account_uid +
                                           "'; drop the field or load it into that account."));
    LoadedScenario loaded =
        impl.scenarios.load(account_uid, std::move(scenario), impl.clock.account_now(account_uid));
    // A step at 0 s is due at once.
    impl.scenarios.run_due(account_uid, impl.clock.account_now(account_uid));
    for (const auto& current : impl.scenarios.list(account_uid))
      if (current.id == loaded.id) loaded = current;
    return loaded_scenario_of(loaded);
  });
}

api::LoadedScenario Sandbox::load_scenario_file(const std::string& account_uid,
                                                const std::string& path) {
  std::string text;
  try {
    text = read_text(path);
  } catch (const std::runtime_error& e) {
    throw api::Error(400, "validation_error", e.what(), "");
  }
  try {
    return load_scenario(account_uid, text);
  } catch (const api::Error& e) {
    throw api::Error(e.status(), e.code(), path + ": " + e.message(), e.param());
  }
}

std::vector<api::LoadedScenario> Sandbox::scenarios(const std::string& account_uid) {
  Impl& impl = *impl_;
  return guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    impl.scenarios.run_due(account_uid, impl.clock.account_now(account_uid));
    std::vector<api::LoadedScenario> out;
    for (const auto& loaded : impl.scenarios.list(account_uid))
      out.push_back(loaded_scenario_of(loaded));
    return out;
  });
}

bool Sandbox::remove_scenario(const std::string& account_uid, const std::string& scenario_id) {
  Impl& impl = *impl_;
  return guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    return impl.scenarios.remove(account_uid, scenario_id);
  });
}

void Sandbox::clear_scenarios(const std::string& account_uid) {
  Impl& impl = *impl_;
  guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    impl.scenarios.clear(account_uid);
  });
}

// ---- Hosted sessions -------------------------------------------------------------

api::SessionChallenge Sandbox::session_challenge(const std::string& account_uid,
                                                 const std::string& session_id) {
  Impl& impl = *impl_;
  return guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    return session_challenge_of(
        value_or_throw(impl.sessions.with_challenge(session_id, account_uid)));
  });
}

// ---- Webhooks ------------------------------------------------------------------

api::Event Sandbox::trigger_webhook(const std::string& account_uid, const std::string& event_type,
                                    const std::string& data_json) {
  Impl& impl = *impl_;
  const EventType type = event_type_named(event_type, "event_type");
  std::optional<std::string> data;
  if (!data_json.empty()) {
    data = json_object_text(data_json);
    if (!data)
      fail(validation_error("data",
                            "'data' must be the JSON text of an object (it becomes the "
                            "envelope's data verbatim)."));
  }
  return guarded(impl, account_uid, false, [&] {
    const Account account = require_account(impl.accounts, account_uid);
    EventPayload payload =
        data ? EventPayload(GivenEventData{*data})
             : sample_event_payload(type, account, impl.wallet, impl.noc, impl.clock);
    return event_of(impl.events.emit(account.uid, type, payload));
  });
}

api::Event Sandbox::apply_noc(const std::string& account_uid,
                              const std::vector<api::NocUpdate>& updates) {
  Impl& impl = *impl_;
  if (updates.empty())
    fail(validation_error("updates", "'updates' must hold at least one update."));
  if (updates.size() > 1000)
    fail(validation_error("updates", "'updates' may hold at most 1000 updates."));
  std::vector<NocUpdate> core_updates;
  for (std::size_t i = 0; i < updates.size(); ++i)
    core_updates.push_back(noc_update_from(updates[i], "updates." + std::to_string(i)));
  return guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    auto applied = impl.noc.apply(account_uid, core_updates);
    if (!applied.ok()) fail(within("updates", applied.error()));
    return event_of(*applied);
  });
}

std::vector<api::Event> Sandbox::events(const std::string& account_uid,
                                        const api::EventFilter& filter) {
  Impl& impl = *impl_;
  std::optional<EventType> type;
  if (!filter.type.empty()) type = event_type_named(filter.type, "type");
  const std::size_t limit = limit_of(filter.limit);
  const std::int64_t wait_ms = wait_ms_of(filter.wait);
  return guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    auto found = wait_ms > 0
                     ? impl.events.wait_after(account_uid, filter.after, type, limit, wait_ms)
                     : impl.events.list(account_uid, filter.after, type, limit);
    if (!found.ok()) fail(renamed(found.error(), "after_id", "after"));
    std::vector<api::Event> out;
    for (const auto& event : *found) out.push_back(event_of(event));
    return out;
  });
}

std::vector<api::Delivery> Sandbox::webhook_deliveries(const std::string& account_uid,
                                                       const api::DeliveryFilter& filter) {
  Impl& impl = *impl_;
  const std::size_t limit = limit_of(filter.limit);
  const std::int64_t wait_ms = wait_ms_of(filter.wait);
  return guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    std::vector<api::Delivery> out;
    for (const auto& d :
         wait_ms > 0
             ? impl.dispatcher.wait_for_deliveries(account_uid, filter.event_id, limit, wait_ms)
             : impl.dispatcher.deliveries(account_uid, filter.event_id, limit))
      out.push_back(delivery_of(d));
    return out;
  });
}

api::Delivery Sandbox::redeliver_event(const std::string& account_uid,
                                       const std::string& event_id) {
  Impl& impl = *impl_;
  return guarded(impl, account_uid, false, [&] {
    require_account(impl.accounts, account_uid);
    if (event_id.empty()) fail(not_found("No event '' in this account."));
    return delivery_of(value_or_throw(impl.dispatcher.redeliver(account_uid, event_id)));
  });
}

// ---- Snapshots and forks -----------------------------------------------------

api::Snapshot Sandbox::snapshot(const std::string& name, const std::string& account_uid) {
  Impl& impl = *impl_;
  require_snapshot_name(name);
  return guarded(impl, {}, false, [&] {
    if (!account_uid.empty() && !impl.accounts.find(account_uid))
      fail(validation_error("account", "No payment account '" + account_uid +
                                           "'; name an existing account, or leave it empty to "
                                           "save everything."));
    return snapshot_of(value_or_throw(impl.snapshots.save(name, account_uid)));
  });
}

std::vector<api::Snapshot> Sandbox::snapshots() {
  Impl& impl = *impl_;
  return guarded(impl, {}, false, [&] {
    std::vector<api::Snapshot> out;
    for (const auto& info : impl.snapshots.list()) out.push_back(snapshot_of(info));
    return out;
  });
}

bool Sandbox::remove_snapshot(const std::string& name) {
  Impl& impl = *impl_;
  if (!SnapshotService::valid_name(name)) return false;
  return guarded(impl, {}, false, [&] { return impl.snapshots.remove(name); });
}

api::Snapshot Sandbox::restore(const std::string& name) {
  Impl& impl = *impl_;
  require_known_name(name);
  // Alone, as the route: a request running meanwhile sees before or after.
  return guarded(impl, {}, true,
                 [&] { return snapshot_of(value_or_throw(impl.snapshots.restore(name))); });
}

api::Account Sandbox::fork_account(const std::string& account_uid) {
  Impl& impl = *impl_;
  return guarded(impl, {}, false, [&] {
    api::Account out = account_of(value_or_throw(impl.snapshots.fork(account_uid)));
    out.forked_from = account_uid;
    return out;
  });
}

std::string Sandbox::snapshot_file(const std::string& name) {
  Impl& impl = *impl_;
  require_known_name(name);
  return guarded(impl, {}, false, [&] { return value_or_throw(impl.snapshots.file(name)); });
}

// ---- The journal -----------------------------------------------------------------

std::vector<api::RecordedRequest> Sandbox::requests(const api::RequestFilter& filter) {
  JournalFilter query;
  query.account = filter.account_uid;
  query.method = filter.method;
  query.path_prefix = filter.path_prefix;
  if (filter.status != 0) query.status = filter.status;
  query.limit = filter.limit;
  std::vector<api::RecordedRequest> out;
  for (const auto& entry : impl_->http.journal(query)) out.push_back(recorded_request_of(entry));
  return out;
}

}  // namespace paysandbox

// The composition root: builds the store, services, router and server behind
// paysandbox::Sandbox, in dependency order, and tears them down in reverse.
#include "paysandbox/sandbox.h"

#include <strings.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "core/clock.h"
#include "http/journal.h"
#include "http/router.h"
#include "http/routes.h"
#include "http/server.h"
#include "scenario/engine.h"
#include "service/accounts.h"
#include "service/fixtures.h"
#include "service/idempotency.h"
#include "service/payments.h"
#include "service/reset.h"
#include "service/sessions.h"
#include "service/wallet.h"
#include "store/account_store.h"
#include "store/connection.h"
#include "store/delivery_store.h"
#include "store/event_store.h"
#include "store/idempotency_store.h"
#include "store/payment_store.h"
#include "store/session_store.h"
#include "store/wallet_store.h"
#include "webhooks/dispatcher.h"
#include "webhooks/event_log.h"
#include "webhooks/noc.h"

#ifndef PAYSANDBOX_VERSION
#define PAYSANDBOX_VERSION "0.0.0"
#endif

namespace paysandbox {
namespace {

Millis wall_clock_millis() {
  // The one read of the system clock; everything else asks a SandboxClock.
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Fixtures load_or_throw(const std::string& directory) {
  auto fixtures = directory.empty() ? load_builtin_fixtures() : load_fixtures(directory);
  if (!fixtures) throw std::runtime_error("invalid fixtures: " + fixtures.error().message);
  return std::move(*fixtures);
}

RequestLog log_format_from(LogFormat format) {
  if (format == LogFormat::kText) return RequestLog::kText;
  return format == LogFormat::kJson ? RequestLog::kJson : RequestLog::kNone;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ServerConfig server_config(const Options& options) {
  ServerConfig config;
  config.host = options.host;
  config.port = options.port;
  config.threads = options.threads;
  config.log = log_format_from(options.log_format);
  config.read_timeout_ms = options.read_timeout_ms;
  return config;
}

Scenario load_scenario_file(const std::string& path) {
  auto scenario = parse_scenario(read_file(path));
  if (!scenario) throw std::runtime_error(path + ": " + scenario.error().message);
  return std::move(*scenario);
}

}  // namespace

std::string check_scenario_file(const std::string& path) {
  try {
    Scenario scenario = load_scenario_file(path);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

struct Sandbox::Impl {
  explicit Impl(Options opts)
      : options(std::move(opts)),
        fixtures(load_or_throw(options.fixtures_dir)),
        clock(wall_clock_millis),
        store(options.db_path.empty() ? ":memory:" : options.db_path),
        account_store(store),
        wallet_store(store),
        accounts(account_store, clock, fixtures),
        wallet(wallet_store, clock, fixtures, WalletConfig{options.accept_any_token}),
        resets(store, accounts),
        event_store(store),
        events(event_store, accounts, clock),
        delivery_store(store),
        dispatcher(events, delivery_store, accounts, clock,
                   DispatcherConfig{std::max<Millis>(1, options.webhook_timeout_ms)}),
        noc(wallet, events, clock),
        webhooks{dispatcher, noc},
        session_store(store),
        sessions(session_store, clock, events),
        payment_store(store),
        payments(payment_store, wallet, clock, events),
        idempotency_store(store),
        idempotency(idempotency_store, clock),
        journal(options.journal_size),
        router(accounts, RouterConfig{options.no_auth, options.control_token}),
        api{accounts, wallet, resets, events, PAYSANDBOX_VERSION},
        server(router, server_config(options)) {
    accounts.load();
    add_account_routes(router, api);
    add_wallet_routes(router, api);
    add_control_routes(router, api);
    add_event_routes(router, api);
    add_webhook_routes(router, api, webhooks);
    add_journal_routes(router, journal);
    add_session_routes(router, api, sessions);
    add_hosted_page_route(router, api, sessions);
    add_payment_routes(router, api, payments);
    add_session_confirm_route(router, api, sessions, payments);
    router.set_session_resolver(
        [this](const std::string& secret) { return sessions.account_of_secret(secret); });
    accounts.on_advance(
        [this](const std::string& account_uid) { sessions.expire_due(account_uid); });
    // Outermost of the interceptors that act on a request, so that a
    // commit_then_drop still lets everything inside it (idempotency) record
    // the committed answer.
    add_scenario_routes(router, api, scenarios);
    // Inside the scenario interceptor, after authentication and the account.
    add_idempotency_interceptor(router, idempotency);
    scenarios.set_step_runner([this](const std::string& account_uid, const Step& step) {
      return run_step(account_uid, step);
    });
    accounts.on_advance([this](const std::string& account_uid) {
      auto due = account_uid.empty() ? scenarios.accounts() : std::vector<std::string>{account_uid};
      for (const auto& uid : due) scenarios.run_due(uid, clock.account_now(uid));
    });
    // Last of the advance listeners, so that events the others emitted
    // (expiries, scenario steps) are delivered before the advance answers.
    accounts.on_advance(
        [this](const std::string& account_uid) { dispatcher.run_due(account_uid); });
    events.on_emit([this](const EventRecord& event) { dispatcher.enqueue(event); });
    // Every request but the journal's own reads, so that looking does not
    // push out what a test came to see.
    router.set_observer(
        [this](const HttpRequest& request, const HttpResponse& response, double duration_ms) {
          if (request.method == "GET" && request.path == "/_sandbox/requests") return;
          journal.record(request, response, wall_clock_millis(), duration_ms);
        });
    resets.on_reset([this](const std::string& account_uid) {
      if (account_uid.empty()) journal.clear();
      scenarios.clear(account_uid);
      dispatcher.forget(account_uid);
    });
    for (const auto& path : options.scenario_files) {
      Scenario scenario = load_scenario_file(path);
      const std::string account = scenario.account.empty() ? "pa_sandbox" : scenario.account;
      if (!accounts.find(account))
        throw std::runtime_error(path + ": account '" + account + "' does not exist");
      scenarios.load(account, std::move(scenario), clock.account_now(account));
    }
    dispatcher.start();  // after accounts.load(): retries run on restored clocks
    server.start();
  }

  // A timeline step (SPEC §9); returns why it failed, or empty.
  std::string run_step(const std::string& account_uid, const Step& step) {
    switch (step.type) {
      case StepType::kExpireTokens:
        wallet.expire_tokens(account_uid);
        return {};
      case StepType::kTriggerWebhook:
        events.emit(account_uid, step.event_type, step.data.value_or(json::object()));
        return {};
      case StepType::kExpireSession:
        if (sessions.expire_active(account_uid, step.session_id) == 0 && !step.session_id.empty())
          return "session " + step.session_id + " is not an active session of this account";
        return {};
      case StepType::kNoc: {
        auto event = noc.apply_step(account_uid, step.methods, step.fields);
        return event ? std::string() : event.error().message;
      }
    }
    return {};
  }

  Options options;
  Fixtures fixtures;
  SandboxClock clock;
  Store store;
  AccountStore account_store;
  WalletStore wallet_store;
  AccountService accounts;
  WalletService wallet;
  ResetService resets;
  EventStore event_store;
  EventLog events;
  DeliveryStore delivery_store;
  Dispatcher dispatcher;  // stopped (by its destructor) before the stores go away
  NocService noc;
  WebhookContext webhooks;
  SessionStore session_store;
  SessionService sessions;
  PaymentStore payment_store;
  PaymentService payments;
  IdempotencyStore idempotency_store;
  IdempotencyService idempotency;
  RequestJournal journal;
  ScenarioEngine scenarios;
  Router router;
  ApiContext api;
  HttpServer server;  // last: stopped first, before anything it calls goes away
};

namespace {
// The HTTP library writes without MSG_NOSIGNAL: a client that goes away
// mid-answer (or a dropped connection) would otherwise kill the process.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}
}  // namespace

Sandbox::Sandbox(Options options) {
  ignore_sigpipe();
  impl_ = std::make_unique<Impl>(std::move(options));
}

Sandbox::~Sandbox() {
  // The dispatcher first: it cuts posts to hanging receivers short, which
  // also frees a clock advance waiting on one, so the server's drain is quick.
  impl_->dispatcher.stop();
  impl_->server.stop();
}

const Options& Sandbox::options() const { return impl_->options; }

int Sandbox::port() const { return impl_->server.port(); }

std::string Sandbox::base_url() const {
  return "http://" + impl_->server.host() + ":" + std::to_string(port());
}

std::string Sandbox::Response::header(const std::string& name) const {
  for (const auto& [key, value] : headers)
    if (key.size() == name.size() && strncasecmp(key.c_str(), name.c_str(), key.size()) == 0)
      return value;
  return {};
}

Sandbox::Response Sandbox::request(const std::string& method, const std::string& target,
                                   const std::string& body,
                                   std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest request;
  request.method = method;
  set_target(request, target);
  request.headers = std::move(headers);
  // As a socket client would send it (hosted_url is built from it).
  if (!request.has_header("Host"))
    request.headers.emplace_back("Host", impl_->server.host() + ":" + std::to_string(port()));
  request.body = body;
  HttpResponse response = impl_->router.handle(request);
  if (response.drop_connection) return Response{0, {}, {}};
  return Response{response.status, std::move(response.body), std::move(response.headers)};
}

namespace {
std::string expect_ok(Sandbox::Response response, const std::string& what) {
  if (response.status < 200 || response.status >= 300)
    throw std::runtime_error(what + " failed with " + std::to_string(response.status) + ": " +
                             response.body);
  return std::move(response.body);
}
}  // namespace

std::string Sandbox::create_account(const std::string& settings) {
  return expect_ok(request("POST", "/_sandbox/accounts", settings, control_headers()),
                   "create_account");
}

void Sandbox::reset() {
  expect_ok(request("POST", "/_sandbox/reset", "", control_headers()), "reset");
}

void Sandbox::reset_account(const std::string& account_uid) {
  expect_ok(request("POST", "/_sandbox/accounts/" + account_uid + "/reset", "", control_headers()),
            "reset_account");
}

void Sandbox::advance_clock(std::int64_t seconds, const std::string& account_uid) {
  auto headers = control_headers();
  if (!account_uid.empty()) headers.emplace_back("X-Payment-Account-Uid", account_uid);
  expect_ok(request("POST", "/_sandbox/clock/advance",
                    "{\"seconds\":" + std::to_string(seconds) + "}", headers),
            "advance_clock");
}

std::string Sandbox::mint_card_token(const std::string& account_uid, const std::string& number,
                                     int exp_month, int exp_year) {
  auto headers = control_headers();
  headers.emplace_back("X-Payment-Account-Uid", account_uid);
  std::string body = "{\"card\":{\"number\":" + dump_json(number) +
                     ",\"exp_month\":" + std::to_string(exp_month) +
                     ",\"exp_year\":" + std::to_string(exp_year) + "}}";
  return expect_ok(request("POST", "/_sandbox/tokens", body, headers), "mint_card_token");
}

std::string Sandbox::trigger_webhook(const std::string& account_uid, const std::string& event_type,
                                     const std::string& data_json) {
  std::string body = "{\"event_type\":" + dump_json(event_type) +
                     (data_json.empty() ? std::string() : ",\"data\":" + data_json) + "}";
  return expect_ok(
      request("POST", "/_sandbox/webhooks/trigger", body, account_headers(account_uid)),
      "trigger_webhook");
}

std::string Sandbox::apply_noc(const std::string& account_uid, const std::string& updates_json) {
  return expect_ok(request("POST", "/_sandbox/noc", "{\"updates\":" + updates_json + "}",
                           account_headers(account_uid)),
                   "apply_noc");
}

std::string Sandbox::events(const std::string& account_uid, const std::string& query) {
  return expect_ok(request("GET", "/_sandbox/events" + (query.empty() ? "" : "?" + query), "",
                           account_headers(account_uid)),
                   "events");
}

std::string Sandbox::webhook_deliveries(const std::string& account_uid) {
  return expect_ok(
      request("GET", "/_sandbox/webhooks/deliveries", "", account_headers(account_uid)),
      "webhook_deliveries");
}

std::string Sandbox::redeliver_event(const std::string& account_uid, const std::string& event_id) {
  return expect_ok(request("POST", "/_sandbox/events/" + event_id + "/redeliver", "",
                           account_headers(account_uid)),
                   "redeliver_event");
}

std::vector<std::pair<std::string, std::string>> Sandbox::account_headers(
    const std::string& account_uid) const {
  auto headers = control_headers();
  headers.emplace_back("X-Payment-Account-Uid", account_uid);
  return headers;
}

std::vector<std::pair<std::string, std::string>> Sandbox::control_headers() const {
  if (impl_->options.control_token.empty()) return {};
  return {{"X-Sandbox-Token", impl_->options.control_token}};
}

}  // namespace paysandbox

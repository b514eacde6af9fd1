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

#include "client/health_check.h"
#include "core/payment.h"
#include "paysandbox/health.h"
#include "sandbox_impl.h"

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

SandboxClock::TimeSource time_source(const std::string& frozen_clock) {
  if (frozen_clock.empty()) return wall_clock_millis;
  auto at = parse_rfc3339(frozen_clock);
  if (!at)
    throw std::runtime_error(
        "frozen clock must be an RFC 3339 UTC time like "
        "2030-01-01T00:00:00Z; got '" +
        frozen_clock + "'");
  const Millis frozen = *at;
  return [frozen] { return frozen; };
}

Fixtures load_or_throw(const std::string& directory) {
  auto fixtures = directory.empty() ? load_builtin_fixtures() : load_fixtures(directory);
  if (!fixtures) throw std::runtime_error("invalid fixtures: " + fixtures.error().message);
  return std::move(*fixtures);
}

HttpSettings http_settings(const Options& options, IdSource& ids) {
  HttpSettings settings;
  settings.host = options.host;
  settings.port = options.port;
  settings.threads = options.threads;
  settings.read_timeout_ms = options.read_timeout_ms;
  settings.log = options.log_format == LogFormat::kText   ? HttpSettings::Log::kText
                 : options.log_format == LogFormat::kJson ? HttpSettings::Log::kJson
                                                          : HttpSettings::Log::kNone;
  settings.no_auth = options.no_auth;
  settings.control_token = options.control_token;
  settings.journal_size = options.journal_size;
  settings.version = PAYSANDBOX_VERSION;
  settings.ids = &ids;
  settings.wall_clock = wall_clock_millis;
  return settings;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Scenario read_scenario_file(const std::string& path) {
  auto scenario = parse_scenario(read_file(path));
  if (!scenario) throw std::runtime_error(path + ": " + scenario.error().message);
  return std::move(*scenario);
}

}  // namespace

std::string check_scenario_file(const std::string& path) {
  try {
    Scenario scenario = read_scenario_file(path);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string check_health(const std::string& base_url, int timeout_ms) {
  return probe_health(base_url, timeout_ms);
}

Sandbox::Impl::Impl(Options opts)
    : options(std::move(opts)),
      ids(options.seed),
      fixtures(load_or_throw(options.fixtures_dir)),
      clock(time_source(options.frozen_clock)),
      store(options.db_path.empty() ? ":memory:" : options.db_path),
      account_store(store),
      client_store(store),
      wallet_store(store),
      accounts(account_store, clock, fixtures),
      clients(client_store, clock),
      tokens(account_store, clock),
      wallet(wallet_store, clock, fixtures, WalletConfig{options.accept_any_token}),
      resets(store, accounts),
      event_store(store),
      events(event_store, accounts, clock),
      delivery_store(store),
      dispatcher(events, delivery_store, accounts, clock,
                 DispatcherConfig{std::max<Millis>(1, options.webhook_timeout_ms)}),
      noc(wallet, events, clock),
      session_store(store),
      sessions(session_store, clock, events),
      payment_store(store),
      payments(payment_store, wallet, clock, events),
      checkout(sessions, payments, wallet),
      idempotency_store(store),
      idempotency(idempotency_store, clock),
      snapshot_store(store),
      snapshots(snapshot_store, accounts, clock),
      steps(wallet, events, sessions, noc),
      clock_advance(accounts, sessions, scenarios, dispatcher),
      http(
          HttpServices{accounts, clients, tokens, wallet, resets, events, clock_advance, dispatcher,
                       noc, sessions, payments, checkout, idempotency, snapshots, scenarios, store},
          http_settings(options, ids)) {
  // Ids made while starting (fixture accounts, startup scenarios) are
  // counted server-wide.
  IdScope id_scope(&ids, std::string());
  accounts.load();
  scenarios.set_step_runner([this](const std::string& account_uid, const Step& step) {
    return steps.run(account_uid, step);
  });
  // Scenario delivery rules shape an event's first delivery (chaos).
  dispatcher.set_chaos_source([this](const EventRecord& event) {
    return scenarios.take_delivery(event.account_uid, event_type_name(event.event_type));
  });
  events.on_emit([this](const EventRecord& event) { dispatcher.enqueue(event); });
  resets.on_reset([this](const std::string& account_uid) {
    scenarios.clear(account_uid);
    dispatcher.forget(account_uid);
  });
  // A restore or fork rewrote rows behind the in-memory state: bring the
  // account cache, clocks, scenarios and delivery queues back in line.
  snapshots.on_change([this](const std::string& account_uid) {
    if (account_uid.empty())
      accounts.load();
    else
      accounts.reload(account_uid);
    scenarios.clear(account_uid);
    dispatcher.reload(account_uid);
  });
  // Each --snapshot is kept under its name and put back at once, so the
  // server starts from it (before startup scenarios, which it would clear).
  for (const auto& path : options.snapshot_files) {
    auto loaded = snapshots.load_file(read_file(path));
    if (!loaded) throw std::runtime_error(path + ": " + loaded.error().message);
    auto restored = snapshots.restore(loaded->name);
    if (!restored) throw std::runtime_error(path + ": " + restored.error().message);
  }
  for (const auto& path : options.scenario_files) {
    Scenario scenario = read_scenario_file(path);
    const std::string account = scenario.account.empty() ? "pa_sandbox" : scenario.account;
    if (!accounts.find(account))
      throw std::runtime_error(path + ": account '" + account + "' does not exist");
    scenarios.load(account, std::move(scenario), clock.account_now(account));
  }
  dispatcher.start();  // after accounts.load(): retries run on restored clocks
  http.start();
}

namespace {
// The HTTP library writes without MSG_NOSIGNAL: a client that goes away
// mid-answer (or a dropped connection) would otherwise kill the process.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}
}  // namespace

// The public PaymentStatus mirrors the core's one for one, so its names are
// the core's (spelled once, in core/payment.cc).
static_assert(static_cast<int>(api::PaymentStatus::kValidated) ==
                      static_cast<int>(PaymentStatus::kValidated) &&
                  static_cast<int>(api::PaymentStatus::kCompleted) ==
                      static_cast<int>(PaymentStatus::kCompleted) &&
                  static_cast<int>(api::PaymentStatus::kFailed) ==
                      static_cast<int>(PaymentStatus::kFailed) &&
                  static_cast<int>(api::PaymentStatus::kPartiallyRefunded) ==
                      static_cast<int>(PaymentStatus::kPartiallyRefunded) &&
                  static_cast<int>(api::PaymentStatus::kRefunded) ==
                      static_cast<int>(PaymentStatus::kRefunded) &&
                  static_cast<int>(api::PaymentStatus::kVoided) ==
                      static_cast<int>(PaymentStatus::kVoided),
              "api::PaymentStatus must list the core's statuses in the same order");

const char* api::to_string(api::PaymentStatus status) {
  return payment_status_name(static_cast<paysandbox::PaymentStatus>(status));
}

Sandbox::Sandbox(Options options) {
  ignore_sigpipe();
  impl_ = std::make_unique<Impl>(std::move(options));
}

Sandbox::~Sandbox() {
  // The dispatcher first: it cuts posts to hanging receivers short, which
  // also frees a clock advance waiting on one, so the server's drain is quick.
  impl_->dispatcher.stop();
  impl_->http.stop();
}

OpenResult Sandbox::open(Options options) noexcept {
  OpenResult result;
  try {
    result.sandbox = std::make_unique<Sandbox>(std::move(options));
  } catch (const std::exception& e) {
    result.error = e.what();
  } catch (...) {
    result.error = "the sandbox could not start";
  }
  return result;
}

const Options& Sandbox::options() const { return impl_->options; }

int Sandbox::port() const { return impl_->http.port(); }

std::string Sandbox::base_url() const {
  return "http://" + impl_->http.host() + ":" + std::to_string(port());
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
  auto reply = impl_->http.handle(method, target, body, std::move(headers));
  return Response{reply.status, std::move(reply.body), std::move(reply.headers)};
}

}  // namespace paysandbox

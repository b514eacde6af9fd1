#include "http/adapter.h"

#include "http/api/routes.h"
#include "http/errors.h"
#include "http/journal.h"
#include "http/router.h"
#include "http/transport/server.h"
#include "service/sessions.h"
#include "webhooks/dispatcher.h"

namespace paysandbox {
namespace {

ServerConfig server_config(const HttpSettings& settings) {
  ServerConfig config;
  config.host = settings.host;
  config.port = settings.port;
  config.threads = settings.threads;
  config.read_timeout_ms = settings.read_timeout_ms;
  config.log = settings.log == HttpSettings::Log::kText   ? RequestLog::kText
               : settings.log == HttpSettings::Log::kJson ? RequestLog::kJson
                                                          : RequestLog::kNone;
  return config;
}

}  // namespace

struct HttpAdapter::Parts {
  Parts(const HttpServices& s, const HttpSettings& settings)
      : journal(settings.journal_size),
        router(s.accounts, s.tokens, RouterConfig{settings.no_auth, settings.control_token}),
        api{s.accounts, s.clients,        s.wallet, s.resets,
            s.events,   settings.version, s.tokens, s.clock_advance},
        webhooks{s.dispatcher, s.noc},
        server(router, server_config(settings)) {}

  RequestJournal journal;
  Router router;
  ApiContext api;
  WebhookContext webhooks;
  HttpServer server;  // last: stopped first, before anything it calls goes away
};

HttpAdapter::HttpAdapter(const HttpServices& s, HttpSettings settings)
    : parts_(std::make_unique<Parts>(s, settings)) {
  Router& router = parts_->router;
  ApiContext& api = parts_->api;
  router.set_id_source(settings.ids);
  add_account_routes(router, api);
  add_client_routes(router, api);
  add_wallet_routes(router, api);
  add_control_routes(router, api);
  add_event_routes(router, api);
  add_webhook_routes(router, api, parts_->webhooks);
  add_journal_routes(router, parts_->journal);
  HttpServer& server = parts_->server;
  add_stats_route(router, s.store, parts_->journal,
                  ServerCounters{[&server] { return server.open_connections(); },
                                 [&server] { return server.requests_served(); }});
  add_snapshot_routes(router, api, s.snapshots);
  add_openapi_route(router);
  add_session_routes(router, api, s.sessions);
  add_hosted_page_route(router, api, s.sessions);
  add_payment_routes(router, api, s.payments);
  add_checkout_routes(router, s.sessions, s.checkout);
  add_inspect_routes(router, api, s.payments, s.sessions);
  add_dashboard_routes(router);
  SessionService& sessions = s.sessions;
  router.set_session_resolver(
      [&sessions](const std::string& secret) { return sessions.account_of_secret(secret); });
  // Outermost of the interceptors that act on a request, so that a
  // commit_then_drop still lets everything inside it (idempotency) record
  // the committed answer.
  add_scenario_routes(router, api, s.scenarios);
  // Inside the scenario interceptor, after authentication and the account.
  add_idempotency_interceptor(router, s.idempotency);
  // Every request but the journal's own reads, so that looking does not
  // push out what a test came to see.
  RequestJournal& journal = parts_->journal;
  router.set_observer([&journal, wall_clock = settings.wall_clock](const HttpRequest& request,
                                                                   const HttpResponse& response,
                                                                   double duration_ms) {
    if (request.method == "GET" && request.path == "/_sandbox/requests") return;
    // Nor the dashboard's files and its own reads (it marks them).
    if (request.method == "GET" && (request.path.rfind("/_sandbox/ui", 0) == 0 ||
                                    request.header("X-Sandbox-Dashboard") == "1"))
      return;
    journal.record(request, response, wall_clock(), duration_ms);
  });
  // A global reset empties the journal too.
  s.resets.on_reset([&journal](const std::string& account_uid) {
    if (account_uid.empty()) journal.clear();
  });
}

HttpAdapter::~HttpAdapter() = default;

void HttpAdapter::start() { parts_->server.start(); }
void HttpAdapter::stop() { parts_->server.stop(); }
int HttpAdapter::port() const { return parts_->server.port(); }
const std::string& HttpAdapter::host() const { return parts_->server.host(); }
std::size_t HttpAdapter::open_connections() const { return parts_->server.open_connections(); }
std::uint64_t HttpAdapter::requests_served() const { return parts_->server.requests_served(); }

HttpAdapter::Reply HttpAdapter::handle(const std::string& method, const std::string& target,
                                       const std::string& body,
                                       std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest request;
  request.method = method;
  set_target(request, target);
  request.headers = std::move(headers);
  // As a socket client would send it (hosted_url is built from it).
  if (!request.has_header("Host"))
    request.headers.emplace_back("Host", host() + ":" + std::to_string(port()));
  request.body = body;
  HttpResponse response = parts_->router.handle(request);
  if (response.drop_connection) return Reply{};
  return Reply{response.status, std::move(response.body), std::move(response.headers)};
}

void HttpAdapter::run_guarded(bool exclusive, const std::function<void()>& work) {
  parts_->router.run_guarded(exclusive, work);
}

std::vector<JournalEntry> HttpAdapter::journal(const JournalFilter& filter) const {
  return parts_->journal.list(filter);
}

int HttpAdapter::status_for(ErrorCode code) { return http_status_for(code); }
const char* HttpAdapter::wire_code_for(ErrorCode code) { return paysandbox::wire_code_for(code); }

}  // namespace paysandbox

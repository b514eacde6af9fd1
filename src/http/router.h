#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/thread_annotations.h"
#include "core/types.h"
#include "http/latency.h"
#include "wire/json.h"

namespace paysandbox {

class IdSource;
class BodyReader;

class AccountService;
class TokenService;

// A transport-neutral request: the event-loop server fills it from the socket,
// and the embedding API and fuzz harnesses build it directly, so every path
// runs the same dispatch code.
struct HttpRequest {
  std::string method;
  std::string path;  // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Case-insensitive; empty when absent.
  std::string header(const std::string& name) const;
  bool has_header(const std::string& name) const;
};

// Fills request.path and request.query from a request target
// ("/a%20b?x=1&y=%27z%27"), percent-decoding both ('+' is a space only in
// the query). Both the socket adapter and in-process callers use it, so a
// target means the same thing whichever way it arrives.
void set_target(HttpRequest& request, const std::string& target);

// A route's answer, and the response the transport writes: one shape for the
// router, the interceptors, the journal and every transport.
struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // Close the connection without answering (a scenario's drop_connection or
  // commit_then_drop). In-process callers see status 0.
  bool drop_connection = false;

  void set_header(const std::string& name, const std::string& value);
  std::string header(const std::string& name) const;
};
using Reply = HttpResponse;

// The answers a handler builds.
Reply reply(int status, const json& body);
Reply reply_raw(int status, std::string body, std::string content_type = "application/json");
Reply no_content();

// Who may call a route.
enum class Auth {
  kPublic,    // nobody is checked
  kPlatform,  // a bearer token from /oauth2/token (unless --no-auth)
  kControl,   // the control token, when serve --control-token is set
  // A platform bearer (server side, with the account header) or a hosted
  // session's client_secret as the bearer (browser side; the account is the
  // session's). The handler checks the secret against the session it names.
  kPlatformOrSession,
};

// Whether a route reads X-Payment-Account-Uid.
enum class AccountScope {
  kNone,
  kRequired,  // 400 when missing, 404 when unknown or not the caller's
  kOptional,  // resolved when present (e.g. the clock: one account or all)
};

struct RouteOptions {
  Auth auth = Auth::kPlatform;
  AccountScope scope = AccountScope::kRequired;
  std::size_t body_limit = 1 << 20;  // 1 MiB
  // Runs alone: waits for every request in progress and holds the others
  // back until it is done (a snapshot restore), so no request sees half of it.
  bool exclusive = false;
};

// Everything a handler sees about the request being served.
class Call {
 public:
  explicit Call(const HttpRequest& request) : request(request) {}

  const HttpRequest& request;
  std::vector<std::string> params;  // the {} segments of the route, in order
  std::string request_id;
  std::string client_id;           // the authenticated client (platform routes)
  std::string session_secret;      // kPlatformOrSession called with a client_secret
  std::optional<Account> account;  // the resolved account, per AccountScope

  // The resolved account. Only for routes with AccountScope::kRequired: the
  // router answers 400/404 before their handler runs without one.
  const Account& require_account() const;
  // The account uid, or the client id for routes without one: the key space
  // for per-tenant state such as idempotency keys.
  std::string tenant() const;
  // The body as a JSON object (parsed once; 400 when it is not one).
  const Result<json>& body();
  // A reader of the body's fields; it holds the parse error, if any.
  BodyReader reader();
  // For a route that takes no body: none, or an empty object, passes; a
  // field in one is a 400 naming it, as an unknown field is in any body.
  Status no_body();
  // The value of a query parameter, or nullopt.
  std::optional<std::string> query(const std::string& name) const;

 private:
  std::optional<Result<json>> body_;
};

// A handler answers with a Reply or an Error; the router renders an Error
// (http/errors.h) after every interceptor has seen it.
using Handler = std::function<Result<Reply>(Call&)>;
// Runs around a handler after authentication and account resolution; calls
// next() to go on (or answers itself and does not), and returns what it
// answers, possibly changed.
using Next = std::function<Result<Reply>()>;
using Interceptor = std::function<Result<Reply>(Call&, const Next& next)>;

struct RouterConfig {
  bool no_auth = false;       // --no-auth: platform routes act as sandbox-client
  std::string control_token;  // --control-token; empty = control routes are open
};

// Our own routing table over the transport: path patterns use "{}" for a
// segment parameter; a known path with an unknown method is a 405, an unknown
// path a 404, both in the one error shape.
class Router {
 public:
  Router(AccountService& accounts, TokenService& tokens, RouterConfig config);

  void add(const std::string& method, const std::string& pattern, RouteOptions options,
           Handler handler);
  void add_interceptor(Interceptor interceptor);

  // Every route added, in order, as (method, pattern): the pattern is the
  // path with "{}" for each parameter segment ("/api/payments/{}/capture").
  // Read while serving: routes are all added before the server starts.
  std::vector<std::pair<std::string, std::string>> table() const;

  // Called after every request with its answer and how long it took (the
  // request journal). Set before serving; not synchronized.
  using Observer = std::function<void(const HttpRequest&, const HttpResponse&, double duration_ms)>;
  void set_observer(Observer observer);

  // Maps a hosted session's client_secret to its account uid (empty when it
  // names no session), for kPlatformOrSession routes. Set before serving.
  using SessionResolver = std::function<std::string(const std::string& client_secret)>;
  void set_session_resolver(SessionResolver resolver);

  // Ids made while a request runs come from `source`, counted per account
  // (the request's account, or "" for routes without one). Set before
  // serving; null (the default) keeps them random.
  void set_id_source(IdSource* source) { id_source_ = source; }

  // Never throws: every failure becomes an error response.
  HttpResponse handle(const HttpRequest& request);

  // An answer that may still wait for the durable COMMIT of the request's
  // writes (group commit, store/connection.h), with no thread held meanwhile.
  struct Answer {
    // The answer, when it did not wait (wait is empty).
    HttpResponse response;
    // When it waits: wait(wake) calls `wake` once the COMMIT is settled, on
    // any thread, possibly under the store's locks (so `wake` only hands
    // over); then complete(), once, on a thread holding no locks, gives the
    // answer (the store's error if the COMMIT failed).
    std::function<void(std::function<void()> wake)> wait;
    std::function<HttpResponse()> complete;
  };
  // Like handle(), for a caller that can send the answer later (the HTTP
  // server). The request is kept until complete() has run.
  Answer answer(std::shared_ptr<const HttpRequest> request);

  // Runs `work` under the gate routes run under: alone (as an exclusive
  // route, with no request in flight) or among requests like any other
  // route. For the typed control calls, which use the services directly.
  void run_guarded(bool exclusive, const std::function<void()>& work);

  // How long each route's requests took since start (GET /_sandbox/stats):
  // routes that served at least one request, in the order they were added,
  // then "unmatched" requests (404/405) if any. `route` is the method and
  // pattern, e.g. "GET /api/customers/{}".
  struct RouteLatency {
    std::string route;
    std::uint64_t count = 0;
    double p50_ms = 0;
    double p99_ms = 0;
  };
  std::vector<RouteLatency> latencies() const;

  static constexpr const char* kDefaultClient = "sandbox-client";

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    RouteOptions options;
    Handler handler;
    std::string name;  // "GET /api/customers/{}"
    std::unique_ptr<LatencyHistogram> latency;
  };
  Status authenticate(Call& call, const Route& route);
  Status resolve_account(Call& call, const Route& route);
  Result<Reply> run(Call& call, const Route& route, size_t interceptor_index);
  // Finds the route (filling call.params) or answers 404/405 (with Allow).
  Result<const Route*> find_route(Call& call) const;
  // The methods a path answers, for a 405's message and Allow header.
  std::string allowed_methods(const std::vector<std::string>& segments) const;
  // `matched` is set to the route found, if any.
  Result<Reply> dispatch(Call& call, const Route*& matched);
  // dispatch(), with any exception turned into a 500 (the last guard).
  Result<Reply> guarded_dispatch(Call& call, const Route*& matched);
  // The request's response, with its X-Request-Id: guarded_dispatch()
  // rendered by render().
  HttpResponse respond(const HttpRequest& request, const Route*& matched);
  // An answer or error as the response (an error in the one error shape).
  HttpResponse render(const HttpRequest& request, Result<Reply> answer,
                      const std::string& request_id) const;
  // Counts the finished request in its route's latency and tells the observer.
  void observe(const HttpRequest& request, const HttpResponse& response, const Route* matched,
               std::chrono::steady_clock::time_point started);

  AccountService& accounts_;
  TokenService& tokens_;
  RouterConfig config_;
  std::vector<Route> routes_;
  std::vector<Interceptor> interceptors_;
  Observer observer_;
  SessionResolver session_resolver_;
  IdSource* id_source_ = nullptr;
  LatencyHistogram unmatched_latency_;  // requests no route took (404, 405)
  // Held shared by every request while it runs its route, and exclusively by
  // an exclusive route.
  SharedMutex gate_;
};

}  // namespace paysandbox

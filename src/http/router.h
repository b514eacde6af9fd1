#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"
#include "wire/json.h"

namespace paysandbox {

class IdSource;

class AccountService;
class TokenService;

// A transport-neutral request: the httplib adapter fills it from the socket,
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
  Call(const HttpRequest& request, HttpResponse& response) : request(request), response(response) {}

  const HttpRequest& request;
  HttpResponse& response;
  std::vector<std::string> params;  // the {} segments of the route, in order
  std::string request_id;
  std::string client_id;           // the authenticated client (platform routes)
  std::string session_secret;      // kPlatformOrSession called with a client_secret
  std::optional<Account> account;  // the resolved account, per AccountScope

  const Account& require_account() const;
  // The account uid, or the client id for routes without one: the key space
  // for per-tenant state such as idempotency keys.
  std::string tenant() const;
  // The body as a JSON object (parsed once; 400 when it is not one).
  const json& body();
  // The value of a query parameter, or nullopt.
  std::optional<std::string> query(const std::string& name) const;

  void reply(int status, const json& body);
  void reply_raw(int status, std::string body, std::string content_type = "application/json");
  void no_content();

 private:
  std::optional<json> body_;
};

using Handler = std::function<void(Call&)>;
// Runs around a handler after authentication and account resolution; calls
// next() to go on (or answers itself and does not).
using Interceptor = std::function<void(Call&, const std::function<void()>& next)>;

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

  static constexpr const char* kDefaultClient = "sandbox-client";

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    RouteOptions options;
    Handler handler;
  };
  void authenticate(Call& call, const Route& route);
  void resolve_account(Call& call, const Route& route);
  void run(Call& call, const Route& route, size_t interceptor_index);
  void dispatch(Call& call);

  AccountService& accounts_;
  TokenService& tokens_;
  RouterConfig config_;
  std::vector<Route> routes_;
  std::vector<Interceptor> interceptors_;
  Observer observer_;
  SessionResolver session_resolver_;
  IdSource* id_source_ = nullptr;
  // Held shared by every request while it runs its route, and exclusively by
  // an exclusive route.
  std::shared_mutex gate_;
};

}  // namespace paysandbox

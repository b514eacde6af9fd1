#include "http/router.h"

#include <strings.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "core/ids.h"
#include "core/waiting.h"
#include "http/body.h"
#include "http/errors.h"
#include "service/accounts.h"
#include "service/tokens.h"
#include "store/failure.h"

namespace paysandbox {
namespace {

bool iequals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
             std::vector<std::string>* params) {
  if (pattern.size() != segments.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "{}") continue;
    if (pattern[i] != segments[i]) return false;
  }
  if (params != nullptr) {
    params->clear();
    for (size_t i = 0; i < pattern.size(); ++i)
      if (pattern[i] == "{}") params->push_back(segments[i]);
  }
  return true;
}

constexpr const char* kAccountHeader = "X-Payment-Account-Uid";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A '%' not followed by two hex digits is kept as it is.
std::string percent_decode(const std::string& text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else if (plus_is_space && text[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

void set_target(HttpRequest& request, const std::string& target) {
  const size_t question = target.find('?');
  request.path = percent_decode(target.substr(0, question), false);
  request.query.clear();
  if (question == std::string::npos) return;
  const std::string query = target.substr(question + 1);
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    const std::string pair = query.substr(start, amp - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      request.query.emplace_back(
          percent_decode(pair.substr(0, eq), true),
          eq == std::string::npos ? std::string() : percent_decode(pair.substr(eq + 1), true));
    }
    start = amp + 1;
  }
}

std::string HttpRequest::header(const std::string& name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return value;
  return {};
}

bool HttpRequest::has_header(const std::string& name) const {
  for (const auto& entry : headers)
    if (iequals(entry.first, name)) return true;
  return false;
}

void HttpResponse::set_header(const std::string& name, const std::string& value) {
  for (auto& entry : headers) {
    if (iequals(entry.first, name)) {
      entry.second = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

std::string HttpResponse::header(const std::string& name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return value;
  return {};
}

const Account& Call::require_account() const {
  // A route that reads an account declares AccountScope::kRequired; anything
  // else is a mistake in the route table, not in the request.
  if (!account) throw std::logic_error("require_account() on a route without a required account");
  return *account;
}

std::string Call::tenant() const { return account ? account->uid : "client:" + client_id; }

const Result<json>& Call::body() {
  if (!body_) body_ = parse_json_body(request.body);
  return *body_;
}

BodyReader Call::reader() { return BodyReader(body()); }

Status Call::no_body() { return request.body.empty() ? ok_status() : reader().finish(); }

std::optional<std::string> Call::query(const std::string& name) const {
  for (const auto& [key, value] : request.query)
    if (key == name) return value;
  return std::nullopt;
}

Reply reply(int status, const json& body) { return reply_raw(status, dump_json(body)); }

Reply reply_raw(int status, std::string body, std::string content_type) {
  Reply out;
  out.status = status;
  out.body = std::move(body);
  out.content_type = std::move(content_type);
  return out;
}

Reply no_content() { return reply_raw(204, {}); }

Router::Router(AccountService& accounts, TokenService& tokens, RouterConfig config)
    : accounts_(accounts), tokens_(tokens), config_(std::move(config)) {}

void Router::add(const std::string& method, const std::string& pattern, RouteOptions options,
                 Handler handler) {
  routes_.push_back(Route{method, split_path(pattern), options, std::move(handler),
                          method + " " + pattern, std::make_unique<LatencyHistogram>()});
}

std::vector<std::pair<std::string, std::string>> Router::table() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(routes_.size());
  for (const auto& route : routes_) {
    std::string pattern;
    for (const auto& segment : route.segments) pattern += "/" + segment;
    out.emplace_back(route.method, pattern.empty() ? "/" : pattern);
  }
  return out;
}

void Router::add_interceptor(Interceptor interceptor) {
  interceptors_.push_back(std::move(interceptor));
}

Status Router::authenticate(Call& call, const Route& route) {
  if (route.options.auth == Auth::kControl) {
    if (!config_.control_token.empty() &&
        call.request.header("X-Sandbox-Token") != config_.control_token) {
      return make_error(ErrorCode::kUnauthorized,
                        "Control routes need the X-Sandbox-Token header with the token "
                        "given to serve --control-token.");
    }
    return ok_status();
  }
  if (route.options.auth != Auth::kPlatform && route.options.auth != Auth::kPlatformOrSession)
    return ok_status();
  if (route.options.auth == Auth::kPlatformOrSession) {
    static const std::string kBearerPrefix = "Bearer cs_";
    std::string authorization = call.request.header("Authorization");
    if (authorization.rfind(kBearerPrefix, 0) == 0 &&
        authorization.find("_secret_") != std::string::npos) {
      call.session_secret = authorization.substr(7);
      std::string account = session_resolver_ ? session_resolver_(call.session_secret) : "";
      if (account.empty())
        return make_error(ErrorCode::kUnauthorized,
                          "The client_secret does not belong to any hosted session.");
      call.account = accounts_.find(account);
      if (!call.account) return not_found("The session's payment account is gone.");
      return ok_status();
    }
  }
  if (config_.no_auth) {
    call.client_id = kDefaultClient;
    return ok_status();
  }
  std::string authorization = call.request.header("Authorization");
  static const std::string kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      !iequals(authorization.substr(0, kBearer.size()), kBearer)) {
    return make_error(ErrorCode::kUnauthorized,
                      "Missing bearer token: send `Authorization: Bearer <token>` with a "
                      "token from POST /oauth2/token.");
  }
  ASSIGN_OR_RETURN(call.client_id, tokens_.authenticate(authorization.substr(kBearer.size())));
  return ok_status();
}

Status Router::resolve_account(Call& call, const Route& route) {
  if (route.options.scope == AccountScope::kNone || !call.session_secret.empty())
    return ok_status();
  std::string uid = call.request.header(kAccountHeader);
  if (uid.empty()) {
    if (route.options.scope == AccountScope::kOptional) return ok_status();
    return validation_error(kAccountHeader,
                            "The X-Payment-Account-Uid header is required: it names the payment "
                            "account (pa_...) this request acts on.");
  }
  auto account = accounts_.find(uid);
  // An account of another client is as unknown as one that does not exist.
  const bool platform =
      route.options.auth == Auth::kPlatform || route.options.auth == Auth::kPlatformOrSession;
  if (!account || (platform && account->client_id != call.client_id))
    return not_found("No payment account '" + uid + "' for this client.");
  call.account = std::move(*account);
  return ok_status();
}

Result<Reply> Router::run(Call& call, const Route& route, size_t interceptor_index) {
  if (interceptor_index == interceptors_.size()) return route.handler(call);
  return interceptors_[interceptor_index](
      call, [&]() -> Result<Reply> { return run(call, route, interceptor_index + 1); });
}

void Router::set_observer(Observer observer) { observer_ = std::move(observer); }

void Router::set_session_resolver(SessionResolver resolver) {
  session_resolver_ = std::move(resolver);
}

HttpResponse Router::respond(const HttpRequest& request, const Route*& matched) {
  Call call(request);
  call.request_id = new_random_id("req_", 20);
  return render(request, guarded_dispatch(call, matched), call.request_id);
}

HttpResponse Router::render(const HttpRequest& request, Result<Reply> answer,
                            const std::string& request_id) const {
  HttpResponse response =
      answer.ok() ? std::move(*answer) : error_reply(answer.error(), request_id);
  response.headers.insert(response.headers.begin(), {"X-Request-Id", request_id});
  if (!answer.ok() && answer.error().code == ErrorCode::kMethodNotAllowed)
    response.set_header("Allow", allowed_methods(split_path(request.path)));
  return response;
}

void Router::observe(const HttpRequest& request, const HttpResponse& response, const Route* matched,
                     std::chrono::steady_clock::time_point started) {
  const double duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  (matched ? *matched->latency : unmatched_latency_).record(duration_ms);
  if (observer_) observer_(request, response, duration_ms);
}

HttpResponse Router::handle(const HttpRequest& request) {
  // Answers here, once committed, even on a thread whose caller could wait
  // (a typed call made from inside a request).
  Deferral none(false);
  const auto started = std::chrono::steady_clock::now();
  const Route* matched = nullptr;
  HttpResponse response = respond(request, matched);
  observe(request, response, matched, started);
  return response;
}

Router::Answer Router::answer(std::shared_ptr<const HttpRequest> request) {
  const auto started = std::chrono::steady_clock::now();
  const Route* matched = nullptr;
  Deferral deferral(true);
  HttpResponse response = respond(*request, matched);
  Answer out;
  if (!deferral.deferred()) {
    observe(*request, response, matched, started);
    out.response = std::move(response);
    return out;
  }
  Deferral::Wait wait = deferral.take();
  out.wait = std::move(wait.when_settled);
  out.complete = [this, request = std::move(request), matched, started,
                  response = std::move(response),
                  settle = std::move(wait.settle)]() mutable -> HttpResponse {
    // A failed COMMIT undid the request's writes: it answers the store's
    // error instead, as if its commit had thrown (guarded_dispatch).
    if (auto failure = settle())
      response = render(*request, Result<Reply>(*failure), response.header("X-Request-Id"));
    observe(*request, response, matched, started);
    return std::move(response);
  };
  return out;
}

std::vector<Router::RouteLatency> Router::latencies() const {
  std::vector<RouteLatency> out;
  auto add = [&out](const std::string& name, const LatencyHistogram& latency) {
    const std::uint64_t count = latency.count();
    if (count > 0) out.push_back({name, count, latency.quantile(0.5), latency.quantile(0.99)});
  };
  for (const auto& route : routes_) add(route.name, *route.latency);
  add("unmatched", unmatched_latency_);
  return out;
}

std::string Router::allowed_methods(const std::vector<std::string>& segments) const {
  std::vector<std::string> methods;
  for (const auto& route : routes_)
    if (matches(route.segments, segments, nullptr) &&
        std::find(methods.begin(), methods.end(), route.method) == methods.end())
      methods.push_back(route.method);
  std::string allow;
  for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
  return allow;
}

Result<const Router::Route*> Router::find_route(Call& call) const {
  const HttpRequest& request = call.request;
  auto segments = split_path(request.path);
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  bool path_known = false;
  for (const auto& route : routes_) {
    if (!matches(route.segments, segments, nullptr)) continue;
    path_known = true;
    if (route.method == method) {
      matches(route.segments, segments, &call.params);
      return &route;
    }
  }
  if (path_known)
    return make_error(ErrorCode::kMethodNotAllowed, request.method + " is not supported on " +
                                                        request.path + "; this path answers " +
                                                        allowed_methods(segments) + ".");
  return not_found("No route " + request.method + " " + request.path +
                   "; see the API reference for the routes this sandbox serves.");
}

Result<Reply> Router::dispatch(Call& call, const Route*& matched) {
  ASSIGN_OR_RETURN(const Route* found, find_route(call));
  matched = found;
  if (call.request.body.size() > found->options.body_limit) {
    return make_error(ErrorCode::kPayloadTooLarge,
                      "The request body is " + std::to_string(call.request.body.size()) +
                          " bytes; this route accepts at most " +
                          std::to_string(found->options.body_limit) + ".");
  }
  TRY(authenticate(call, *found));
  TRY(resolve_account(call, *found));
  IdScope ids(id_source_, call.account ? call.account->uid : std::string());
  if (found->options.exclusive) {
    WriterLock alone(gate_);
    return run(call, *found, 0);
  }
  ReaderLock among_others(gate_);
  return run(call, *found, 0);
}

void Router::run_guarded(bool exclusive, const std::function<void()>& work) {
  if (exclusive) {
    WriterLock alone(gate_);
    work();
    return;
  }
  ReaderLock among_others(gate_);
  work();
}

Result<Reply> Router::guarded_dispatch(Call& call, const Route*& matched) {
  try {
    return dispatch(call, matched);
  } catch (const StoreFailure& e) {
    return e.error();
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("The sandbox failed: ") + e.what());
  }
}

}  // namespace paysandbox

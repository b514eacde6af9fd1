// The client side of GET /_sandbox/health, for the `payment-sandbox health`
// command and for programs embedding the library (paysandbox::check_health).
#include "client/health_check.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "client/http_client.h"

namespace paysandbox {

namespace {

std::string describe(HttpFailure failure, int timeout_ms) {
  switch (failure) {
    case HttpFailure::kRefused:
      return "cannot connect (nothing is listening there)";
    case HttpFailure::kTimeout:
      return "no answer within " + std::to_string(timeout_ms) + " ms";
    case HttpFailure::kReset:
      return "the connection closed before the whole answer came";
    case HttpFailure::kTls:
      return "the TLS handshake failed";
    case HttpFailure::kStopped:
    case HttpFailure::kNone:
      break;
  }
  return "no answer";
}

}  // namespace

std::string probe_health(const std::string& base_url, int timeout_ms) {
  std::string url = base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  const std::optional<HttpUrl> parsed = parse_http_url(url);
  if (!parsed || parsed->tls)
    return "'" + base_url + "' is not a base URL: expected http://HOST:PORT, e.g. " +
           "http://127.0.0.1:8080";
  // The base URL's own path (a sandbox behind a prefix) comes first.
  const std::string path =
      (parsed->path == "/" ? std::string() : parsed->path) + "/_sandbox/health";
  const std::string target = parsed->origin() + path;
  timeout_ms = std::max(1, timeout_ms);
  HttpConnection connection(*parsed, timeout_ms);
  const HttpAnswer response = connection.request("GET", path, {}, {});
  if (response.failure != HttpFailure::kNone)
    return target + ": " + describe(response.failure, timeout_ms);
  if (response.status != 200)
    return target + ": answered " + std::to_string(response.status) + ", expected 200";
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("status") || body.at("status") != "ok")
    return target + ": answered 200 without {\"status\": \"ok\"}";
  return {};
}

}  // namespace paysandbox

// The client side of GET /_sandbox/health, for the `payment-sandbox health`
// command and for programs embedding the library (paysandbox::check_health).
#include "http/transport/health_check.h"

#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace paysandbox {

namespace {

constexpr const char kScheme[] = "http://";

std::string describe(httplib::Error error, int timeout_ms) {
  switch (error) {
    case httplib::Error::Connection:
      return "cannot connect (nothing is listening there, or no answer within " +
             std::to_string(timeout_ms) + " ms)";
    case httplib::Error::Read:
      return "no answer within " + std::to_string(timeout_ms) + " ms";
    case httplib::Error::Write:
      return "the connection closed while sending the request";
    default:
      return httplib::to_string(error);
  }
}

}  // namespace

std::string probe_health(const std::string& base_url, int timeout_ms) {
  std::string url = base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.rfind(kScheme, 0) != 0 || url.size() == sizeof kScheme - 1)
    return "'" + base_url + "' is not a base URL: expected http://HOST:PORT, e.g. " +
           "http://127.0.0.1:8080";
  const auto path_start = url.find('/', sizeof kScheme - 1);
  const std::string origin = url.substr(0, path_start);
  const std::string path =
      (path_start == std::string::npos ? std::string() : url.substr(path_start)) +
      "/_sandbox/health";
  const std::string target = origin + path;

  httplib::Client client(origin);
  if (!client.is_valid()) return "'" + base_url + "' is not a base URL: expected http://HOST:PORT";
  timeout_ms = std::max(1, timeout_ms);
  const time_t seconds = timeout_ms / 1000;
  const time_t micros = static_cast<time_t>(timeout_ms % 1000) * 1000;
  client.set_connection_timeout(seconds, micros);
  client.set_read_timeout(seconds, micros);
  client.set_write_timeout(seconds, micros);
  auto response = client.Get(path.c_str());
  if (!response) return target + ": " + describe(response.error(), timeout_ms);
  if (response->status != 200)
    return target + ": answered " + std::to_string(response->status) + ", expected 200";
  const auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (!body.is_object() || !body.contains("status") || body.at("status") != "ok")
    return target + ": answered 200 without {\"status\": \"ok\"}";
  return {};
}

}  // namespace paysandbox

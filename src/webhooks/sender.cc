#include "webhooks/sender.h"

#include <httplib.h>

#include <chrono>

namespace paysandbox {
namespace {

// "http://host:port/path?q" -> {"http://host:port", "/path?q"}; empty base
// when it is not an http(s) URL.
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return {};
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return {};
  const auto path_start = url.find('/', scheme_end + 3);
  if (path_start == std::string::npos) return {url, "/"};
  return {url.substr(0, path_start), url.substr(path_start)};
}

}  // namespace

WebhookSender::WebhookSender(Millis timeout_ms) : timeout_ms_(timeout_ms) {}
WebhookSender::~WebhookSender() = default;

SendOutcome WebhookSender::post(const std::string& url, const std::string& body,
                                const std::vector<std::pair<std::string, std::string>>& headers) {
  bool reused = false;
  SendOutcome outcome = post_once(url, body, headers, reused);
  // A kept-alive connection that the receiver closed while idle breaks on
  // first use. That is not the receiver failing: try once on a fresh one.
  if (reused && outcome.error == "reset" && !outcome.aborted) {
    const double first_ms = outcome.duration_ms;
    outcome = post_once(url, body, headers, reused);
    outcome.duration_ms += first_ms;
  }
  return outcome;
}

SendOutcome WebhookSender::post_once(
    const std::string& url, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers, bool& reused) {
  SendOutcome outcome;
  auto [base, path] = split_url(url);
  if (base.empty()) {
    outcome.error = "bad_url";
    return outcome;
  }
  std::shared_ptr<httplib::Client> client;
  {
    MutexLock lock(mutex_);
    if (stopped_) {
      outcome.aborted = true;
      return outcome;
    }
    reused = client_ && base_ == base;
    if (!reused) {
      client_ = std::make_shared<httplib::Client>(base);
      base_ = base;
      const auto seconds = static_cast<time_t>(timeout_ms_ / 1000);
      const auto micros = static_cast<time_t>((timeout_ms_ % 1000) * 1000);
      client_->set_connection_timeout(seconds, micros);
      client_->set_read_timeout(seconds, micros);
      client_->set_write_timeout(seconds, micros);
      client_->set_keep_alive(true);
      client_->set_tcp_nodelay(true);
    }
    client = client_;
  }
  httplib::Headers request_headers(headers.begin(), headers.end());
  const auto started = std::chrono::steady_clock::now();
  auto result = client->Post(path, request_headers, body, "application/json");
  outcome.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  // A wait cut at the timeout takes (almost) all of it; a refusal or a reset
  // comes back at once.
  const bool took_timeout = outcome.duration_ms >= 0.9 * static_cast<double>(timeout_ms_);
  if (result) {
    outcome.status_code = result->status;
    if (outcome.duration_ms > static_cast<double>(timeout_ms_)) outcome.error = "timeout";
    return outcome;
  }
  {
    MutexLock lock(mutex_);
    if (stopped_) outcome.aborted = true;
    // A fresh connection next time: this one is in an unknown state.
    if (client_ == client) client_.reset();
  }
  switch (result.error()) {
    case httplib::Error::Connection:
      outcome.error = took_timeout ? "timeout" : "refused";
      break;
    case httplib::Error::ConnectionTimeout:
      outcome.error = "timeout";
      break;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      outcome.error = "tls";
      break;
    default:  // Read, Write, Canceled, ...: the connection broke or stalled
      outcome.error = took_timeout ? "timeout" : "reset";
      break;
  }
  return outcome;
}

void WebhookSender::stop() {
  std::shared_ptr<httplib::Client> client;
  {
    MutexLock lock(mutex_);
    stopped_ = true;
    client = client_;
  }
  if (client) client->stop();
}

}  // namespace paysandbox

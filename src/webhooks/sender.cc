#include "webhooks/sender.h"

#include <chrono>

namespace paysandbox {

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
  const std::optional<HttpUrl> target = parse_http_url(url);
  if (!target) {
    outcome.error = "bad_url";
    return outcome;
  }
  std::shared_ptr<HttpConnection> connection;
  {
    MutexLock lock(mutex_);
    if (stopped_) {
      outcome.aborted = true;
      return outcome;
    }
    if (!connection_ || connection_->origin().origin() != target->origin())
      connection_ = std::make_shared<HttpConnection>(*target, timeout_ms_);
    connection = connection_;
  }
  reused = connection->connected();
  std::vector<std::pair<std::string, std::string>> request_headers = headers;
  request_headers.emplace_back("Content-Type", "application/json");
  const auto started = std::chrono::steady_clock::now();
  HttpAnswer answer = connection->request("POST", target->path, request_headers, body);
  outcome.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  switch (answer.failure) {
    case HttpFailure::kNone:
      outcome.status_code = answer.status;
      // An answer that came after the timeout (reads each wait up to it)
      // does not count.
      if (outcome.duration_ms > static_cast<double>(timeout_ms_)) outcome.error = "timeout";
      return outcome;
    case HttpFailure::kRefused:
      outcome.error = "refused";
      break;
    case HttpFailure::kTimeout:
      outcome.error = "timeout";
      break;
    case HttpFailure::kTls:
      outcome.error = "tls";
      break;
    case HttpFailure::kReset:
      outcome.error = "reset";
      break;
    case HttpFailure::kStopped:
      outcome.error = "reset";
      outcome.aborted = true;
      break;
  }
  return outcome;
}

void WebhookSender::stop() {
  std::shared_ptr<HttpConnection> connection;
  {
    MutexLock lock(mutex_);
    stopped_ = true;
    connection = connection_;
  }
  if (connection) connection->stop();
}

}  // namespace paysandbox

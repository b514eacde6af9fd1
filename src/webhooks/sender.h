#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/http_client.h"
#include "core/thread_annotations.h"
#include "core/time.h"

namespace paysandbox {

// What one POST to a receiver came to.
struct SendOutcome {
  std::optional<int> status_code;  // set when the receiver answered
  // Empty, or why it did not count: refused, timeout, reset, tls, bad_url.
  std::string error;
  double duration_ms = 0;
  bool aborted = false;  // stop() cut it short: not a real attempt
  bool delivered() const { return error.empty() && status_code && *status_code / 100 == 2; }
};

// POSTs webhook bodies over one keep-alive connection to whichever receiver
// it was last pointed at. One per account worker, so a receiver that hangs
// holds only its own account's connection. http:// and https:// targets
// (client/http_client.h).
class WebhookSender {
 public:
  explicit WebhookSender(Millis timeout_ms);
  ~WebhookSender();

  // Blocks for at most about the timeout (connect, write and read each).
  SendOutcome post(const std::string& url, const std::string& body,
                   const std::vector<std::pair<std::string, std::string>>& headers);
  // From another thread: cuts an in-flight post short (shutdown).
  void stop();

 private:
  // `reused` says whether it went over a connection kept from before.
  SendOutcome post_once(const std::string& url, const std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        bool& reused);

  Millis timeout_ms_;
  Mutex mutex_;  // post() swaps the connection, stop() reads it
  std::shared_ptr<HttpConnection> connection_ GUARDED_BY(mutex_);
  bool stopped_ GUARDED_BY(mutex_) = false;
};

}  // namespace paysandbox

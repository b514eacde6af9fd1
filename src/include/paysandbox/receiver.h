#pragma once

// A merchant's webhook endpoint for tests: a real HTTP server on 127.0.0.1,
// port 0, that records every delivery, checks X-Webhook-Signature with the
// account's secret, and answers what the test told it to (a status, a hang,
// a dropped connection). Give url() as the account's callback_url. Waiting
// is on a condition variable: nothing here sleeps.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "paysandbox/types.h"

namespace paysandbox {

// What the endpoint saw of one delivery.
struct ReceivedWebhook {
  std::string body;          // the raw envelope, byte for byte
  std::string signature;     // X-Webhook-Signature ("sha256=<hex>")
  std::string content_type;  // Content-Type
  // Whether the signature matches the receiver's secret (false when it has
  // none, or the body is not an envelope with a timestamp).
  bool signature_ok = false;

  // The envelope as an Event (delivery fields unset; data as JSON text).
  // Throws std::runtime_error when the body is not a JSON envelope.
  api::Event event() const;
};

// Recomputes HMAC-SHA256(secret, "{timestamp}.{raw body}") as a merchant
// would, with the timestamp read from the envelope, and compares.
bool signature_valid(const std::string& secret, const std::string& body,
                     const std::string& signature);

class WebhookReceiver {
 public:
  // Starts listening at once. `secret` may be set later (the account is
  // usually created after its receiver, since it needs url()).
  explicit WebhookReceiver(int status = 200);
  explicit WebhookReceiver(std::string secret, int status = 200);
  ~WebhookReceiver();  // releases held answers, then stops
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT/webhooks"
  void set_secret(std::string secret);

  // What each delivery from now on gets:
  void answer(int status);  // this status (200 by default) and "{}"
  // Held open until release() or destruction: a receiver slower than any
  // timeout. Requests already held stay held until release().
  void hang();
  void release();  // answers the held requests and stops hanging
  // Headers of a 200 then the connection closes mid-answer: the sender sees
  // a broken response, never a 2xx.
  void close_connections();

  // Waits until at least `count` deliveries have arrived; false on timeout.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::vector<ReceivedWebhook> received() const;  // oldest first

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A port on 127.0.0.1 nothing listens on: connecting is refused.
int closed_port();

// Accepts each connection, reads the request and resets the connection
// (RST) without answering a byte.
class ResettingReceiver {
 public:
  ResettingReceiver();
  ~ResettingReceiver();
  ResettingReceiver(const ResettingReceiver&) = delete;
  ResettingReceiver& operator=(const ResettingReceiver&) = delete;
  std::string url() const;  // "http://127.0.0.1:PORT/webhooks"
  // Waits until at least `count` connections were reset; false on timeout.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace paysandbox

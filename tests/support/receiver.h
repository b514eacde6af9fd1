#pragma once

// Webhook receivers for tests: a real HTTP server on 127.0.0.1 port 0 that
// records what it is sent (and can answer an error or hang), plus addresses
// that refuse or reset connections. Waiting is on condition variables, never
// on sleeps.

#include <httplib.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace testing {

// What a merchant's endpoint saw of one delivery.
struct Received {
  std::string body;
  std::string signature;  // X-Webhook-Signature
  std::string content_type;
  nlohmann::json envelope() const { return nlohmann::json::parse(body); }
};

// Verifies a delivery the way a merchant would: recompute
// HMAC-SHA256(secret, "{timestamp}.{raw body}") and compare.
bool signature_valid(const std::string& secret, const Received& received);

class Receiver {
 public:
  explicit Receiver(int status = 200);
  ~Receiver();  // releases hanging answers, then stops
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT/webhooks
  void answer(int status);
  // From now on each request is held open until release() (or teardown):
  // a receiver slower than any timeout.
  void hang();
  void release();

  // Waits until at least `count` requests have arrived (up to 20 s).
  bool wait_for(std::size_t count);
  std::vector<Received> received();

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;  // protects everything below
  std::condition_variable changed_;
  std::vector<Received> received_;
  int status_;
  bool hanging_ = false;
};

// A port nothing listens on: connecting is refused.
int closed_port();

// Accepts connections, reads the request and resets the connection (RST)
// without answering.
class ResettingReceiver {
 public:
  ResettingReceiver();
  ~ResettingReceiver();
  std::string url() const;
  bool wait_for(std::size_t count);

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t accepted_ = 0;
};

}  // namespace testing

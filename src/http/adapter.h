#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/time.h"

namespace paysandbox {

class AccountService;
class CheckoutService;
class ClientService;
class ClockAdvance;
class Dispatcher;
class EventLog;
class IdempotencyService;
class NocService;
class PaymentService;
class ResetService;
class ScenarioEngine;
class SessionService;
class SnapshotService;
class TokenService;
class WalletService;

// The services the HTTP adapter serves, owned by the composition root.
struct HttpServices {
  AccountService& accounts;
  ClientService& clients;
  TokenService& tokens;
  WalletService& wallet;
  ResetService& resets;
  EventLog& events;
  ClockAdvance& clock_advance;
  Dispatcher& dispatcher;
  NocService& noc;
  SessionService& sessions;
  PaymentService& payments;
  CheckoutService& checkout;
  IdempotencyService& idempotency;
  SnapshotService& snapshots;
  ScenarioEngine& scenarios;
};

struct HttpSettings {
  std::string host = "127.0.0.1";
  int port = 0;     // 0 = any free port
  int threads = 0;  // 0: twice the cores, at least 4
  int read_timeout_ms = 5000;
  enum class Log { kNone, kText, kJson } log = Log::kNone;
  bool no_auth = false;
  std::string control_token;
  std::size_t journal_size = 10000;
  std::string version;
  IdSource* ids = nullptr;             // counts the ids every request makes
  std::function<Millis()> wall_clock;  // stamps the request journal
};

// The HTTP side of the sandbox behind one nlohmann-free header, so the
// composition root (sandbox.cc) sees no JSON: the router with every route
// and interceptor registered in order, the request journal, and the socket
// server in front of them.
class HttpAdapter {
 public:
  HttpAdapter(const HttpServices& services, HttpSettings settings);
  ~HttpAdapter();
  HttpAdapter(const HttpAdapter&) = delete;
  HttpAdapter& operator=(const HttpAdapter&) = delete;

  // Binds and starts accepting (throws std::runtime_error when the address
  // cannot be bound); stop() drains and closes.
  void start();
  void stop();
  int port() const;
  const std::string& host() const;
  // Connections open now, and requests answered since start().
  std::size_t open_connections() const;
  std::uint64_t requests_served() const;

  // One request through the same router as a socket's, without a socket.
  struct Reply {
    int status = 0;  // 0: a scenario dropped the connection
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  Reply handle(const std::string& method, const std::string& target, const std::string& body,
               std::vector<std::pair<std::string, std::string>> headers);

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace paysandbox

#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "http/router.h"

namespace httplib {
class Server;
}

namespace paysandbox {

enum class RequestLog { kNone, kText, kJson };

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = any free port
  int threads = 64;
  RequestLog log = RequestLog::kNone;
  std::size_t max_body = (16u << 20) + 1024;  // the largest route limit, plus slack
  // How long one read from a client may wait before the connection is
  // dropped (a stalled or truncated request).
  int read_timeout_ms = 5000;
  // Workers a burst of connections may grow the pool to (each connection
  // holds one from accept to close); past this, connections queue.
  int max_workers = 1024;
};

// The socket side: cpp-httplib in front of the Router. Every request, on
// every method and path, goes through Router::handle.
class HttpServer {
 public:
  HttpServer(Router& router, ServerConfig config);
  ~HttpServer();

  // Binds and starts accepting; returns once connections are being accepted.
  // Throws std::runtime_error when the address cannot be bound.
  void start();
  void stop();
  int port() const { return port_; }
  const std::string& host() const { return config_.host; }

 private:
  Router& router_;
  ServerConfig config_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// Why binding HOST:PORT fails, as one line naming the cause and what to do
// (a busy port suggests --port 0). For the error thrown by start().
std::string bind_failure(const std::string& host, int port);

}  // namespace paysandbox

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/router.h"

namespace paysandbox {

enum class RequestLog { kNone, kText, kJson };

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = any free port
  // Worker threads that run requests. 0: twice the cores, at least 4. A
  // connection holds none while it waits for its next request.
  int threads = 0;
  RequestLog log = RequestLog::kNone;
  std::size_t max_body = (16u << 20) + 1024;  // the largest route limit, plus slack
  // How long a request may take to arrive, counted from its last byte, and
  // how long an answer may wait for a client that does not read it.
  int read_timeout_ms = 5000;
  // Workers the server may grow to while requests block (a delay scenario,
  // an exclusive route): when every worker has been busy on one request for
  // a while, another starts, so connections that are ready are not starved.
  int max_workers = 1024;
  // Threads that stand in for workers waiting on other threads' work (a
  // durable write waiting for the COMMIT it shares with others): one runs a
  // request for each worker waiting so, and sleeps otherwise. Started when
  // first needed, so a store that never waits starts none.
  int spare_workers = 28;
};

// The socket side: an epoll loop over non-blocking sockets, llhttp to read
// requests (http/transport/request_parser.h), and a pool of workers that take ready
// connections from the loop and run their requests through Router::handle.
// docs/transport.md explains the design.
class HttpServer {
 public:
  HttpServer(Router& router, ServerConfig config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting; returns once connections are being accepted.
  // Throws std::runtime_error when the address cannot be bound.
  void start();
  // Stops accepting, lets requests being run finish and write their answers,
  // and closes every connection. Idempotent.
  void stop();
  int port() const { return port_; }
  const std::string& host() const { return config_.host; }

  // Connections open right now, and requests answered since start().
  std::size_t open_connections() const;
  std::uint64_t requests_served() const;

 private:
  class Loop;
  Router& router_;
  ServerConfig config_;
  std::unique_ptr<Loop> loop_;
  int port_ = 0;
};

// Why binding HOST:PORT fails, as one line naming the cause and what to do
// (a busy port suggests --port 0). For the error thrown by start().
std::string bind_failure(const std::string& host, int port);

}  // namespace paysandbox

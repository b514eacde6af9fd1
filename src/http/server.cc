#include "http/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/ids.h"
#include "http/connection_stream.h"
#include "http/elastic_pool.h"
#include "http/errors.h"

// This file replaces httplib::Server's private per-connection loop
// (process_and_close_socket) and relies on what that loop may use: the
// protected members svr_sock_, keep_alive_max_count_, keep_alive_timeout_sec_,
// read_timeout_sec_ and read_timeout_usec_, the private process_request(), and
// the promise that the handler runs on the connection's own thread. None of
// that is public API, and the packaged library is compiled, so a mismatch
// would not show until run time. The build stops instead when the header
// changes.
#ifndef CPPHTTPLIB_VERSION
#error \
    "httplib.h no longer defines CPPHTTPLIB_VERSION: re-check Server::process_and_close_socket, process_request and the protected members src/http/server.cc overrides and reads, then update this guard."
#endif
static_assert(std::string_view(CPPHTTPLIB_VERSION) == "0.11.4",
              "cpp-httplib is not 0.11.4: re-check that Server::process_and_close_socket is "
              "still virtual with the same signature, that process_request(Stream&, bool, bool&, "
              "...) and the members svr_sock_, keep_alive_max_count_, keep_alive_timeout_sec_, "
              "read_timeout_sec_/usec_ keep their meaning, and that a stopped server sets "
              "svr_sock_ to INVALID_SOCKET; then update the version in src/http/server.cc.");

namespace paysandbox {
namespace {

HttpRequest to_request(const httplib::Request& req) {
  HttpRequest out;
  out.method = req.method;
  // From the target, not req.params: httplib also merges a form-encoded body
  // into params, and a body is never a query.
  set_target(out, req.target);
  out.headers.assign(req.headers.begin(), req.headers.end());
  out.body = req.body;
  return out;
}

Error body_too_large() {
  return make_error(ErrorCode::kPayloadTooLarge,
                    "The request body is over the size limit (1 MiB; 16 MiB for imports).");
}

// What httplib refuses before a request reaches the router still comes out in
// the one error shape (error_reply), with a request id of its own. The
// caller has set the status.
void answer_error(httplib::Response& res, const Error& error) {
  const std::string request_id = new_random_id("req_", 20);
  const Reply reply = error_reply(error, request_id);
  res.set_header("X-Request-Id", request_id);
  res.set_content(reply.body, reply.content_type);
}

// The accepted sockets this server is serving, each with its peer's address
// as httplib reports it to the handler (Request::remote_addr/remote_port).
// stop() and a scenario's drop reach exactly these sockets and no other
// descriptor of the process.
class ConnectionRegistry {
 public:
  void add(socket_t sock, const std::string& ip, int port) {
    std::lock_guard<std::mutex> lock(mutex_);
    live_[sock] = Peer{ip, port};
  }

  // Forgets and closes the socket under the lock, so a shutdown from
  // another thread never lands on a descriptor that was closed and reused.
  void close(socket_t sock) {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.erase(sock);
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
  }

  // Shuts down the one connection from this peer; false when there is none.
  bool shutdown_peer(const std::string& ip, int port, int how) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [sock, peer] : live_) {
      if (peer.port == port && peer.ip == ip) return ::shutdown(sock, how) == 0;
    }
    return false;
  }

  void shutdown_all(int how) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& entry : live_) ::shutdown(entry.first, how);
  }

 private:
  struct Peer {
    std::string ip;
    int port = -1;
  };
  std::mutex mutex_;  // protects live_
  std::unordered_map<socket_t, Peer> live_;
};

// httplib's server with its per-connection loop replaced (the same loop as
// httplib's process_server_socket, over a ConnectionStream, with the socket
// in the registry while it is served).
class Server final : public httplib::Server {
 public:
  ConnectionRegistry& connections() { return connections_; }
  bool stopping() const { return svr_sock_ == INVALID_SOCKET; }

 private:
  bool process_and_close_socket(socket_t sock) override {
    bool ret = false;
    {
      ConnectionStream stream(
          sock, static_cast<int>(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000));
      std::string ip;
      int port = -1;
      stream.get_remote_ip_and_port(ip, port);
      // Registered before the first look at stopping(): stop() marks the
      // server stopping before it shuts down what is registered, so a
      // connection is either seen by that sweep or sees the stop itself.
      connections_.add(sock, ip, port);
      auto stopping = [this] { return this->stopping(); };
      for (size_t count = keep_alive_max_count_;
           count > 0 && !stopping() && stream.wait_for_request(keep_alive_timeout_sec_, stopping);
           --count) {
        bool connection_closed = false;
        ret = process_request(stream, count == 1, connection_closed, nullptr);
        if (!stream.flush()) ret = false;
        if (!ret || connection_closed) break;
      }
    }
    connections_.close(sock);
    return ret;
  }

  ConnectionRegistry connections_;
};

std::mutex& log_mutex() {
  static std::mutex mutex;
  return mutex;
}

void log_request(RequestLog format, const HttpRequest& request, const HttpResponse& response,
                 double millis) {
  if (format == RequestLog::kNone) return;
  std::string request_id = response.header("X-Request-Id");
  std::string line;
  if (format == RequestLog::kJson) {
    line = dump_json(json{{"method", request.method},
                          {"path", request.path},
                          {"status", response.status},
                          {"duration_ms", millis},
                          {"request_id", request_id},
                          {"account", request.header("X-Payment-Account-Uid")}});
  } else {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %d %.2fms ", response.status, millis);
    line = request.method + " " + request.path + buf + request_id;
  }
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(log_mutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

HttpServer::HttpServer(Router& router, ServerConfig config)
    : router_(router), config_(std::move(config)), server_(std::make_unique<Server>()) {
  auto& s = *server_;
  // Without TCP_NODELAY every keep-alive response waits on Nagle + delayed
  // ACK (~40 ms) and throughput collapses.
  s.set_tcp_nodelay(true);
  // One worker per keep-alive connection: `threads` stay ready, and the pool
  // grows under a burst (or a slow-loris) up to max_workers.
  const auto threads = static_cast<std::size_t>(config_.threads > 0 ? config_.threads : 64);
  const auto max_workers = static_cast<std::size_t>(std::max(config_.max_workers, 1));
  s.new_task_queue = [threads, max_workers] { return new ElasticPool(threads, max_workers); };
  s.set_keep_alive_max_count(100000);
  const int read_timeout_ms = config_.read_timeout_ms > 0 ? config_.read_timeout_ms : 5000;
  s.set_read_timeout(read_timeout_ms / 1000, static_cast<time_t>(read_timeout_ms % 1000) * 1000);
  // An idle keep-alive connection holds a worker too; a shorter read timeout
  // shortens that wait as well (httplib counts it in whole seconds).
  s.set_keep_alive_timeout(std::clamp((read_timeout_ms + 999) / 1000, 1, 5));
  s.set_payload_max_length(config_.max_body);

  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    auto started = std::chrono::steady_clock::now();
    HttpRequest request = to_request(req);
    HttpResponse response = router_.handle(request);
    if (response.drop_connection) {
      // Shut down rather than closed: the connection loop still owns the
      // descriptor, fails its write and closes it itself.
      static_cast<Server&>(*server_).connections().shutdown_peer(req.remote_addr, req.remote_port,
                                                                 SHUT_RDWR);
      res.set_header("Connection", "close");
    } else {
      res.status = response.status;
      for (const auto& [name, value] : response.headers) res.set_header(name, value);
      if (response.status != 204 && response.status != 304) {
        // What set_content does, but moving the body: set_content takes it by
        // const reference and would copy every response.
        res.body = std::move(response.body);
        res.headers.erase("Content-Type");
        res.set_header("Content-Type", response.content_type);
      }
    }
    if (config_.log != RequestLog::kNone) {
      double millis =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count();
      log_request(config_.log, request, response, millis);
    }
  };
  // httplib refuses a POST/PUT/PATCH that has neither Content-Length nor
  // chunked encoding (what `curl -X POST` sends for an empty body). Serve
  // those here, before it tries to read a body, as requests with no body.
  const std::size_t max_body = config_.max_body;
  s.set_pre_routing_handler([handler, max_body](const httplib::Request& req,
                                                httplib::Response& res) {
    // A Content-Length over the limit is refused before any of the body is
    // read: httplib would otherwise try to read and discard all of it, and a
    // client claiming a terabyte holds the worker until it times out.
    if (req.has_header("Content-Length")) {
      const std::string& length = req.get_header_value("Content-Length");
      if (length.size() > 18 ||
          (!length.empty() && std::strtoull(length.c_str(), nullptr, 10) >
                                  static_cast<unsigned long long>(max_body))) {
        res.status = 413;
        res.set_header("Connection", "close");
        answer_error(res, body_too_large());
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    const bool may_have_body = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
    if (may_have_body && !req.has_header("Content-Length") &&
        !req.has_header("Transfer-Encoding")) {
      handler(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.Get(".*", handler);
  s.Post(".*", handler);
  s.Put(".*", handler);
  s.Patch(".*", handler);
  s.Delete(".*", handler);
  s.Options(".*", handler);

  // Errors httplib answers itself (a body over the limit, a malformed
  // request line) still come out in the one error shape.
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    Error error = res.status == 413
                      ? body_too_large()
                      : make_error(ErrorCode::kValidation,
                                   "The request could not be read as HTTP/1.1 (status " +
                                       std::to_string(res.status) + ").");
    if (res.status == 404) error = make_error(ErrorCode::kNotFound, "No such route.");
    answer_error(res, error);
  });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    answer_error(res, make_error(ErrorCode::kInternal, "The sandbox failed."));
  });
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  auto& s = *server_;
  // httplib listens with a backlog of 5 (compiled into the library): a burst
  // of new connections, such as 50 clients racing one create, overflows it and
  // the kernel drops connections that the client already believes are open.
  // Record the listening socket, then listen() again with a deep backlog
  // (Linux updates the backlog of a socket that is already listening). The
  // options replace httplib's defaults, which also set SO_REUSEPORT: that
  // would let a second server bind a port already in use without an error.
  int listen_fd = -1;
  s.set_socket_options([&listen_fd](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = sock;
  });
  if (config_.port == 0) {
    port_ = s.bind_to_any_port(config_.host);
    if (port_ <= 0) throw std::runtime_error("cannot listen on " + config_.host + ": bind failed");
  } else {
    if (!s.bind_to_port(config_.host, config_.port))
      throw std::runtime_error(bind_failure(config_.host, config_.port));
    port_ = config_.port;
  }
  if (listen_fd >= 0) ::listen(listen_fd, SOMAXCONN);
  auto finished = std::make_shared<std::atomic<bool>>(false);
  thread_ = std::thread([&s, finished] {
    s.listen_after_bind();
    finished->store(true);
  });
  // The socket already accepts into its backlog; wait for the accept loop so
  // that an early stop() is not lost.
  while (!s.is_running() && !finished->load())
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  if (!s.is_running() && finished->load()) {
    thread_.join();
    throw std::runtime_error("cannot listen on " + config_.host + ": the accept loop failed");
  }
}

void HttpServer::stop() {
  if (thread_.joinable()) {
    server_->stop();
    // A worker holding an idle keep-alive connection only notices the stop
    // when its keep-alive timeout (5 s) runs out, so SIGTERM or a Sandbox
    // destructor would hang that long. Closing the read side of every
    // accepted connection ends those waits at once, while a request already
    // being served still writes its answer.
    static_cast<Server&>(*server_).connections().shutdown_all(SHUT_RD);
    thread_.join();
  }
}

}  // namespace paysandbox

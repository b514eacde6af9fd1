#include "http/server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/ids.h"
#include "http/errors.h"

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

// Calls `visit(fd)` for each socket of this process accepted on
// `local_port` whose peer is on `remote_port` (any peer when -1). httplib
// does not hand out its sockets, so they are found through /proc/self/fd.
template <typename Visit>
void for_each_connection(int local_port, int remote_port, Visit visit) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  auto port_of = [](const sockaddr_storage& address) {
    if (address.ss_family == AF_INET)
      return static_cast<int>(ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port));
    if (address.ss_family == AF_INET6)
      return static_cast<int>(ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port));
    return -1;
  };
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    const int fd = std::atoi(entry->d_name);
    sockaddr_storage local{}, peer{};
    socklen_t local_size = sizeof local, peer_size = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0) continue;
    if (port_of(local) != local_port) continue;
    // The listening socket has no peer and is skipped here.
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) continue;
    if (remote_port != -1 && port_of(peer) != remote_port) continue;
    visit(fd);
  }
  closedir(dir);
}

// Shuts down the accepted socket between the two ports so the client sees
// the connection close with no answer. shutdown() rather than close():
// httplib still owns the descriptor, fails its write and closes it itself.
void drop_connection(int local_port, int remote_port) {
  for_each_connection(local_port, remote_port, [](int fd) { shutdown(fd, SHUT_RDWR); });
}

// httplib runs a connection on one worker from accept to close, so a fixed
// pool is used up by as many slow or idle clients as it has threads (a
// slow-loris), and then every other client waits. This pool keeps `core`
// workers and starts another whenever a connection arrives with none idle,
// up to `max`; only past that do connections queue.
class ElasticPool : public httplib::TaskQueue {
 public:
  ElasticPool(std::size_t core, std::size_t max) : max_(std::max(core, max)) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < core; ++i) workers_.emplace_back([this] { work(); });
  }
  ~ElasticPool() override { shutdown(); }

  void enqueue(std::function<void()> job) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
      if (!stopping_ && jobs_.size() > idle_ && workers_.size() < max_)
        workers_.emplace_back([this] { work(); });
    }
    wake_.notify_one();
  }

  void shutdown() override {
    std::vector<std::thread> workers;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      workers.swap(workers_);
    }
    wake_.notify_all();
    for (auto& worker : workers) worker.join();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ++idle_;
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        --idle_;
        // Queued connections are still served on the way out.
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  const std::size_t max_;
  std::mutex mutex_;  // protects everything below
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  std::size_t idle_ = 0;  // workers waiting for a job
  bool stopping_ = false;
};

Error body_too_large() {
  return make_error(ErrorCode::kPayloadTooLarge,
                    "The request body is over the size limit (1 MiB; 16 MiB for imports).");
}

// One keep-alive connection's byte stream. httplib's own SocketStream is
// made afresh for every request: it polls before every read and every write,
// looks up both socket addresses per request, and sends the status line and
// headers in one send() and the body in another (two segments on the wire,
// since TCP_NODELAY is on). That was a third of the server's time. This stream
// lives as long as the connection: it keeps bytes read past one request for
// the next, holds a whole response and sends it with one send(), and relies on
// the SO_RCVTIMEO/SO_SNDTIMEO that httplib sets on every accepted socket
// (the read and write timeouts) instead of polling before each call.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(socket_t sock, int read_timeout_ms)
      : sock_(sock), read_timeout_ms_(read_timeout_ms), in_(kReadBuffer) {
    address_of(sock_, true, remote_ip_, remote_port_);
    address_of(sock_, false, local_ip_, local_port_);
  }

  // Waits up to `timeout_sec` for the next request, waking every 10 ms (as
  // httplib does) to notice a server that is stopping.
  template <typename Stopping>
  bool wait_for_request(time_t timeout_sec, Stopping stopping) {
    if (in_begin_ < in_end_) return true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_sec);
    while (!stopping()) {
      pollfd p{sock_, POLLIN, 0};
      const int ready = ::poll(&p, 1, 10);
      if (ready > 0) return true;
      if (ready < 0 && errno != EINTR) return false;
      if (std::chrono::steady_clock::now() >= deadline) return false;
    }
    return false;
  }

  bool is_readable() const override {
    if (in_begin_ < in_end_) return true;
    pollfd p{sock_, POLLIN, 0};
    return ::poll(&p, 1, read_timeout_ms_) > 0;
  }

  // Writes only go to memory until flush().
  bool is_writable() const override { return !failed_; }

  ssize_t read(char* ptr, size_t size) override {
    if (in_begin_ == in_end_) {
      // About to wait for the peer: it may be waiting for what is buffered
      // (an interim "100 Continue" before it sends the body).
      if (!flush()) return -1;
      const ssize_t n = receive(in_.data(), in_.size());
      if (n <= 0) return n;
      in_begin_ = 0;
      in_end_ = static_cast<size_t>(n);
    }
    const size_t n = std::min(size, in_end_ - in_begin_);
    std::memcpy(ptr, in_.data() + in_begin_, n);
    in_begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (failed_) return -1;
    if (out_.size() + size > kBufferAtMost) {
      // A large body (an export) is sent from where it lies, not copied into
      // a buffer that would then stay that large for the connection's life.
      if (!flush() || !send_all(ptr, size)) return -1;
    } else {
      out_.append(ptr, size);
    }
    return static_cast<ssize_t>(size);
  }

  // Sends everything written so far; false once the peer is gone.
  bool flush() {
    const bool sent = send_all(out_.data(), out_.size());
    out_.clear();
    return sent;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = remote_ip_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = local_ip_;
    port = local_port_;
  }
  socket_t socket() const override { return sock_; }

 private:
  static constexpr size_t kReadBuffer = 4096;
  static constexpr size_t kBufferAtMost = std::size_t{64} * 1024;

  bool send_all(const char* data, size_t size) {
    size_t sent = 0;
    while (!failed_ && sent < size) {
      const ssize_t n = ::send(sock_, data + sent, size - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        failed_ = true;
      else
        sent += static_cast<size_t>(n);
    }
    return !failed_;
  }

  ssize_t receive(char* ptr, size_t size) {
    for (;;) {
      const ssize_t n = ::recv(sock_, ptr, size, 0);
      if (n < 0 && errno == EINTR) continue;
      return n;
    }
  }

  // The numeric form httplib reports (getnameinfo with NI_NUMERICHOST).
  static void address_of(socket_t sock, bool peer, std::string& ip, int& port) {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    auto* raw = reinterpret_cast<sockaddr*>(&address);
    if ((peer ? getpeername(sock, raw, &size) : getsockname(sock, raw, &size)) != 0) return;
    char host[NI_MAXHOST];
    if (getnameinfo(raw, size, host, sizeof host, nullptr, 0, NI_NUMERICHOST) == 0) ip = host;
    if (address.ss_family == AF_INET)
      port = ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
    else if (address.ss_family == AF_INET6)
      port = ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }

  socket_t sock_;
  int read_timeout_ms_;
  std::vector<char> in_;
  size_t in_begin_ = 0, in_end_ = 0;
  std::string out_;
  bool failed_ = false;
  std::string remote_ip_, local_ip_;
  int remote_port_ = -1, local_port_ = -1;
};

// httplib's server with its per-connection loop replaced (the same loop as
// httplib's process_server_socket, over a ConnectionStream).
class Server final : public httplib::Server {
 private:
  bool process_and_close_socket(socket_t sock) override {
    bool ret = false;
    {
      ConnectionStream stream(
          sock, static_cast<int>(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000));
      auto stopping = [this] { return svr_sock_ == INVALID_SOCKET; };
      for (size_t count = keep_alive_max_count_;
           count > 0 && !stopping() && stream.wait_for_request(keep_alive_timeout_sec_, stopping);
           --count) {
        bool connection_closed = false;
        ret = process_request(stream, count == 1, connection_closed, nullptr);
        if (!stream.flush()) ret = false;
        if (!ret || connection_closed) break;
      }
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ret;
  }
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
      drop_connection(req.local_port, req.remote_port);
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
        std::string request_id = new_random_id("req_", 20);
        res.status = 413;
        res.set_header("Connection", "close");
        res.set_header("X-Request-Id", request_id);
        res.set_content(error_body(body_too_large(), request_id), "application/json");
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
    std::string request_id = new_random_id("req_", 20);
    Error error = res.status == 413
                      ? body_too_large()
                      : make_error(ErrorCode::kValidation,
                                   "The request could not be read as HTTP/1.1 (status " +
                                       std::to_string(res.status) + ").");
    if (res.status == 404) error = make_error(ErrorCode::kNotFound, "No such route.");
    res.set_header("X-Request-Id", request_id);
    res.set_content(error_body(error, request_id), "application/json");
  });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    std::string request_id = new_random_id("req_", 20);
    res.status = 500;
    res.set_header("X-Request-Id", request_id);
    res.set_content(error_body(make_error(ErrorCode::kInternal, "The sandbox failed."), request_id),
                    "application/json");
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
      throw std::runtime_error("cannot listen on " + config_.host + ":" +
                               std::to_string(config_.port) + ": address in use or not allowed");
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
    for_each_connection(port_, -1, [](int fd) { shutdown(fd, SHUT_RD); });
    thread_.join();
  }
}

}  // namespace paysandbox

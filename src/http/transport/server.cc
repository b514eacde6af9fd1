#include "http/transport/server.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>

#include "core/ids.h"
#include "core/thread_annotations.h"
#include "core/waiting.h"
#include "http/errors.h"
#include "http/transport/request_parser.h"

namespace paysandbox {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
      .count();
}

constexpr std::size_t kReadChunk = std::size_t{64} * 1024;
// Answers waiting for a client that does not read them: past this much, the
// connection stops reading further requests until they have gone out.
constexpr std::size_t kOutputHighWater = 1 << 20;
// A refused request's connection is closed only after the client stops
// sending (or this long): closing with its bytes unread would reset the
// connection, and the client might never see the answer.
constexpr int kLingerMs = 2000;
// A worker busy on one request this long counts as blocked (a delay
// scenario, an exclusive route): the pool starts another in its place.
constexpr std::int64_t kBlockedMs = 50;
constexpr int kReaperPeriodMs = 25;

const char* reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

bool safe_header_text(const std::string& text) {
  return text.find_first_of("\r\n") == std::string::npos;
}

bool is(const std::string& name, const char* expected) {
  return name.size() == std::strlen(expected) &&
         strncasecmp(name.c_str(), expected, name.size()) == 0;
}

// The response's bytes: status line, headers, then the body unless the
// request was a HEAD or the status has none. The transport owns the framing
// headers (Content-Length, Connection); a header whose name or value holds a
// line break never goes out.
void serialize(std::string& out, const HttpResponse& response, bool head_only, bool closing) {
  const int status = response.status;
  const bool bodiless = status == 204 || status == 304 || (status >= 100 && status < 200);
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += reason_phrase(status);
  out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    if (is(name, "Content-Length") || is(name, "Transfer-Encoding") || is(name, "Connection") ||
        (!bodiless && is(name, "Content-Type")))
      continue;
    if (name.empty() || !safe_header_text(name) || !safe_header_text(value)) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!bodiless) {
    if (safe_header_text(response.content_type)) {
      out += "Content-Type: ";
      out += response.content_type;
      out += "\r\n";
    }
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  if (closing) out += "Connection: close\r\n";
  out += "\r\n";
  if (!bodiless && !head_only) out += response.body;
}

Error body_too_large() {
  return make_error(ErrorCode::kPayloadTooLarge,
                    "The request body is over the size limit (1 MiB; 16 MiB for imports).");
}

// What the transport refuses before a request reaches the router, in the one
// error shape (error_reply) with a request id of its own.
HttpResponse refusal(const RequestParser& parser) {
  const int status = parser.failure_status();
  const Error error = status == 413 ? body_too_large()
                                    : make_error(ErrorCode::kValidation, parser.failure_message());
  const std::string request_id = new_random_id("req_", 20);
  HttpResponse response = error_reply(error, request_id);
  response.status = status;
  response.set_header("X-Request-Id", request_id);
  return response;
}

Mutex& log_mutex() {
  static Mutex mutex;
  return mutex;
}

void log_request(RequestLog format, const HttpRequest& request, const HttpResponse& response,
                 double millis) {
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
  MutexLock lock(log_mutex());
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

namespace transport {

// One accepted connection. Whichever worker took its last readiness event
// owns it (the descriptor is armed EPOLLONESHOT) until it arms it again; the
// reaper only reads `busy` and `deadline` and may shut the socket down, which
// a worker then notices as an event.
struct ClientConnection {
  ClientConnection(int fd, RequestParser::Limits limits) : fd(fd), parser(limits) {}

  const int fd;
  RequestParser parser;
  std::string input;   // received bytes not yet parsed (after a pipelined request)
  std::string output;  // answers not yet sent
  std::size_t sent = 0;
  bool closing = false;    // close once `output` is sent
  bool lingering = false;  // ... after the client stops sending (a refusal went out)
  bool draining = false;   // lingering: the answer is out, input is discarded
  // A request whose answer waits for its durable COMMIT (Router::Answer):
  // the connection is parked, with no worker, until the COMMIT settles and
  // its answer is completed.
  Router::Answer pending;
  bool parked() const { return static_cast<bool>(pending.complete); }
  // The request being answered, for the access log.
  std::shared_ptr<HttpRequest> request;
  std::chrono::steady_clock::time_point started;
  bool head_only = false;
  bool keep_alive = true;
  std::atomic<bool> busy{true};
  std::atomic<bool> expired{false};
  Mutex handover;  // see HttpServer::Loop::arm()
  std::atomic<std::int64_t> deadline{0};
};

}  // namespace transport

using transport::ClientConnection;

class HttpServer::Loop final : public WaitListener {
 public:
  Loop(Router& router, const ServerConfig& config) : router_(router), config_(config) {
    limits_.max_body = config.max_body;
    read_timeout_ms_ = config.read_timeout_ms > 0 ? config.read_timeout_ms : 5000;
    // An idle keep-alive connection may wait for its next request a little
    // longer than a request may take to arrive, up to five seconds.
    idle_timeout_ms_ = std::clamp((read_timeout_ms_ + 999) / 1000, 1, 5) * 1000;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    base_workers_ =
        config.threads > 0 ? static_cast<std::size_t>(config.threads) : std::max(4u, 2 * cores);
    max_workers_ = std::max<std::size_t>(base_workers_,
                                         static_cast<std::size_t>(std::max(config.max_workers, 1)));
    max_spares_ = static_cast<std::size_t>(std::max(config.spare_workers, 0));
  }

  ~Loop() { stop(); }

  // Binds, listens and starts the workers; returns the bound port.
  int start() {
    listen_fd_ = open_listener();
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    settled_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0 || settled_fd_ < 0) {
      const std::string reason = std::strerror(errno);
      close_fds();
      throw std::runtime_error("cannot listen on " + config_.host + ": " + reason);
    }
    epoll_event wake{};
    wake.events = EPOLLIN;  // level-triggered: once written, every worker sees it
    wake.data.ptr = &wake_fd_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
    // Edge-triggered: one write wakes one worker (see post()).
    epoll_event settled{};
    settled.events = EPOLLIN | EPOLLET;
    settled.data.ptr = &settled_fd_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, settled_fd_, &settled);
    epoll_event listen{};
    listen.events = EPOLLIN | EPOLLONESHOT;
    listen.data.ptr = &listen_fd_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &listen);

    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
    const int port = bound.ss_family == AF_INET6
                         ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                         : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    // One worker now, the rest of the base pool from the reaper: the server
    // answers as soon as it is listening, and start() (which the listening
    // line waits for) does not wait for every thread to be created.
    {
      MutexLock lock(workers_mutex_);
      add_worker();
    }
    reaper_ = std::thread([this] { reap(); });
    return port;
  }

  void stop() {
    if (epoll_fd_ < 0) return;
    stopping_.store(true);
    // No new connections: the listening socket goes first. It is shut down
    // now and closed only once the workers have left (close_fds()), since
    // one of them may be accepting on it at this moment; closed here, its
    // number could be reused under that worker.
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    ::shutdown(listen_fd_, SHUT_RDWR);
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t woke = ::write(wake_fd_, &one, sizeof one);
    {
      MutexLock lock(reaper_mutex_);
      reaper_wake_.notify_all();
    }
    {
      MutexLock lock(spare_mutex_);
      spare_wake_.notify_all();
    }
    if (reaper_.joinable()) reaper_.join();
    // Workers finish the request they run (and write its answer), then see
    // the wake-up and leave.
    std::deque<Worker> workers;
    {
      MutexLock lock(workers_mutex_);
      workers.swap(workers_);
    }
    for (Worker& worker : workers) worker.thread.join();
    // Answers still waiting for their COMMIT go out before the connections
    // close. Whoever lets go of the store last commits the batch, so they
    // settle soon after the last request has left its route.
    while (parked_.load() > 0) {
      run_settled();
      if (parked_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    MutexLock lock(connections_mutex_);
    for (ClientConnection* connection : connections_) {
      ::close(connection->fd);
      delete connection;
    }
    connections_.clear();
    close_fds();
  }

  std::size_t open_connections() const {
    MutexLock lock(connections_mutex_);
    return connections_.size();
  }
  std::uint64_t requests_served() const { return served_.load(std::memory_order_relaxed); }

 private:
  struct Worker {
    std::thread thread;
    // A spare runs requests only while a worker waits (waiting_began()).
    bool spare = false;
    // When the worker took up the event it is on (0: waiting for one).
    std::atomic<std::int64_t> busy_since{0};
  };

  int open_listener() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(config_.port);
    if (getaddrinfo(config_.host.c_str(), service.c_str(), &hints, &found) != 0 || !found)
      throw std::runtime_error(bind_failure(config_.host, config_.port));
    int fd = -1;
    for (addrinfo* at = found; at != nullptr && fd < 0; at = at->ai_next) {
      fd = ::socket(at->ai_family, at->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, at->ai_protocol);
      if (fd < 0) continue;
      // SO_REUSEADDR for a quick restart on the same port; never
      // SO_REUSEPORT, which would let a second server bind a busy port.
      int yes = 1;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      // A burst of connections (50 clients racing one create) must not
      // overflow the accept queue: the kernel would drop connections the
      // clients already believe are open.
      if (::bind(fd, at->ai_addr, at->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
        ::close(fd);
        fd = -1;
      }
    }
    freeaddrinfo(found);
    if (fd < 0) throw std::runtime_error(bind_failure(config_.host, config_.port));
    return fd;
  }

  void close_fds() {
    for (int* fd : {&listen_fd_, &wake_fd_, &settled_fd_, &epoll_fd_}) {
      if (*fd >= 0) ::close(*fd);
      *fd = -1;
    }
  }

  void add_worker(bool spare = false) REQUIRES(workers_mutex_) {
    workers_.emplace_back();
    Worker& worker = workers_.back();
    worker.spare = spare;
    worker.thread = std::thread([this, &worker] { work(worker); });
  }

  // Spare workers. A request that waits for other threads' work (a durable
  // write waiting for the COMMIT it shares, store/connection.h) lends its
  // place: one spare runs a request for each worker waiting so, and sleeps
  // otherwise. Spares are started the first time they are short, up to
  // ServerConfig::spare_workers. So the base pool stays small (few threads
  // contend for the store while requests are quick), yet waiting writers do
  // not leave the cores idle, and more of them share each COMMIT.
  void waiting_began() override {
    bool start_one = false;
    {
      MutexLock lock(spare_mutex_);
      ++lent_;
      if (spares_running_ + spares_idle_ < lent_ && spares_ < max_spares_) {
        ++spares_;
        start_one = true;
      }
    }
    spare_wake_.notify_one();
    if (!start_one) return;
    MutexLock lock(workers_mutex_);
    // Once stop() has taken the pool it joins no new thread.
    if (!stopping_.load()) add_worker(true);
  }

  void waiting_ended() override {
    MutexLock lock(spare_mutex_);
    --lent_;
  }

  // Waits until a spare may run one event; false once the server stops.
  bool take_spare_turn() {
    MutexLock lock(spare_mutex_);
    ++spares_idle_;
    while (!stopping_.load() && spares_running_ >= lent_) spare_wake_.wait(spare_mutex_);
    --spares_idle_;
    if (stopping_.load()) return false;
    ++spares_running_;
    return true;
  }

  void end_spare_turn() {
    MutexLock lock(spare_mutex_);
    --spares_running_;
  }

  void work(Worker& worker) {
    set_wait_listener(this);
    while (!stopping_.load()) {
      if (!worker.spare) {
        if (!run_one_event(worker)) break;
        continue;
      }
      if (!take_spare_turn()) break;
      const bool go_on = run_one_event(worker);
      end_spare_turn();
      if (!go_on) break;
    }
  }

  // Waits for one event and handles it; false once the server stops.
  bool run_one_event(Worker& worker) {
    // Answers this worker's own COMMITs settled go out before it sleeps.
    if (settled_count_.load() > 0) run_settled();
    epoll_event event{};
    const int ready = epoll_wait(epoll_fd_, &event, 1, -1);
    if (ready <= 0) return true;  // EINTR
    if (event.data.ptr == &wake_fd_) return false;
    worker.busy_since.store(now_ms());
    if (event.data.ptr == &settled_fd_) {
      std::uint64_t count = 0;
      [[maybe_unused]] const ssize_t n = ::read(settled_fd_, &count, sizeof count);
      run_settled();
    } else if (event.data.ptr == &listen_fd_) {
      accept_ready();
    } else {
      auto* connection = static_cast<ClientConnection*>(event.data.ptr);
      {
        // Waits, if need be, for the worker that armed it to be done with
        // it (see arm()).
        MutexLock handover(connection->handover);
        connection->busy.store(true);
      }
      serve(*connection, event.events);
    }
    worker.busy_since.store(0);
    return true;
  }

  void accept_ready() {
    for (int accepted = 0; accepted < 64 && !stopping_.load(); ++accepted) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        // Out of descriptors: give the connections being served a moment
        // to close before trying again.
        if (errno == EMFILE || errno == ENFILE)
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        break;
      }
      // Without TCP_NODELAY every keep-alive answer waits on Nagle and the
      // peer's delayed ACK (about 40 ms).
      int yes = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      auto* connection = new ClientConnection(fd, limits_);
      connection->deadline.store(now_ms() + idle_timeout_ms_);
      {
        MutexLock lock(connections_mutex_);
        connections_.insert(connection);
      }
      arm(*connection, EPOLLIN, EPOLL_CTL_ADD);
    }
    if (stopping_.load()) return;
    epoll_event listen{};
    listen.events = EPOLLIN | EPOLLONESHOT;
    listen.data.ptr = &listen_fd_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &listen);
  }

  // Hands the connection back to the loop: the last thing a worker does
  // with it, since another worker may take it at once.
  void arm(ClientConnection& connection, std::uint32_t events, int op = EPOLL_CTL_MOD) {
    epoll_event event{};
    event.events = events | EPOLLRDHUP | EPOLLONESHOT;
    event.data.ptr = &connection;
    bool armed = false;
    {
      // Held while the connection changes hands. Once epoll_ctl has armed it,
      // another worker may take it (and close it) before epoll_ctl has even
      // returned here; that worker takes this lock first (work()), so all
      // this worker did, the epoll_ctl call included, happens before.
      // epoll alone orders the two as well, but through the kernel, where
      // ThreadSanitizer cannot see it.
      MutexLock handover(connection.handover);
      connection.busy.store(false);
      armed = epoll_ctl(epoll_fd_, op, connection.fd, &event) == 0;
      if (!armed) connection.busy.store(true);
    }
    if (!armed) close_connection(connection);
  }

  void close_connection(ClientConnection& connection) {
    {
      MutexLock lock(connections_mutex_);
      connections_.erase(&connection);
      // Closed under the lock, so the reaper never shuts down a descriptor
      // that was closed and reused.
      ::close(connection.fd);
    }
    delete &connection;
  }

  // One readiness event: read what arrived, answer every complete request,
  // send, then arm the connection for what it waits on next.
  void serve(ClientConnection& c, std::uint32_t events) {
    if (c.expired.load() || (events & EPOLLERR) != 0) return close_connection(c);
    if (c.draining) return linger(c);
    if (!flush(c)) return close_connection(c);
    if (!c.output.empty()) return wait_for_output(c);
    if (c.closing) return finish_closing(c, false);

    bool ended = false;
    char buffer[kReadChunk];
    while (!c.closing && c.output.size() < kOutputHighWater) {
      const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        c.input.append(buffer, static_cast<std::size_t>(n));
        if (!answer_input(c)) return close_connection(c);
        if (c.parked()) return park(c);
        if (static_cast<std::size_t>(n) < sizeof buffer) break;  // drained for now
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return close_connection(c);
      ended = n == 0;
      break;
    }
    finish_round(c, ended);
  }

  // After the answers of a round are queued: sends them and arms the
  // connection for what it waits on next. `ended`: the client has sent
  // everything it will (what was complete has been answered; a request cut
  // short gets no answer).
  void finish_round(ClientConnection& c, bool ended) {
    if (ended) c.closing = true;
    if (!flush(c)) return close_connection(c);
    if (!c.output.empty()) return wait_for_output(c);
    if (c.closing) return finish_closing(c, ended);
    c.deadline.store(now_ms() + (c.parser.in_request() ? read_timeout_ms_ : idle_timeout_ms_));
    arm(c, EPOLLIN);
  }

  // A request's answer waits for its COMMIT (Router::Answer): the worker
  // leaves the connection and goes on to other work. The wake, on whichever
  // thread settles the COMMIT, queues the connection for a worker
  // (run_settled()); when the COMMIT was already settled, this worker goes
  // on with the connection itself.
  void park(ClientConnection& c) {
    for (;;) {
      bool settled_here = false;
      parking_ = &c;
      settled_here_ = &settled_here;
      auto wait = std::move(c.pending.wait);
      // After this call another worker may own (and close) c.
      wait([this, connection = &c] {
        if (parking_ == connection) {
          *settled_here_ = true;
          return;
        }
        post(*connection);
      });
      parking_ = nullptr;
      settled_here_ = nullptr;
      if (!settled_here || !resume(c)) return;
    }
  }

  // Queues a parked connection whose COMMIT settled. Runs on the settling
  // thread, which may hold the store's locks: it takes only settled_mutex_,
  // and writes settled_fd_ to wake a worker when the queue was empty.
  void post(ClientConnection& c) {
    bool first = false;
    {
      MutexLock lock(settled_mutex_);
      first = settled_.empty();
      settled_.push_back(&c);
      settled_count_.store(settled_.size());
    }
    if (!first) return;
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(settled_fd_, &one, sizeof one);
  }

  // Answers every queued connection whose COMMIT settled.
  void run_settled() {
    for (;;) {
      ClientConnection* c = nullptr;
      {
        MutexLock lock(settled_mutex_);
        if (settled_.empty()) return;
        c = settled_.front();
        settled_.pop_front();
        settled_count_.store(settled_.size());
      }
      if (resume(*c)) park(*c);
    }
  }

  // A parked request's COMMIT settled: its answer goes out, then the
  // connection goes on with the requests behind it. True: one of those is
  // parked in turn (the caller parks it).
  bool resume(ClientConnection& c) {
    parked_.fetch_sub(1);
    auto complete = std::move(c.pending.complete);
    c.pending = Router::Answer{};
    if (!deliver(c, complete())) {
      close_connection(c);
      return false;
    }
    if (stopping_.load()) {
      // stop() closes the connection: the answer goes out if it can now.
      flush(c);
      return false;
    }
    if (!c.input.empty() && !c.closing) {
      if (!answer_input(c)) {
        close_connection(c);
        return false;
      }
      if (c.parked()) return true;
    }
    finish_round(c, false);
    return false;
  }

  // Every answer has gone out and the connection ends: at once, or after
  // the client stops sending when the last answer was a refusal.
  void finish_closing(ClientConnection& c, bool client_ended) {
    if (!c.lingering || client_ended) return close_connection(c);
    ::shutdown(c.fd, SHUT_WR);
    c.draining = true;
    c.deadline.store(now_ms() + kLingerMs);
    arm(c, EPOLLIN);
  }

  // Parses and answers every complete request in c.input. False: a
  // scenario dropped the connection.
  bool answer_input(ClientConnection& c) {
    std::size_t at = 0;
    while (at < c.input.size() && !c.closing && !c.parked()) {
      std::size_t used = 0;
      const auto outcome = c.parser.feed(c.input.data() + at, c.input.size() - at, used);
      at += used;
      if (outcome == RequestParser::Outcome::kRequest) {
        ParsedRequest parsed = c.parser.take();
        if (!answer(c, std::move(parsed))) return false;
      } else if (outcome == RequestParser::Outcome::kError) {
        serialize(c.output, refusal(c.parser), false, true);
        c.closing = true;
        c.lingering = true;
        at = c.input.size();
      } else {
        break;
      }
    }
    c.input.erase(0, at);
    if (!c.parked() && c.parser.wants_continue()) {
      c.output += "HTTP/1.1 100 Continue\r\n\r\n";
      c.parser.continue_sent();
    }
    return true;
  }

  // Runs one request. Its answer is queued in c.output, or the connection
  // is parked until the answer's COMMIT settles. False: a scenario dropped
  // the connection.
  bool answer(ClientConnection& c, ParsedRequest parsed) {
    c.started = Clock::now();
    c.head_only = parsed.head_only;
    c.keep_alive = parsed.keep_alive;
    c.request = std::make_shared<HttpRequest>();
    HttpRequest& request = *c.request;
    request.method = std::move(parsed.method);
    set_target(request, parsed.target);
    request.headers = std::move(parsed.headers);
    request.body = std::move(parsed.body);
    Router::Answer answer = router_.answer(c.request);
    if (answer.wait) {
      c.pending = std::move(answer);
      parked_.fetch_add(1);
      return true;
    }
    return deliver(c, answer.response);
  }

  // The answer to the request c holds: logged and queued for sending.
  // False: a scenario dropped the connection.
  bool deliver(ClientConnection& c, const HttpResponse& response) {
    served_.fetch_add(1, std::memory_order_relaxed);
    if (config_.log != RequestLog::kNone) {
      const double millis =
          std::chrono::duration<double, std::milli>(Clock::now() - c.started).count();
      log_request(config_.log, *c.request, response, millis);
    }
    c.request.reset();
    if (response.drop_connection) return false;
    if (!c.keep_alive) c.closing = true;
    serialize(c.output, response, c.head_only, c.closing);
    return true;
  }

  // Sends what it can without blocking; false when the peer is gone.
  bool flush(ClientConnection& c) {
    while (c.sent < c.output.size()) {
      const ssize_t n =
          ::send(c.fd, c.output.data() + c.sent, c.output.size() - c.sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
      }
    }
    if (c.sent == c.output.size()) {
      c.output.clear();
      c.sent = 0;
    }
    return true;
  }

  void wait_for_output(ClientConnection& c) {
    c.deadline.store(now_ms() + read_timeout_ms_);
    arm(c, EPOLLOUT);
  }

  // After a refusal: discards what the client still sends until it closes.
  void linger(ClientConnection& c) {
    char buffer[kReadChunk];
    for (;;) {
      const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
      if (n > 0) continue;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return arm(c, EPOLLIN);
      return close_connection(c);
    }
  }

  // First starts the rest of the base pool. Then, every few milliseconds:
  // shuts down connections past their deadline (a worker then closes them),
  // and starts workers while too many are blocked on one request each.
  void reap() {
    MutexLock wait_lock(reaper_mutex_);
    {
      MutexLock lock(workers_mutex_);
      while (workers_.size() < base_workers_ && !stopping_.load()) add_worker();
    }
    while (!stopping_.load()) {
      reaper_wake_.wait_for(reaper_mutex_, std::chrono::milliseconds(kReaperPeriodMs));
      if (stopping_.load()) break;
      const std::int64_t now = now_ms();
      {
        MutexLock lock(connections_mutex_);
        for (ClientConnection* connection : connections_) {
          if (connection->busy.load() || connection->expired.load()) continue;
          if (connection->deadline.load() > now) continue;
          connection->expired.store(true);
          ::shutdown(connection->fd, SHUT_RDWR);
        }
      }
      MutexLock lock(workers_mutex_);
      std::size_t free = 0;
      for (const Worker& worker : workers_) {
        if (worker.spare) continue;  // not there for blocked requests
        const std::int64_t since = worker.busy_since.load();
        if (since == 0 || now - since < kBlockedMs) ++free;
      }
      const std::size_t wanted = std::max<std::size_t>(2, base_workers_ / 2);
      while (free < wanted && workers_.size() < max_workers_) {
        add_worker();
        ++free;
      }
    }
  }

  Router& router_;
  const ServerConfig& config_;
  RequestParser::Limits limits_;
  int read_timeout_ms_ = 5000;
  int idle_timeout_ms_ = 5000;
  std::size_t base_workers_ = 4;
  std::size_t max_workers_ = 1024;
  std::size_t max_spares_ = 0;

  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int settled_fd_ = -1;
  // Parked connections (park()): all of them, and those whose COMMIT
  // settled, queued for a worker.
  std::atomic<std::size_t> parked_{0};
  Mutex settled_mutex_;
  std::deque<ClientConnection*> settled_ GUARDED_BY(settled_mutex_);
  std::atomic<std::size_t> settled_count_{0};
  // The connection this thread is parking, while it registers the wait
  // (park()), and where to say the COMMIT had already settled.
  static thread_local ClientConnection* parking_;
  static thread_local bool* settled_here_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> served_{0};

  // Also held while a connection's descriptor is closed.
  mutable Mutex connections_mutex_;
  std::unordered_set<ClientConnection*> connections_ GUARDED_BY(connections_mutex_);
  Mutex workers_mutex_;
  std::deque<Worker> workers_ GUARDED_BY(workers_mutex_);
  Mutex reaper_mutex_;
  CondVar reaper_wake_;
  // Spare workers (see waiting_began()): workers waiting now, spares
  // started, running an event, and sleeping until one is wanted.
  Mutex spare_mutex_;
  CondVar spare_wake_;
  std::size_t lent_ GUARDED_BY(spare_mutex_) = 0;
  std::size_t spares_ GUARDED_BY(spare_mutex_) = 0;
  std::size_t spares_running_ GUARDED_BY(spare_mutex_) = 0;
  std::size_t spares_idle_ GUARDED_BY(spare_mutex_) = 0;
  std::thread reaper_;
};

thread_local ClientConnection* HttpServer::Loop::parking_ = nullptr;
thread_local bool* HttpServer::Loop::settled_here_ = nullptr;

HttpServer::HttpServer(Router& router, ServerConfig config)
    : router_(router), config_(std::move(config)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  if (loop_) return;
  auto loop = std::make_unique<Loop>(router_, config_);
  port_ = loop->start();
  loop_ = std::move(loop);
}

void HttpServer::stop() {
  if (loop_) loop_->stop();
}

std::size_t HttpServer::open_connections() const { return loop_ ? loop_->open_connections() : 0; }

std::uint64_t HttpServer::requests_served() const { return loop_ ? loop_->requests_served() : 0; }

}  // namespace paysandbox

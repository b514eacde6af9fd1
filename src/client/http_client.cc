#include "client/http_client.h"

#include <fcntl.h>
#include <llhttp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

namespace paysandbox {

namespace {

constexpr std::size_t kBodyKept = std::size_t{64} * 1024;

// One client context for every https connection: TLS 1.2 or later, the peer
// verified against the system's trust store. Made on the first https request,
// so a process that never makes one never initialises OpenSSL's TLS side.
SSL_CTX* tls_context() {
  static SSL_CTX* const context = [] {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == nullptr) return ctx;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set_default_verify_paths(ctx);
    return ctx;
  }();
  return context;
}

// llhttp reading one response; stops at its end.
struct ResponseReader {
  llhttp_t parser{};
  std::string body;
  bool complete = false;
  bool keep_alive = false;

  ResponseReader() { llhttp_init(&parser, HTTP_RESPONSE, &settings()); }

  static ResponseReader& of(llhttp_t* p) { return *static_cast<ResponseReader*>(p->data); }
  static const llhttp_settings_t& settings() {
    static const llhttp_settings_t table = [] {
      llhttp_settings_t s;
      llhttp_settings_init(&s);
      s.on_body = [](llhttp_t* p, const char* at, std::size_t length) {
        auto& r = of(p);
        if (r.body.size() < kBodyKept)
          r.body.append(at, std::min(length, kBodyKept - r.body.size()));
        return 0;
      };
      s.on_message_complete = [](llhttp_t* p) {
        auto& r = of(p);
        r.complete = true;
        r.keep_alive = llhttp_should_keep_alive(p) != 0;
        return static_cast<int>(HPE_PAUSED);  // what follows is not ours
      };
      return s;
    }();
    return table;
  }
  // 1xx answers come before the real one.
  bool interim() const { return complete && parser.status_code / 100 == 1; }
  void next() {
    body.clear();
    complete = false;
    llhttp_init(&parser, HTTP_RESPONSE, &settings());
    parser.data = this;
  }
};

std::string host_header(const HttpUrl& url) {
  const bool v6 = url.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + url.host + "]" : url.host;
  if (url.port != (url.tls ? "443" : "80")) host += ":" + url.port;
  return host;
}

}  // namespace

std::string HttpUrl::origin() const {
  return std::string(tls ? "https://" : "http://") + host_header(*this);
}

std::optional<HttpUrl> parse_http_url(const std::string& url) {
  HttpUrl out;
  std::size_t at = 0;
  if (url.rfind("http://", 0) == 0) {
    at = 7;
  } else if (url.rfind("https://", 0) == 0) {
    out.tls = true;
    at = 8;
  } else {
    return std::nullopt;
  }
  const std::size_t path_at = url.find_first_of("/?#", at);
  const std::string authority =
      url.substr(at, path_at == std::string::npos ? path_at : path_at - at);
  if (path_at == std::string::npos || url[path_at] == '#') {
    out.path = "/";
  } else {
    out.path = url.substr(path_at, url.find('#', path_at) - path_at);
    if (out.path[0] == '?') out.path.insert(0, "/");
  }
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;
  std::string port;
  if (authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.find(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) return std::nullopt;
  if (port.empty()) {
    if (authority.back() == ':') return std::nullopt;
    port = out.tls ? "443" : "80";
  }
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) == 0 || std::stoi(port) > 65535)
    return std::nullopt;
  out.port = port;
  return out;
}

// An open connection: its descriptor, and the TLS session over it for https.
struct HttpConnection::Socket {
  int fd = -1;
  SSL* tls = nullptr;

  ~Socket() {
    if (tls != nullptr) SSL_free(tls);
  }

  // Bytes sent or read, 0 for the peer's end of stream, or -1 with `failure`.
  long send_some(const char* data, std::size_t size, HttpFailure& failure) {
    if (tls != nullptr) {
      const int n = SSL_write(tls, data, static_cast<int>(std::min<std::size_t>(size, 1 << 20)));
      if (n > 0) return n;
      failure = tls_failure(n);
      return -1;
    }
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n >= 0) return n;
    failure = errno_failure();
    return -1;
  }
  long read_some(char* data, std::size_t size, HttpFailure& failure) {
    if (tls != nullptr) {
      const int n = SSL_read(tls, data, static_cast<int>(size));
      if (n > 0) return n;
      if (SSL_get_error(tls, n) == SSL_ERROR_ZERO_RETURN) return 0;
      failure = tls_failure(n);
      return -1;
    }
    const ssize_t n = ::recv(fd, data, size, 0);
    if (n >= 0) return n;
    failure = errno_failure();
    return -1;
  }

  static HttpFailure errno_failure() {
    return errno == EAGAIN || errno == EWOULDBLOCK ? HttpFailure::kTimeout : HttpFailure::kReset;
  }
  HttpFailure tls_failure(int result) const {
    const int error = SSL_get_error(tls, result);
    const int saved_errno = errno;
    ERR_clear_error();
    errno = saved_errno;
    if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE)
      return errno_failure();
    return HttpFailure::kReset;
  }
};

HttpConnection::HttpConnection(HttpUrl origin, Millis timeout)
    : origin_(std::move(origin)), timeout_(timeout > 0 ? timeout : 1) {}

HttpConnection::~HttpConnection() { disconnect(); }

bool HttpConnection::connected() const { return socket_ != nullptr; }

void HttpConnection::stop() {
  MutexLock lock(mutex_);
  stopped_ = true;
  // Wakes a connect, send or read blocked on it; the requesting thread closes.
  if (live_fd_ >= 0) ::shutdown(live_fd_, SHUT_RDWR);
}

void HttpConnection::disconnect() {
  if (socket_ == nullptr) return;
  {
    MutexLock lock(mutex_);
    live_fd_ = -1;  // stop() no longer reaches it, so it may close
  }
  const int fd = socket_->fd;
  socket_.reset();
  ::close(fd);
}

// Polls a connecting socket in short slices, so that stop() (which cannot
// wake a connect in progress with shutdown) is seen soon: 1 when it is
// writable, 0 after the timeout or a stop, -1 on error.
int HttpConnection::wait_connected(int fd) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return 0;
    pollfd p{fd, POLLOUT, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 50)));
    if (ready != 0) return ready;
    MutexLock lock(mutex_);
    if (stopped_) return 0;
  }
}

HttpFailure HttpConnection::connect_now() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(origin_.host.c_str(), origin_.port.c_str(), &hints, &found) != 0 ||
      found == nullptr)
    return HttpFailure::kRefused;
  const std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, ::freeaddrinfo);

  HttpFailure failure = HttpFailure::kRefused;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd =
        ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    socket_ = std::make_unique<Socket>();
    socket_->fd = fd;
    bool stopped = false;
    {
      MutexLock lock(mutex_);
      stopped = stopped_;
      if (!stopped) live_fd_ = fd;
    }
    if (stopped) {
      disconnect();
      return HttpFailure::kStopped;
    }
    int error = 0;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      error = errno;
      if (error == EINPROGRESS) {
        const int ready = wait_connected(fd);
        socklen_t length = sizeof error;
        if (ready == 0) {
          error = ETIMEDOUT;
        } else if (ready < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) {
          error = errno;
        }
      }
    }
    if (error == 0) {
      failure = HttpFailure::kNone;
      break;
    }
    failure = error == ETIMEDOUT ? HttpFailure::kTimeout : HttpFailure::kRefused;
    disconnect();
    if (failure == HttpFailure::kTimeout) break;  // the next address would wait again
  }
  if (failure != HttpFailure::kNone) return failure;

  // Blocking from here, each send and read bounded by the timeout.
  const int fd = socket_->fd;
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  timeval limit{};
  limit.tv_sec = static_cast<time_t>(timeout_ / 1000);
  limit.tv_usec = static_cast<suseconds_t>((timeout_ % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (!origin_.tls) return HttpFailure::kNone;

  SSL_CTX* context = tls_context();
  SSL* tls = context == nullptr ? nullptr : SSL_new(context);
  if (tls == nullptr) {
    disconnect();
    return HttpFailure::kTls;
  }
  socket_->tls = tls;
  SSL_set_fd(tls, fd);
  SSL_set_tlsext_host_name(tls, origin_.host.c_str());
  SSL_set1_host(tls, origin_.host.c_str());
  const int shaken = SSL_connect(tls);
  if (shaken == 1) return HttpFailure::kNone;
  const int error = SSL_get_error(tls, shaken);
  ERR_clear_error();
  failure = HttpFailure::kTls;
  if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE)
    failure = Socket::errno_failure() == HttpFailure::kTimeout ? HttpFailure::kTimeout
                                                               : HttpFailure::kReset;
  disconnect();
  return failure;
}

HttpAnswer HttpConnection::request(const std::string& method, const std::string& path,
                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                   const std::string& body) {
  HttpAnswer answer;
  const auto fail = [this, &answer](HttpFailure failure) {
    disconnect();
    MutexLock lock(mutex_);
    answer.failure = stopped_ ? HttpFailure::kStopped : failure;
    return answer;
  };
  if (socket_ == nullptr) {
    const HttpFailure failure = connect_now();
    if (failure != HttpFailure::kNone) return fail(failure);
  }

  std::string head = method + " " + path + " HTTP/1.1\r\nHost: " + host_header(origin_) + "\r\n";
  for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT")
    head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  head += "\r\n";
  head += body;
  HttpFailure failure = HttpFailure::kNone;
  for (std::size_t sent = 0; sent < head.size();) {
    const long n = socket_->send_some(head.data() + sent, head.size() - sent, failure);
    if (n <= 0) return fail(n == 0 ? HttpFailure::kReset : failure);
    sent += static_cast<std::size_t>(n);
  }

  ResponseReader reader;
  reader.parser.data = &reader;
  char buffer[16384];
  for (;;) {
    const long n = socket_->read_some(buffer, sizeof buffer, failure);
    if (n < 0) return fail(failure);
    if (n == 0) {
      // The peer closed: only an answer whose end is the close is whole
      // (finishing it runs on_message_complete, which pauses the parser).
      const llhttp_errno_t finished = llhttp_finish(&reader.parser);
      if ((finished == HPE_OK || finished == HPE_PAUSED) && reader.complete && !reader.interim())
        break;
      return fail(HttpFailure::kReset);
    }
    const char* at = buffer;
    std::size_t left = static_cast<std::size_t>(n);
    while (left > 0) {
      const llhttp_errno_t error = llhttp_execute(&reader.parser, at, left);
      if (error != HPE_OK && error != HPE_PAUSED) return fail(HttpFailure::kReset);
      if (!reader.complete) break;
      if (!reader.interim()) break;
      const std::size_t used = static_cast<std::size_t>(llhttp_get_error_pos(&reader.parser) - at);
      at += used;
      left -= used;
      reader.next();
    }
    if (reader.complete && !reader.interim()) break;
  }
  answer.status = reader.parser.status_code;
  answer.body = std::move(reader.body);
  if (!reader.keep_alive) disconnect();
  return answer;
}

}  // namespace paysandbox

#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/thread_annotations.h"
#include "core/time.h"

namespace paysandbox {

// Where an http:// or https:// URL points.
struct HttpUrl {
  bool tls = false;
  std::string host;  // without brackets for an IPv6 literal
  std::string port;  // "80" or "443" when the URL names none
  std::string path;  // "/" when the URL names none; the query stays on it
  // "http://host:port": the connection a request to this URL can reuse.
  std::string origin() const;
};
// nullopt when `url` is not http(s)://HOST[:PORT][/PATH].
std::optional<HttpUrl> parse_http_url(const std::string& url);

// Why a request got no answer.
enum class HttpFailure {
  kNone,
  kRefused,  // nothing accepted the connection (or the name did not resolve)
  kTimeout,  // connect, a write or a read waited the whole timeout
  kReset,    // the connection closed or broke before the whole answer came
  kTls,      // the TLS handshake failed (certificate, protocol)
  kStopped,  // stop() cut it short
};

struct HttpAnswer {
  HttpFailure failure = HttpFailure::kNone;
  int status = 0;    // set when failure is kNone
  std::string body;  // the first 64 KiB of the body
};

// An HTTP/1.1 client connection to one origin, kept alive between requests:
// the server's own outbound client (webhook deliveries, the health command).
// Each request is blocking; connect, every write and every read wait at most
// `timeout`. https:// goes through OpenSSL, verifying the peer's certificate
// and name against the system's trust store. One thread makes requests;
// stop() may come from any other.
class HttpConnection {
 public:
  HttpConnection(HttpUrl origin, Millis timeout);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends one request to `path` on this connection's origin, connecting
  // first when no connection is open. A failed request closes the connection.
  HttpAnswer request(const std::string& method, const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::string& body);
  // Whether a connection kept from an earlier request is open now.
  bool connected() const;
  // The origin every request goes to.
  const HttpUrl& origin() const { return origin_; }
  // From any thread: the request in flight, and every later one, ends with
  // kStopped.
  void stop();

 private:
  struct Socket;
  HttpFailure connect_now();
  int wait_connected(int fd);
  void disconnect();

  const HttpUrl origin_;
  const Millis timeout_;
  std::unique_ptr<Socket> socket_;       // the requesting thread's alone
  Mutex mutex_;                          // stop() against the requesting thread
  int live_fd_ GUARDED_BY(mutex_) = -1;  // socket_'s descriptor, for stop()
  bool stopped_ GUARDED_BY(mutex_) = false;
};

}  // namespace paysandbox

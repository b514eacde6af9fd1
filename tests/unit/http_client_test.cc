// client/http_client.h: the server's own outbound HTTP/1.1 client, against
// a scripted peer on 127.0.0.1 that answers each request with the next of
// its canned replies, byte for byte.
#include "client/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "support/catch.h"

using namespace paysandbox;

namespace {

constexpr const char kHang[] = "<hang>";    // read the request, never answer
constexpr const char kClose[] = "<close>";  // read the request, close (or, at the end
                                            // of a reply, close after the rest)

class ScriptedPeer {
 public:
  explicit ScriptedPeer(std::vector<std::string> replies) : replies_(std::move(replies)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener_, 8) == 0);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedPeer() {
    done_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int accepted() const { return accepted_; }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  // One request's bytes: the head, then Content-Length bytes of body.
  static bool read_request(int fd, std::string& pending, std::string& request) {
    char buffer[4096];
    for (;;) {
      const auto head_end = pending.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        std::size_t body = 0;
        const auto at = pending.find("Content-Length: ");
        if (at != std::string::npos && at < head_end) body = std::stoul(pending.substr(at + 16));
        if (pending.size() >= head_end + 4 + body) {
          request = pending.substr(0, head_end + 4 + body);
          pending.erase(0, request.size());
          return true;
        }
      }
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return false;
      pending.append(buffer, static_cast<std::size_t>(n));
    }
  }

  void serve() {
    std::size_t next = 0;
    while (!done_) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ++accepted_;
      std::string pending;
      std::string request;
      while (next < replies_.size() && read_request(fd, pending, request)) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          requests_.push_back(request);
        }
        const std::string& reply = replies_[next++];
        if (reply == kHang) {
          while (!done_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
          break;
        }
        // A reply ending in <close> is sent up to there, then cut.
        const bool cut =
            reply.size() >= sizeof kClose - 1 &&
            reply.compare(reply.size() - (sizeof kClose - 1), std::string::npos, kClose) == 0;
        ::send(fd, reply.data(), reply.size() - (cut ? sizeof kClose - 1 : 0), MSG_NOSIGNAL);
        // A body with no length ends when the connection does (a 204 has
        // no body at all).
        const bool ends_by_close = reply.find("Content-Length") == std::string::npos &&
                                   reply.find("chunked") == std::string::npos &&
                                   reply.find(" 204 ") == std::string::npos;
        if (cut || ends_by_close || reply.find("Connection: close") != std::string::npos) break;
      }
      ::close(fd);
    }
  }

  std::vector<std::string> replies_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> done_{false};
  std::atomic<int> accepted_{0};
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

HttpAnswer post(HttpConnection& connection, const std::string& path, const std::string& body) {
  return connection.request("POST", path, {{"Content-Type", "application/json"}}, body);
}

}  // namespace

TEST_CASE("http_client: URLs are read into scheme, host, port and path", "[unit]") {
  auto url = parse_http_url("http://receiver.test:8081/hooks/in?x=1#frag");
  REQUIRE(url);
  CHECK_FALSE(url->tls);
  CHECK(url->host == "receiver.test");
  CHECK(url->port == "8081");
  CHECK(url->path == "/hooks/in?x=1");
  CHECK(url->origin() == "http://receiver.test:8081");

  url = parse_http_url("https://example.com");
  REQUIRE(url);
  CHECK(url->tls);
  CHECK(url->port == "443");
  CHECK(url->path == "/");
  CHECK(url->origin() == "https://example.com");

  url = parse_http_url("http://[::1]:9000?q=2");
  REQUIRE(url);
  CHECK(url->host == "::1");
  CHECK(url->path == "/?q=2");
  CHECK(url->origin() == "http://[::1]:9000");

  for (const char* bad :
       {"ftp://h/x", "http://", "http://:80/", "http://h:/", "http://h:0/", "http://h:65536/",
        "http://h:8x/", "http://user@h/", "http://[::1/", "receiver.test/hook"})
    CHECK_FALSE(parse_http_url(bad));
}

TEST_CASE("http_client: a request is sent whole and its answer read", "[unit]") {
  ScriptedPeer peer({"HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\nthanks!"});
  HttpConnection connection(*parse_http_url(peer.url()), 2000);
  const HttpAnswer answer = post(connection, "/hook?a=1", R"({"id":"evt_1"})");
  CHECK(answer.failure == HttpFailure::kNone);
  CHECK(answer.status == 201);
  CHECK(answer.body == "thanks!");
  const auto requests = peer.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].rfind("POST /hook?a=1 HTTP/1.1\r\n", 0) == 0);
  CHECK(requests[0].find("\r\nHost: 127.0.0.1:") != std::string::npos);
  CHECK(requests[0].find("\r\nContent-Type: application/json\r\n") != std::string::npos);
  CHECK(requests[0].find("\r\nContent-Length: 14\r\n") != std::string::npos);
  CHECK(requests[0].substr(requests[0].size() - 14) == R"({"id":"evt_1"})");
}

TEST_CASE("http_client: the connection is kept for the next request", "[unit]") {
  ScriptedPeer peer({"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na",
                     "HTTP/1.1 204 No Content\r\n\r\n",
                     "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc"});
  HttpConnection connection(*parse_http_url(peer.url()), 2000);
  CHECK_FALSE(connection.connected());
  CHECK(post(connection, "/hook", "1").status == 200);
  CHECK(connection.connected());
  CHECK(post(connection, "/hook", "2").status == 204);
  const HttpAnswer third = post(connection, "/hook", "3");
  CHECK(third.status == 200);
  CHECK(third.body == "c");
  CHECK(peer.accepted() == 1);
}

TEST_CASE("http_client: chunked bodies, interim 100 answers and bodies ended by close", "[unit]") {
  ScriptedPeer peer(
      {"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: "
       "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
       "HTTP/1.1 202 Accepted\r\n\r\nuntil the end"});
  HttpConnection connection(*parse_http_url(peer.url()), 2000);
  const HttpAnswer chunked = post(connection, "/hook", "x");
  CHECK(chunked.failure == HttpFailure::kNone);
  CHECK(chunked.status == 200);
  CHECK(chunked.body == "abcde");
  const HttpAnswer closed = post(connection, "/hook", "y");
  CHECK(closed.failure == HttpFailure::kNone);
  CHECK(closed.status == 202);
  CHECK(closed.body == "until the end");
  CHECK_FALSE(connection.connected());  // an answer ended by close leaves none
}

TEST_CASE("http_client: a cut answer is a reset, silence a timeout, a closed port a refusal",
          "[unit]") {
  {
    ScriptedPeer peer({"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part<close>"});
    HttpConnection connection(*parse_http_url(peer.url()), 2000);
    CHECK(post(connection, "/hook", "x").failure == HttpFailure::kReset);
    CHECK_FALSE(connection.connected());
  }
  {
    ScriptedPeer peer({kClose});
    HttpConnection connection(*parse_http_url(peer.url()), 2000);
    CHECK(post(connection, "/hook", "x").failure == HttpFailure::kReset);
  }
  {
    ScriptedPeer peer({kHang});
    HttpConnection connection(*parse_http_url(peer.url()), 200);
    const auto started = std::chrono::steady_clock::now();
    CHECK(post(connection, "/hook", "x").failure == HttpFailure::kTimeout);
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(190));
  }
  std::string closed_url;
  {
    ScriptedPeer peer({});
    closed_url = peer.url();
  }
  HttpConnection connection(*parse_http_url(closed_url), 2000);
  CHECK(post(connection, "/hook", "x").failure == HttpFailure::kRefused);
}

TEST_CASE("http_client: stop() from another thread ends a request waiting for its answer",
          "[unit][concurrency]") {
  ScriptedPeer peer({kHang});
  HttpConnection connection(*parse_http_url(peer.url()), 10000);
  HttpAnswer answer;
  const auto started = std::chrono::steady_clock::now();
  std::thread requester([&] { answer = post(connection, "/hook", "x"); });
  while (peer.requests().empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  connection.stop();
  requester.join();
  CHECK(answer.failure == HttpFailure::kStopped);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  // Stopped for good: a later request does not connect.
  CHECK(post(connection, "/hook", "y").failure == HttpFailure::kStopped);
  CHECK(peer.accepted() == 1);
}

#pragma once

// One raw TCP connection to a sandbox, for what an HTTP client library would
// refuse to send or hides (pipelining, half requests, interim answers).
// Reads are bounded by a deadline so a test never hangs on a server that
// stopped answering.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace testing {

// Whether `raw` holds one whole response: its head and Content-Length bytes.
inline bool complete(const std::string& raw) {
  auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  auto at = raw.find("Content-Length: ");
  if (at == std::string::npos || at > end) return true;
  return raw.size() >= end + 4 + std::stoul(raw.substr(at + 16));
}

class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() { close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  bool send_all(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
  void finish_sending() { shutdown(fd_, SHUT_WR); }

  // Everything the server sends until it closes, or until `timeout_ms`.
  std::string read_until_close(int timeout_ms = 5000) { return read(timeout_ms, Until::kClose); }
  // One response (head plus Content-Length bytes of body), or what came
  // before the server closed or `timeout_ms` passed.
  std::string read_response(int timeout_ms = 5000) { return read(timeout_ms, Until::kResponse); }
  bool closed_by_server() const { return closed_; }

 private:
  enum class Until { kClose, kResponse };
  std::string read(int timeout_ms, Until until) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      if (until == Until::kResponse && complete(out)) break;
      pollfd waiting{fd_, POLLIN, 0};
      if (poll(&waiting, 1, 50) <= 0) continue;
      char buf[4096];
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

inline int status_of(const std::string& raw_response) {
  if (raw_response.rfind("HTTP/1.1 ", 0) != 0 || raw_response.size() < 12) return 0;
  return std::stoi(raw_response.substr(9, 3));
}

inline std::string head_of(const std::string& raw_response) {
  return raw_response.substr(0, raw_response.find("\r\n\r\n"));
}

}  // namespace testing

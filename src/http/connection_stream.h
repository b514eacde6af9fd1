#pragma once

#include <httplib.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <ctime>
#include <string>
#include <vector>

namespace paysandbox {

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
  ConnectionStream(socket_t sock, int read_timeout_ms);

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

  bool is_readable() const override;
  // Writes only go to memory until flush().
  bool is_writable() const override { return !failed_; }
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;

  // Sends everything written so far; false once the peer is gone.
  bool flush();

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

  bool send_all(const char* data, size_t size);
  ssize_t receive(char* ptr, size_t size);

  socket_t sock_;
  int read_timeout_ms_;
  std::vector<char> in_;
  size_t in_begin_ = 0, in_end_ = 0;
  std::string out_;
  bool failed_ = false;
  std::string remote_ip_, local_ip_;
  int remote_port_ = -1, local_port_ = -1;
};

}  // namespace paysandbox

#include "http/connection_stream.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace paysandbox {
namespace {

// The numeric form httplib reports (getnameinfo with NI_NUMERICHOST).
void address_of(socket_t sock, bool peer, std::string& ip, int& port) {
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

}  // namespace

ConnectionStream::ConnectionStream(socket_t sock, int read_timeout_ms)
    : sock_(sock), read_timeout_ms_(read_timeout_ms), in_(kReadBuffer) {
  address_of(sock_, true, remote_ip_, remote_port_);
  address_of(sock_, false, local_ip_, local_port_);
}

bool ConnectionStream::is_readable() const {
  if (in_begin_ < in_end_) return true;
  pollfd p{sock_, POLLIN, 0};
  return ::poll(&p, 1, read_timeout_ms_) > 0;
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
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

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
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

bool ConnectionStream::flush() {
  const bool sent = send_all(out_.data(), out_.size());
  out_.clear();
  return sent;
}

bool ConnectionStream::send_all(const char* data, size_t size) {
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

ssize_t ConnectionStream::receive(char* ptr, size_t size) {
  for (;;) {
    const ssize_t n = ::recv(sock_, ptr, size, 0);
    if (n < 0 && errno == EINTR) continue;
    return n;
  }
}

}  // namespace paysandbox

#include "support/receiver.h"

#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace testing {
namespace {

constexpr auto kPatience = std::chrono::seconds(20);

std::string hmac_hex(const std::string& key, const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest, &length);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    hex += buf;
  }
  return hex;
}

int bound_socket(int& port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error("bind() failed");
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

bool signature_valid(const std::string& secret, const Received& received) {
  const auto timestamp = received.envelope().at("timestamp").get<std::int64_t>();
  const std::string expected =
      "sha256=" + hmac_hex(secret, std::to_string(timestamp) + "." + received.body);
  return received.signature == expected;
}

Receiver::Receiver(int status) : status_(status) {
  server_.set_tcp_nodelay(true);
  server_.new_task_queue = [] { return new httplib::ThreadPool(8); };
  server_.Post("/webhooks", [this](const httplib::Request& req, httplib::Response& res) {
    std::unique_lock<std::mutex> lock(mutex_);
    received_.push_back({req.body, req.get_header_value("X-Webhook-Signature"),
                         req.get_header_value("Content-Type")});
    changed_.notify_all();
    changed_.wait(lock, [this] { return !hanging_; });
    res.status = status_;
    res.set_content("{}", "application/json");
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::yield();
}

Receiver::~Receiver() {
  release();
  server_.stop();
  thread_.join();
}

std::string Receiver::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/webhooks";
}

void Receiver::answer(int status) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_ = status;
}

void Receiver::hang() {
  std::lock_guard<std::mutex> lock(mutex_);
  hanging_ = true;
}

void Receiver::release() {
  std::lock_guard<std::mutex> lock(mutex_);
  hanging_ = false;
  changed_.notify_all();
}

bool Receiver::wait_for(std::size_t count) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, kPatience, [&] { return received_.size() >= count; });
}

std::vector<Received> Receiver::received() {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

int closed_port() {
  int port = 0;
  int fd = bound_socket(port);
  close(fd);  // bound but never listening: the port now refuses
  return port;
}

ResettingReceiver::ResettingReceiver() {
  listen_fd_ = bound_socket(port_);
  listen(listen_fd_, 16);
  thread_ = std::thread([this] {
    while (true) {
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;  // the listening socket was shut down
      char buf[4096];
      (void)recv(fd, buf, sizeof buf, 0);
      linger hard{1, 0};  // close with RST rather than FIN
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      close(fd);
      std::lock_guard<std::mutex> lock(mutex_);
      ++accepted_;
      changed_.notify_all();
    }
  });
}

ResettingReceiver::~ResettingReceiver() {
  shutdown(listen_fd_, SHUT_RDWR);
  thread_.join();
  close(listen_fd_);
}

std::string ResettingReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/webhooks";
}

bool ResettingReceiver::wait_for(std::size_t count) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, kPatience, [&] { return accepted_ >= count; });
}

}  // namespace testing

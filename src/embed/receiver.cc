// The test webhook receivers of paysandbox/receiver.h: httplib for the one
// that answers, a bare socket for the one that resets.
#include "paysandbox/receiver.h"

#include <httplib.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <thread>

#include "core/thread_annotations.h"
#include "embed/convert.h"

namespace paysandbox {
namespace {

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
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    throw std::runtime_error("bind() to 127.0.0.1 failed");
  }
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  port = ntohs(address.sin_port);
  return fd;
}

std::string webhook_url(int port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/webhooks";
}

}  // namespace

bool signature_valid(const std::string& secret, const std::string& body,
                     const std::string& signature) {
  if (secret.empty()) return false;
  auto envelope = nlohmann::json::parse(body, nullptr, false);
  if (!envelope.is_object() || !envelope.contains("timestamp") ||
      !envelope["timestamp"].is_number_integer())
    return false;
  const auto timestamp = envelope["timestamp"].get<std::int64_t>();
  return signature == "sha256=" + hmac_hex(secret, std::to_string(timestamp) + "." + body);
}

api::Event ReceivedWebhook::event() const {
  auto envelope = nlohmann::json::parse(body, nullptr, false);
  if (!envelope.is_object()) throw std::runtime_error("the webhook body is not a JSON envelope");
  return embed::event_from_envelope(envelope);
}

struct WebhookReceiver::Impl {
  enum class Mode { kAnswer, kHang, kClose };
  httplib::Server server;
  std::thread thread;
  int port = 0;
  mutable Mutex mutex;
  CondVar changed;
  std::vector<ReceivedWebhook> received GUARDED_BY(mutex);
  std::string secret GUARDED_BY(mutex);
  int status GUARDED_BY(mutex) = 200;
  Mode mode GUARDED_BY(mutex) = Mode::kAnswer;
  // Bumped by release(): requests held before it go.
  std::uint64_t released GUARDED_BY(mutex) = 0;
};

WebhookReceiver::WebhookReceiver(int status) : WebhookReceiver(std::string(), status) {}

WebhookReceiver::WebhookReceiver(std::string secret, int status) : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  {
    MutexLock lock(impl.mutex);
    impl.secret = std::move(secret);
    impl.status = status;
  }
  impl.server.set_tcp_nodelay(true);
  impl.server.new_task_queue = [] { return new httplib::ThreadPool(8); };
  impl.server.Post("/webhooks", [&impl](const httplib::Request& req, httplib::Response& res) {
    MutexLock lock(impl.mutex);
    ReceivedWebhook hook{req.body, req.get_header_value("X-Webhook-Signature"),
                         req.get_header_value("Content-Type"), false};
    hook.signature_ok = signature_valid(impl.secret, hook.body, hook.signature);
    impl.received.push_back(std::move(hook));
    impl.changed.notify_all();
    if (impl.mode == Impl::Mode::kHang) {
      const std::uint64_t generation = impl.released;
      while (impl.released == generation) impl.changed.wait(impl.mutex);
    }
    res.status = impl.status;
    if (impl.mode == Impl::Mode::kClose) {
      res.status = 200;
      // Headers go out, then the provider refuses: httplib drops the
      // connection mid-body.
      res.set_chunked_content_provider("application/json",
                                       [](std::size_t, httplib::DataSink&) { return false; });
      return;
    }
    res.set_content("{}", "application/json");
  });
  impl.port = impl.server.bind_to_any_port("127.0.0.1");
  if (impl.port <= 0) throw std::runtime_error("webhook receiver: cannot bind 127.0.0.1");
  impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
  while (!impl.server.is_running()) std::this_thread::yield();
}

WebhookReceiver::~WebhookReceiver() {
  release();
  impl_->server.stop();
  impl_->thread.join();
}

std::string WebhookReceiver::url() const { return webhook_url(impl_->port); }

void WebhookReceiver::set_secret(std::string secret) {
  MutexLock lock(impl_->mutex);
  impl_->secret = std::move(secret);
}

void WebhookReceiver::answer(int status) {
  MutexLock lock(impl_->mutex);
  impl_->status = status;
  impl_->mode = Impl::Mode::kAnswer;
}

void WebhookReceiver::hang() {
  MutexLock lock(impl_->mutex);
  impl_->mode = Impl::Mode::kHang;
}

void WebhookReceiver::release() {
  MutexLock lock(impl_->mutex);
  if (impl_->mode == Impl::Mode::kHang) impl_->mode = Impl::Mode::kAnswer;
  ++impl_->released;
  impl_->changed.notify_all();
}

void WebhookReceiver::close_connections() {
  MutexLock lock(impl_->mutex);
  impl_->mode = Impl::Mode::kClose;
}

bool WebhookReceiver::wait_for(std::size_t count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  MutexLock lock(impl_->mutex);
  while (impl_->received.size() < count)
    if (!impl_->changed.wait_until(impl_->mutex, deadline)) return impl_->received.size() >= count;
  return true;
}

std::vector<ReceivedWebhook> WebhookReceiver::received() const {
  MutexLock lock(impl_->mutex);
  return impl_->received;
}

int closed_port() {
  int port = 0;
  int fd = bound_socket(port);
  close(fd);  // bound but never listening: the port now refuses
  return port;
}

struct ResettingReceiver::Impl {
  int listen_fd = -1;
  int port = 0;
  std::thread thread;
  Mutex mutex;
  CondVar changed;
  std::size_t accepted GUARDED_BY(mutex) = 0;
};

ResettingReceiver::ResettingReceiver() : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.listen_fd = bound_socket(impl.port);
  listen(impl.listen_fd, 16);
  impl.thread = std::thread([&impl] {
    while (true) {
      int fd = accept(impl.listen_fd, nullptr, nullptr);
      if (fd < 0) return;  // the listening socket was shut down
      char buf[4096];
      (void)recv(fd, buf, sizeof buf, 0);
      linger hard{1, 0};  // close with RST rather than FIN
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      close(fd);
      MutexLock lock(impl.mutex);
      ++impl.accepted;
      impl.changed.notify_all();
    }
  });
}

ResettingReceiver::~ResettingReceiver() {
  shutdown(impl_->listen_fd, SHUT_RDWR);
  impl_->thread.join();
  close(impl_->listen_fd);
}

std::string ResettingReceiver::url() const { return webhook_url(impl_->port); }

bool ResettingReceiver::wait_for(std::size_t count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  MutexLock lock(impl_->mutex);
  while (impl_->accepted < count)
    if (!impl_->changed.wait_until(impl_->mutex, deadline)) return impl_->accepted >= count;
  return true;
}

}  // namespace paysandbox

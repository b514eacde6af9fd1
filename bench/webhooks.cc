// Webhook benchmarks (figures only; never assertions).
//
//   bench_webhooks throughput [events] [accounts]
//     An embedded Sandbox delivers `events` events (default 20,000) spread
//     over `accounts` accounts (default 1) to a local receiver that answers
//     204 at once; prints events delivered per second, from the first emit
//     to the last receipt.
//   bench_webhooks receiver hang|ok
//     Runs a receiver on 127.0.0.1, port 0, prints
//     "listening on http://127.0.0.1:PORT/webhooks" and serves until killed;
//     "hang" holds every delivery open without answering (bench/webhooks.sh
//     uses it for the API p99 under a hanging receiver).
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "paysandbox/sandbox.h"

namespace {

struct CountingReceiver {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mutex;
  std::condition_variable arrived;
  long count = 0;  // guarded by mutex

  explicit CountingReceiver(bool hang) {
    server.set_tcp_nodelay(true);
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    server.Post("/webhooks", [this, hang](const httplib::Request&, httplib::Response& res) {
      if (hang) {
        // Never answers: the sender's timeout is what ends the attempt.
        std::unique_lock<std::mutex> lock(mutex);
        arrived.wait(lock, [] { return false; });
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        ++count;
      }
      arrived.notify_all();
      res.status = 204;
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::yield();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/webhooks"; }
  ~CountingReceiver() {
    server.stop();
    thread.join();
  }
};

int throughput(long events, int accounts) {
  CountingReceiver receiver(false);
  paysandbox::Sandbox sandbox;
  std::vector<std::string> uids;
  paysandbox::api::AccountSettings settings;
  settings.callback_url = receiver.url();
  for (int i = 0; i < accounts; ++i) uids.push_back(sandbox.create_account(settings).uid);
  const auto started = std::chrono::steady_clock::now();
  for (long i = 0; i < events; ++i)
    sandbox.trigger_webhook(uids[static_cast<std::size_t>(i % accounts)], "payment.completed",
                            "{\"n\":" + std::to_string(i) + "}");
  const auto emitted = std::chrono::steady_clock::now();
  {
    std::unique_lock<std::mutex> lock(receiver.mutex);
    if (!receiver.arrived.wait_for(lock, std::chrono::minutes(5),
                                   [&] { return receiver.count >= events; })) {
      std::fprintf(stderr, "only %ld of %ld events arrived\n", receiver.count, events);
      return 1;
    }
  }
  const auto done = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(done - started).count();
  const double emit_seconds = std::chrono::duration<double>(emitted - started).count();
  std::printf(
      "webhooks: %ld events to %d account(s): %.0f delivered/s (emit took %.2f s, all delivered "
      "after %.2f s)\n",
      events, accounts, static_cast<double>(events) / seconds, emit_seconds, seconds);
  return 0;
}

int receiver(bool hang) {
  CountingReceiver receiver(hang);
  std::printf("listening on %s\n", receiver.url().c_str());
  std::fflush(stdout);
  std::mutex forever;
  std::unique_lock<std::mutex> lock(forever);
  std::condition_variable().wait(lock, [] { return false; });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "throughput";
  if (mode == "throughput")
    return throughput(argc > 2 ? std::atol(argv[2]) : 20000, argc > 3 ? std::atoi(argv[3]) : 1);
  if (mode == "receiver") return receiver(argc > 2 && std::string(argv[2]) == "hang");
  std::fprintf(stderr, "usage: bench_webhooks throughput [events] [accounts] | receiver hang|ok\n");
  return 2;
}

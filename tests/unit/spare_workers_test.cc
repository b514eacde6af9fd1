// A worker that waits on other threads' work (core/waiting.h) lends its place
// to a spare worker (src/http/transport/server.cc), so the requests it waits
// for can run; and a durable write's answer waits for its shared COMMIT with
// no worker at all (Deferral). Tagged [concurrency]: CI runs them under
// ThreadSanitizer.
#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "core/waiting.h"
#include "http/router.h"
#include "http/transport/server.h"
#include "service_world.h"
#include "store/connection.h"
#include "support/catch.h"
#include "support/raw_connection.h"

using namespace paysandbox;
using paysandbox::testing::ServiceWorld;
using ::testing::RawConnection;

namespace {

// "/wait" waits, as a waiting writer would, until "/release" has run or
// `patience` has passed, and answers which; "/release" lets it go.
struct Rendezvous {
  std::mutex mutex;
  std::condition_variable changed;
  bool waiting = false;
  bool released = false;
};

std::string body_of(const std::string& raw) {
  const auto end = raw.find("\r\n\r\n");
  return end == std::string::npos ? "" : raw.substr(end + 4);
}

// What "/wait" answered on a server with one worker, no room to grow, and
// `spares` spare workers.
std::string wait_answer(int spares, std::chrono::milliseconds patience) {
  ServiceWorld world;
  Router router(world.accounts, world.tokens, RouterConfig{});
  Rendezvous meeting;
  const RouteOptions open{Auth::kPublic, AccountScope::kNone};
  router.add("GET", "/wait", open, [&](Call&) -> Result<Reply> {
    Waiting lent;
    std::unique_lock<std::mutex> lock(meeting.mutex);
    meeting.waiting = true;
    meeting.changed.notify_all();
    const bool released =
        meeting.changed.wait_for(lock, patience, [&] { return meeting.released; });
    return reply(200, {{"waited", released ? "released" : "alone"}});
  });
  router.add("GET", "/release", open, [&](Call&) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(meeting.mutex);
    meeting.released = true;
    meeting.changed.notify_all();
    return reply(200, {{"released", true}});
  });
  ServerConfig config;
  config.threads = 1;
  config.max_workers = 1;
  config.spare_workers = spares;
  HttpServer server(router, config);
  server.start();

  RawConnection waiter(server.port());
  REQUIRE(waiter.send_all("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n"));
  {
    std::unique_lock<std::mutex> lock(meeting.mutex);
    REQUIRE(
        meeting.changed.wait_for(lock, std::chrono::seconds(5), [&] { return meeting.waiting; }));
  }
  RawConnection releaser(server.port());
  REQUIRE(releaser.send_all("GET /release HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string waited = body_of(waiter.read_response(10000));
  CHECK(body_of(releaser.read_response(10000)) == R"({"released":true})");
  server.stop();
  return waited;
}

}  // namespace

TEST_CASE("a worker that waits on other requests lends its place to a spare",
          "[unit][transport][concurrency]") {
  // With a spare, "/release" runs while the only worker waits.
  CHECK(wait_answer(1, std::chrono::seconds(5)) == R"({"waited":"released"})");
  // Without one, it cannot run before the wait gives up.
  CHECK(wait_answer(0, std::chrono::milliseconds(300)) == R"({"waited":"alone"})");
}

TEST_CASE("a durable write waiting for its shared COMMIT holds no worker",
          "[unit][transport][concurrency]") {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("deferred-" + std::to_string(std::random_device{}()) + ".db"))
                               .string();
  {
    Store store(path);
    store.declare_table("t", "CREATE TABLE t (item INTEGER)", false);
    ServiceWorld world;
    Router router(world.accounts, world.tokens, RouterConfig{});
    const RouteOptions open{Auth::kPublic, AccountScope::kNone};
    std::atomic<bool> gate_held{false};
    std::atomic<bool> queued{false};
    std::atomic<bool> pinged{false};
    bool holder_saw_ping = false;
    std::thread gate;
    std::thread holder;
    // "/write" writes in a unit of work with another thread waiting for the
    // store behind it (a gate thread lines the two up), so it hands its batch
    // on to that thread, which commits it only once "/ping" has been answered
    // (or 3 s have passed).
    router.add("POST", "/write", open, [&](Call&) -> Result<Reply> {
      gate = std::thread([&] {
        store.with([&](Connection&) {
          gate_held = true;
          while (!queued.load()) std::this_thread::yield();
          std::this_thread::sleep_for(std::chrono::milliseconds(60));
        });
      });
      holder = std::thread([&] {
        while (!queued.load()) std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        store.with([&](Connection&) {
          for (int i = 0; i < 1500 && !pinged.load(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
          holder_saw_ping = pinged.load();
        });
      });
      while (!gate_held.load()) std::this_thread::yield();
      queued = true;
      Store::Transaction unit(store);
      store.with([](Connection& c) { c.exec("INSERT INTO t (item) VALUES (1)"); });
      unit.commit_or_defer();
      return reply(201, {{"written", true}});
    });
    router.add("GET", "/ping", open, [&](Call&) -> Result<Reply> {
      pinged = true;
      return reply(200, {{"pong", true}});
    });
    ServerConfig config;
    config.threads = 1;
    config.max_workers = 1;
    config.spare_workers = 0;
    HttpServer server(router, config);
    server.start();

    RawConnection writer(server.port());
    REQUIRE(writer.send_all("POST /write HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
    for (int i = 0; i < 2500 && !queued.load(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    REQUIRE(queued.load());
    RawConnection pinger(server.port());
    REQUIRE(pinger.send_all("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"));
    // The one worker answers "/ping" while "/write" waits for its COMMIT.
    CHECK(body_of(pinger.read_response(2000)) == R"({"pong":true})");
    CHECK(body_of(writer.read_response(10000)) == R"({"written":true})");
    gate.join();
    holder.join();
    CHECK(holder_saw_ping);
    // The write's answer came after its COMMIT: the row is in the file.
    SQLite::Database reader(path, SQLite::OPEN_READONLY);
    CHECK(reader.execAndGet("SELECT count(*) FROM t").getInt() == 1);
    server.stop();
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

// A worker that waits on other threads' work (a durable write waiting for the
// COMMIT it shares, core/waiting.h) lends its place to a spare worker
// (src/http/transport/server.cc), so the requests it waits for can run. Tagged
// [concurrency]: CI runs it under ThreadSanitizer.
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>

#include "core/waiting.h"
#include "http/router.h"
#include "http/transport/server.h"
#include "service_world.h"
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

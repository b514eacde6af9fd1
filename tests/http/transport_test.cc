// The transport (src/http/transport/server.cc, docs/transport.md): connections that
// wait cost no thread, pipelined requests are answered in order, interim and
// HEAD answers follow HTTP/1.1, requests that block do not starve the rest,
// and a stop closes every connection at once.
#include <dirent.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/catch.h"
#include "support/harness.h"
#include "support/raw_connection.h"

using namespace testing;

namespace {

// Threads of this process right now (the sandbox runs in it).
int thread_count() {
  int count = 0;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') ++count;
    }
    closedir(dir);
  }
  return count;
}

std::string health_request(bool close = false) {
  return std::string("GET /_sandbox/health HTTP/1.1\r\nHost: x\r\n") +
         (close ? "Connection: close\r\n" : "") + "\r\n";
}

// Every "HTTP/1.1 NNN" status line in what a connection received, in order.
std::vector<int> statuses(const std::string& raw) {
  std::vector<int> out;
  for (std::size_t at = raw.find("HTTP/1.1 "); at != std::string::npos;
       at = raw.find("HTTP/1.1 ", at + 1))
    out.push_back(std::stoi(raw.substr(at + 9, 3)));
  return out;
}

}  // namespace

TEST_CASE("idle keep-alive connections hold no thread, and are served when they speak",
          "[http][transport]") {
  TestSandbox sandbox;
  constexpr int kConnections = 300;
  std::vector<std::unique_ptr<RawConnection>> connections;
  // One request on each first, so every connection is a served keep-alive
  // one, not a connection still in the accept queue.
  for (int i = 0; i < kConnections; ++i) {
    connections.push_back(std::make_unique<RawConnection>(sandbox.port()));
    REQUIRE(connections.back()->connected());
    REQUIRE(connections.back()->send_all(health_request()));
    REQUIRE(status_of(connections.back()->read_response()) == 200);
  }
  const int threads_with_all_open = thread_count();
  // A thread per connection would be 300 more threads than the process had
  // before; the pool is a few workers whatever the connection count.
  CHECK(threads_with_all_open < kConnections / 2);
  // Each is still open and answers again.
  for (auto& connection : connections) {
    REQUIRE(connection->send_all(health_request()));
    CHECK(status_of(connection->read_response()) == 200);
    CHECK_FALSE(connection->closed_by_server());
  }
}

TEST_CASE("pipelined requests are answered in order on one connection", "[http][transport]") {
  TestSandbox sandbox;
  RawConnection connection(sandbox.port());
  REQUIRE(connection.connected());
  // Three requests in one write; the last asks to close.
  REQUIRE(
      connection.send_all("GET /_sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n"
                          "GET /no/such/route HTTP/1.1\r\nHost: x\r\n\r\n" +
                          health_request(true)));
  const std::string raw = connection.read_until_close();
  CHECK(statuses(raw) == std::vector<int>{200, 404, 200});
  CHECK(connection.closed_by_server());
}

TEST_CASE("Expect: 100-continue gets the interim answer before the body is sent",
          "[http][transport]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  RawConnection connection(sandbox.port());
  REQUIRE(connection.connected());
  const std::string body = R"({"reference_id":"continued"})";
  REQUIRE(connection.send_all("POST /api/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                              merchant.token() +
                              "\r\nX-Payment-Account-Uid: " + merchant.account() +
                              "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                              "Content-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n"));
  const std::string interim = connection.read_response();
  CHECK(interim.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
  REQUIRE(connection.send_all(body));
  const std::string answer = connection.read_response();
  CHECK(status_of(answer) == 201);
  CHECK(merchant.get("/api/customers?$filter=reference_id eq 'continued'").json_body().size() == 1);

  SECTION("a body over the limit is refused instead, before it is sent") {
    RawConnection big(sandbox.port());
    REQUIRE(big.connected());
    REQUIRE(
        big.send_all("POST /api/customers HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                     "Content-Length: 900000000\r\n\r\n"));
    const std::string refused = big.read_response();
    CHECK(status_of(refused) == 413);
    CHECK(refused.find("payload_too_large") != std::string::npos);
  }
}

TEST_CASE("HEAD answers the GET's headers without its body", "[http][transport]") {
  TestSandbox sandbox;
  RawConnection connection(sandbox.port());
  REQUIRE(connection.connected());
  REQUIRE(connection.send_all("HEAD /_sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n" +
                              health_request(true)));
  const std::string raw = connection.read_until_close();
  REQUIRE(statuses(raw) == std::vector<int>{200, 200});
  // The HEAD's head announces the GET's length, and the next response
  // follows its blank line directly.
  const auto first_end = raw.find("\r\n\r\n");
  CHECK(raw.substr(0, first_end).find("Content-Length: ") != std::string::npos);
  CHECK(raw.compare(first_end + 4, 9, "HTTP/1.1 ") == 0);
  CHECK(raw.find("Content-Length: 0\r\n") == std::string::npos);
}

TEST_CASE("requests that block do not starve the others, even with two workers",
          "[http][transport]") {
  paysandbox::Options options;
  options.threads = 2;
  TestSandbox sandbox(options);
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  auto loaded = merchant.control_post(
      "/_sandbox/scenarios", {{"name", "slow list"},
                              {"rules",
                               {{{"match", {{"method", "GET"}, {"path", "/api/customers"}}},
                                 {"action", {{"type", "delay"}, {"ms", 3000}}}}}}});
  REQUIRE(loaded.status == 201);
  // Four delayed requests: twice the workers the server started with.
  std::vector<std::future<int>> slow;
  for (int i = 0; i < 4; ++i)
    slow.push_back(std::async(std::launch::async,
                              [&merchant] { return merchant.get("/api/customers").status; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Answered while every delayed request is still waiting.
  CHECK(sandbox.client().get("/_sandbox/health").status == 200);
  for (auto& request : slow)
    CHECK(request.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
  for (auto& request : slow) CHECK(request.get() == 200);
}

TEST_CASE("a stop closes idle keep-alive connections at once", "[http][transport]") {
  auto sandbox = std::make_unique<TestSandbox>();
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 8; ++i) {
    idle.push_back(std::make_unique<RawConnection>(sandbox->port()));
    REQUIRE(idle.back()->send_all(health_request()));
    REQUIRE(status_of(idle.back()->read_response()) == 200);
  }
  sandbox.reset();
  // Seen closed well inside the idle timeout (5 s): the stop closed them,
  // not the timeout.
  for (auto& connection : idle) {
    connection->read_until_close(4000);
    CHECK(connection->closed_by_server());
  }
}

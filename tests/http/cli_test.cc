// docs/cli.md and issue 2: the payment-sandbox binary itself, spawned as a
// merchant would run it: flags, the listening line, signals, and durability
// of acknowledged writes across SIGKILL with --db.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "support/catch.h"
#include "support/harness.h"
#include "support/process.h"

using namespace testing;

namespace {

// A bearer for sandbox-client from the spawned server, plus the account
// header: what a merchant's server sends.
httplib::Headers merchant_headers(Client& client, const std::string& account) {
  auto header = httplib::make_basic_authentication_header("sandbox-client", "sandbox-secret");
  auto token = client.request(
      "POST", "/oauth2/token", "grant_type=client_credentials",
      {{header.first, header.second}, {"Content-Type", "application/x-www-form-urlencoded"}});
  REQUIRE(token.status == 200);
  return {{"Authorization", "Bearer " + token.json_body().at("access_token").get<std::string>()},
          {"X-Payment-Account-Uid", account}};
}

}  // namespace

TEST_CASE("the --version flag prints the version health reports and exits 0", "[cli]") {
  Process process(PAYSANDBOX_BINARY, {"--version"});
  const std::string line = process.first_line();
  CHECK(process.wait() == 0);
  TestSandbox sandbox;
  const std::string version = sandbox.client().get("/_sandbox/health").json_body().at("version");
  CHECK(line == "payment-sandbox " + version);
}

TEST_CASE("a bad flag exits non-zero with one clear line", "[cli]") {
  Process process(PAYSANDBOX_BINARY, {"serve", "--no-such-flag"});
  CHECK(process.wait() != 0);
  const std::string err = process.stderr_text();
  INFO(err);
  CHECK(count_lines(err) == 1);
  CHECK(err.find("--no-such-flag") != std::string::npos);

  Process bad_port(PAYSANDBOX_BINARY, {"serve", "--port", "99999"});
  CHECK(bad_port.wait() != 0);
  CHECK(count_lines(bad_port.stderr_text()) == 1);
}

TEST_CASE("an unusable --db path exits non-zero with one clear line", "[cli]") {
  Process process(PAYSANDBOX_BINARY,
                  {"serve", "--port", "0", "--db", "/nonexistent-dir/sub/state.db"});
  CHECK(process.wait() != 0);
  const std::string err = process.stderr_text();
  INFO(err);
  CHECK(count_lines(err) == 1);
  CHECK(err.find("/nonexistent-dir/sub/state.db") != std::string::npos);
}

TEST_CASE("serve prints the listening line, answers, and stops cleanly on SIGTERM", "[cli]") {
  Process process(PAYSANDBOX_BINARY, {"serve", "--port", "0", "--log-format", "none"});
  const int port = process.port_from_listening_line();
  CHECK(port > 0);
  Client client(port);
  auto health = client.get("/_sandbox/health");
  CHECK(health.status == 200);
  // The client's keep-alive connection stays open and idle: the stop must
  // not wait for its 5 s keep-alive timeout.
  const auto signalled = std::chrono::steady_clock::now();
  process.signal(SIGTERM);
  CHECK(process.wait() == 0);
  CHECK(std::chrono::steady_clock::now() - signalled < std::chrono::seconds(3));
}

TEST_CASE("destroying a Sandbox does not wait for idle keep-alive clients", "[http][control]") {
  auto sandbox = std::make_unique<TestSandbox>();
  Client client(sandbox->port());
  REQUIRE(client.get("/_sandbox/health").status == 200);
  const auto started = std::chrono::steady_clock::now();
  sandbox.reset();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
}

TEST_CASE("SIGINT stops the server cleanly too", "[cli]") {
  Process process(PAYSANDBOX_BINARY, {"serve", "--port", "0", "--log-format", "json"});
  const int port = process.port_from_listening_line();
  CHECK(Client(port).get("/_sandbox/health").status == 200);
  process.signal(SIGINT);
  CHECK(process.wait() == 0);
}

TEST_CASE("a port already in use exits non-zero with one clear line", "[cli]") {
  Process first(PAYSANDBOX_BINARY, {"serve", "--port", "0", "--log-format", "none"});
  const int port = first.port_from_listening_line();
  Process second(PAYSANDBOX_BINARY,
                 {"serve", "--port", std::to_string(port), "--log-format", "none"});
  CHECK(second.wait() != 0);
  const std::string err = second.stderr_text();
  INFO(err);
  CHECK(count_lines(err) == 1);
  // The first server still answers.
  CHECK(Client(port).get("/_sandbox/health").status == 200);
}

TEST_CASE("every acknowledged write survives SIGKILL mid-batch and a restart on the same file",
          "[cli][durability]") {
  TempDb db;
  std::vector<std::string> acknowledged;
  std::string account;
  {
    Process process(PAYSANDBOX_BINARY,
                    {"serve", "--port", "0", "--db", db.path(), "--log-format", "none"});
    const int port = process.port_from_listening_line();
    Client client(port);
    auto created = client.post("/_sandbox/accounts", json::object());
    REQUIRE(created.status == 201);
    account = created.json_body().at("uid");
    const httplib::Headers headers = merchant_headers(client, account);

    // A writer keeps creating customers while the main thread kills the
    // process part-way; every 201 it saw is an acknowledged write.
    std::atomic<int> done{0};
    std::atomic<bool> stopped{false};
    std::thread writer([&] {
      Client writer_client(port);
      for (int i = 0; i < 5000; ++i) {
        auto reply = writer_client.post(
            "/api/customers", {{"reference_id", "durable-" + std::to_string(i)}}, headers);
        if (reply.status != 201) break;
        acknowledged.push_back(reply.json_body().at("uid"));
        done = i + 1;
      }
      stopped = true;
    });
    while (done < 100 && !stopped) std::this_thread::yield();
    process.signal(SIGKILL);
    CHECK(process.wait() == 128 + SIGKILL);
    writer.join();
  }
  INFO("acknowledged " << acknowledged.size());
  REQUIRE(acknowledged.size() >= 100);
  REQUIRE(acknowledged.size() < 5000);  // the kill really was mid-batch

  Process restarted(PAYSANDBOX_BINARY,
                    {"serve", "--port", "0", "--db", db.path(), "--log-format", "none"});
  const int port = restarted.port_from_listening_line();
  Client client(port);
  const httplib::Headers headers = merchant_headers(client, account);
  size_t missing = 0;
  for (const auto& uid : acknowledged) {
    auto reply = client.get("/api/customers/" + uid, headers);
    if (reply.status != 200) ++missing;
  }
  CHECK(missing == 0);
  auto list = client.get("/api/customers?$top=1000", headers);
  REQUIRE(list.status == 200);
  CHECK(list.json_body().size() >= std::min<size_t>(acknowledged.size(), 1000));
}

// SPEC §10 and issue 2: the payment-sandbox binary itself, spawned as a
// merchant would run it: flags, the listening line, signals, and durability
// of acknowledged writes across SIGKILL with --db.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "support/harness.h"

using namespace testing;

namespace {

// A spawned payment-sandbox process with its stdout and stderr on pipes.
class Process {
 public:
  explicit Process(std::vector<std::string> args) {
    args.insert(args.begin(), PAYSANDBOX_BINARY);
    int out[2], err[2];
    REQUIRE(pipe(out) == 0);
    REQUIRE(pipe(err) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out[1], 1);
      dup2(err[1], 2);
      close(out[0]);
      close(err[0]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    out_ = fdopen(out[0], "r");
    err_fd_ = err[0];
  }
  ~Process() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      wait();
    }
    if (out_ != nullptr) fclose(out_);
    if (err_fd_ >= 0) close(err_fd_);
  }

  // The first stdout line (blocks until the process prints or exits).
  std::string first_line() {
    char buffer[512];
    if (fgets(buffer, sizeof buffer, out_) == nullptr) return {};
    std::string line(buffer);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  }
  // The port from "listening on http://HOST:PORT".
  int port_from_listening_line() {
    const std::string line = first_line();
    INFO(line);
    REQUIRE(line.rfind("listening on http://127.0.0.1:", 0) == 0);
    return std::stoi(line.substr(line.rfind(':') + 1));
  }
  std::string stderr_text() {
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(err_fd_, buffer, sizeof buffer)) > 0) text.append(buffer, n);
    return text;
  }
  void signal(int sig) { kill(pid_, sig); }
  // Waits for exit; returns the exit status, or 128 + signal.
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  FILE* out_ = nullptr;
  int err_fd_ = -1;
};

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

int count_lines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  return lines;
}

}  // namespace

TEST_CASE("the --version flag prints the version health reports and exits 0", "[cli]") {
  Process process({"--version"});
  const std::string line = process.first_line();
  CHECK(process.wait() == 0);
  TestSandbox sandbox;
  const std::string version = sandbox.client().get("/_sandbox/health").json_body().at("version");
  CHECK(line == "payment-sandbox " + version);
}

TEST_CASE("a bad flag exits non-zero with one clear line", "[cli]") {
  Process process({"serve", "--no-such-flag"});
  CHECK(process.wait() != 0);
  const std::string err = process.stderr_text();
  INFO(err);
  CHECK(count_lines(err) == 1);
  CHECK(err.find("--no-such-flag") != std::string::npos);

  Process bad_port({"serve", "--port", "99999"});
  CHECK(bad_port.wait() != 0);
  CHECK(count_lines(bad_port.stderr_text()) == 1);
}

TEST_CASE("an unusable --db path exits non-zero with one clear line", "[cli]") {
  Process process({"serve", "--port", "0", "--db", "/nonexistent-dir/sub/state.db"});
  CHECK(process.wait() != 0);
  const std::string err = process.stderr_text();
  INFO(err);
  CHECK(count_lines(err) == 1);
  CHECK(err.find("/nonexistent-dir/sub/state.db") != std::string::npos);
}

TEST_CASE("serve prints the listening line, answers, and stops cleanly on SIGTERM", "[cli]") {
  Process process({"serve", "--port", "0", "--log-format", "none"});
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
  Process process({"serve", "--port", "0", "--log-format", "json"});
  const int port = process.port_from_listening_line();
  CHECK(Client(port).get("/_sandbox/health").status == 200);
  process.signal(SIGINT);
  CHECK(process.wait() == 0);
}

TEST_CASE("a port already in use exits non-zero with one clear line", "[cli]") {
  Process first({"serve", "--port", "0", "--log-format", "none"});
  const int port = first.port_from_listening_line();
  Process second({"serve", "--port", std::to_string(port), "--log-format", "none"});
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
    Process process({"serve", "--port", "0", "--db", db.path(), "--log-format", "none"});
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

  Process restarted({"serve", "--port", "0", "--db", db.path(), "--log-format", "none"});
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

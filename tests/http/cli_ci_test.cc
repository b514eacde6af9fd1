// Issue 12: the binary as CI runs it: `health`, --ready-file, environment
// variables, the default port, actionable messages, and the man page and
// recipes that describe the flags.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <utility>

#include "support/catch.h"
#include "support/harness.h"
#include "support/process.h"

using namespace testing;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool exists(const std::string& path) { return std::ifstream(path).good(); }

// Runs the binary to completion; its exit status, stdout and stderr.
struct Run {
  int status;
  std::string out, err;
};
Run run(std::vector<std::string> args, std::vector<std::string> environment = {}) {
  Process process(PAYSANDBOX_BINARY, std::move(args), std::move(environment));
  Run result;
  result.out = process.stdout_text();
  result.err = process.stderr_text();
  result.status = process.wait();
  return result;
}

// The long flags `serve --help` lists, without --help itself.
std::vector<std::string> serve_flags() {
  const Run help = run({"serve", "--help"});
  REQUIRE(help.status == 0);
  std::vector<std::string> flags;
  const std::regex flag(R"((^|\s)(--[a-z][a-z0-9-]*))");
  for (std::sregex_iterator it(help.out.begin(), help.out.end(), flag), end; it != end; ++it)
    if ((*it)[2] != "--help") flags.push_back((*it)[2]);
  return flags;
}

std::string env_name(const std::string& flag) {
  std::string name = "PAYSANDBOX_";
  for (char c : flag.substr(2)) name += c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return name;
}

// A socket that accepts connections into its backlog and never answers.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(listen(fd_, 8) == 0);
    socklen_t length = sizeof address;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace

TEST_CASE("health exits 0 against a running server and 1 with one line otherwise",
          "[cli][health]") {
  TestSandbox sandbox;
  const std::string url = "http://127.0.0.1:" + std::to_string(sandbox.port());

  const Run ok = run({"health", url});
  INFO(ok.err);
  CHECK(ok.status == 0);
  CHECK(ok.err.empty());
  CHECK(ok.out.find(url) != std::string::npos);
  CHECK(run({"health", url + "/"}).status == 0);

  // Another status: the health route is not under this prefix.
  const Run not_found = run({"health", url + "/no-such-prefix"});
  CHECK(not_found.status == 1);
  CHECK(count_lines(not_found.err) == 1);
  CHECK(not_found.err.find("404") != std::string::npos);
  CHECK(not_found.err.find(url + "/no-such-prefix/_sandbox/health") != std::string::npos);

  // Not a URL.
  const Run bad_url = run({"health", "127.0.0.1:8080"});
  CHECK(bad_url.status == 1);
  CHECK(count_lines(bad_url.err) == 1);
  CHECK(bad_url.err.find("http://HOST:PORT") != std::string::npos);
  // The sandbox serves plain HTTP only.
  const Run tls = run({"health", "https://127.0.0.1:8443"});
  CHECK(tls.status == 1);
  CHECK(tls.err.find("http://HOST:PORT") != std::string::npos);
}

TEST_CASE("health says so when nothing listens or nothing answers in time", "[cli][health]") {
  int free_port = 0;
  {
    TestSandbox gone;
    free_port = gone.port();
  }
  const Run refused = run({"health", "http://127.0.0.1:" + std::to_string(free_port)});
  INFO(refused.err);
  CHECK(refused.status == 1);
  CHECK(count_lines(refused.err) == 1);
  CHECK(refused.err.find("cannot connect") != std::string::npos);

  SilentListener silent;
  const Run timeout =
      run({"health", "http://127.0.0.1:" + std::to_string(silent.port()), "--timeout-ms", "200"});
  INFO(timeout.err);
  CHECK(timeout.status == 1);
  CHECK(count_lines(timeout.err) == 1);
  CHECK(timeout.err.find("no answer within 200 ms") != std::string::npos);
}

TEST_CASE("serve --ready-file holds the base URL once the server accepts, and goes on stop",
          "[cli][ready-file]") {
  TempDb ready;
  Process process(PAYSANDBOX_BINARY,
                  {"serve", "--port", "0", "--log-format", "none", "--ready-file", ready.path()});
  const int port = process.port_from_listening_line();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  CHECK(read_text(ready.path()) == url + "\n");
  CHECK_FALSE(exists(ready.path() + ".tmp"));
  CHECK(run({"health", url}).status == 0);

  process.signal(SIGTERM);
  CHECK(process.wait() == 0);
  CHECK_FALSE(exists(ready.path()));
}

TEST_CASE("listening on 0.0.0.0 writes a loopback URL to the ready file", "[cli][ready-file]") {
  TempDb ready;
  Process process(PAYSANDBOX_BINARY, {"serve", "--host", "0.0.0.0", "--port", "0", "--log-format",
                                      "none", "--ready-file", ready.path()});
  const std::string line = process.first_line();
  INFO(line);
  REQUIRE(line.rfind("listening on http://0.0.0.0:", 0) == 0);
  const int port = std::stoi(line.substr(line.rfind(':') + 1));
  CHECK(read_text(ready.path()) == "http://127.0.0.1:" + std::to_string(port) + "\n");
  CHECK(Client(port).get("/_sandbox/health").status == 200);
  process.signal(SIGTERM);
  CHECK(process.wait() == 0);
}

TEST_CASE("serve flags read PAYSANDBOX_ environment variables", "[cli][env]") {
  TempDb ready;
  Process process(PAYSANDBOX_BINARY, {"serve"},
                  {"PAYSANDBOX_PORT=0", "PAYSANDBOX_LOG_FORMAT=none",
                   "PAYSANDBOX_READY_FILE=" + ready.path(), "PAYSANDBOX_NO_AUTH=1"});
  const int port = process.port_from_listening_line();
  CHECK(port != 8080);
  CHECK(read_text(ready.path()) == "http://127.0.0.1:" + std::to_string(port) + "\n");
  // --no-auth from the environment: no bearer needed.
  auto created = Client(port).post("/api/customers", {{"reference_id", "env-1"}},
                                   {{"X-Payment-Account-Uid", "pa_sandbox"}});
  CHECK(created.status == 201);
}

TEST_CASE("a flag on the command line wins over its environment variable", "[cli][env]") {
  // Taken from the environment, this port would be refused by the range check.
  Process process(PAYSANDBOX_BINARY, {"serve", "--port", "0", "--log-format", "none"},
                  {"PAYSANDBOX_PORT=99999", "PAYSANDBOX_LOG_FORMAT=bogus"});
  const int port = process.port_from_listening_line();
  CHECK(Client(port).get("/_sandbox/health").status == 200);

  // And the variable alone is checked like the flag.
  const Run bad = run({"serve"}, {"PAYSANDBOX_PORT=99999"});
  CHECK(bad.status != 0);
  CHECK(count_lines(bad.err) == 1);
}

namespace {

// A flag's default next to its environment variable in --help: CLI11 2.1
// (Debian 12) prints "=8080 (Env:X)", CLI11 2.4 (Debian 13) "[8080]  (Env:X)".
bool shows_default(const std::string& help, const std::string& value, const std::string& variable) {
  const std::string env = "(Env:" + variable + ")";
  return help.find("=" + value + " " + env) != std::string::npos ||
         help.find("[" + value + "]  " + env) != std::string::npos;
}

}  // namespace

TEST_CASE("the CLI's default port is 8080 and health's default URL names it", "[cli][env]") {
  const Run serve_help = run({"serve", "--help"});
  CHECK(shows_default(serve_help.out, "8080", "PAYSANDBOX_PORT"));
  const Run health_help = run({"health", "--help"});
  CHECK(health_help.out.find("http://127.0.0.1:8080") != std::string::npos);
}

TEST_CASE("a busy port says so and suggests --port 0", "[cli][messages]") {
  TestSandbox first;
  const Run second = run({"serve", "--port", std::to_string(first.port()), "--log-format", "none"});
  INFO(second.err);
  CHECK(second.status == 1);
  CHECK(count_lines(second.err) == 1);
  CHECK(second.err.find("already in use") != std::string::npos);
  CHECK(second.err.find("--port 0") != std::string::npos);
}

TEST_CASE("a --db in a missing directory names the directory", "[cli][messages]") {
  const Run missing = run({"serve", "--port", "0", "--db", "/nonexistent-dir/sub/state.db"});
  INFO(missing.err);
  CHECK(missing.status == 1);
  CHECK(count_lines(missing.err) == 1);
  CHECK(missing.err.find("directory '/nonexistent-dir/sub' does not exist") != std::string::npos);
}

TEST_CASE("a misspelt command or flag suggests the nearest one", "[cli][messages]") {
  const Run command = run({"sevre", "--port", "0"});
  INFO(command.err);
  CHECK(command.status == 2);
  CHECK(count_lines(command.err) == 1);
  CHECK(command.err.find("unknown command 'sevre'; did you mean 'serve'?") != std::string::npos);

  const Run flag = run({"serve", "--prot", "0"});
  INFO(flag.err);
  CHECK(flag.status == 2);
  CHECK(count_lines(flag.err) == 1);
  CHECK(flag.err.find("unknown flag '--prot' for serve; did you mean '--port'?") !=
        std::string::npos);

  const Run top_flag = run({"--verison"});
  CHECK(top_flag.status == 2);
  CHECK(top_flag.err.find("did you mean '--version'?") != std::string::npos);

  // Nothing close: no guess, still one line naming the word.
  const Run far = run({"zzzzzzzz"});
  CHECK(far.status == 2);
  CHECK(count_lines(far.err) == 1);
  CHECK(far.err.find("'zzzzzzzz'") != std::string::npos);
  CHECK(far.err.find("did you mean") == std::string::npos);
}

TEST_CASE("serve --help and the man page list every flag with its environment variable",
          "[cli][docs]") {
  const std::vector<std::string> flags = serve_flags();
  REQUIRE(flags.size() >= 13);
  const std::string help = run({"serve", "--help"}).out;
  const std::string man = read_text(std::string(PAYSANDBOX_SOURCE_DIR) + "/man/payment-sandbox.1");
  REQUIRE(!man.empty());
  for (const auto& flag : flags) {
    INFO(flag);
    // troff writes each '-' of a flag as "\-".
    std::string troff;
    for (char c : flag) troff += c == '-' ? std::string("\\-") : std::string(1, c);
    CHECK(man.find(troff) != std::string::npos);
    CHECK(man.find(env_name(flag)) != std::string::npos);
    CHECK(help.find("(Env:" + env_name(flag) + ")") != std::string::npos);
  }
  // Defaults are shown where the flag has one.
  for (const auto& [value, variable] :
       std::vector<std::pair<std::string, std::string>>{{"127.0.0.1", "PAYSANDBOX_HOST"},
                                                        {"8080", "PAYSANDBOX_PORT"},
                                                        {"text", "PAYSANDBOX_LOG_FORMAT"},
                                                        {"0", "PAYSANDBOX_THREADS"}}) {
    INFO(variable << " defaults to " << value);
    CHECK(shows_default(help, value, variable));
  }
}

TEST_CASE("the CI recipes and the Dockerfile use only flags and variables that exist",
          "[cli][docs]") {
  const std::vector<std::string> flags = serve_flags();
  std::set<std::string> known(flags.begin(), flags.end());
  std::set<std::string> variables;
  for (const auto& flag : flags) variables.insert(env_name(flag));
  known.insert({"--timeout-ms", "--help"});  // health's, and help
  const std::string root = PAYSANDBOX_SOURCE_DIR;
  const std::regex flag(R"((^|\s)(--[a-z][a-z0-9-]*))");
  const std::regex variable(R"(PAYSANDBOX_[A-Z_]+)");
  const std::regex command_start(R"re(payment-sandbox"? (serve|health))re");
  int checked = 0;
  // What the GitHub Action sets for later steps (action.yml, scripts/ci-sandbox).
  for (const char* set_by_action : {"PAYSANDBOX_URL", "PAYSANDBOX_PID"}) {
    CHECK(read_text(root + "/scripts/ci-sandbox").find(std::string(set_by_action) + "=") !=
          std::string::npos);
    variables.insert(set_by_action);
  }
  for (const char* file :
       {"/Dockerfile", "/examples/ci/github-actions-service.yml",
        "/examples/ci/github-actions-archive.yml", "/examples/ci/github-actions.yml",
        "/examples/ci/gitlab-ci.yml", "/examples/ci/docker-compose.yml", "/scripts/deb-try"}) {
    const std::string text = read_text(root + file);
    INFO(file);
    REQUIRE(!text.empty());
    std::istringstream lines(text);
    std::string line;
    bool continued = false;
    while (std::getline(lines, line)) {
      // The flags after "payment-sandbox serve|health", on its line and
      // the lines it continues onto.
      // (Also as the end of a quoted path: "$dir/payment-sandbox" serve.)
      std::smatch command_match;
      const auto at = std::regex_search(line, command_match, command_start)
                          ? static_cast<std::string::size_type>(command_match.position(0))
                          : std::string::npos;
      const bool ours = continued || at != std::string::npos;
      continued = ours && !line.empty() && line.back() == '\\';
      const std::string command = !ours                     ? std::string()
                                  : at == std::string::npos ? line
                                                            : line.substr(at);
      for (std::sregex_iterator it(command.begin(), command.end(), flag), end; it != end;
           ++it, ++checked) {
        INFO(line);
        CHECK(known.count((*it)[2]) == 1);
      }
      for (std::sregex_iterator it(line.begin(), line.end(), variable), end; it != end; ++it)
        CHECK(variables.count(it->str()) == 1);
    }
  }
  CHECK(checked >= 5);
}

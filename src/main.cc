// The command line: flags -> Options -> Sandbox. Nothing else lives here.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "paysandbox/health.h"
#include "paysandbox/sandbox.h"

// PAYSANDBOX_VERSION comes from CMakeLists.txt, as for the library, so
// --version and /_sandbox/health can never disagree.

namespace {

constexpr int kDefaultPort = 8080;  // docs/cli.md; --port 0 picks a free one
constexpr const char kDefaultUrl[] = "http://127.0.0.1:8080";

// The URL a script on this machine can reach: a wildcard address names
// loopback, any other host is written as given.
std::string reachable_url(const std::string& host, int port) {
  std::string name = host;
  if (host == "0.0.0.0" || host.empty()) name = "127.0.0.1";
  if (host == "::" || host == "[::]") name = "[::1]";
  if (name.find(':') != std::string::npos && name.front() != '[') name = "[" + name + "]";
  return "http://" + name + ":" + std::to_string(port);
}

// PATH.tmp then rename(2): a reader polling PATH sees the whole URL or nothing.
void write_ready_file(const std::string& path, const std::string& url) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << url << '\n';
    out.flush();
    if (!out) throw std::runtime_error("cannot write the ready file '" + temporary + "'");
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw std::runtime_error("cannot move the ready file into place at '" + path + "'");
  }
}

int serve(const paysandbox::Options& options, const std::string& ready_file) {
  // Block the stop signals in every thread the sandbox starts, then wait for
  // one here: a clean stop without work in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    paysandbox::Sandbox sandbox(options);
    // The ready file first: whoever sees the listening line finds it there.
    if (!ready_file.empty())
      write_ready_file(ready_file, reachable_url(options.host, sandbox.port()));
    std::printf("listening on http://%s:%d\n", options.host.c_str(), sandbox.port());
    // The dashboard's address on its own line after the ready line (which
    // scripts parse): a wildcard host is opened through loopback.
    const bool wildcard = options.host == "0.0.0.0" || options.host == "::";
    std::printf("dashboard: http://%s:%d/_sandbox/ui\n",
                wildcard ? "127.0.0.1" : options.host.c_str(), sandbox.port());
    std::fflush(stdout);
    int received = 0;
    sigwait(&signals, &received);
    std::fprintf(stderr, "stopping on %s\n", received == SIGINT ? "SIGINT" : "SIGTERM");
    // A stopped server is not ready: the next run's readers must not find
    // this URL.
    if (!ready_file.empty()) std::remove(ready_file.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "payment-sandbox: %s\n", e.what());
    return 1;
  }
  return 0;
}

int health(const std::string& url, int timeout_ms) {
  const std::string problem = paysandbox::check_health(url, timeout_ms);
  if (!problem.empty()) {
    std::fprintf(stderr, "payment-sandbox health: %s\n", problem.c_str());
    return 1;
  }
  std::printf("%s: ok\n", url.c_str());
  return 0;
}

// Every long flag of `command` also reads PAYSANDBOX_<FLAG> (--journal-size:
// PAYSANDBOX_JOURNAL_SIZE); a flag given on the command line wins. Runs over
// all of them, so a new serve flag gets its variable by being declared
// before the call; the man page lists it (tests/http/cli_test.cc checks).
void name_environment_variables(CLI::App& command) {
  for (CLI::Option* option : command.get_options()) {
    if (option->get_lnames().empty() || option->get_lnames().front() == "help") continue;
    std::string name = "PAYSANDBOX_" + option->get_lnames().front();
    for (char& c : name)
      c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    option->envname(name);
  }
}

// An environment variable that is set but did not reach its flag, when the
// command line did not give the flag either: CLI11 2.4 drops a value that
// fails the flag's check (PAYSANDBOX_PORT=99999) instead of refusing it, and
// the server would start on the default. Empty when every set one was used.
std::string ignored_environment_variable(const CLI::App& command) {
  for (const CLI::Option* option : command.get_options()) {
    const std::string& name = option->get_envname();
    // Flags (no value) are left to CLI11: "0" or "false" rightly sets none.
    if (name.empty() || option->count() > 0 || option->get_type_size() == 0) continue;
    const char* value = std::getenv(name.c_str());
    if (value != nullptr && *value != '\0')
      return name + "=" + value + " is not a valid value for --" + option->get_lnames().front() +
             " (see --help)";
  }
  return {};
}

// Levenshtein distance, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The candidate nearest to `word`, or empty when none is close enough to be
// what was meant.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t d = distance(word, candidate);
    if (d < best_distance) best = candidate, best_distance = d;
  }
  return best;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string guess = nearest(word, candidates);
  return guess.empty() ? std::string() : "; did you mean '" + guess + "'?";
}

// One actionable line for a command or flag that does not exist, or empty
// when every word of argv is known (the parse error is about something else).
std::string unknown_word(CLI::App& app, int argc, char** argv) {
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  if (argc < 2) return {};
  const std::string first = argv[1];
  if (first.rfind("--", 0) == 0) {
    std::vector<std::string> flags;
    for (const CLI::Option* option : app.get_options())
      for (const auto& name : option->get_lnames()) flags.push_back("--" + name);
    const std::string word = first.substr(0, first.find('='));
    if (std::find(flags.begin(), flags.end(), word) != flags.end()) return {};
    return "unknown flag '" + word + "'" + did_you_mean(word, flags) + " (see --help)";
  }
  if (first.empty() || first[0] == '-') return {};
  CLI::App* command = nullptr;
  for (CLI::App* sub : app.get_subcommands({}))
    if (sub->get_name() == first) command = sub;
  if (command == nullptr) {
    std::string known;
    for (const auto& name : commands) known += (known.empty() ? "" : ", ") + name;
    return "unknown command '" + first + "'" + did_you_mean(first, commands) +
           " (commands: " + known + ")";
  }
  std::vector<std::string> flags;
  for (const CLI::Option* option : command->get_options())
    for (const auto& name : option->get_lnames()) flags.push_back("--" + name);
  for (int i = 2; i < argc; ++i) {
    std::string word = argv[i];
    if (word.rfind("--", 0) != 0 || word == "--") continue;
    word = word.substr(0, word.find('='));
    if (std::find(flags.begin(), flags.end(), word) != flags.end()) continue;
    return "unknown flag '" + word + "' for " + first + did_you_mean(word, flags) +
           " (see payment-sandbox " + first + " --help)";
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"payment-sandbox: a local, stateful stand-in for the Govifi/Caselle payment API"};
  app.set_version_flag("--version", std::string("payment-sandbox ") + PAYSANDBOX_VERSION);
  app.require_subcommand(1);

  paysandbox::Options options;
  options.port = kDefaultPort;
  std::string ready_file;
  auto* serve_command = app.add_subcommand("serve", "Serve the sandbox API over HTTP");
  serve_command
      ->add_option("--host", options.host, "Address to listen on (0.0.0.0: every interface)")
      ->capture_default_str();
  serve_command->add_option("--port", options.port, "TCP port; 0 picks a free one")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve_command->add_option("--db", options.db_path,
                            "SQLite file for state that survives restarts (default: in memory)");
  serve_command
      ->add_option("--fixtures", options.fixtures_dir,
                   "Directory with clients.json, accounts.json, cards.json")
      ->check(CLI::ExistingDirectory);
  serve_command->add_flag("--no-auth", options.no_auth,
                          "Skip bearer checks; callers act as sandbox-client");
  serve_command->add_flag("--accept-any-token", options.accept_any_token,
                          "Accept unknown proxynized tokens (outcome from bin/last4)");
  serve_command->add_option("--control-token", options.control_token,
                            "Require X-Sandbox-Token on /_sandbox/ routes");
  std::string log_format = "text";
  serve_command->add_option("--log-format", log_format, "Request log on stderr")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json", "none"}));
  serve_command
      ->add_option("--threads", options.threads,
                   "Worker threads that run requests (0: twice the cores, at least 4)")
      ->capture_default_str()
      ->check(CLI::Range(0, 4096));
  serve_command
      ->add_option("--scenario", options.scenario_files,
                   "Scenario file to load at start (repeatable; see scenarios/)")
      ->check(CLI::ExistingFile);
  serve_command
      ->add_option("--webhook-timeout-ms", options.webhook_timeout_ms,
                   "How long a webhook receiver has to answer before the attempt is retried")
      ->capture_default_str()
      ->check(CLI::Range(1, 600000));
  serve_command
      ->add_option("--journal-size", options.journal_size,
                   "Requests kept for GET /_sandbox/requests (0 turns it off)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000000));
  serve_command->add_option(
      "--ready-file", ready_file,
      "Once accepting connections, write the base URL to this file (atomically; removed on stop)");

  serve_command->add_option_function<std::uint64_t>(
      "--seed", [&options](const std::uint64_t& seed) { options.seed = seed; },
      "Make every generated id and secret a function of this seed and the order of creation "
      "within its account (reproducible runs)");
  serve_command
      ->add_option_function<std::vector<std::string>>(
          "--frozen-clock",
          [&options](const std::vector<std::string>& values) {
            options.frozen_clock =
                values.empty() || values.front().empty() ? "2030-01-01T00:00:00Z" : values.front();
          },
          "Start every clock at TIME (default 2030-01-01T00:00:00Z) and move it only when advanced")
      ->expected(0, 1)
      ->type_name("[TIME]");
  serve_command
      ->add_option(
          "--snapshot", options.snapshot_files,
          "Snapshot file (GET /_sandbox/snapshots/NAME/file) to load at start (repeatable)")
      ->check(CLI::ExistingFile);
  std::vector<std::string> files_to_check;
  auto* check_command =
      app.add_subcommand("check-scenario", "Check scenario files; exit 1 naming the first error");
  check_command->add_option("files", files_to_check, "Scenario files")
      ->required()
      ->check(CLI::ExistingFile);

  std::string health_url = kDefaultUrl;
  int health_timeout_ms = 2000;
  auto* health_command = app.add_subcommand(
      "health", "Exit 0 when a sandbox answers URL/_sandbox/health, else 1 with the reason");
  health_command->add_option("url", health_url, "Base URL of the sandbox")->capture_default_str();
  health_command->add_option("--timeout-ms", health_timeout_ms, "How long to wait for the answer")
      ->capture_default_str()
      ->check(CLI::Range(1, 600000));

  // Declare serve flags above this line: it gives each its environment variable.
  name_environment_variables(*serve_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    // One clear line for a bad flag, not the whole help text.
    const std::string unknown = unknown_word(app, argc, argv);
    if (unknown.empty())
      std::fprintf(stderr, "payment-sandbox: %s (see --help)\n", e.what());
    else
      std::fprintf(stderr, "payment-sandbox: %s\n", unknown.c_str());
    return 2;
  }
  if (serve_command->parsed()) {
    if (const std::string ignored = ignored_environment_variable(*serve_command);
        !ignored.empty()) {
      std::fprintf(stderr, "payment-sandbox: %s\n", ignored.c_str());
      return 2;
    }
    const std::map<std::string, paysandbox::LogFormat> formats = {
        {"text", paysandbox::LogFormat::kText},
        {"json", paysandbox::LogFormat::kJson},
        {"none", paysandbox::LogFormat::kNone}};
    options.log_format = formats.at(log_format);
    return serve(options, ready_file);
  }
  if (health_command->parsed()) return health(health_url, health_timeout_ms);
  if (check_command->parsed()) {
    int status = 0;
    for (const auto& file : files_to_check) {
      std::string problem = paysandbox::check_scenario_file(file);
      if (problem.empty()) {
        std::printf("%s: ok\n", file.c_str());
      } else {
        std::fprintf(stderr, "%s\n", problem.c_str());
        status = 1;
      }
    }
    return status;
  }
  return 0;
}

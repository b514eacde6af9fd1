// The command line: flags -> Options -> Sandbox. Nothing else lives here.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "paysandbox/sandbox.h"

// PAYSANDBOX_VERSION comes from CMakeLists.txt, as for the library, so
// --version and /_sandbox/health can never disagree.

namespace {

int serve(const paysandbox::Options& options) {
  // Block the stop signals in every thread the sandbox starts, then wait for
  // one here: a clean stop without work in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    paysandbox::Sandbox sandbox(options);
    std::printf("listening on http://%s:%d\n", options.host.c_str(), sandbox.port());
    std::fflush(stdout);
    int received = 0;
    sigwait(&signals, &received);
    std::fprintf(stderr, "stopping on %s\n", received == SIGINT ? "SIGINT" : "SIGTERM");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "payment-sandbox: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"payment-sandbox: a local, stateful stand-in for the Govifi/Caselle payment API"};
  app.set_version_flag("--version", std::string("payment-sandbox ") + PAYSANDBOX_VERSION);
  app.require_subcommand(1);

  paysandbox::Options options;
  auto* serve_command = app.add_subcommand("serve", "Serve the sandbox API over HTTP");
  serve_command->add_option("--host", options.host, "Address to listen on")->capture_default_str();
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
                   "Worker threads (above the number of concurrent connections)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  serve_command
      ->add_option("--scenario", options.scenario_files,
                   "Scenario file to load at start (repeatable; see scenarios/)")
      ->check(CLI::ExistingFile);
  serve_command
      ->add_option("--webhook-timeout-ms", options.webhook_timeout_ms,
                   "How long a webhook receiver has to answer before the attempt is retried")
      ->capture_default_str()
      ->check(CLI::Range(1, 600000));
  std::vector<std::string> files_to_check;
  auto* check_command =
      app.add_subcommand("check-scenario", "Check scenario files; exit 1 naming the first error");
  check_command->add_option("files", files_to_check, "Scenario files")
      ->required()
      ->check(CLI::ExistingFile);
  serve_command
      ->add_option("--journal-size", options.journal_size,
                   "Requests kept for GET /_sandbox/requests (0 turns it off)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000000));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    // One clear line for a bad flag, not the whole help text.
    std::fprintf(stderr, "payment-sandbox: %s (see --help)\n", e.what());
    return e.get_exit_code() == 0 ? 0 : 2;
  }
  if (serve_command->parsed()) {
    const std::map<std::string, paysandbox::LogFormat> formats = {
        {"text", paysandbox::LogFormat::kText},
        {"json", paysandbox::LogFormat::kJson},
        {"none", paysandbox::LogFormat::kNone}};
    options.log_format = formats.at(log_format);
    return serve(options);
  }
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

#pragma once

// Test support: the payment-sandbox binary run as a child process, the way a
// merchant's CI runs it.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "support/catch.h"

namespace testing {

// A spawned program (the payment-sandbox binary) with its stdout and stderr
// on pipes; killed with SIGKILL, by its pid, if still running when destroyed.
class Process {
 public:
  // `environment` entries ("NAME=value") are added to this process's own.
  Process(const std::string& program, std::vector<std::string> args,
          std::vector<std::string> environment = {}) {
    args.insert(args.begin(), program);
    // Built before fork: the child only calls async-signal-safe functions.
    for (char** entry = environ; *entry != nullptr; ++entry) environment.emplace_back(*entry);
    std::vector<char*> envp;
    for (auto& e : environment) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
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
      execve(argv[0], argv.data(), envp.data());
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
  // The rest of stdout (blocks until the process closes it).
  std::string stdout_text() {
    std::string text;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, out_)) > 0) text.append(buffer, n);
    return text;
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

}  // namespace testing

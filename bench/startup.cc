// Start-up to first response: forks the server binary with --port 0, reads
// its "listening on" line, and times until GET /_sandbox/health answers 200.
// Prints the median of N runs and the idle RSS of the last one, and where
// the time goes: exec to the listening line, that line to the first answer,
// and a second request on the same connection for comparison.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PATH/TO/payment-sandbox [runs] [extra serve args...]\n",
                 argv[0]);
    return 2;
  }
  const int runs = argc > 2 ? std::atoi(argv[2]) : 20;
  if (runs < 1) {
    std::fprintf(stderr, "runs must be a positive number; got '%s'\n", argv[2]);
    return 2;
  }
  std::vector<double> millis;
  std::vector<double> to_listening;
  std::vector<double> first_request;
  std::vector<double> second_request;
  long last_rss = -1;
  for (int i = 0; i < runs; ++i) {
    int out[2];
    if (pipe(out) != 0) return 1;
    auto started = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
      dup2(out[1], 1);
      close(out[0]);
      freopen("/dev/null", "w", stderr);
      std::vector<char*> args = {argv[1],
                                 const_cast<char*>("serve"),
                                 const_cast<char*>("--port"),
                                 const_cast<char*>("0"),
                                 const_cast<char*>("--log-format"),
                                 const_cast<char*>("none")};
      for (int a = 3; a < argc; ++a) args.push_back(argv[a]);
      args.push_back(nullptr);
      execv(argv[1], args.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    const auto listening = std::chrono::steady_clock::now();
    if (line.rfind("listening on ", 0) != 0) {
      std::fprintf(stderr, "the server did not start (it printed '%s')\n", line.c_str());
      waitpid(pid, nullptr, 0);
      return 1;
    }
    int port = std::stoi(line.substr(line.rfind(':') + 1));
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    while (true) {
      auto res = client.Get("/_sandbox/health");
      if (res && res->status == 200) break;
    }
    const auto answered = std::chrono::steady_clock::now();
    auto ms = [](auto from, auto to) {
      return std::chrono::duration<double, std::milli>(to - from).count();
    };
    millis.push_back(ms(started, answered));
    to_listening.push_back(ms(started, listening));
    first_request.push_back(ms(listening, answered));
    client.Get("/_sandbox/health");
    second_request.push_back(ms(answered, std::chrono::steady_clock::now()));
    if (i == runs - 1) {
      usleep(300000);  // let the first request's allocations settle
      last_rss = rss_kib(pid);
    }
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    close(out[0]);
  }
  for (auto* v : {&millis, &to_listening, &first_request, &second_request})
    std::sort(v->begin(), v->end());
  auto median = [](const std::vector<double>& v) { return v[v.size() / 2]; };
  std::printf(
      "  exec to listening line %.1f ms, then first answer %.1f ms (a second one %.2f ms)\n",
      median(to_listening), median(first_request), median(second_request));
  std::printf("idle_rss_mib %.1f\n", static_cast<double>(last_rss) / 1024.0);
  std::printf("startup_to_first_response_ms median=%.1f min=%.1f max=%.1f (runs=%d)\n",
              millis[millis.size() / 2], millis.front(), millis.back(), runs);
  return 0;
}

// Start-up to first response: forks the server binary with --port 0, reads
// its "listening on" line, and times until GET /_sandbox/health answers 200.
// Prints the median of N runs and the idle RSS of the last one.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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
    std::fprintf(stderr, "usage: %s PATH/TO/payment-sandbox [runs] [extra serve args...]\n", argv[0]);
    return 2;
  }
  const int runs = argc > 2 ? std::stoi(argv[2]) : 20;
  std::vector<double> millis;
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
      std::vector<char*> args = {argv[1], const_cast<char*>("serve"), const_cast<char*>("--port"),
                                 const_cast<char*>("0"), const_cast<char*>("--log-format"),
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
    int port = std::stoi(line.substr(line.rfind(':') + 1));
    httplib::Client client("127.0.0.1", port);
    while (true) {
      auto res = client.Get("/_sandbox/health");
      if (res && res->status == 200) break;
    }
    millis.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                               started)
                         .count());
    if (i == runs - 1) {
      usleep(300000);  // let the first request's allocations settle
      last_rss = rss_kib(pid);
    }
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    close(out[0]);
  }
  std::sort(millis.begin(), millis.end());
  std::printf("startup_to_first_response_ms median=%.1f min=%.1f max=%.1f (runs=%d)\n",
              millis[millis.size() / 2], millis.front(), millis.back(), runs);
  std::printf("idle_rss_mib %.1f\n", static_cast<double>(last_rss) / 1024.0);
  return 0;
}

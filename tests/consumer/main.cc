// A consumer's smallest program: start a sandbox, ask it for its health.
#include <paysandbox/sandbox.h>

#include <cstdio>

int main() {
  paysandbox::Sandbox sandbox;
  auto reply = sandbox.request("GET", "/_sandbox/health");
  if (reply.status != 200 || reply.body.find("\"ok\"") == std::string::npos) {
    std::fprintf(stderr, "health answered %d: %s\n", reply.status, reply.body.c_str());
    return 1;
  }
  std::printf("ok on %s\n", sandbox.base_url().c_str());
  return 0;
}

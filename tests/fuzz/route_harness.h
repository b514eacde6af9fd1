#pragma once

// Shared by the harnesses that drive the real routes: one Sandbox per fuzzer
// process (no auth, two workers), requests served in-process through
// Router::handle exactly as the socket adapter serves them.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "paysandbox/sandbox.h"

namespace fuzzing {

using Headers = std::vector<std::pair<std::string, std::string>>;

// A built-in account (fixtures/accounts.json) and a customer created in it,
// so routes with an id in the path reach their body validation.
struct Target {
  std::string method;
  std::string path;  // "{customer}" is replaced by the harness's customer uid
};

class RouteHarness {
 public:
  RouteHarness() {
    paysandbox::Options options;
    options.no_auth = true;
    options.threads = 2;
    options.journal_size = 16;
    sandbox_ = std::make_unique<paysandbox::Sandbox>(options);
    make_customer();
  }

  paysandbox::Sandbox::Response request(const std::string& method, const std::string& target,
                                        const std::string& body, Headers headers = {}) {
    // State grows with every input; a periodic global reset keeps a long run
    // within libFuzzer's RSS limit.
    if (++served_ % 5000 == 0) {
      sandbox_->reset();
      make_customer();
    }
    return sandbox_->request(method, target, body, std::move(headers));
  }

  // The body goes to one of `targets`, picked by the input's first byte.
  void serve_body(const std::vector<Target>& targets, const std::uint8_t* data, std::size_t size) {
    if (size == 0 || targets.empty()) return;
    const Target& target = targets[data[0] % targets.size()];
    std::string path = target.path;
    auto at = path.find("{customer}");
    if (at != std::string::npos) path.replace(at, 10, customer_);
    request(target.method, path, std::string(reinterpret_cast<const char*>(data) + 1, size - 1),
            {{"X-Payment-Account-Uid", "pa_sandbox"}, {"Content-Type", "application/json"}});
  }

 private:
  void make_customer() {
    auto reply = sandbox_->request("POST", "/api/customers", R"({"reference_id":"fuzz-customer"})",
                                   {{"X-Payment-Account-Uid", "pa_sandbox"}});
    auto at = reply.body.find("\"cus_");
    customer_ = at == std::string::npos
                    ? "cus_missing"
                    : reply.body.substr(at + 1, reply.body.find('"', at + 1) - at - 1);
  }

  std::unique_ptr<paysandbox::Sandbox> sandbox_;
  std::string customer_;
  std::uint64_t served_ = 0;
};

inline RouteHarness& harness() {
  // Never destroyed: libFuzzer may exit from any thread at any time.
  static RouteHarness* instance = new RouteHarness();
  return *instance;
}

}  // namespace fuzzing

// Snapshot benchmark (figures only; never assertions).
//
//   bench_snapshots [objects] [db-file]
//     An embedded Sandbox (in memory, or on `db-file` when given) holds one
//     account with `objects` objects (default 10,000: half customers, half
//     saved cards, made by one import), then times a save of that account,
//     a restore of it, a fork of it and a whole-state save, each five times,
//     and prints the median and the worst in milliseconds. Aim: under 10 ms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "paysandbox/sandbox.h"

namespace {

void check(const paysandbox::Sandbox::Response& response, const char* what) {
  if (response.status < 200 || response.status >= 300) {
    std::fprintf(stderr, "%s failed (%d): %s\n", what, response.status, response.body.c_str());
    std::exit(1);
  }
}

void time_it(const char* name, int runs, const std::function<void(int)>& body) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    body(i);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%-28s median %7.2f ms   worst %7.2f ms\n", name, ms[ms.size() / 2], ms.back());
}

}  // namespace

int main(int argc, char** argv) {
  const int objects = argc > 1 ? std::atoi(argv[1]) : 10000;
  paysandbox::Options options;
  options.no_auth = true;
  if (argc > 2) options.db_path = argv[2];
  paysandbox::Sandbox sandbox(options);
  const std::string account = sandbox.create_account().uid;
  std::vector<std::pair<std::string, std::string>> headers = {{"X-Payment-Account-Uid", account},
                                                              {"Content-Type", "application/json"}};
  for (int done = 0; done < objects / 2;) {
    const int batch = std::min(objects / 2 - done, 10000);
    std::string body = "{\"items\":[";
    for (int i = 0; i < batch; ++i) {
      const std::string n = std::to_string(done + i);
      body += (i ? "," : "") + std::string("{\"customer_reference_id\":\"bench-") + n +
              "\",\"payment_method\":{\"payment_method_type\":\"credit\",\"credit\":{"
              "\"fingerprint\":\"proc-" +
              n +
              "\",\"last4\":\"1111\",\"exp_month\":12,\"exp_year\":2030,\"bin\":\"411111\","
              "\"card_brand\":\"VISA\",\"holder_name\":\"Bench\"}}}";
    }
    body += "]}";
    check(sandbox.request("POST", "/api/saved-payment-methods/import", body, headers), "import");
    done += batch;
  }
  std::printf("account %s with %d objects (%s)\n", account.c_str(), objects,
              options.db_path.empty() ? "in memory" : options.db_path.c_str());
  const int runs = 5;
  // The typed calls throw paysandbox::api::Error on a refusal.
  time_it("save one account", runs,
          [&](int i) { sandbox.snapshot("acct-" + std::to_string(i), account); });
  time_it("restore one account", runs, [&](int) { sandbox.restore("acct-0"); });
  time_it("fork one account", runs, [&](int) { sandbox.fork_account(account); });
  time_it("save everything", runs, [&](int i) { sandbox.snapshot("all-" + std::to_string(i)); });
  time_it("restore everything", runs, [&](int) { sandbox.restore("all-0"); });
  return 0;
}

// Races through real sockets. Tagged [concurrency]: the ThreadSanitizer build in
// .ci/run runs every test with this tag. Catch2 assertions are not thread-safe, so
// worker threads only record what they got and each test checks afterwards.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

// Runs `work(i)` on `count` threads released together, so the requests
// really overlap instead of trickling in one by one.
template <typename Work>
void run_together(int count, Work work) {
  std::mutex mutex;
  std::condition_variable start;
  bool go = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      {
        std::unique_lock<std::mutex> lock(mutex);
        start.wait(lock, [&] { return go; });
      }
      work(i);
    });
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    go = true;
  }
  start.notify_all();
  for (auto& t : threads) t.join();
}

constexpr int kParallelClients = 8;

// Runs `body(i)` on kParallelClients threads at once and waits for all of them.
// Catch2 assertions are not thread-safe: bodies only record what they got
// (with the harness's non-asserting calls), and the test checks afterwards.
template <typename Body>
void in_parallel(Body body) {
  std::vector<std::thread> threads;
  for (int i = 0; i < kParallelClients; ++i) threads.emplace_back([&body, i] { body(i); });
  for (auto& thread : threads) thread.join();
}

}  // namespace

TEST_CASE("exactly one of 64 parallel creates with one reference_id succeeds",
          "[http][wallet][concurrency]") {
  TestSandbox sandbox;
  const std::string account = sandbox.create_account().at("uid");
  const std::string token = sandbox.token();
  constexpr int kClients = 64;
  std::vector<Reply> replies(kClients);
  run_together(kClients, [&](int i) {
    Client client(sandbox.port());
    replies[i] =
        client.post("/api/customers", {{"reference_id", "race"}},
                    {{"Authorization", "Bearer " + token}, {"X-Payment-Account-Uid", account}});
  });
  int created = 0, conflicts = 0;
  std::string winner;
  for (const auto& reply : replies) {
    INFO(reply.status << " " << reply.error << " " << reply.body);
    if (reply.status == 201) {
      ++created;
      winner = reply.json_body().at("uid");
    } else {
      CHECK(reply.status == 409);
      CHECK(reply.json_body().at("code") == "conflict");
      CHECK(reply.json_body().at("param") == "reference_id");
      ++conflicts;
    }
  }
  CHECK(created == 1);
  CHECK(conflicts == kClients - 1);
  Merchant merchant(sandbox, account, token);
  auto found = merchant.get("/api/customers?$filter=reference_id%20eq%20'race'");
  REQUIRE(found.json_body().size() == 1);
  CHECK(found.json_body()[0].at("uid") == winner);
}

TEST_CASE("parallel saves on one new customer leave exactly one default",
          "[http][wallet][concurrency]") {
  TestSandbox sandbox;
  const std::string account = sandbox.create_account().at("uid");
  Merchant merchant(sandbox, account);
  json customer = merchant.create_customer("parallel-saves");
  const std::string path =
      "/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods";
  constexpr int kClients = 32;
  std::vector<json> minted;
  for (int i = 0; i < kClients; ++i) minted.push_back(merchant.mint_card());
  std::vector<Reply> replies(kClients);
  run_together(kClients, [&](int i) {
    Client client(sandbox.port());
    replies[i] = client.post(
        path, {{"payment_method", credit_method(minted[i])}},
        {{"Authorization", "Bearer " + merchant.token()}, {"X-Payment-Account-Uid", account}});
  });
  int defaults = 0;
  std::string default_uid;
  for (const auto& reply : replies) {
    INFO(reply.error << " " << reply.body);
    REQUIRE(reply.status == 201);
    if (reply.json_body().at("is_default") == true) {
      ++defaults;
      default_uid = reply.json_body().at("saved_payment_method_uid");
    }
  }
  CHECK(defaults == 1);
  auto list = merchant.get(path).json_body();
  REQUIRE(list.size() == kClients);
  int listed_defaults = 0;
  for (const auto& m : list) listed_defaults += m.at("is_default") == true ? 1 : 0;
  CHECK(listed_defaults == 1);
  CHECK(merchant.get("/api/customers/" + customer.at("uid").get<std::string>())
            .json_body()
            .at("default_payment_method_uid") == default_uid);
}

TEST_CASE("parallel requests across accounts never see each other's customers",
          "[http][isolation][concurrency]") {
  TestSandbox sandbox;
  constexpr int kAccounts = 8;
  std::vector<std::string> accounts;
  for (int i = 0; i < kAccounts; ++i) accounts.push_back(sandbox.create_account().at("uid"));
  const std::string token = sandbox.token();
  std::vector<int> mismatches(kAccounts, 0);
  run_together(kAccounts, [&](int i) {
    Client client(sandbox.port());
    httplib::Headers headers = {{"Authorization", "Bearer " + token},
                                {"X-Payment-Account-Uid", accounts[i]}};
    for (int n = 0; n < 10; ++n)
      client.post("/api/customers", {{"reference_id", "same-" + std::to_string(n)}}, headers);
    auto list = client.get("/api/customers", headers);
    if (list.status != 200 || list.json_body().size() != 10) ++mismatches[i];
  });
  for (int i = 0; i < kAccounts; ++i) CHECK(mismatches[i] == 0);
}

TEST_CASE("parallel creates of different customers all land", "[http][concurrency]") {
  TestSandbox sandbox;
  const std::string account = sandbox.create_account().at("uid");
  const std::string token = sandbox.token();
  std::vector<int> statuses(kParallelClients * 5);
  in_parallel([&](int i) {
    Merchant merchant(sandbox, account, token);
    for (int k = 0; k < 5; ++k)
      statuses[i * 5 + k] =
          merchant
              .post("/api/customers",
                    {{"reference_id", "user-" + std::to_string(i) + "-" + std::to_string(k)}})
              .status;
  });
  CHECK(std::count(statuses.begin(), statuses.end(), 201) == kParallelClients * 5);
  Merchant merchant(sandbox, account, token);
  auto list = merchant.get("/api/customers?$top=1000");
  REQUIRE(list.status == 200);
  CHECK(list.json_body().size() == kParallelClients * 5);
}

TEST_CASE("clock advances, resets of other accounts and reads run alongside writes",
          "[http][concurrency]") {
  TestSandbox sandbox;
  const std::string account = sandbox.create_account().at("uid");
  const std::string other = sandbox.create_account().at("uid");
  const std::string token = sandbox.token();
  std::vector<std::vector<int>> statuses(kParallelClients);
  in_parallel([&](int i) {
    Merchant merchant(sandbox, i % 2 == 0 ? account : other, token);
    auto& got = statuses[i];
    for (int k = 0; k < 4; ++k) {
      switch (i % 4) {
        case 0:
          got.push_back(merchant
                            .post("/api/customers", {{"reference_id", "mixed-" + std::to_string(i) +
                                                                          "-" + std::to_string(k)}})
                            .status);
          break;
        case 1:
          got.push_back(merchant.control_post("/_sandbox/clock/advance", {{"seconds", 60}}).status);
          break;
        case 2:
          got.push_back(merchant.get("/api/customers").status);
          got.push_back(merchant.control_get("/_sandbox/requests?limit=5").status);
          break;
        default:
          got.push_back(
              merchant.control_post("/_sandbox/accounts/" + other + "/reset", nullptr).status);
      }
    }
  });
  for (int i = 0; i < kParallelClients; ++i) {
    INFO("client " << i);
    for (int status : statuses[i]) CHECK(status == (i % 4 == 0 ? 201 : 200));
  }
  Merchant merchant(sandbox, account, token);
  auto list = merchant.get("/api/customers");
  REQUIRE(list.status == 200);
  CHECK(list.json_body().size() == 8);  // threads 0 and 4, four each; `other` was reset
}

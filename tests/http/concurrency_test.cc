// Races through real sockets. Tagged [concurrency]: the ThreadSanitizer
// build in .ci/run runs every test with this tag, so a race behind any of
// these routes fails CI even when the answers happen to come out right.
#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "support/harness.h"

using namespace testing;

namespace {

constexpr int kClients = 8;

// Runs `body(i)` on kClients threads at once and waits for all of them.
// Catch2 assertions are not thread-safe: bodies only record what they got
// (with the harness's non-asserting calls), and the test checks afterwards.
template <typename Body>
void in_parallel(Body body) {
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) threads.emplace_back([&body, i] { body(i); });
  for (auto& thread : threads) thread.join();
}

}  // namespace

TEST_CASE("parallel creates with one reference_id make one customer; the others get 409",
          "[http][concurrency]") {
  TestSandbox sandbox;
  const std::string account = sandbox.create_account().at("uid");
  const std::string token = sandbox.token();
  std::vector<int> statuses(kClients);
  in_parallel([&](int i) {
    Merchant merchant(sandbox, account, token);
    statuses[i] = merchant.post("/api/customers", {{"reference_id", "race-1"}}).status;
  });
  CHECK(std::count(statuses.begin(), statuses.end(), 201) == 1);
  CHECK(std::count(statuses.begin(), statuses.end(), 409) == kClients - 1);

  Merchant merchant(sandbox, account, token);
  auto list = merchant.get("/api/customers?$filter=reference_id%20eq%20'race-1'");
  REQUIRE(list.status == 200);
  CHECK(list.json_body().size() == 1);
}

TEST_CASE("parallel creates of different customers all land", "[http][concurrency]") {
  TestSandbox sandbox;
  const std::string account = sandbox.create_account().at("uid");
  const std::string token = sandbox.token();
  std::vector<int> statuses(kClients * 5);
  in_parallel([&](int i) {
    Merchant merchant(sandbox, account, token);
    for (int k = 0; k < 5; ++k)
      statuses[i * 5 + k] =
          merchant
              .post("/api/customers",
                    {{"reference_id", "user-" + std::to_string(i) + "-" + std::to_string(k)}})
              .status;
  });
  CHECK(std::count(statuses.begin(), statuses.end(), 201) == kClients * 5);
  Merchant merchant(sandbox, account, token);
  auto list = merchant.get("/api/customers?$top=1000");
  REQUIRE(list.status == 200);
  CHECK(list.json_body().size() == kClients * 5);
}

TEST_CASE("parallel saves on one customer all land, and exactly one is the default",
          "[http][concurrency]") {
  TestSandbox sandbox;
  const std::string account = sandbox.create_account().at("uid");
  const std::string token = sandbox.token();
  Merchant owner(sandbox, account, token);
  const std::string customer = owner.create_customer("wallet-race").at("uid");
  const char* cards[] = {"4111111111111111", "5555555555554444", "378282246310005",
                         "6011111111111117"};
  // Minted up front (the harness's mint_* assert); only the saves race.
  std::vector<json> methods_to_save;
  for (int i = 0; i < kClients; ++i)
    methods_to_save.push_back(i % 2 == 0 ? credit_method(owner.mint_card(cards[(i / 2) % 4]))
                                         : ach_method(owner.mint_ach()));
  std::vector<int> statuses(kClients);
  in_parallel([&](int i) {
    Merchant merchant(sandbox, account, token);
    statuses[i] = merchant
                      .post("/api/customers/" + customer + "/payment-methods",
                            {{"payment_method", methods_to_save[i]}})
                      .status;
  });
  CHECK(std::count(statuses.begin(), statuses.end(), 201) == kClients);
  auto list = owner.get("/api/customers/" + customer + "/payment-methods");
  REQUIRE(list.status == 200);
  json methods = list.json_body();
  CHECK(methods.size() == kClients);
  int defaults = 0;
  for (const auto& method : methods) defaults += method.at("is_default").get<bool>() ? 1 : 0;
  CHECK(defaults == 1);
}

TEST_CASE("clock advances, resets of other accounts and reads run alongside writes",
          "[http][concurrency]") {
  TestSandbox sandbox;
  const std::string account = sandbox.create_account().at("uid");
  const std::string other = sandbox.create_account().at("uid");
  const std::string token = sandbox.token();
  std::vector<std::vector<int>> statuses(kClients);
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
  for (int i = 0; i < kClients; ++i) {
    INFO("client " << i);
    for (int status : statuses[i]) CHECK(status == (i % 4 == 0 ? 201 : 200));
  }
  Merchant merchant(sandbox, account, token);
  auto list = merchant.get("/api/customers");
  REQUIRE(list.status == 200);
  CHECK(list.json_body().size() == 8);  // threads 0 and 4, four each; `other` was reset
}

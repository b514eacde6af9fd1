// Snapshots (save, restore, list, delete, file), forks of accounts, and
// reproducible runs (seed + frozen clock).
#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>

#include "paysandbox/sandbox.h"
#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

json wallet_payment(const json& saved, const std::string& reference) {
  return {{"base_amount", 10000},
          {"tax_amount", 825},
          {"currency", "USD"},
          {"reference_id", reference},
          {"payment_method",
           {{"payment_method_type", "wallet_credit"},
            {"wallet", {{"saved_payment_method_uid", saved.at("saved_payment_method_uid")}}}}}};
}

// A customer with a saved card and a captured payment; returns {customer, saved, payment}.
std::vector<json> prepare(Merchant& merchant, const std::string& reference) {
  json customer = merchant.create_customer(reference);
  json saved = merchant.save_card(customer.at("uid"));
  json body = wallet_payment(saved, "order-" + reference);
  auto validated = merchant.post("/api/payments", body);
  REQUIRE(validated.status == 201);
  body["processing_fee_amount"] = validated.json_body().at("processing_fee_amount");
  auto captured = merchant.post(
      "/api/payments/" + validated.json_body().at("uid").get<std::string>() + "/capture", body);
  REQUIRE(captured.status == 200);
  return {customer, saved, captured.json_body()};
}

// While `restores` runs, lists the merchant's customers over and over from
// another thread; returns how many lists were neither the 20 customers the
// snapshot holds nor none (a reset), i.e. a half-restored state, or failed.
int half_states_seen_during(TestSandbox& sandbox, Merchant& merchant,
                            const std::function<void()>& restores) {
  std::atomic<bool> done{false};
  std::atomic<int> odd{0};
  std::thread reader([&] {
    Merchant reading(sandbox, merchant.account(), merchant.token());
    while (!done) {
      auto reply = reading.get("/api/customers");
      auto size = reply.json_body().size();
      if (reply.status != 200 || (size != 20 && size != 0)) ++odd;
    }
  });
  restores();
  done = true;
  reader.join();
  return odd;
}

std::size_t customer_count(Merchant& merchant) {
  auto reply = merchant.get("/api/customers");
  REQUIRE(reply.status == 200);
  return reply.json_body().size();
}

}  // namespace

TEST_CASE("an account snapshot restores that account only and leaves the others untouched",
          "[http][snapshots]") {
  TestSandbox sandbox;
  Client control = sandbox.client();
  Merchant a(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  Merchant b(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  prepare(a, "a-1");
  a.advance(120);
  auto saved = control.post("/_sandbox/snapshots", {{"name", "a-ready"}, {"account", a.account()}});
  REQUIRE(saved.status == 201);
  CHECK(saved.json_body().at("scope") == "account");
  CHECK(saved.json_body().at("account") == a.account());
  CHECK(saved.json_body().at("rows").get<int>() >= 5);

  a.create_customer("a-2");
  a.advance(600);
  b.create_customer("b-1");
  REQUIRE(customer_count(a) == 2);

  auto restored = control.post("/_sandbox/snapshots/a-ready/restore", json::object());
  REQUIRE(restored.status == 200);
  CHECK(customer_count(a) == 1);
  CHECK(a.get("/api/customers?$filter=reference_id%20eq%20'a-2'").json_body().empty());
  CHECK(customer_count(b) == 1);
  CHECK(a.control_get("/_sandbox/clock").json_body().at("offset_seconds") == 120);
  CHECK(a.control_get("/_sandbox/events").json_body().size() == 1);  // payment.completed
  // A reference freed by the restore can be used again.
  CHECK(a.post("/api/customers", {{"reference_id", "a-2"}}).status == 201);
}

TEST_CASE("a whole snapshot brings back every account as it was, and drops those made since",
          "[http][snapshots]") {
  TestSandbox sandbox;
  Client control = sandbox.client();
  Merchant a(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  prepare(a, "a-1");
  REQUIRE(control.post("/_sandbox/snapshots", {{"name", "all"}}).status == 201);
  std::string later = sandbox.create_account().at("uid");
  a.create_customer("a-2");
  REQUIRE(control.post("/_sandbox/snapshots/all/restore", json::object()).status == 200);
  CHECK(customer_count(a) == 1);
  CHECK(control.get("/api/paymentaccounts/" + later, {{"Authorization", "Bearer " + a.token()}})
            .status == 404);
  // The bearer token issued before the restore still works.
  CHECK(a.get("/api/customers").status == 200);
}

TEST_CASE("snapshots are listed, downloaded, deleted, and their names checked",
          "[http][snapshots]") {
  TestSandbox sandbox;
  Client control = sandbox.client();
  std::string account = sandbox.create_account().at("uid");
  CHECK(control.post("/_sandbox/snapshots", {{"name", "one"}, {"account", account}}).status == 201);
  CHECK(control.post("/_sandbox/snapshots", {{"name", "one"}}).status == 409);
  auto bad = control.post("/_sandbox/snapshots", {{"name", "no spaces"}});
  CHECK(bad.status == 400);
  CHECK(bad.json_body().at("param") == "name");
  auto unknown = control.post("/_sandbox/snapshots", {{"name", "x"}, {"account", "pa_nope"}});
  CHECK(unknown.status == 400);
  CHECK(unknown.json_body().at("param") == "account");
  CHECK(control.post("/_sandbox/snapshots", {{"name", "x"}, {"extra", 1}}).status == 400);
  auto list = control.get("/_sandbox/snapshots").json_body();
  REQUIRE(list.size() == 1);
  CHECK(list[0].at("name") == "one");
  auto file = control.get("/_sandbox/snapshots/one/file");
  CHECK(file.status == 200);
  CHECK(file.body.rfind("SQLite format 3", 0) == 0);
  CHECK(control.del("/_sandbox/snapshots/one").status == 204);
  CHECK(control.del("/_sandbox/snapshots/one").status == 404);
  CHECK(control.post("/_sandbox/snapshots/one/restore", json::object()).status == 404);
  CHECK(control.get("/_sandbox/snapshots/one/file").status == 404);
  CHECK(control.get("/_sandbox/snapshots").json_body().empty());
}

TEST_CASE("a fork is a new isolated account with a copy of the state under new ids",
          "[http][snapshots][fork]") {
  TestSandbox sandbox;
  Client control = sandbox.client();
  Merchant source(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  auto made = prepare(source, "user-1");
  source.advance(300);
  auto forked = control.post("/_sandbox/accounts/" + source.account() + "/fork", json::object());
  REQUIRE(forked.status == 201);
  json account = forked.json_body();
  CHECK(account.at("uid") != source.account());
  CHECK(account.at("forked_from") == source.account());
  CHECK(account.at("webhook_secret").get<std::string>().rfind("whsec_", 0) == 0);
  Merchant fork(sandbox, account.at("uid"), source.token());

  auto customers = fork.get("/api/customers").json_body();
  REQUIRE(customers.size() == 1);
  json customer = customers[0];
  CHECK(customer.at("reference_id") == "user-1");
  CHECK(customer.at("uid") != made[0].at("uid"));
  auto methods =
      fork.get("/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods")
          .json_body();
  REQUIRE(methods.size() == 1);
  CHECK(methods[0].at("saved_payment_method_uid") != made[1].at("saved_payment_method_uid"));
  CHECK(customer.at("default_payment_method_uid") == methods[0].at("saved_payment_method_uid"));
  auto payments = fork.get("/api/payments").json_body();
  REQUIRE(payments.size() == 1);
  CHECK(payments[0].at("uid") != made[2].at("uid"));
  CHECK(payments[0].at("status") == "completed");
  CHECK(fork.get("/api/payments/" + payments[0].at("uid").get<std::string>()).status == 200);
  auto events = fork.control_get("/_sandbox/events").json_body();
  REQUIRE(events.size() == 1);
  CHECK(events[0].at("data").dump().find(payments[0].at("uid").get<std::string>()) !=
        std::string::npos);
  CHECK(fork.control_get("/_sandbox/clock").json_body().at("offset_seconds") == 300);

  // The forked card pays, and nothing done in the fork shows in the source.
  json again = wallet_payment(
      {{"saved_payment_method_uid", methods[0].at("saved_payment_method_uid")}}, "order-2");
  CHECK(fork.post("/api/payments", again).status == 201);
  fork.create_customer("only-in-fork");
  CHECK(customer_count(source) == 1);
  CHECK(source.get("/api/payments").json_body().size() == 1);
  CHECK(source.get("/api/customers/" + customer.at("uid").get<std::string>()).status == 404);
  CHECK(control.post("/_sandbox/accounts/pa_nope/fork", json::object()).status == 404);
}

TEST_CASE("a snapshot file loaded at start is the state the server starts from",
          "[http][snapshots]") {
  TempDb file;  // a temporary path, removed at the end
  const std::string file_path = file.path();
  std::string account;
  {
    TestSandbox first;
    Merchant merchant(first, first.create_account().at("uid"), first.token());
    account = merchant.account();
    prepare(merchant, "from-file");
    merchant.advance(45);
    first.sandbox().snapshot("ci-start");  // the typed call: no JSON
    std::ofstream(file_path, std::ios::binary) << first.sandbox().snapshot_file("ci-start");
  }
  paysandbox::Options options;
  options.snapshot_files = {file_path};
  TestSandbox second(options);
  Merchant merchant(second, account, second.token());
  CHECK(customer_count(merchant) == 1);
  CHECK(merchant.control_get("/_sandbox/clock").json_body().at("offset_seconds") == 45);
  CHECK(second.client().get("/_sandbox/snapshots").json_body().at(0).at("name") == "ci-start");
}

TEST_CASE("the embedding API snapshots, restores and forks", "[http][snapshots][embedding]") {
  TestSandbox sandbox;
  auto& box = sandbox.sandbox();
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  prepare(merchant, "embedded");
  const paysandbox::api::Snapshot info = box.snapshot("prepared", merchant.account());
  CHECK(info.name == "prepared");
  CHECK(info.account_uid == merchant.account());
  const paysandbox::api::Account forked = box.fork_account(merchant.account());
  CHECK(forked.forked_from == merchant.account());
  Merchant fork(sandbox, forked.uid, merchant.token());
  CHECK(customer_count(fork) == 1);
  merchant.create_customer("later");
  CHECK(box.restore("prepared").name == "prepared");
  CHECK(customer_count(merchant) == 1);
  try {
    box.restore("missing");
    FAIL("a missing snapshot was restored");
  } catch (const paysandbox::api::Error& e) {
    CHECK(e.status() == 404);
  }
  try {
    box.snapshot("prepared");
    FAIL("a taken name was accepted");
  } catch (const paysandbox::api::Error& e) {
    CHECK(e.status() == 409);
  }
}

TEST_CASE("a request running during a typed restore sees the state before or after, never half",
          "[http][snapshots][concurrency][embedding]") {
  TestSandbox sandbox;
  auto& box = sandbox.sandbox();
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  for (int i = 0; i < 20; ++i) merchant.create_customer("before-" + std::to_string(i));
  box.snapshot("twenty", merchant.account());
  CHECK(half_states_seen_during(sandbox, merchant, [&] {
          for (int round = 0; round < 20; ++round) {
            box.reset_account(merchant.account());
            box.restore("twenty");
          }
        }) == 0);
  CHECK(customer_count(merchant) == 20);
}

TEST_CASE("a request running during a restore sees the state before or after, never half",
          "[http][snapshots][concurrency]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  for (int i = 0; i < 20; ++i) merchant.create_customer("before-" + std::to_string(i));
  REQUIRE(sandbox.client()
              .post("/_sandbox/snapshots", {{"name", "twenty"}, {"account", merchant.account()}})
              .status == 201);
  Client control = sandbox.client();
  CHECK(half_states_seen_during(sandbox, merchant, [&] {
          for (int round = 0; round < 20; ++round) {
            control.post("/_sandbox/accounts/" + merchant.account() + "/reset", json::object());
            REQUIRE(control.post("/_sandbox/snapshots/twenty/restore", json::object()).status ==
                    200);
          }
        }) == 0);
  CHECK(customer_count(merchant) == 20);
}

TEST_CASE("two runs with the same seed and a frozen clock answer byte-identical bodies",
          "[http][reproducible]") {
  auto run = [](std::optional<std::uint64_t> seed) {
    paysandbox::Options options;
    options.seed = seed;
    if (seed) options.frozen_clock = "2030-01-01T00:00:00Z";
    TestSandbox sandbox(options);
    std::vector<std::string> bodies;
    Client client = sandbox.client();
    auto account = client.post("/_sandbox/accounts", json::object());
    bodies.push_back(account.body);
    auto token =
        client.request("POST", "/oauth2/token", "grant_type=client_credentials",
                       {{"Authorization", "Basic c2FuZGJveC1jbGllbnQ6c2FuZGJveC1zZWNyZXQ="},
                        {"Content-Type", "application/x-www-form-urlencoded"}});
    bodies.push_back(token.body);
    Merchant merchant(sandbox, account.json_body().at("uid"), token.json_body().at("access_token"));
    auto made = prepare(merchant, "repeat");
    for (const auto& item : made) bodies.push_back(item.dump());
    merchant.advance(90);
    bodies.push_back(merchant.get("/api/customers").body);
    bodies.push_back(merchant.control_get("/_sandbox/events").body);
    bodies.push_back(merchant.control_get("/_sandbox/clock").body);
    return bodies;
  };
  auto first = run(7);
  auto second = run(7);
  REQUIRE(first.size() == second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    INFO(i);
    CHECK(first[i] == second[i]);
  }
  CHECK(json::parse(first.back()).at("now") == "2030-01-01T00:01:30Z");
  auto other = run(8);
  CHECK(other[0] != first[0]);
  auto random = run(std::nullopt);
  auto random_again = run(std::nullopt);
  CHECK(random[0] != random_again[0]);
}

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "support/catch.h"
#include "support/harness.h"
#include "support/process.h"
#include "support/receiver.h"

using namespace testing;

namespace {

const std::vector<std::int64_t> kRetryWaits = {60, 300, 1800, 7200, 21600, 43200, 86400};

struct Hooked {
  Hooked(TestSandbox& sandbox, const std::string& url)
      : account(sandbox.create_account({{"callback_url", url}})),
        merchant(sandbox, account.at("uid"), sandbox.token()) {}
  json account;
  Merchant merchant;
  std::string secret() const { return account.at("webhook_secret"); }
};

json trigger(Merchant& merchant, const std::string& type, const json& data = nullptr) {
  json body = {{"event_type", type}};
  if (!data.is_null()) body["data"] = data;
  auto reply = merchant.control_post("/_sandbox/webhooks/trigger", body);
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

json events(Merchant& merchant, const std::string& query = "") {
  auto reply = merchant.control_get("/_sandbox/events" + query);
  REQUIRE(reply.status == 200);
  return reply.json_body();
}

json deliveries(Merchant& merchant) {
  auto reply = merchant.control_get("/_sandbox/webhooks/deliveries");
  REQUIRE(reply.status == 200);
  return reply.json_body();
}

// An advance of 0 seconds answers once every due attempt is made and recorded.
json settled_events(Merchant& merchant) {
  merchant.advance(0);
  return events(merchant);
}

}  // namespace

TEST_CASE("a delivered event carries the exact envelope and a signature the merchant can verify",
          "[http][webhooks]") {
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  Merchant& merchant = hooked.merchant;
  CHECK(hooked.account.at("webhook_enabled") == true);

  auto secret = merchant.get("/api/webhooks/secret");
  REQUIRE(secret.status == 200);
  CHECK(secret.json_body().at("secret") == hooked.secret());
  CHECK(hooked.secret().rfind("whsec_", 0) == 0);

  json data = {{"note", "verbatim"}, {"nested", {{"n", 1}, {"list", {1, 2, 3}}}}};
  json event = trigger(merchant, "provider.chargeback", data);
  REQUIRE(receiver.wait_for(1));
  Received got = receiver.received().at(0);
  CHECK(signature_valid(hooked.secret(), got));
  CHECK_FALSE(signature_valid("whsec_wrong", got));
  CHECK(got.content_type == "application/json");
  json body = envelope(got);
  CHECK(body.size() == 4);
  CHECK(body.at("webhook_id") == event.at("webhook_id"));
  CHECK(body.at("event_type") == "provider.chargeback");
  CHECK(body.at("timestamp").is_number_integer());
  CHECK(body.at("data") == data);

  json listed = settled_events(merchant);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("delivery_status") == "delivered");
  CHECK(listed[0].at("attempts") == 1);
  json log = deliveries(merchant);
  REQUIRE(log.size() == 1);
  CHECK(log[0].at("webhook_id") == event.at("webhook_id"));
  CHECK(log[0].at("event_type") == "provider.chargeback");
  CHECK(log[0].at("url") == receiver.url());
  CHECK(log[0].at("attempt") == 1);
  CHECK(log[0].at("status_code") == 200);
  CHECK(log[0].at("error").is_null());
  CHECK(log[0].at("duration_ms").is_number());
  CHECK(log[0].at("at").get<std::string>().back() == 'Z');
}

TEST_CASE("a receiver answering 500 is retried on the account clock, then the event is failed",
          "[http][webhooks]") {
  Receiver receiver(500);
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  Merchant& merchant = hooked.merchant;
  json event = trigger(merchant, "payment.completed");
  json listed = settled_events(merchant);
  CHECK(listed[0].at("delivery_status") == "pending");
  CHECK(listed[0].at("attempts") == 1);

  for (std::size_t i = 0; i < kRetryWaits.size(); ++i) {
    // One second short of the wait: nothing happens.
    merchant.advance(kRetryWaits[i] - 1);
    CHECK(events(merchant)[0].at("attempts") == static_cast<int>(i) + 1);
    merchant.advance(1);
    CHECK(events(merchant)[0].at("attempts") == static_cast<int>(i) + 2);
  }
  listed = events(merchant);
  CHECK(listed[0].at("delivery_status") == "failed");
  CHECK(listed[0].at("attempts") == 8);
  merchant.advance(7 * 86400);
  CHECK(events(merchant)[0].at("attempts") == 8);

  auto got = receiver.received();
  REQUIRE(got.size() == 8);
  for (const auto& each : got) {
    CHECK(each.body == got[0].body);
    CHECK(signature_valid(hooked.secret(), each));
  }
  CHECK(envelope(got[0]).at("webhook_id") == event.at("webhook_id"));
  json log = deliveries(merchant);
  REQUIRE(log.size() == 8);
  for (int i = 0; i < 8; ++i) {
    CHECK(log[i].at("attempt") == i + 1);
    CHECK(log[i].at("status_code") == 500);
    CHECK(log[i].at("error").is_null());
  }
}

TEST_CASE("a retry that succeeds marks the event delivered and stops the schedule",
          "[http][webhooks]") {
  Receiver receiver(503);
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  Merchant& merchant = hooked.merchant;
  trigger(merchant, "payment.refunded");
  CHECK(settled_events(merchant)[0].at("delivery_status") == "pending");
  receiver.answer(204);
  merchant.advance(60);
  json listed = events(merchant);
  CHECK(listed[0].at("delivery_status") == "delivered");
  CHECK(listed[0].at("attempts") == 2);
  merchant.advance(86400);
  CHECK(receiver.received().size() == 2);
}

TEST_CASE("a receiver slower than the timeout is a timeout attempt and is retried",
          "[http][webhooks]") {
  Receiver receiver;
  receiver.hang();
  paysandbox::Options options;
  options.webhook_timeout_ms = 250;
  TestSandbox sandbox(options);
  Hooked hooked(sandbox, receiver.url());
  Merchant& merchant = hooked.merchant;
  trigger(merchant, "ivr.completed");
  json listed = settled_events(merchant);
  CHECK(listed[0].at("delivery_status") == "pending");
  json log = deliveries(merchant);
  REQUIRE(log.size() == 1);
  CHECK(log[0].at("error") == "timeout");
  CHECK(log[0].at("status_code").is_null());
  CHECK(log[0].at("duration_ms").get<double>() >= 200);
  // Once it answers in time again, the retry is delivered.
  receiver.release();
  merchant.advance(60);
  CHECK(events(merchant)[0].at("delivery_status") == "delivered");
  CHECK(deliveries(merchant).back().at("status_code") == 200);
}

TEST_CASE("a refused connection and a reset connection are logged as such", "[http][webhooks]") {
  TestSandbox sandbox;
  SECTION("refused") {
    Hooked hooked(sandbox, "http://127.0.0.1:" + std::to_string(closed_port()) + "/hooks");
    trigger(hooked.merchant, "provider.nsf");
    CHECK(settled_events(hooked.merchant)[0].at("delivery_status") == "pending");
    json log = deliveries(hooked.merchant);
    REQUIRE(log.size() == 1);
    CHECK(log[0].at("error") == "refused");
    CHECK(log[0].at("status_code").is_null());
    hooked.merchant.advance(60);
    CHECK(deliveries(hooked.merchant).size() == 2);
  }
  SECTION("reset") {
    ResettingReceiver receiver;
    Hooked hooked(sandbox, receiver.url());
    trigger(hooked.merchant, "provider.nsf");
    CHECK(settled_events(hooked.merchant)[0].at("delivery_status") == "pending");
    REQUIRE(receiver.wait_for(1));
    json log = deliveries(hooked.merchant);
    REQUIRE(log.size() == 1);
    CHECK(log[0].at("error") == "reset");
    CHECK(log[0].at("status_code").is_null());
  }
}

TEST_CASE("events of one account arrive in the order they were emitted", "[http][webhooks]") {
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  std::vector<std::string> emitted;
  for (int i = 0; i < 30; ++i)
    emitted.push_back(trigger(hooked.merchant, "payment.completed", {{"n", i}}).at("webhook_id"));
  REQUIRE(receiver.wait_for(30));
  auto got = receiver.received();
  REQUIRE(got.size() == 30);
  for (int i = 0; i < 30; ++i) {
    CHECK(envelope(got[i]).at("webhook_id") == emitted[i]);
    CHECK(envelope(got[i]).at("data").at("n") == i);
  }
}

TEST_CASE("a hanging receiver of one account does not delay another account's deliveries",
          "[http][webhooks][concurrency]") {
  Receiver slow;
  slow.hang();
  Receiver fast;
  paysandbox::Options options;
  options.webhook_timeout_ms = 15000;
  TestSandbox sandbox(options);
  Hooked stuck(sandbox, slow.url());
  Hooked healthy(sandbox, fast.url());
  const auto started = std::chrono::steady_clock::now();
  trigger(stuck.merchant, "payment.completed");
  REQUIRE(slow.wait_for(1));  // held open from here on
  // The API still answers at once, and the other account is served.
  for (int i = 0; i < 20; ++i) trigger(healthy.merchant, "payment.completed", {{"n", i}});
  REQUIRE(fast.wait_for(20));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  CHECK(slow.received().size() == 1);
  slow.release();
}

TEST_CASE("many accounts emitting at once each get every event, in order",
          "[http][webhooks][concurrency]") {
  Receiver receiver;
  TestSandbox sandbox;
  constexpr int kAccounts = 6, kEach = 40;
  std::vector<std::unique_ptr<Hooked>> hooked;
  for (int a = 0; a < kAccounts; ++a)
    hooked.push_back(std::make_unique<Hooked>(sandbox, receiver.url()));
  std::vector<std::thread> threads;
  for (int a = 0; a < kAccounts; ++a)
    threads.emplace_back([&, a] {
      Client client(sandbox.port());
      for (int i = 0; i < kEach; ++i)
        client.post("/_sandbox/webhooks/trigger",
                    {{"event_type", "payment.completed"}, {"data", {{"n", i}}}},
                    {{"X-Payment-Account-Uid", hooked[a]->account.at("uid")}});
    });
  for (auto& t : threads) t.join();
  REQUIRE(receiver.wait_for(kAccounts * kEach));
  CHECK(receiver.received().size() == kAccounts * kEach);
  for (auto& h : hooked) {
    json listed = settled_events(h->merchant);
    REQUIRE(listed.size() == kEach);
    for (int i = 0; i < kEach; ++i) {
      CHECK(listed[i].at("data").at("n") == i);
      CHECK(listed[i].at("delivery_status") == "delivered");
    }
  }
  // Per account, deliveries went out in emission order.
  for (auto& h : hooked) {
    json log = deliveries(h->merchant);
    json listed = events(h->merchant);
    REQUIRE(log.size() == kEach);
    for (int i = 0; i < kEach; ++i) CHECK(log[i].at("webhook_id") == listed[i].at("webhook_id"));
  }
}

TEST_CASE("redeliver sends the same body again and leaves the schedule alone", "[http][webhooks]") {
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  Merchant& merchant = hooked.merchant;
  json event = trigger(merchant, "checkout_session.completed");
  const std::string id = event.at("webhook_id");

  SECTION("a delivered event") {
    REQUIRE(receiver.wait_for(1));
    auto reply = merchant.control_post("/_sandbox/events/" + id + "/redeliver", json::object());
    REQUIRE(reply.status == 200);
    CHECK(reply.json_body().at("attempt") == 2);
    CHECK(reply.json_body().at("status_code") == 200);
    auto got = receiver.received();
    REQUIRE(got.size() == 2);
    CHECK(got[1].body == got[0].body);
    CHECK(signature_valid(hooked.secret(), got[1]));
    json listed = events(merchant);
    CHECK(listed[0].at("attempts") == 2);
    CHECK(listed[0].at("delivery_status") == "delivered");
  }
  SECTION("a pending event keeps its retry time") {
    receiver.answer(500);
    trigger(merchant, "payment.failed");  // a second event, to fail on schedule
    json listed = settled_events(merchant);
    REQUIRE(listed.size() == 2);
    const std::string failing = listed[1].at("webhook_id");
    CHECK(listed[1].at("attempts") == 1);
    auto reply =
        merchant.control_post("/_sandbox/events/" + failing + "/redeliver", json::object());
    REQUIRE(reply.status == 200);
    CHECK(reply.json_body().at("status_code") == 500);
    CHECK(events(merchant)[1].at("attempts") == 2);
    merchant.advance(59);
    CHECK(events(merchant)[1].at("attempts") == 2);
    merchant.advance(1);
    CHECK(events(merchant)[1].at("attempts") == 3);
    CHECK(events(merchant)[1].at("delivery_status") == "pending");
  }
  SECTION("an unknown event is a 404") {
    auto reply = merchant.control_post("/_sandbox/events/evt_nope/redeliver", json::object());
    CHECK(reply.status == 404);
  }
}

TEST_CASE("a NOC changes the stored methods, emits one provider.noc, and a re-fetch shows it",
          "[http][webhooks]") {
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  Merchant& merchant = hooked.merchant;
  json customer = merchant.create_customer("noc-customer");
  const std::string customer_uid = customer.at("uid");
  json card = merchant.save_card(customer_uid);
  json ach = merchant.save_ach(customer_uid);
  const std::string card_uid = card.at("saved_payment_method_uid");
  const std::string ach_uid = ach.at("saved_payment_method_uid");
  const int old_year = card.at("payment_method").at("credit").at("exp_year");

  auto reply = merchant.control_post(
      "/_sandbox/noc",
      {{"updates",
        {{{"saved_payment_method_uid", card_uid}, {"exp_year", 2031}, {"last4", "4242"}},
         {{"saved_payment_method_uid", ach_uid}, {"account_number_suffix", "9876"}}}}});
  REQUIRE(reply.status == 201);
  CHECK(reply.json_body().at("event_type") == "provider.noc");

  REQUIRE(receiver.wait_for(1));
  Received got = receiver.received().at(0);
  CHECK(signature_valid(hooked.secret(), got));
  json data = envelope(got).at("data");
  CHECK(data.at("saved_payment_method_ids") == json({card_uid, ach_uid}));
  REQUIRE(data.at("changes").size() == 2);
  CHECK(data.at("changes")[0].at("saved_payment_method_uid") == card_uid);
  CHECK(data.at("changes")[0].at("customer_uid") == customer_uid);
  CHECK(data.at("changes")[0].at("fields") ==
        json({{"exp_year", {{"from", old_year}, {"to", 2031}}},
              {"last4", {{"from", "1111"}, {"to", "4242"}}}}));
  CHECK(data.at("changes")[1].at("fields").at("account_number_suffix").at("to") == "9876");

  // The merchant's re-fetch of each listed method.
  json refetched =
      merchant.get("/api/customers/" + customer_uid + "/payment-methods/" + card_uid).json_body();
  CHECK(refetched.at("payment_method").at("credit").at("exp_year") == 2031);
  CHECK(refetched.at("payment_method").at("credit").at("last4") == "4242");
  refetched =
      merchant.get("/api/customers/" + customer_uid + "/payment-methods/" + ach_uid).json_body();
  CHECK(refetched.at("payment_method").at("ach").at("account_number_suffix") == "9876");
  CHECK(events(merchant, "?type=provider.noc").size() == 1);
}

TEST_CASE("a NOC naming an unknown method or a bad field applies nothing", "[http][webhooks]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json customer = merchant.create_customer("noc-bad");
  const std::string card_uid =
      merchant.save_card(customer.at("uid")).at("saved_payment_method_uid");
  auto card_path =
      "/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods/" + card_uid;
  auto year_now = [&] {
    return merchant.get(card_path).json_body().at("payment_method").at("credit").at("exp_year");
  };
  const json year_before = year_now();

  auto unknown = merchant.control_post(
      "/_sandbox/noc", {{"updates",
                         {{{"saved_payment_method_uid", card_uid}, {"exp_year", 2033}},
                          {{"saved_payment_method_uid", "spm_missing"}, {"exp_year", 2033}}}}});
  CHECK(unknown.status == 404);
  CHECK(unknown.json_body().at("param") == "updates.1.saved_payment_method_uid");
  CHECK(year_now() == year_before);

  auto bad_month = merchant.control_post(
      "/_sandbox/noc",
      {{"updates", {{{"saved_payment_method_uid", card_uid}, {"exp_month", 13}}}}});
  CHECK(bad_month.status == 400);
  CHECK(bad_month.json_body().at("param") == "updates.0.exp_month");

  auto wrong_kind = merchant.control_post(
      "/_sandbox/noc",
      {{"updates", {{{"saved_payment_method_uid", card_uid}, {"routing_number", "011000015"}}}}});
  CHECK(wrong_kind.status == 400);
  CHECK(wrong_kind.json_body().at("param") == "updates.0.routing_number");

  auto unknown_field = merchant.control_post(
      "/_sandbox/noc", {{"updates", {{{"saved_payment_method_uid", card_uid}, {"cvv", "123"}}}}});
  CHECK(unknown_field.status == 400);
  CHECK(unknown_field.json_body().at("param") == "updates.0.cvv");

  auto empty = merchant.control_post("/_sandbox/noc", {{"updates", json::array()}});
  CHECK(empty.status == 400);
  CHECK(empty.json_body().at("param") == "updates");
  CHECK(year_now() == year_before);
  CHECK(events(merchant).empty());
}

TEST_CASE("the card-reissued scenario's noc step changes every card when the clock reaches it",
          "[http][webhooks][scenarios]") {
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  Merchant& merchant = hooked.merchant;
  json customer = merchant.create_customer("reissued");
  const std::string card_uid =
      merchant.save_card(customer.at("uid")).at("saved_payment_method_uid");
  std::ifstream file(std::string(PAYSANDBOX_SOURCE_DIR) + "/scenarios/card-reissued-noc.json");
  REQUIRE(merchant.control_post("/_sandbox/scenarios", json::parse(file)).status == 201);
  merchant.advance(86400);
  // The advance answered after the step ran and its event was delivered.
  json listed = events(merchant, "?type=provider.noc");
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("delivery_status") == "delivered");
  CHECK(listed[0].at("data").at("saved_payment_method_ids") == json({card_uid}));
  json method = merchant
                    .get("/api/customers/" + customer.at("uid").get<std::string>() +
                         "/payment-methods/" + card_uid)
                    .json_body();
  CHECK(method.at("payment_method").at("credit").at("exp_year") == 2031);
  CHECK(method.at("payment_method").at("credit").at("last4") == "4242");
}

TEST_CASE("trigger emits any catalogue event, with the caller's data or realistic data",
          "[http][webhooks]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  SECTION("data is used verbatim") {
    json data = {{"anything", {{"goes", true}}}, {"saved_payment_method_ids", json::array()}};
    json event = trigger(merchant, "provider.noc", data);
    CHECK(event.at("data") == data);
    CHECK(event.at("delivery_status") == "not_configured");
    CHECK(events(merchant)[0].at("data") == data);
  }
  SECTION("without data, a provider.noc names a real saved method") {
    json customer = merchant.create_customer("trigger-noc");
    const std::string uid = merchant.save_card(customer.at("uid")).at("saved_payment_method_uid");
    json event = trigger(merchant, "provider.noc");
    CHECK(event.at("data").at("saved_payment_method_ids") == json({uid}));
    CHECK(event.at("data").at("changes")[0].at("customer_uid") == customer.at("uid"));
  }
  SECTION("without data, payment events carry a payment-like object") {
    for (const auto& type : {"payment.completed", "payment.failed", "payment.refunded",
                             "provider.chargeback", "ivr.completed"}) {
      json data = trigger(merchant, type).at("data");
      CHECK(data.at("uid").get<std::string>().rfind("pay_", 0) == 0);
      CHECK(data.at("currency") == "USD");
      CHECK(data.at("total_amount") == data.at("base_amount").get<int>() +
                                           data.at("tax_amount").get<int>() +
                                           data.at("processing_fee_amount").get<int>());
    }
    CHECK(trigger(merchant, "checkout_session.expired").at("data").at("status") == "expired");
  }
  SECTION("an unknown type is a 400 listing the valid ones") {
    auto reply =
        merchant.control_post("/_sandbox/webhooks/trigger", {{"event_type", "payment.exploded"}});
    CHECK(reply.status == 400);
    CHECK(reply.json_body().at("param") == "event_type");
    CHECK(reply.json_body().at("message").get<std::string>().find("provider.noc") !=
          std::string::npos);
    CHECK(merchant
              .control_post("/_sandbox/webhooks/trigger",
                            {{"event_type", "payment.completed"}, {"data", "text"}})
              .status == 400);
  }
}

TEST_CASE("subscriptions choose which event types are delivered; types lists the catalogue",
          "[http][webhooks]") {
  Receiver receiver;
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  Merchant& merchant = hooked.merchant;

  json types = merchant.get("/api/webhooks/types").json_body();
  REQUIRE(types.size() == 11);
  for (const auto& type : types) CHECK_FALSE(type.at("description").get<std::string>().empty());

  auto reply = merchant.put(
      "/api/webhooks/subscriptions",
      {{"subscriptions", {{{"event_type", "payment.completed"}, {"enabled", false}}}}});
  REQUIRE(reply.status == 200);
  const json subscriptions = reply.json_body().at("subscriptions");
  REQUIRE(subscriptions.size() == 11);
  for (const auto& s : subscriptions)
    CHECK(s.at("enabled") == (s.at("event_type") != "payment.completed"));
  CHECK(trigger(merchant, "payment.completed").at("delivery_status") == "not_configured");
  CHECK(trigger(merchant, "payment.failed").at("delivery_status") == "pending");
  REQUIRE(receiver.wait_for(1));
  CHECK(envelope(receiver.received()[0]).at("event_type") == "payment.failed");

  auto unknown =
      merchant.put("/api/webhooks/subscriptions",
                   {{"subscriptions", {{{"event_type", "payment.nope"}, {"enabled", true}}}}});
  CHECK(unknown.status == 400);
  CHECK(unknown.json_body().at("param") == "subscriptions[0].event_type");
  auto missing = merchant.put("/api/webhooks/subscriptions",
                              {{"subscriptions", {{{"event_type", "payment.failed"}}}}});
  CHECK(missing.status == 400);
  CHECK(missing.json_body().at("param") == "subscriptions[0].enabled");
  CHECK(merchant.get("/api/webhooks/secret").status == 200);
  CHECK(Client(sandbox.port()).get("/api/webhooks/secret").status == 401);
}

TEST_CASE("the events long-poll waits for the next event and answers [] on timeout",
          "[http][webhooks]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json first = trigger(merchant, "provider.reversal");
  const std::string after = first.at("webhook_id");
  CHECK(events(merchant, "?after=" + after + "&wait_ms=50").empty());
  CHECK(merchant.control_get("/_sandbox/events?after=evt_unknown").status == 400);

  // Emitted from another thread, with no assertions there (Catch is not
  // thread-safe). Whether the poll below is already waiting or not, it sees it.
  int status = 0;
  std::thread later([&] {
    status = Client(sandbox.port())
                 .post("/_sandbox/webhooks/trigger", {{"event_type", "provider.bankbillpay"}},
                       {{"X-Payment-Account-Uid", merchant.account()}})
                 .status;
  });
  json next = events(merchant, "?after=" + after + "&wait_ms=20000");
  later.join();
  CHECK(status == 201);
  REQUIRE(next.size() == 1);
  CHECK(next[0].at("event_type") == "provider.bankbillpay");
  CHECK(next[0].size() == 6);  // the envelope's four keys + delivery_status, attempts
  CHECK(events(merchant, "?type=provider.reversal").size() == 1);
}

TEST_CASE("with --db, pending retries survive a restart and carry on", "[http][webhooks]") {
  Receiver receiver(500);
  TempDb db;
  paysandbox::Options options;
  options.db_path = db.path();
  std::string account_uid, event_id, secret;
  {
    TestSandbox first(options);
    Hooked hooked(first, receiver.url());
    account_uid = hooked.account.at("uid");
    secret = hooked.secret();
    event_id = trigger(hooked.merchant, "payment.completed").at("webhook_id");
    json listed = settled_events(hooked.merchant);
    CHECK(listed[0].at("attempts") == 1);
    CHECK(listed[0].at("delivery_status") == "pending");
  }
  receiver.answer(200);
  TestSandbox second(options);
  Merchant merchant(second, account_uid, second.token());
  merchant.advance(59);
  CHECK(receiver.received().size() == 1);  // not yet due on the restored clock
  merchant.advance(1);
  json listed = events(merchant);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("webhook_id") == event_id);
  CHECK(listed[0].at("delivery_status") == "delivered");
  CHECK(listed[0].at("attempts") == 2);
  auto got = receiver.received();
  REQUIRE(got.size() == 2);
  CHECK(got[1].body == got[0].body);
  CHECK(signature_valid(secret, got[1]));
  CHECK(deliveries(merchant).size() == 2);
}

TEST_CASE("an account reset clears its events and deliveries", "[http][webhooks]") {
  Receiver receiver(500);
  TestSandbox sandbox;
  Hooked hooked(sandbox, receiver.url());
  trigger(hooked.merchant, "payment.completed");
  settled_events(hooked.merchant);
  REQUIRE(Client(sandbox.port())
              .post("/_sandbox/accounts/" + hooked.account.at("uid").get<std::string>() + "/reset",
                    json::object())
              .status == 200);
  CHECK(events(hooked.merchant).empty());
  CHECK(deliveries(hooked.merchant).empty());
  hooked.merchant.advance(3600);
  CHECK(receiver.received().size() == 1);  // no retry of the removed event
}

TEST_CASE("destroying a sandbox with a delivery hanging does not wait for the receiver",
          "[http][webhooks][concurrency]") {
  Receiver receiver;
  receiver.hang();
  auto sandbox = std::make_unique<TestSandbox>();
  {
    Hooked hooked(*sandbox, receiver.url());
    trigger(hooked.merchant, "payment.completed");
    REQUIRE(receiver.wait_for(1));
  }  // (its keep-alive connection closed, so only the delivery is in flight)
  const auto started = std::chrono::steady_clock::now();
  sandbox.reset();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("the embedding API triggers, applies NOCs, lists events and deliveries, redelivers",
          "[http][webhooks][embedding]") {
  Receiver receiver;
  TestSandbox test;
  paysandbox::Sandbox& sandbox = test.sandbox();
  paysandbox::api::AccountSettings settings;
  settings.callback_url = receiver.url();
  const std::string uid = sandbox.create_account(settings).uid;
  Merchant merchant(test, uid, test.token());
  json customer = merchant.create_customer("embedded");
  const std::string card = merchant.save_card(customer.at("uid")).at("saved_payment_method_uid");

  paysandbox::api::NocUpdate update;
  update.saved_payment_method_uid = card;
  update.exp_month = 3;
  const auto noc = sandbox.apply_noc(uid, {update});
  CHECK(noc.type == "provider.noc");
  const auto triggered = sandbox.trigger_webhook(uid, "ivr.completed", R"({"k":1})");
  CHECK(json::parse(triggered.data) == json({{"k", 1}}));
  sandbox.advance_clock(std::chrono::seconds(0), uid);
  const auto listed = sandbox.events(uid);
  REQUIRE(listed.size() == 2);
  CHECK(listed[1].delivery_status == paysandbox::api::DeliveryStatus::kDelivered);
  paysandbox::api::EventFilter only_noc;
  only_noc.type = "provider.noc";
  CHECK(sandbox.events(uid, only_noc).size() == 1);
  CHECK(sandbox.webhook_deliveries(uid).size() == 2);
  const auto again = sandbox.redeliver_event(uid, noc.id);
  CHECK(again.attempt == 2);
  CHECK(again.event_id == noc.id);
  CHECK(receiver.received().size() == 3);
  CHECK_THROWS_AS(sandbox.trigger_webhook(uid, "not.a.type"), paysandbox::api::Error);
}

TEST_CASE("an existing account can be pointed at a receiver and turned off again",
          "[http][webhooks]") {
  Receiver receiver;
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  const std::string path = "/_sandbox/accounts/" + merchant.account() + "/webhooks";
  Client control(sandbox.port());
  CHECK(trigger(merchant, "payment.completed").at("delivery_status") == "not_configured");

  auto on = control.put(path, {{"callback_url", receiver.url()}});
  REQUIRE(on.status == 200);
  CHECK(on.json_body().at("callback_url") == receiver.url());
  CHECK(on.json_body().at("webhook_enabled") == true);
  CHECK(trigger(merchant, "payment.completed").at("delivery_status") == "pending");
  REQUIRE(receiver.wait_for(1));

  auto off = control.put(path, {{"webhook_enabled", false}});
  REQUIRE(off.status == 200);
  CHECK(trigger(merchant, "payment.completed").at("delivery_status") == "not_configured");

  auto bad = control.put(path, {{"callback_url", "ftp://example.com"}});
  CHECK(bad.status == 400);
  CHECK(bad.json_body().at("param") == "callback_url");
  CHECK(control.put("/_sandbox/accounts/pa_nope/webhooks", json::object()).status == 404);
}

TEST_CASE("serve --webhook-timeout-ms bounds how long a receiver may take", "[http][webhooks]") {
  Receiver receiver;
  receiver.hang();
  Process serve(PAYSANDBOX_BINARY,
                {"serve", "--port", "0", "--log-format", "none", "--webhook-timeout-ms", "300"});
  Client client(serve.port_from_listening_line());
  auto created = client.post("/_sandbox/accounts", {{"callback_url", receiver.url()}});
  REQUIRE(created.status == 201);
  const httplib::Headers account = {
      {"X-Payment-Account-Uid", created.json_body().at("uid").get<std::string>()}};
  REQUIRE(client.post("/_sandbox/webhooks/trigger", {{"event_type", "payment.completed"}}, account)
              .status == 201);
  REQUIRE(client.post("/_sandbox/clock/advance", {{"seconds", 0}}, account).status == 200);
  json log = client.get("/_sandbox/webhooks/deliveries", account).json_body();
  REQUIRE(log.size() == 1);
  CHECK(log[0].at("error") == "timeout");
  CHECK(log[0].at("duration_ms").get<double>() >= 250);
  CHECK(log[0].at("duration_ms").get<double>() < 5000);
}

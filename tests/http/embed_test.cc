// The typed embedding API (paysandbox/test_account.h, receiver.h, types.h):
// what a merchant's C++ test gets without writing JSON or an HTTP client.
#include "paysandbox/receiver.h"
#include "paysandbox/test_account.h"
#include "support/catch.h"
#include "support/harness.h"

using namespace testing;
using namespace std::chrono_literals;
using paysandbox::ClockScope;
using paysandbox::TestAccount;
namespace api = paysandbox::api;

TEST_CASE("a TestAccount saves a card, pays with it and finds the payment.completed event",
          "[http][embed]") {
  TestSandbox sandbox;
  TestAccount account(sandbox.sandbox());
  auto customer = account.create_customer("user-42", "Alex Morales", "alex@example.com");
  CHECK(customer.uid.rfind("cus_", 0) == 0);
  CHECK(customer.email == "alex@example.com");

  auto card = account.save_card(customer, "4111111111111111");
  CHECK(card.uid.rfind("spm_", 0) == 0);
  CHECK(card.token.rfind("tok_", 0) == 0);
  CHECK(card.last4 == "1111");
  CHECK(card.card_brand == "VISA");
  CHECK(card.is_default);

  paysandbox::PayOptions with_tax;
  with_tax.tax_amount = 825;
  auto payment = account.pay(card, 10000, with_tax);
  CHECK(payment.status == api::PaymentStatus::kCompleted);
  CHECK(payment.processing_fee_amount == 322);
  CHECK(payment.total_amount == 11147);
  CHECK(payment.saved_payment_method_uid == card.uid);
  CHECK(payment.transaction_id.rfind("txn_", 0) == 0);
  CHECK(account.payment(payment.uid).status == api::PaymentStatus::kCompleted);

  auto event = account.wait_for_event("payment.completed", 5s);
  CHECK(event.id.rfind("evt_", 0) == 0);
  CHECK(json::parse(event.data).at("uid") == payment.uid);
  CHECK(event.delivery_status == api::DeliveryStatus::kNotConfigured);
  CHECK(account.events("payment.completed").size() == 1);
  CHECK(account.events("payment.refunded").empty());
}

TEST_CASE("a TestAccount's bearer is renewed once the server clock passes the token's hour",
          "[http][embed]") {
  TestSandbox sandbox;
  TestAccount account(sandbox.sandbox());
  const std::string first = account.bearer();
  account.advance_clock(2h);  // the account's clock alone does not age bearer tokens
  CHECK(account.bearer() == first);

  account.advance_clock(2h, ClockScope::kServer);
  Client client = sandbox.client();
  CHECK(client
            .get("/api/customers",
                 {{"Authorization", "Bearer " + first}, {"X-Payment-Account-Uid", account.uid()}})
            .status == 401);
  const std::string second = account.bearer();
  CHECK(second != first);
  CHECK(account.request("GET", "/api/customers").status == 200);
}

TEST_CASE("pay answers a declined card's payment as failed, with the decline's code",
          "[http][embed]") {
  TestSandbox sandbox;
  TestAccount account(sandbox.sandbox());
  auto card = account.save_card(account.create_customer("user-1"), "4000000000009995");
  auto payment = account.pay(card, 5000);
  CHECK(payment.status == api::PaymentStatus::kFailed);
  CHECK(payment.failure_code == "insufficient_funds");
  CHECK(json::parse(account.wait_for_event("payment.failed", 5s).data).at("uid") == payment.uid);
}

TEST_CASE("a refused call throws api::Error with the status, code and field at fault",
          "[http][embed]") {
  TestSandbox sandbox;
  TestAccount account(sandbox.sandbox());
  account.create_customer("user-1");
  try {
    account.create_customer("user-1");
    FAIL("a second create with the same reference_id was accepted");
  } catch (const api::Error& e) {
    CHECK(e.status() == 409);
    CHECK(e.code() == "conflict");
    CHECK(e.param() == "reference_id");
  }
  CHECK_THROWS_AS(account.save_card(account.create_customer("user-2"), "4111111111111112"),
                  api::Error);
}

TEST_CASE("destroying a TestAccount resets its account and leaves the others alone",
          "[http][embed]") {
  TestSandbox sandbox;
  TestAccount other(sandbox.sandbox());
  other.create_customer("kept");
  std::string uid;
  {
    TestAccount account(sandbox.sandbox());
    uid = account.uid();
    account.create_customer("user-1");
    CHECK(account.events().empty());
  }
  Merchant merchant(sandbox, uid, sandbox.token());
  auto listed = merchant.get("/api/customers");
  REQUIRE(listed.status == 200);
  CHECK(listed.json_body().empty());
  CHECK(other.request("GET", "/api/customers").status == 200);
  CHECK(json::parse(other.request("GET", "/api/customers").body).size() == 1);
}

TEST_CASE(
    "wait_for_event throws api::Timeout when no such event comes in time; 0 ms still looks once",
    "[http][embed]") {
  TestSandbox sandbox;
  TestAccount account(sandbox.sandbox());
  CHECK_THROWS_AS(account.wait_for_event("payment.refunded", 50ms), api::Timeout);
  CHECK_THROWS_AS(account.wait_for_event("payment.refunded", 0ms), api::Timeout);
  account.trigger_webhook("payment.refunded");
  CHECK(account.wait_for_event("payment.refunded", 0ms).type == "payment.refunded");
}

TEST_CASE("wait_for_event wakes when the event is emitted while it waits", "[http][embed]") {
  TestSandbox sandbox;
  TestAccount account(sandbox.sandbox());
  api::Event seen;
  std::thread waiter([&] { seen = account.wait_for_event("provider.chargeback", 10s); });
  sandbox.sandbox().trigger_webhook(account.uid(), "provider.chargeback");
  waiter.join();
  CHECK(seen.type == "provider.chargeback");
  CHECK(seen.id == account.events("provider.chargeback").at(0).id);
}

TEST_CASE("wait_for_delivery returns the recorded attempt, and the receiver checks the signature",
          "[http][embed][webhooks]") {
  TestSandbox sandbox;
  paysandbox::WebhookReceiver receiver;
  api::AccountSettings settings;
  settings.callback_url = receiver.url();
  TestAccount account(sandbox.sandbox(), settings);
  receiver.set_secret(account.account().webhook_secret);

  auto event = account.trigger_webhook("ivr.completed", R"({"call": 7})");
  auto delivery = account.wait_for_delivery(event, 10s);
  CHECK(delivery.event_id == event.id);
  CHECK(delivery.attempt == 1);
  CHECK(delivery.status_code == 200);
  CHECK(delivery.url == receiver.url());
  REQUIRE(receiver.received().size() == 1);
  CHECK(receiver.received()[0].signature_ok);
  CHECK(receiver.received()[0].event().id == event.id);
  CHECK(json::parse(receiver.received()[0].event().data) == json{{"call", 7}});
  CHECK(json::parse(event.data) == json{{"call", 7}});

  receiver.set_secret("whsec_not_the_accounts");
  receiver.answer(500);
  auto failing = account.trigger_webhook("provider.nsf");
  auto refused = account.wait_for_delivery(failing, 10s);
  CHECK(refused.status_code == 500);
  CHECK_FALSE(receiver.received().at(1).signature_ok);

  receiver.close_connections();
  auto dropped = account.wait_for_delivery(account.trigger_webhook("provider.reversal"), 10s);
  CHECK_FALSE(dropped.status_code.has_value());
  CHECK_FALSE(dropped.error.empty());
}

TEST_CASE("wait_for_delivery refuses at once when the account has no callback_url",
          "[http][embed][webhooks]") {
  TestSandbox sandbox;
  TestAccount account(sandbox.sandbox());
  auto event = account.trigger_webhook("provider.nsf");
  CHECK_THROWS_AS(account.wait_for_delivery(event, 10s), std::logic_error);
}

TEST_CASE("requests lists the account's own requests from the journal, filtered", "[http][embed]") {
  TestSandbox sandbox;
  TestAccount account(sandbox.sandbox());
  TestAccount other(sandbox.sandbox());
  other.create_customer("elsewhere");
  account.create_customer("user-1");
  CHECK_THROWS(account.create_customer("user-1"));
  api::RequestFilter filter;
  filter.method = "POST";
  filter.path_prefix = "/api/customers";
  auto posts = account.requests(filter);
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].status == 201);
  CHECK(posts[1].status == 409);
  CHECK(posts[1].error_code == "conflict");
  filter.status = 409;
  CHECK(account.requests(filter).size() == 1);
}

TEST_CASE("load_scenario makes the account's next captures fail as the scenario says",
          "[http][embed][scenarios]") {
  TestSandbox sandbox;
  TestAccount account(sandbox.sandbox());
  account.load_scenario_file(std::string(PAYSANDBOX_SOURCE_DIR) +
                             "/scenarios/processor-outage.json");
  auto card = account.save_card(account.create_customer("user-1"), "4111111111111111");
  auto payment = account.pay(card, 1000);
  CHECK(payment.status == api::PaymentStatus::kValidated);

  auto loaded = account.load_scenario(R"({
    "name": "decline-once",
    "rules": [{"match": {"method": "POST", "path": "/api/customers"}, "times": 1,
               "action": {"type": "error", "status": 503, "code": "processing_error"}}]
  })");
  CHECK(loaded.name == "decline-once");
  CHECK(loaded.account_uid == account.uid());
  CHECK(loaded.rules == 1);
  CHECK_THROWS_AS(account.create_customer("user-2"), api::Error);
  CHECK(account.create_customer("user-2").reference_id == "user-2");
  try {
    account.load_scenario(R"({"name": "broken", "rules": 7})");
    FAIL("an invalid scenario was accepted");
  } catch (const api::Error& e) {
    CHECK(e.status() == 400);
    CHECK(e.param() == "rules");
  }
}

TEST_CASE("Sandbox::open answers why it cannot start instead of throwing", "[http][embed]") {
  paysandbox::Options options;
  options.fixtures_dir = "/nonexistent/fixtures";
  auto opened = paysandbox::Sandbox::open(options);
  CHECK_FALSE(opened);
  CHECK(opened.sandbox == nullptr);
  CHECK(opened.error.find("fixtures") != std::string::npos);

  auto good = paysandbox::Sandbox::open();
  REQUIRE(good);
  CHECK(good.sandbox->port() > 0);
  CHECK(good.error.empty());
}

TEST_CASE("the typed create_account and mint_card carry the account's settings and card",
          "[http][embed]") {
  TestSandbox sandbox;
  api::AccountSettings settings;
  settings.name = "Typed";
  settings.fee_rules = api::FeeRules{{100, 0}, {0, 99}};
  settings.enable_ach = false;
  auto account = sandbox.sandbox().create_account(settings);
  CHECK(account.uid.rfind("pa_", 0) == 0);
  CHECK(account.name == "Typed");
  CHECK(account.webhook_secret.rfind("whsec_", 0) == 0);
  CHECK(account.fee_rules.credit.percent_bps == 100);
  CHECK(account.fee_rules.ach.fixed == 99);
  CHECK_FALSE(account.enable_ach);
  CHECK(account.callback_url.empty());

  auto token = sandbox.sandbox().mint_card(account.uid, "5555555555554444", 6, 2031);
  CHECK(token.fingerprint.rfind("ptok_", 0) == 0);
  CHECK(token.card_brand == "MASTERCARD");
  CHECK(token.last4 == "4444");
  CHECK(token.exp_year == 2031);
}

TEST_CASE("the typed mint_card checks the number itself: nothing is spliced into a body",
          "[http][embed]") {
  TestSandbox sandbox;
  const std::string uid = sandbox.sandbox().create_account().uid;
  try {
    sandbox.sandbox().mint_card(uid, "4111111111111111\",\"holder_name\":\"x", 12, 2030);
    FAIL("a number with quotes in it was accepted");
  } catch (const api::Error& e) {
    CHECK(e.status() == 400);
    CHECK(e.code() == "validation_error");
    CHECK(e.param() == "number");
  }
  CHECK(sandbox.sandbox().mint_card(uid, "4111111111111111").last4 == "1111");
  // An account that does not exist is the routes' 404.
  try {
    sandbox.sandbox().mint_card("pa_nope", "4111111111111111");
    FAIL("a token was minted for no account");
  } catch (const api::Error& e) {
    CHECK(e.status() == 404);
    CHECK(e.code() == "not_found");
  }
}

TEST_CASE("a typed control call refuses a value in the words of its route", "[http][embed]") {
  TestSandbox sandbox;
  paysandbox::Sandbox& sb = sandbox.sandbox();
  const std::string uid = sb.create_account().uid;
  Merchant merchant(sandbox, uid, sandbox.token());
  // A refusal as {param, message}: the route's answer to `body`, and what
  // the typed `call` throws.
  using Refusal = std::pair<std::string, std::string>;
  auto route_refusal = [&](const std::string& path, const json& body) {
    const Reply reply = merchant.control_post(path, body);
    INFO(reply.body);
    REQUIRE(reply.status == 400);
    const json error = reply.json_body();
    return Refusal{error.at("param"), error.at("message")};
  };
  auto typed_refusal = [](const auto& call) {
    try {
      call();
    } catch (const api::Error& e) {
      CHECK(e.status() == 400);
      return Refusal{e.param(), e.message()};
    }
    FAIL("the typed call was accepted");
    return Refusal{};
  };

  SECTION("mint_bank_account") {
    api::BankAccount bank;
    bank.routing_number = "011000015";
    bank.account_number = "000123456789";
    auto refusals = [&] {
      const json ach = {{"routing_number", bank.routing_number},
                        {"account_number", bank.account_number},
                        {"account_type", bank.account_type},
                        {"bank_name", bank.bank_name},
                        {"holder_name", bank.holder_name}};
      const Refusal routed = route_refusal("/_sandbox/tokens", {{"ach", ach}});
      CHECK(typed_refusal([&] { sb.mint_bank_account(uid, bank); }) == routed);
      return routed;
    };
    bank.routing_number = "01100001";
    CHECK(refusals().second == "'ach.routing_number' must be at least 9 characters long.");
    bank.routing_number = "01100001x";
    CHECK(refusals().second == "'ach.routing_number' must be 9 digits; got '01100001x'.");
    bank.routing_number = "011000015";
    bank.account_number = "123456789012345678";
    CHECK(refusals().second == "'ach.account_number' must be at most 17 characters long; got 18.");
    bank.account_number = "1234-5678";
    CHECK(refusals().second == "'ach.account_number' must be 4 to 17 digits; got '1234-5678'.");
    bank.account_number = "000123456789";
    bank.account_type = "brokerage";
    CHECK(refusals().second ==
          "'ach.account_type' must be one of 'checking', 'savings', 'business_checking', "
          "'business_savings'; got 'brokerage'.");
    bank.account_type = "savings";
    bank.holder_name = std::string(256, 'h');
    CHECK(refusals().second == "'ach.holder_name' must be at most 255 characters long; got 256.");
  }

  SECTION("mint_card, whose fields are the route's card's") {
    std::string number = "4111111111111111";
    int exp_month = 12;
    int exp_year = 2030;
    auto refusals = [&] {
      const json card = {{"number", number}, {"exp_month", exp_month}, {"exp_year", exp_year}};
      Refusal routed = route_refusal("/_sandbox/tokens", {{"card", card}});
      for (std::string* text : {&routed.first, &routed.second}) text->erase(text->find("card."), 5);
      CHECK(typed_refusal([&] { sb.mint_card(uid, number, exp_month, exp_year); }) == routed);
      return routed;
    };
    number = "4242";
    CHECK(refusals().second == "'number' must be at least 12 characters long.");
    number = "41111111111111111111";
    CHECK(refusals().second == "'number' must be at most 19 characters long; got 20.");
    number = "4111 1111 1111 1111";
    CHECK(refusals().second == "'number' must be 12 to 19 digits; got '4111 1111 1111 1111'.");
    number = "4111111111111111";
    exp_month = 13;
    CHECK(refusals().second == "'exp_month' must be an integer from 1 to 12; got 13.");
    exp_month = 12;
    exp_year = 1999;
    CHECK(refusals().second == "'exp_year' must be an integer from 2000 to 2099; got 1999.");
  }

  SECTION("apply_noc") {
    api::NocUpdate update;
    update.saved_payment_method_uid = "spm_checked_before_it_is_looked_up";
    auto refusals = [&] {
      json item = {{"saved_payment_method_uid", update.saved_payment_method_uid}};
      if (update.exp_month) item["exp_month"] = *update.exp_month;
      if (update.exp_year) item["exp_year"] = *update.exp_year;
      if (update.last4) item["last4"] = *update.last4;
      if (update.card_brand) item["card_brand"] = *update.card_brand;
      if (update.account_number_suffix)
        item["account_number_suffix"] = *update.account_number_suffix;
      if (update.routing_number) item["routing_number"] = *update.routing_number;
      const Refusal routed = route_refusal("/_sandbox/noc", {{"updates", {item}}});
      CHECK(typed_refusal([&] { sb.apply_noc(uid, {update}); }) == routed);
      return routed;
    };
    CHECK(refusals().second ==
          "'updates.0' changes nothing; send at least one of exp_month, exp_year, last4, "
          "card_brand (cards) or account_number_suffix, routing_number (ACH).");
    update.exp_month = 0;
    CHECK(refusals().second == "'updates.0.exp_month' must be an integer from 1 to 12; got 0.");
    update.exp_month = 5;
    update.last4 = "123";
    CHECK(refusals().second == "'updates.0.last4' must be 4 digits; got '123'.");
    update.last4 = "12345";
    CHECK(refusals().second == "'updates.0.last4' must be at most 4 characters long; got 5.");
    update.last4.reset();
    update.card_brand = "";
    CHECK(refusals().second ==
          "'updates.0.card_brand' must be a brand such as VISA or MASTERCARD.");
    update.card_brand = std::string(33, 'V');
    CHECK(refusals().second ==
          "'updates.0.card_brand' must be at most 32 characters long; got 33.");
    update.card_brand.reset();
    update.routing_number = "0110000150";
    CHECK(refusals().second ==
          "'updates.0.routing_number' must be at most 9 characters long; got 10.");
    update.routing_number.reset();
    update.saved_payment_method_uid = std::string(65, 's');
    CHECK(refusals().second ==
          "'updates.0.saved_payment_method_uid' must be at most 64 characters long; got 65.");
  }
}

TEST_CASE("the typed control calls answer what the control API answers over HTTP",
          "[http][embed]") {
  TestSandbox sandbox;
  paysandbox::Sandbox& sb = sandbox.sandbox();
  const api::Account account = sb.create_account();
  Merchant merchant(sandbox, account.uid, sandbox.token());
  const json customer = merchant.create_customer("user-1");
  const json saved = merchant.save_card(customer.at("uid"));
  const std::string method_uid = saved.at("saved_payment_method_uid");

  SECTION("clock: advance answers where the account's clock stands, the server's does not move") {
    const api::ClockState before = sb.clock(account.uid);
    CHECK(before.account_uid == account.uid);
    const api::ClockState after = sb.advance_clock(90s, account.uid);
    CHECK(after.offset_seconds == before.offset_seconds + 90);
    CHECK(merchant.control_get("/_sandbox/clock").json_body().at("offset_seconds") ==
          after.offset_seconds);
    CHECK(sb.clock().offset_seconds == 0);
    CHECK_THROWS_AS(sb.advance_clock(-1s, account.uid), api::Error);
  }

  SECTION("events and deliveries: trigger, NOC, filters and redelivery") {
    const api::Event triggered = sb.trigger_webhook(account.uid, "ivr.completed", R"({"k":1})");
    CHECK(triggered.type == "ivr.completed");
    CHECK(json::parse(triggered.data) == json{{"k", 1}});
    CHECK(triggered.delivery_status == api::DeliveryStatus::kNotConfigured);

    api::NocUpdate update;
    update.saved_payment_method_uid = method_uid;
    update.exp_year = 2033;
    const api::Event noc = sb.apply_noc(account.uid, {update});
    CHECK(noc.type == "provider.noc");
    CHECK(merchant.get(methods_path(customer))
              .json_body()
              .at(0)
              .at("payment_method")
              .at("credit")
              .at("exp_year") == 2033);

    // Over HTTP the same events come back, in the same order.
    const json listed = merchant.control_get("/_sandbox/events").json_body();
    const auto typed = sb.events(account.uid);
    REQUIRE(typed.size() == listed.size());
    for (std::size_t i = 0; i < typed.size(); ++i) {
      CHECK(typed[i].id == listed[i].at("webhook_id"));
      CHECK(json::parse(typed[i].data) == listed[i].at("data"));
    }
    api::EventFilter only_noc;
    only_noc.type = "provider.noc";
    REQUIRE(sb.events(account.uid, only_noc).size() == 1);
    CHECK(sb.events(account.uid, only_noc)[0].id == noc.id);
    api::EventFilter after;
    after.after = triggered.id;
    CHECK(sb.events(account.uid, after).back().id == noc.id);

    // Refusals carry the route's status, code and param.
    try {
      sb.trigger_webhook(account.uid, "not.a.type");
      FAIL("an unknown event type was accepted");
    } catch (const api::Error& e) {
      CHECK(e.status() == 400);
      CHECK(e.param() == "event_type");
    }
    CHECK_THROWS_AS(sb.trigger_webhook(account.uid, "ivr.completed", "[1]"), api::Error);
    api::NocUpdate empty;
    empty.saved_payment_method_uid = method_uid;
    try {
      sb.apply_noc(account.uid, {update, empty});
      FAIL("an update that changes nothing was accepted");
    } catch (const api::Error& e) {
      CHECK(e.param() == "updates.1");
    }
    api::NocUpdate missing;
    missing.saved_payment_method_uid = "spm_missing";
    missing.exp_month = 3;
    try {
      sb.apply_noc(account.uid, {missing});
      FAIL("an update of no method was accepted");
    } catch (const api::Error& e) {
      CHECK(e.status() == 404);
    }
    CHECK(sb.webhook_deliveries(account.uid).empty());
  }

  SECTION("snapshots: save, list, file, restore, and a fork that copies the account") {
    const api::Snapshot saved_snapshot = sb.snapshot("before", account.uid);
    CHECK(saved_snapshot.name == "before");
    CHECK(saved_snapshot.account_uid == account.uid);
    CHECK(saved_snapshot.rows > 0);
    CHECK_FALSE(sb.snapshot_file("before").empty());
    REQUIRE(sb.snapshots().size() == 1);
    try {
      sb.snapshot("before", account.uid);
      FAIL("a taken name was accepted");
    } catch (const api::Error& e) {
      CHECK(e.status() == 409);
    }
    merchant.create_customer("user-2");
    CHECK(merchant.get("/api/customers").json_body().size() == 2);
    CHECK(sb.restore("before").name == "before");
    CHECK(merchant.get("/api/customers").json_body().size() == 1);

    const api::Account fork = sb.fork_account(account.uid);
    CHECK(fork.forked_from == account.uid);
    CHECK(fork.uid != account.uid);
    Merchant copy(sandbox, fork.uid, merchant.token());
    CHECK(copy.get("/api/customers").json_body().at(0).at("reference_id") == "user-1");
    CHECK(sb.remove_snapshot("before"));
    CHECK_FALSE(sb.remove_snapshot("before"));
    CHECK_THROWS_AS(sb.restore("before"), api::Error);
  }

  SECTION("reset_account empties the account and keeps it; a scenario loads and clears") {
    const auto loaded = sb.load_scenario(account.uid, R"({"name": "n", "rules": [
      {"match": {"path": "/api/customers"}, "action": {"type": "error", "status": 503}}]})");
    CHECK(loaded.name == "n");
    CHECK(merchant.get("/api/customers").status == 503);
    CHECK(merchant.control_get("/_sandbox/scenarios").json_body().size() == 1);
    sb.clear_scenarios(account.uid);
    CHECK(merchant.control_get("/_sandbox/scenarios").json_body().empty());
    CHECK(merchant.get("/api/customers").status == 200);
    sb.reset_account(account.uid);
    CHECK(merchant.get("/api/customers").json_body().empty());
    CHECK_THROWS_AS(sb.reset_account("pa_nope"), api::Error);
  }

  SECTION("accounts: read one or all, point webhooks, replace fee rules") {
    const api::Account read = sb.account(account.uid);
    CHECK(read.uid == account.uid);
    CHECK(read.webhook_secret == account.webhook_secret);
    CHECK(sb.account("pa_sandbox").uid == "pa_sandbox");
    try {
      sb.account("pa_nope");
      FAIL("an unknown account was found");
    } catch (const api::Error& e) {
      CHECK(e.status() == 404);
    }
    const auto all = sb.accounts();
    const json listed = merchant.control_get("/_sandbox/accounts").json_body();
    REQUIRE(all.size() == listed.size());
    for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].uid == listed[i].at("uid"));

    // A URL alone turns webhooks on; "" alone turns them off; `enabled` wins.
    api::WebhookSettings hooks;
    hooks.callback_url = "http://127.0.0.1:9/webhooks";
    api::Account changed = sb.set_webhooks(account.uid, hooks);
    CHECK(changed.callback_url == "http://127.0.0.1:9/webhooks");
    CHECK(changed.webhook_enabled);
    const json over_http = merchant.control_get("/_sandbox/accounts/" + account.uid).json_body();
    CHECK(over_http.at("callback_url") == "http://127.0.0.1:9/webhooks");
    CHECK(over_http.at("webhook_enabled") == true);
    api::WebhookSettings off;
    off.enabled = false;
    changed = sb.set_webhooks(account.uid, off);
    CHECK(changed.callback_url == "http://127.0.0.1:9/webhooks");
    CHECK_FALSE(changed.webhook_enabled);
    api::WebhookSettings none;
    none.callback_url = "";
    CHECK(sb.set_webhooks(account.uid, none).callback_url.empty());
    api::WebhookSettings bad;
    bad.callback_url = "ftp://example";
    try {
      sb.set_webhooks(account.uid, bad);
      FAIL("a callback_url that is no http URL was accepted");
    } catch (const api::Error& e) {
      CHECK(e.status() == 400);
      CHECK(e.param() == "callback_url");
    }

    api::FeeRules fees;
    fees.credit = {100, 25};
    fees.ach = {0, 99};
    const api::Account priced = sb.set_fee_rules(account.uid, fees);
    CHECK(priced.fee_rules.credit.percent_bps == 100);
    CHECK(priced.fee_rules.ach.fixed == 99);
    const json rules =
        merchant.control_get("/_sandbox/accounts/" + account.uid).json_body().at("fee_rules");
    CHECK(rules.at("credit").at("percent_bps") == 100);
    CHECK(rules.at("credit").at("fixed") == 25);
    fees.credit.percent_bps = 10001;
    try {
      sb.set_fee_rules(account.uid, fees);
      FAIL("a fee over 100 % was accepted");
    } catch (const api::Error& e) {
      CHECK(e.param() == "fee_rules.credit.percent_bps");
    }
  }

  SECTION("mint_bank_account answers a token that saves as an ACH method") {
    api::BankAccount bank;
    bank.routing_number = "011000015";
    bank.account_number = "000123456789";
    bank.account_type = "savings";
    const api::BankToken token = sb.mint_bank_account(account.uid, bank);
    CHECK(token.fingerprint.rfind("ptok_", 0) == 0);
    CHECK(token.account_number_suffix == "6789");
    CHECK(token.account_type == "savings");
    const json minted = {{"fingerprint", token.fingerprint},
                         {"ach",
                          {{"account_number_suffix", token.account_number_suffix},
                           {"routing_number", token.routing_number},
                           {"account_type", token.account_type}}}};
    auto saved_ach =
        merchant.post(methods_path(customer), {{"payment_method", ach_method(minted)}});
    INFO(saved_ach.body);
    CHECK(saved_ach.status == 201);
    bank.routing_number = "011000016";  // fails the ABA checksum
    try {
      sb.mint_bank_account(account.uid, bank);
      FAIL("a routing number failing the checksum was accepted");
    } catch (const api::Error& e) {
      CHECK(e.status() == 400);
      CHECK(e.param() == "ach.routing_number");
    }
    bank.routing_number = "011000015";
    bank.account_type = "brokerage";
    CHECK_THROWS_AS(sb.mint_bank_account(account.uid, bank), api::Error);
  }

  SECTION("scenarios: list the loaded ones and unload one") {
    const auto first = sb.load_scenario(account.uid, R"({"name": "a", "rules": [
      {"match": {"path": "/api/payments"}, "action": {"type": "error", "status": 503}}]})");
    const auto second = sb.load_scenario(account.uid, R"({"name": "b", "rules": [
      {"match": {"path": "/api/payments"}, "action": {"type": "error", "status": 503}}]})");
    auto loaded = sb.scenarios(account.uid);
    REQUIRE(loaded.size() == 2);
    CHECK(loaded[0].id == first.id);
    CHECK(loaded[1].name == "b");
    CHECK(sb.remove_scenario(account.uid, first.id));
    CHECK_FALSE(sb.remove_scenario(account.uid, first.id));
    loaded = sb.scenarios(account.uid);
    REQUIRE(loaded.size() == 1);
    CHECK(loaded[0].id == second.id);
    const json listed = merchant.control_get("/_sandbox/scenarios").json_body();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].at("id") == second.id);
  }

  SECTION("session_challenge reads the code an sms challenge sent") {
    const json session =
        merchant
            .post("/v1/hosted-sessions",
                  {{"amount", 1500},
                   {"currency", "USD"},
                   {"success_url", "https://shop.example/paid"},
                   {"cancel_url", "https://shop.example/cancelled"},
                   {"fraud_signals", {{"is_authorized", false}, {"phone", "+1 801 555 0100"}}}})
            .json_body();
    const std::string id = session.at("session_id");
    api::SessionChallenge challenge = sb.session_challenge(account.uid, id);
    CHECK(challenge.session_id == id);
    CHECK(challenge.type == "sms");
    CHECK_FALSE(challenge.code_sent);
    CHECK(challenge.code.empty());
    REQUIRE(merchant.post("/v1/hosted-sessions/" + id + "/challenge/send", json::object()).status ==
            200);
    challenge = sb.session_challenge(account.uid, id);
    CHECK(challenge.code_sent);
    CHECK(challenge.code.size() == 6);
    CHECK(merchant.control_get("/_sandbox/hosted-sessions/" + id + "/challenge")
              .json_body()
              .at("code") == challenge.code);
    try {
      sb.session_challenge(account.uid, "cs_nope");
      FAIL("an unknown session was found");
    } catch (const api::Error& e) {
      CHECK(e.status() == 404);
    }
  }

  SECTION("requests reads the journal across accounts or for one") {
    api::RequestFilter filter;
    filter.account_uid = account.uid;
    filter.path_prefix = "/api/customers";
    const auto recorded = sb.requests(filter);
    REQUIRE_FALSE(recorded.empty());
    CHECK(recorded.front().account_uid == account.uid);
    CHECK(recorded.front().method == "POST");
  }
}

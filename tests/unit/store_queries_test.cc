// Each store's queries against ":memory:": what goes in comes back, scoped
// to its account, in the documented order.
#include "store/account_store.h"
#include "store/connection.h"
#include "store/delivery_store.h"
#include "store/event_store.h"
#include "store/failure.h"
#include "store/idempotency_store.h"
#include "store/payment_store.h"
#include "store/wallet_store.h"
#include "support/catch.h"
#include "support/harness.h"

using namespace paysandbox;

namespace {

Customer customer(const std::string& account, const std::string& uid, const std::string& ref,
                  Millis created_at = 0) {
  Customer c;
  c.uid = uid;
  c.account_uid = account;
  c.reference_id = ref;
  c.created_at = created_at;
  return c;
}

SavedMethod method(const std::string& account, const std::string& customer_uid,
                   const std::string& uid, Millis created_at = 0) {
  SavedMethod m;
  m.uid = uid;
  m.account_uid = account;
  m.customer_uid = customer_uid;
  m.permanent_token = "tok_" + uid;
  m.card.last4 = "1111";
  m.card.bin = "411111";
  m.card.card_brand = "VISA";
  m.card.exp_month = 12;
  m.card.exp_year = 2030;
  m.outcome = Outcome::kInsufficientFunds;
  m.created_at = m.updated_at = created_at;
  return m;
}

Payment payment(const std::string& account, const std::string& uid, const std::string& ref,
                Millis created_at) {
  Payment p;
  p.uid = uid;
  p.account_uid = account;
  p.base_amount = 1000;
  p.tax_amount = 80;
  p.processing_fee_amount = 35;
  p.total_amount = 1115;
  p.reference_id = ref;
  p.method.type = PaymentMethodType::kWalletCredit;
  p.method.saved_method_uid = "spm_1";
  p.method.card.last4 = "4242";
  p.method.outcome = Outcome::kApproved;
  p.method_request = "{\"wallet\":\"spm_1\"}";
  p.created_at = p.updated_at = created_at;
  return p;
}

EventRecord event(const std::string& account, const std::string& id, EventType type,
                  DeliveryStatus status) {
  EventRecord e;
  e.id = id;
  e.account_uid = account;
  e.event_type = type;
  e.timestamp = 1767225600;
  e.data = "{\"n\":1}";
  e.delivery_status = status;
  return e;
}

}  // namespace

TEST_CASE("the account store keeps clients, accounts, tokens and clock offsets",
          "[unit][store][accounts]") {
  Store store(":memory:");
  AccountStore accounts(store);
  accounts.upsert_client(Client{"c1", "s1"});
  accounts.upsert_client(Client{"c1", "s2"});  // fixtures again, changed
  auto client = accounts.find_client("c1");
  REQUIRE(client);
  CHECK(client->client_secret == "s2");
  CHECK_FALSE(accounts.find_client("c2"));

  Account account;
  account.uid = "pa_1";
  account.client_id = "c1";
  account.name = "First";
  account.fee_rules.credit = FeeRule{250, 10};
  account.disabled_event_types = {EventType::kPaymentFailed};
  CHECK(accounts.insert_account(account));
  account.name = "Second";
  CHECK_FALSE(accounts.insert_account(account));  // the row that exists is kept
  auto found = accounts.find_account("pa_1");
  REQUIRE(found);
  CHECK(found->name == "First");
  CHECK(found->fee_rules.credit.percent_bps == 250);
  CHECK(found->fee_rules.credit.fixed == 10);
  CHECK(found->disabled_event_types == std::vector<EventType>{EventType::kPaymentFailed});
  account.name = "Renamed";
  accounts.update_account(account);
  CHECK(accounts.find_account("pa_1")->name == "Renamed");
  CHECK(accounts.all_accounts().size() == 1);

  accounts.insert_access_token(AccessToken{"at_1", "c1", "payments", 5000});
  auto token = accounts.find_access_token("at_1");
  REQUIRE(token);
  CHECK(token->client_id == "c1");
  CHECK(token->scope == "payments");
  CHECK(token->expires_at == 5000);

  accounts.save_server_offset(42);
  CHECK(accounts.load_server_offset() == 42);
  accounts.save_account_offset("pa_1", 7);
  accounts.save_account_offset("pa_1", 9);
  auto offsets = accounts.load_account_offsets();
  REQUIRE(offsets.size() == 1);
  CHECK(offsets[0] == std::make_pair(std::string("pa_1"), Millis{9}));
}

TEST_CASE("a reference_id is unique within an account, not across accounts",
          "[unit][store][wallet]") {
  Store store(":memory:");
  WalletStore wallet(store);
  CHECK(wallet.insert_customer(customer("pa_a", "cus_1", "ref")));
  CHECK_FALSE(wallet.insert_customer(customer("pa_a", "cus_2", "ref")));
  CHECK(wallet.insert_customer(customer("pa_b", "cus_3", "ref")));
  auto found = wallet.find_customer_by_reference("pa_a", "ref");
  REQUIRE(found);
  CHECK(found->uid == "cus_1");
  CHECK_FALSE(wallet.find_customer("pa_b", "cus_1"));
}

TEST_CASE("customer lists filter, order and page", "[unit][store][wallet]") {
  Store store(":memory:");
  WalletStore wallet(store);
  for (int i = 0; i < 5; ++i)
    REQUIRE(wallet.insert_customer(
        customer("pa_a", "cus_" + std::to_string(i), "ref-" + std::to_string(i), i * 1000)));
  REQUIRE(wallet.insert_customer(customer("pa_b", "cus_other", "ref-0")));

  ListQuery all;
  CHECK(wallet.list_customers("pa_a", all).size() == 5);
  ListQuery by_reference;
  by_reference.filters.push_back({"reference_id", "ref-3"});
  auto one = wallet.list_customers("pa_a", by_reference);
  REQUIRE(one.size() == 1);
  CHECK(one[0].uid == "cus_3");
  ListQuery page;
  page.descending = true;
  page.skip = 1;
  page.top = 2;
  auto paged = wallet.list_customers("pa_a", page);
  REQUIRE(paged.size() == 2);
  CHECK(paged[0].uid == "cus_3");
  CHECK(paged[1].uid == "cus_2");
}

TEST_CASE("saved methods round-trip, and the first one becomes the default",
          "[unit][store][wallet]") {
  Store store(":memory:");
  WalletStore wallet(store);
  REQUIRE(wallet.insert_customer(customer("pa_a", "cus_1", "ref")));
  CHECK(wallet.insert_method(method("pa_a", "cus_1", "spm_1", 1)));
  CHECK_FALSE(wallet.insert_method(method("pa_a", "cus_1", "spm_2", 2)));
  auto found = wallet.find_method("pa_a", "spm_1");
  REQUIRE(found);
  CHECK(found->permanent_token == "tok_spm_1");
  CHECK(found->card.card_brand == "VISA");
  CHECK(found->card.exp_year == 2030);
  CHECK(found->outcome == Outcome::kInsufficientFunds);
  CHECK(wallet.find_customer("pa_a", "cus_1")->default_payment_method_uid == "spm_1");

  auto both = wallet.find_customer_methods("pa_a", "cus_1");
  REQUIRE(both);
  REQUIRE(both->second.size() == 2);
  CHECK(both->second[0].uid == "spm_1");
  CHECK(both->second[1].uid == "spm_2");

  wallet.set_default_method("pa_a", "cus_1", std::string("spm_2"));
  CHECK(wallet.find_customer("pa_a", "cus_1")->default_payment_method_uid == "spm_2");
  CHECK_FALSE(wallet.delete_method("pa_b", "cus_1", "spm_1"));
  CHECK(wallet.delete_method("pa_a", "cus_1", "spm_1"));
  CHECK(wallet.list_methods("pa_a", "cus_1").size() == 1);

  SavedMethod changed = *wallet.find_method("pa_a", "spm_2");
  changed.card.exp_year = 2031;
  wallet.update_methods({changed});
  CHECK(wallet.find_method("pa_a", "spm_2")->card.exp_year == 2031);
  CHECK(wallet.list_account_methods("pa_a").size() == 1);
  CHECK(wallet.list_account_methods("pa_b").empty());
}

// The list clients poll is answered from the last read while nothing has
// changed (wallet_store.cc); every kind of change must show at once.
static void method_list_shows_every_change(bool in_file) {
  ::testing::TempDb file;
  Store store(in_file ? file.path() : ":memory:");
  WalletStore wallet(store);
  auto uids = [&]() {
    std::vector<std::string> out;
    auto both = wallet.find_customer_methods("pa_a", "cus_1");
    if (!both) return std::vector<std::string>{"(no customer)"};
    out.push_back("default=" + both->first.default_payment_method_uid.value_or(""));
    for (const auto& m : both->second) out.push_back(m.uid);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(uids() == V{"(no customer)"});
  REQUIRE(wallet.insert_customer(customer("pa_a", "cus_1", "ref")));
  CHECK(uids() == V{"default="});
  wallet.insert_method(method("pa_a", "cus_1", "spm_1", 1));
  CHECK(uids() == V{"default=spm_1", "spm_1"});
  CHECK(uids() == V{"default=spm_1", "spm_1"});  // the same, read again
  wallet.insert_method(method("pa_a", "cus_1", "spm_2", 2));
  CHECK(uids() == V{"default=spm_1", "spm_1", "spm_2"});
  wallet.set_default_method("pa_a", "cus_1", std::string("spm_2"));
  CHECK(uids() == V{"default=spm_2", "spm_1", "spm_2"});
  SavedMethod changed = *wallet.find_method("pa_a", "spm_1");
  changed.card.exp_year = 2040;
  wallet.update_method(changed);
  CHECK(wallet.find_customer_methods("pa_a", "cus_1")->second[0].card.exp_year == 2040);
  CHECK(wallet.delete_method("pa_a", "cus_1", "spm_2"));
  CHECK(uids() == V{"default=", "spm_1"});

  SECTION("a unit of work sees its own writes, and a rollback takes them back") {
    {
      Store::Transaction unit(store);
      wallet.insert_method(method("pa_a", "cus_1", "spm_3", 3));
      CHECK(uids() == V{"default=spm_3", "spm_1", "spm_3"});
    }
    CHECK(uids() == V{"default=", "spm_1"});
  }
  SECTION("an account reset empties it") {
    store.with([&](Connection& c) { store.delete_account_rows(c, "pa_a"); });
    CHECK(uids() == V{"(no customer)"});
  }
  SECTION("a write from another connection to the same file shows") {
    if (!in_file) return;
    Store other(file.path());
    WalletStore other_wallet(other);
    other_wallet.insert_method(method("pa_a", "cus_1", "spm_9", 9));
    CHECK(uids() == V{"default=spm_9", "spm_1", "spm_9"});
  }
}

TEST_CASE("a customer's method list, read again, shows every change (in memory)",
          "[unit][store][wallet]") {
  method_list_shows_every_change(false);
}

TEST_CASE("a customer's method list, read again, shows every change (in a file)",
          "[unit][store][wallet]") {
  method_list_shows_every_change(true);
}

TEST_CASE("expiring tokens touches only live tokens of that account", "[unit][store][wallet]") {
  Store store(":memory:");
  WalletStore wallet(store);
  ProxyToken token;
  token.fingerprint = "ptok_1";
  token.account_uid = "pa_a";
  token.card.last4 = "1111";
  token.outcome = Outcome::kCardDeclined;
  token.expires_at = 1000;
  wallet.insert_token(token);
  token.fingerprint = "ptok_2";
  wallet.insert_token(token);
  token.fingerprint = "ptok_3";
  token.account_uid = "pa_b";
  wallet.insert_token(token);

  auto found = wallet.find_token("pa_a", "ptok_1");
  REQUIRE(found);
  CHECK(found->outcome == Outcome::kCardDeclined);
  CHECK_FALSE(wallet.find_token("pa_b", "ptok_1"));
  CHECK(wallet.expire_tokens("pa_a", 500) == 2);
  CHECK(wallet.find_token("pa_a", "ptok_1")->expires_at <= 500);
  CHECK(wallet.find_token("pa_b", "ptok_3")->expires_at == 1000);
}

TEST_CASE("payments round-trip and change only through a transition", "[unit][store][payments]") {
  Store store(":memory:");
  PaymentStore payments(store);
  payments.insert(payment("pa_a", "pay_1", "order-1", 10));
  payments.insert(payment("pa_a", "pay_2", "order-2", 20));
  payments.insert(payment("pa_b", "pay_3", "order-1", 30));

  auto found = payments.find("pa_a", "pay_1");
  REQUIRE(found);
  CHECK(found->total_amount == 1115);
  CHECK(found->method.type == PaymentMethodType::kWalletCredit);
  CHECK(found->method.saved_method_uid == "spm_1");
  CHECK(found->method_request == "{\"wallet\":\"spm_1\"}");
  CHECK_FALSE(payments.find("pa_b", "pay_1"));

  ListQuery by_reference;
  by_reference.filters.push_back({"reference_id", "order-1"});
  auto listed = payments.list("pa_a", by_reference);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].uid == "pay_1");

  auto refused = payments.transition("pa_a", "pay_1", [](const Payment&) -> Result<Payment> {
    return make_error(ErrorCode::kConflict, "no");
  });
  REQUIRE_FALSE(refused);
  CHECK(payments.find("pa_a", "pay_1")->status == PaymentStatus::kValidated);
  auto done = payments.transition("pa_a", "pay_1", [](const Payment& p) -> Result<Payment> {
    Payment next = p;
    next.status = PaymentStatus::kCompleted;
    next.transaction_id = "txn_1";
    next.captured_at = 50;
    return next;
  });
  REQUIRE(done);
  auto after = payments.find("pa_a", "pay_1");
  CHECK(after->status == PaymentStatus::kCompleted);
  CHECK(after->transaction_id == "txn_1");
  auto missing =
      payments.transition("pa_a", "pay_9", [](const Payment& p) -> Result<Payment> { return p; });
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
}

TEST_CASE("a look-alike is a captured payment of the same instrument and amount since a time",
          "[unit][store][payments]") {
  Store store(":memory:");
  PaymentStore payments(store);
  Payment captured = payment("pa_a", "pay_1", "r", 10);
  captured.status = PaymentStatus::kCompleted;
  captured.captured_at = 100;
  payments.insert(captured);
  payments.insert(payment("pa_a", "pay_2", "r", 10));  // validated only
  const std::string key = instrument_key(captured.method);
  auto found = payments.find_look_alike("pa_a", key, 1080, 50);
  REQUIRE(found);
  CHECK(found->uid == "pay_1");
  CHECK_FALSE(payments.find_look_alike("pa_a", key, 1080, 100));  // too old
  CHECK_FALSE(payments.find_look_alike("pa_a", key, 999, 50));    // other amount
  CHECK_FALSE(payments.find_look_alike("pa_b", key, 1080, 50));   // other account
}

TEST_CASE("an idempotency answer is kept per tenant and key, the last one winning",
          "[unit][store][idempotency]") {
  Store store(":memory:");
  IdempotencyStore answers(store);
  answers.put("pa_a", "k", StoredResponse{"fp", 201, "application/json", "{\"a\":1}", 5});
  auto found = answers.find("pa_a", "k");
  REQUIRE(found);
  CHECK(found->request_fingerprint == "fp");
  CHECK(found->status == 201);
  CHECK(found->content_type == "application/json");
  CHECK(found->body == "{\"a\":1}");
  CHECK(found->created_at == 5);
  CHECK_FALSE(answers.find("pa_b", "k"));
  answers.put("pa_a", "k", StoredResponse{"fp2", 200, "application/json", "{}", 9});
  CHECK(answers.find("pa_a", "k")->request_fingerprint == "fp2");
}

TEST_CASE("events list in order after a sequence number, by type, and pending ones for start-up",
          "[unit][store][events]") {
  Store store(":memory:");
  EventStore events(store);
  EventRecord first =
      event("pa_a", "evt_1", EventType::kPaymentCompleted, DeliveryStatus::kPending);
  EventRecord second =
      event("pa_a", "evt_2", EventType::kProviderNoc, DeliveryStatus::kNotConfigured);
  EventRecord third =
      event("pa_a", "evt_3", EventType::kPaymentCompleted, DeliveryStatus::kPending);
  EventRecord other =
      event("pa_b", "evt_4", EventType::kPaymentCompleted, DeliveryStatus::kPending);
  for (auto* e : {&first, &second, &third, &other}) events.insert(*e);
  CHECK(first.seq < second.seq);
  CHECK(second.seq < third.seq);

  auto all = events.list("pa_a", 0, std::nullopt, 100);
  REQUIRE(all.size() == 3);
  CHECK(all[0].id == "evt_1");
  CHECK(all[2].id == "evt_3");
  CHECK(all[1].event_type == EventType::kProviderNoc);
  auto after = events.list("pa_a", first.seq, EventType::kPaymentCompleted, 100);
  REQUIRE(after.size() == 1);
  CHECK(after[0].id == "evt_3");
  CHECK(events.list("pa_a", 0, std::nullopt, 2).size() == 2);
  CHECK_FALSE(events.find("pa_b", "evt_1"));

  first.delivery_status = DeliveryStatus::kDelivered;
  first.attempts = 2;
  first.scheduled_attempts = 1;
  events.update_delivery(first);
  auto updated = events.find("pa_a", "evt_1");
  REQUIRE(updated);
  CHECK(updated->delivery_status == DeliveryStatus::kDelivered);
  CHECK(updated->attempts == 2);
  CHECK(updated->scheduled_attempts == 1);
  CHECK(updated->data == "{\"n\":1}");

  auto pending = events.pending();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].id == "evt_3");
  CHECK(pending[1].id == "evt_4");
}

TEST_CASE("an event row whose type is not in the catalogue reads as a named storage error",
          "[unit][store][events]") {
  Store store(":memory:");
  EventStore events(store);
  EventRecord stored =
      event("pa_a", "evt_1", EventType::kPaymentCompleted, DeliveryStatus::kPending);
  events.insert(stored);
  store.with([](Connection& c) { c.exec("UPDATE events SET event_type = 'payment.teleported'"); });
  try {
    events.find("pa_a", "evt_1");
    FAIL("the row was read");
  } catch (const StoreFailure& failure) {
    CHECK(failure.error().code == ErrorCode::kStorage);
    CHECK_THAT(failure.error().message, Catch::Matchers::ContainsSubstring("'payment.teleported'"));
  }
}

TEST_CASE("delivery attempts list per account and event, oldest first", "[unit][store][events]") {
  Store store(":memory:");
  DeliveryStore deliveries(store);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    DeliveryRecord d;
    d.account_uid = "pa_a";
    d.webhook_id = attempt == 3 ? "evt_2" : "evt_1";
    d.event_type = EventType::kPaymentCompleted;
    d.url = "http://127.0.0.1:9/hooks";
    d.attempt = attempt;
    if (attempt == 1)
      d.status_code = 500;
    else
      d.error = "refused";
    deliveries.insert(d);
    CHECK(d.seq > 0);
  }
  auto first_event = deliveries.list("pa_a", "evt_1", 100);
  REQUIRE(first_event.size() == 2);
  CHECK(first_event[0].attempt == 1);
  CHECK(first_event[0].status_code == 500);
  CHECK(first_event[1].error == "refused");
  CHECK_FALSE(first_event[1].status_code);
  CHECK(deliveries.list("pa_a", "", 100).size() == 3);
  CHECK(deliveries.list("pa_a", "", 1).size() == 1);
  CHECK(deliveries.list("pa_b", "", 100).empty());
}

TEST_CASE("an account reset empties that account's rows and keeps the others",
          "[unit][store][reset]") {
  Store store(":memory:");
  AccountStore accounts(store);
  WalletStore wallet(store);
  PaymentStore payments(store);
  REQUIRE(wallet.insert_customer(customer("pa_a", "cus_1", "ref")));
  REQUIRE(wallet.insert_customer(customer("pa_b", "cus_2", "ref")));
  payments.insert(payment("pa_a", "pay_1", "r", 1));
  accounts.insert_access_token(AccessToken{"at_1", "c1", "", 5000});
  store.with([&](Connection& c) { store.delete_account_rows(c, "pa_a"); });
  CHECK_FALSE(wallet.find_customer("pa_a", "cus_1"));
  CHECK_FALSE(payments.find("pa_a", "pay_1"));
  CHECK(wallet.find_customer("pa_b", "cus_2"));
  store.with([&](Connection& c) { store.delete_all_rows(c); });
  CHECK_FALSE(wallet.find_customer("pa_b", "cus_2"));
  CHECK(accounts.find_access_token("at_1"));  // tokens survive a global reset
}

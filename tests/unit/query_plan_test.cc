// Every statement the stores prepare, run through EXPLAIN QUERY PLAN: a query
// that reads a whole table where an index should lead it to its rows fails
// here, long before a store with millions of rows makes it slow. The
// statements are not listed by hand: the test exercises each store's calls,
// then reads back every statement the connection cached, so a query added
// later is checked too (and the hot ones below must be among them).
#include <algorithm>
#include <string>
#include <vector>

#include "store/account_store.h"
#include "store/connection.h"
#include "store/delivery_store.h"
#include "store/event_store.h"
#include "store/idempotency_store.h"
#include "store/payment_store.h"
#include "store/session_store.h"
#include "store/wallet_store.h"
#include "support/catch.h"

using namespace paysandbox;

namespace {

// Tables a full read is fine for: a handful of rows each (fixture clients,
// one row per payment account, the server's own settings), read in whole at
// start-up by design.
const std::vector<std::string> kSmallTables = {"clients", "accounts", "meta", "access_tokens"};

// The plan's lines for `sql`, e.g. "SEARCH payments USING INDEX ...".
std::vector<std::string> plan_of(Connection& c, const std::string& sql) {
  SQLite::Statement s(c.db(), "EXPLAIN QUERY PLAN " + sql);
  std::vector<std::string> lines;
  while (s.executeStep()) lines.push_back(s.getColumn(3).getString());
  return lines;
}

// The table a "SCAN <table>" line reads whole, or "" when the line is not a
// full read of a table (a SEARCH, or a scan of a small table).
std::string full_scan_in(const std::string& line) {
  if (line.rfind("SCAN ", 0) != 0 || line == "SCAN CONSTANT ROW") return "";
  std::string table = line.substr(5);
  table = table.substr(0, table.find(' '));
  if (std::find(kSmallTables.begin(), kSmallTables.end(), table) != kSmallTables.end()) return "";
  return table;
}

Customer customer(const std::string& uid, const std::string& ref) {
  Customer c;
  c.uid = uid;
  c.account_uid = "pa_a";
  c.reference_id = ref;
  c.email = ref + "@example.com";
  return c;
}

SavedMethod method(const std::string& uid, const std::string& customer_uid) {
  SavedMethod m;
  m.uid = uid;
  m.account_uid = "pa_a";
  m.customer_uid = customer_uid;
  m.permanent_token = "tok_" + uid;
  m.card.last4 = "1111";
  m.card.exp_month = 12;
  m.card.exp_year = 2030;
  return m;
}

Payment payment(const std::string& uid, const std::string& ref) {
  Payment p;
  p.uid = uid;
  p.account_uid = "pa_a";
  p.base_amount = 1000;
  p.total_amount = 1000;
  p.reference_id = ref;
  p.method.type = PaymentMethodType::kWalletCredit;
  p.method.saved_method_uid = "spm_1";
  return p;
}

}  // namespace

TEST_CASE("every statement the stores prepare finds its rows through an index",
          "[unit][store][plan]") {
  Store store(":memory:");
  AccountStore accounts(store);
  WalletStore wallet(store);
  PaymentStore payments(store);
  EventStore events(store);
  IdempotencyStore answers(store);
  SessionStore sessions(store);
  DeliveryStore deliveries(store);

  // Accounts and clocks (small tables, read whole by design).
  Account account;
  account.uid = "pa_a";
  account.client_id = "sandbox-client";
  account.name = "Plans";
  accounts.insert_account(account);
  accounts.find_account("pa_a");
  accounts.save_account_offset("pa_a", 5);
  accounts.load_account_offsets();

  // Wallets: tokens, customers, saved methods.
  ProxyToken token;
  token.fingerprint = "ptok_1";
  token.account_uid = "pa_a";
  token.expires_at = 1000;
  wallet.insert_token(token);
  wallet.find_token("pa_a", "ptok_1");
  wallet.expire_tokens("pa_a", 10);
  wallet.insert_customer(customer("cus_1", "ref-1"));
  wallet.find_customer("pa_a", "cus_1");
  wallet.find_customer_by_reference("pa_a", "ref-1");
  ListQuery all;
  wallet.list_customers("pa_a", all);
  ListQuery by_reference;
  by_reference.filters.push_back({"reference_id", "ref-1"});
  wallet.list_customers("pa_a", by_reference);
  ListQuery by_email;
  by_email.filters.push_back({"email", "ref-1@example.com"});
  by_email.descending = true;
  wallet.list_customers("pa_a", by_email);
  wallet.insert_method(method("spm_1", "cus_1"));
  wallet.find_method("pa_a", "spm_1");
  wallet.list_methods("pa_a", "cus_1");
  wallet.find_customer_methods("pa_a", "cus_1");
  wallet.set_default_method("pa_a", "cus_1", std::string("spm_1"));
  wallet.delete_method("pa_a", "cus_1", "spm_1");

  // Payments.
  payments.insert(payment("pay_1", "order-1"));
  payments.find("pa_a", "pay_1");
  payments.list("pa_a", all);
  ListQuery payments_by_reference;
  payments_by_reference.filters.push_back({"reference_id", "order-1"});
  payments.list("pa_a", payments_by_reference);
  ListQuery by_status;
  by_status.filters.push_back({"status", "completed"});
  by_status.descending = true;
  payments.list("pa_a", by_status);
  payments.transition("pa_a", "pay_1", [](const Payment& p) -> Result<Payment> { return p; });
  payments.find_look_alike("pa_a", "card:1111", 1000, 0);

  // Events and deliveries.
  EventRecord e;
  e.id = "evt_1";
  e.account_uid = "pa_a";
  e.event_type = EventType::kPaymentCompleted;
  e.data = "{}";
  e.delivery_status = DeliveryStatus::kPending;
  events.insert(e);
  events.find("pa_a", "evt_1");
  events.list("pa_a", 0, std::nullopt, 100);
  events.list("pa_a", 1, EventType::kPaymentCompleted, 100);
  events.update_delivery(e);
  events.pending();
  DeliveryRecord d;
  d.account_uid = "pa_a";
  d.webhook_id = "evt_1";
  d.event_type = EventType::kPaymentCompleted;
  d.url = "http://127.0.0.1:9/hooks";
  d.attempt = 1;
  deliveries.insert(d);
  deliveries.list("pa_a", "evt_1", 100);
  deliveries.list("pa_a", "", 100);

  // Idempotency keys.
  answers.put("pa_a", "key-1", StoredResponse{"fp", 201, "application/json", "{}", 1});
  answers.find("pa_a", "key-1");

  // Hosted sessions.
  HostedSession h;
  h.id = "cs_1";
  h.client_secret = "cs_1_secret";
  h.account_uid = "pa_a";
  h.expires_at = 100;
  sessions.insert(h);
  sessions.find("cs_1");
  sessions.update(h);
  sessions.due_for_expiry("pa_a", 200);
  sessions.list_for_account("pa_a");
  sessions.accounts_with_active();

  // A reset of one account deletes its rows from every account table.
  store.with([&](Connection& c) { store.delete_account_rows(c, "pa_b"); });

  std::vector<std::string> statements =
      store.with([](Connection& c) { return c.cached_statements(); });
  std::sort(statements.begin(), statements.end());

  SECTION("no statement reads a large table whole") {
    int checked = 0;
    for (const auto& sql : statements) {
      if (sql.rfind("INSERT", 0) == 0 && sql.find("SELECT") == std::string::npos) continue;
      const auto plan = store.with([&](Connection& c) { return plan_of(c, sql); });
      ++checked;
      for (const auto& line : plan) {
        INFO(sql << "\n  plan: " << line);
        CHECK(full_scan_in(line).empty());
      }
    }
    CHECK(checked > 25);
  }

  SECTION("the hot queries are among those checked") {
    // A fragment of each hot query's text: customer by reference_id filter,
    // a customer's saved methods, a payment by uid, an account's events, an
    // idempotency key, pending events at start-up.
    for (const std::string hot :
         {"FROM customers WHERE account_uid = ? AND reference_id = ? ORDER BY seq",
          "FROM saved_methods WHERE account_uid = ? AND customer_uid = ? AND deleted = 0",
          "FROM payments WHERE account_uid = ? AND uid = ?",
          "FROM events WHERE account_uid = ?1 AND seq > ?2",
          "FROM idempotency_keys WHERE account_uid = ? AND key = ?",
          "FROM events WHERE delivery_status = ?"}) {
      INFO(hot);
      CHECK(std::any_of(statements.begin(), statements.end(), [&hot](const std::string& sql) {
        return sql.find(hot) != std::string::npos;
      }));
    }
  }
}

TEST_CASE("a list page in seq order is read in index order, not sorted after reading",
          "[unit][store][plan]") {
  Store store(":memory:");
  WalletStore wallet(store);
  PaymentStore payments(store);
  ListQuery all;
  wallet.list_customers("pa_a", all);
  payments.list("pa_a", all);
  for (const auto& sql : store.with([](Connection& c) { return c.cached_statements(); })) {
    if (sql.find(" LIMIT ") == std::string::npos) continue;
    for (const auto& line : store.with([&](Connection& c) { return plan_of(c, sql); })) {
      INFO(sql << "\n  plan: " << line);
      CHECK(line.find("TEMP B-TREE") == std::string::npos);
    }
  }
}

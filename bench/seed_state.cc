// A state generator (figures only; never assertions).
//
//   bench_seed_state --db FILE [--accounts N] [--customers N] [--methods N]
//                    [--payments N] [--events N] [--batch N]
//
// Fills a --db file with accounts, customers, saved cards, captured payments
// and events, through the store (not over HTTP), in big transactions, so a
// benchmark can measure the sandbox holding millions of objects. Defaults:
// 1,000 accounts, 100,000 customers, 1,000,000 saved methods, 1,000,000
// payments, 2,000,000 events; each kind is spread evenly over the accounts
// (and methods and payments over each account's customers). Ids are
// predictable, so a benchmark can name what it reads:
//   account a        pa_seed<a, 6 digits>           (a from 0)
//   customer c       cus_seed<c, 9 digits>          reference_id seed-<c>
//   saved method m   spm_seed<m, 9 digits>          on customer m % customers
//   payment p        pay_seed<p, 9 digits>          reference_id order-<p>
//   event e          evt_seed<e, 9 digits>          delivery_status not_configured
// Customer c belongs to account c % accounts. The file must not exist yet
// (or be empty): the generator adds to a fresh store. Prints each kind's
// rate and the file's size.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/clock.h"
#include "service/accounts.h"
#include "service/fixtures.h"
#include "store/account_store.h"
#include "store/connection.h"
#include "store/event_store.h"
#include "store/payment_store.h"
#include "store/wallet_store.h"

using namespace paysandbox;

namespace {

struct Counts {
  std::int64_t accounts = 1000;
  std::int64_t customers = 100000;
  std::int64_t methods = 1000000;
  std::int64_t payments = 1000000;
  std::int64_t events = 2000000;
  std::int64_t batch = 50000;  // rows per transaction
};

[[noreturn]] void usage(const char* why) {
  if (why) std::fprintf(stderr, "bench_seed_state: %s\n", why);
  std::fprintf(stderr,
               "usage: bench_seed_state --db FILE [--accounts N] [--customers N] [--methods N]\n"
               "                        [--payments N] [--events N] [--batch N]\n"
               "defaults: 1000 accounts, 100000 customers, 1000000 methods, 1000000 payments,\n"
               "          2000000 events, 50000 rows per transaction\n");
  std::exit(2);
}

std::string padded(const char* prefix, std::int64_t n, int width) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s%0*lld", prefix, width, static_cast<long long>(n));
  return buffer;
}

std::string account_uid(std::int64_t a) { return padded("pa_seed", a, 6); }
std::string customer_uid(std::int64_t c) { return padded("cus_seed", c, 9); }

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs fill(i) for i in [0, n) in transactions of `batch` rows and prints
// the rate.
template <typename Fill>
void seed(Store& store, const char* what, std::int64_t n, std::int64_t batch, Fill fill) {
  const auto start = std::chrono::steady_clock::now();
  for (std::int64_t from = 0; from < n; from += batch) {
    Store::Transaction tx(store);
    const std::int64_t to = std::min(n, from + batch);
    for (std::int64_t i = from; i < to; ++i) fill(i);
    tx.commit();
  }
  const double took = seconds_since(start);
  std::printf("%-14s %10lld in %7.2f s  %10.0f rows/s\n", what, static_cast<long long>(n), took,
              took > 0 ? static_cast<double>(n) / took : 0.0);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Counts n;
  std::string db;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "-h" || flag == "--help") usage(nullptr);
    if (i + 1 >= argc) usage(("missing the value of " + flag).c_str());
    const std::string value = argv[++i];
    if (flag == "--db") {
      db = value;
      continue;
    }
    char* end = nullptr;
    const long long number = std::strtoll(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0' || number < 0)
      usage((flag + " wants a count, not '" + value + "'").c_str());
    if (flag == "--accounts")
      n.accounts = number;
    else if (flag == "--customers")
      n.customers = number;
    else if (flag == "--methods")
      n.methods = number;
    else if (flag == "--payments")
      n.payments = number;
    else if (flag == "--events")
      n.events = number;
    else if (flag == "--batch")
      n.batch = number;
    else
      usage(("unknown flag " + flag).c_str());
  }
  if (db.empty()) usage("--db FILE is required");
  if (n.accounts < 1) usage("--accounts must be at least 1");
  if (n.batch < 1) usage("--batch must be at least 1");
  if ((n.methods > 0 || n.payments > 0) && n.customers < 1)
    usage("saved methods and payments need at least one customer");
  struct stat existing {};
  if (stat(db.c_str(), &existing) == 0 && existing.st_size > 0)
    usage(("'" + db + "' exists already; the generator fills a new file").c_str());

  const auto start = std::chrono::steady_clock::now();
  Store store(db);
  // A page cache big enough for the indexes being filled: with SQLite's
  // default 2 MiB, every insert past the first few hundred thousand rows
  // reads its index pages back from the file.
  store.with([](Connection& c) { c.exec("PRAGMA cache_size = -524288"); });
  auto fixtures = load_builtin_fixtures();
  if (!fixtures) usage(fixtures.error().message.c_str());
  SandboxClock clock([] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  });
  AccountStore account_store(store);
  WalletStore wallet(store);
  PaymentStore payments(store);
  EventStore events(store);
  AccountService accounts(account_store, clock, *fixtures);
  accounts.load();  // the fixture clients and accounts, as the server writes them
  const Millis now = clock.real_now();

  seed(store, "accounts", n.accounts, n.batch, [&](std::int64_t a) {
    Account account;
    account.uid = account_uid(a);
    account.client_id = "sandbox-client";
    account.name = "Seeded account " + std::to_string(a);
    account.external_account_id = padded("ext_seed", a, 6);
    account.external_merchant_id = padded("mer_seed", a, 6);
    account.webhook_secret = "whsec_" + padded("seed", a, 44);
    account.created_at = now;
    account_store.insert_account(account);
  });
  seed(store, "customers", n.customers, n.batch, [&](std::int64_t c) {
    Customer customer;
    customer.uid = customer_uid(c);
    customer.account_uid = account_uid(c % n.accounts);
    customer.reference_id = "seed-" + std::to_string(c);
    customer.email = "seed-" + std::to_string(c) + "@example.com";
    customer.created_at = now;
    wallet.insert_customer(customer);
  });
  seed(store, "saved methods", n.methods, n.batch, [&](std::int64_t m) {
    const std::int64_t c = m % n.customers;
    SavedMethod method;
    method.uid = padded("spm_seed", m, 9);
    method.account_uid = account_uid(c % n.accounts);
    method.customer_uid = customer_uid(c);
    method.permanent_token = padded("tok_seed", m, 9);
    method.card.last4 = "1111";
    method.card.bin = "411111";
    method.card.card_brand = "VISA";
    method.card.exp_month = 12;
    method.card.exp_year = 2030;
    method.created_at = method.updated_at = now;
    wallet.insert_method(method);
  });
  seed(store, "payments", n.payments, n.batch, [&](std::int64_t p) {
    const std::int64_t c = p % n.customers;
    Payment payment;
    payment.uid = padded("pay_seed", p, 9);
    payment.account_uid = account_uid(c % n.accounts);
    payment.status = PaymentStatus::kCompleted;
    payment.base_amount = 1000 + p % 9000;
    payment.tax_amount = 0;
    payment.processing_fee_amount = 30;
    payment.total_amount = payment.base_amount + payment.processing_fee_amount;
    payment.reference_id = "order-" + std::to_string(p);
    payment.method.type = PaymentMethodType::kWalletCredit;
    payment.method.saved_method_uid = padded("spm_seed", c, 9);
    payment.method.card.last4 = "1111";
    payment.method.card.card_brand = "VISA";
    payment.method.card.exp_month = 12;
    payment.method.card.exp_year = 2030;
    payment.method_request = "{\"wallet\":\"" + payment.method.saved_method_uid + "\"}";
    payment.transaction_id = padded("txn_seed", p, 9);
    payment.created_at = payment.captured_at = payment.updated_at = now;
    payments.insert(payment);
  });
  seed(store, "events", n.events, n.batch, [&](std::int64_t e) {
    EventRecord event;
    event.id = padded("evt_seed", e, 9);
    event.account_uid = account_uid(e % n.accounts);
    event.event_type = EventType::kPaymentCompleted;
    event.timestamp = now / 1000;
    event.data = "{\"payment_uid\":\"" +
                 padded("pay_seed", e % std::max<std::int64_t>(1, n.payments), 9) +
                 "\",\"status\":\"completed\"}";
    // Not pending: the server's dispatcher would try to deliver them all.
    event.delivery_status = DeliveryStatus::kNotConfigured;
    events.insert(event);
  });
  store.with([](Connection& c) { c.exec("PRAGMA wal_checkpoint(TRUNCATE)"); });

  struct stat file {};
  const double megabytes = stat(db.c_str(), &file) == 0 ? file.st_size / 1048576.0 : 0.0;
  std::printf("%-14s %10.1f MiB in %.1f s (%s)\n", "file", megabytes, seconds_since(start),
              db.c_str());
  return 0;
}

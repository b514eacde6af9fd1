// What the stores report when the database refuses an operation: a named
// error (storage_error, or conflict for a broken constraint) that says which
// statement failed, never SQLite's own exception.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "http/api/routes.h"
#include "http/errors.h"
#include "service_world.h"
#include "store/connection.h"
#include "store/payment_store.h"
#include "support/catch.h"

using namespace paysandbox;

namespace {

Payment payment(const std::string& uid) {
  Payment p;
  p.uid = uid;
  p.account_uid = "pa_a";
  p.base_amount = 1000;
  p.total_amount = 1000;
  p.currency = "USD";
  p.reference_id = "order-" + uid;
  return p;
}

// From here on the connection may read but not write, as a database file
// that turned read-only under a running sandbox would.
void make_read_only(Store& store, bool read_only = true) {
  store.with([read_only](Connection& c) {
    c.exec(read_only ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF");
  });
}

Payment completed(const Payment& p) {
  Payment next = p;
  next.status = PaymentStatus::kCompleted;
  return next;
}

}  // namespace

TEST_CASE("a store function that returns a Result reports a refused write as storage_error",
          "[unit][store][errors]") {
  Store store(":memory:");
  PaymentStore payments(store);
  payments.insert(payment("pay_1"));
  make_read_only(store);

  Result<Payment> changed = payments.transition(
      "pa_a", "pay_1", [](const Payment& p) -> Result<Payment> { return completed(p); });

  REQUIRE_FALSE(changed.ok());
  CHECK(changed.error().code == ErrorCode::kStorage);
  CHECK_THAT(changed.error().message, Catch::Matchers::ContainsSubstring("UPDATE payments") &&
                                          Catch::Matchers::ContainsSubstring("readonly"));
  // Nothing was written, and reads still work.
  CHECK(payments.find("pa_a", "pay_1")->status == PaymentStatus::kValidated);
}

TEST_CASE("any other store function raises the named error, not an SQLite exception",
          "[unit][store][errors]") {
  Store store(":memory:");
  PaymentStore payments(store);
  make_read_only(store);

  bool named = false;
  try {
    payments.insert(payment("pay_1"));
  } catch (const SQLite::Exception&) {
    FAIL("SQLite::Exception left the store");
  } catch (const StoreFailure& e) {
    named = true;
    CHECK(e.error().code == ErrorCode::kStorage);
    CHECK_THAT(e.error().message, Catch::Matchers::ContainsSubstring("INSERT INTO payments"));
  }
  CHECK(named);
  CHECK_FALSE(payments.find("pa_a", "pay_1"));
}

TEST_CASE("a write that breaks a constraint is a conflict naming the statement",
          "[unit][store][errors]") {
  Store store(":memory:");
  PaymentStore payments(store);
  payments.insert(payment("pay_1"));
  try {
    payments.insert(payment("pay_1"));
    FAIL("a second payment with the same uid was stored");
  } catch (const StoreFailure& e) {
    CHECK(e.error().code == ErrorCode::kConflict);
    CHECK_THAT(e.error().message, Catch::Matchers::ContainsSubstring("INSERT INTO payments") &&
                                      Catch::Matchers::ContainsSubstring("constraint"));
  }
}

TEST_CASE("a storage error answers 500 storage_error in the one error shape", "[unit][errors]") {
  const Error error = storage_error(SQLITE_READONLY, "attempt to write a readonly database",
                                    "DELETE FROM customers WHERE account_uid = ?");
  CHECK(error.code == ErrorCode::kStorage);
  CHECK(error.message ==
        "The store failed in `DELETE FROM customers`: attempt to write a readonly database.");
  Reply reply = error_reply(error, "req_1");
  CHECK(reply.status == 500);
  const json body = json::parse(reply.body);
  CHECK(body.at("code") == "storage_error");
  CHECK(body.at("recoverable") == false);
  CHECK(body.at("request_id") == "req_1");
}

TEST_CASE(
    "a route whose write the store refuses answers 500 storage_error and leaves its key unused",
    "[unit][errors][idempotency]") {
  testing::ServiceWorld world;
  Router router(world.accounts, world.tokens, RouterConfig{/*no_auth=*/true, ""});
  add_idempotency_interceptor(router, world.idempotency);
  int runs = 0;
  router.add("POST", "/api/things", RouteOptions{Auth::kPublic, AccountScope::kNone},
             [&](Call&) -> Result<Reply> {
               ++runs;
               world.payment_store.insert(payment("pay_" + std::to_string(runs)));
               return reply(201, json{{"run", runs}});
             });
  HttpRequest request;
  request.method = "POST";
  request.path = "/api/things";
  request.headers = {{"Idempotency-Key", "key-1"}};

  make_read_only(world.store);
  HttpResponse refused = router.handle(request);
  CHECK(refused.status == 500);
  const json body = json::parse(refused.body);
  CHECK(body.at("code") == "storage_error");
  CHECK_THAT(body.at("message").get<std::string>(),
             Catch::Matchers::ContainsSubstring("INSERT INTO payments"));
  CHECK(body.at("request_id") == refused.header("X-Request-Id"));

  // Nothing was recorded for the key: once the store takes writes again the
  // same request runs (it is not a replay of the 500), and then replays.
  make_read_only(world.store, false);
  HttpResponse ran = router.handle(request);
  CHECK(ran.status == 201);
  CHECK(json::parse(ran.body).at("run") == 2);
  CHECK(ran.header("Idempotent-Replayed").empty());
  HttpResponse replayed = router.handle(request);
  CHECK(replayed.header("Idempotent-Replayed") == "true");
  CHECK(json::parse(replayed.body).at("run") == 2);
  CHECK(runs == 2);
}

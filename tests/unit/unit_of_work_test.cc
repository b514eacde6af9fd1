// Store::Transaction (issue 16): a unit of work commits or drops everything
// it wrote and everything it queued for after the commit; and the request
// journal's byte bound.
#include <string>
#include <thread>
#include <vector>

#include "http/journal.h"
#include "store/connection.h"
#include "support/catch.h"

using namespace paysandbox;

namespace {

long long rows(Store& store) {
  return store.with(
      [](Connection& c) { return c.db().execAndGet("SELECT count(*) FROM t").getInt64(); });
}

void insert(Store& store, int value) {
  store.with([&](Connection& c) {
    auto& s = c.prepared("INSERT INTO t (v) VALUES (?)");
    s.bind(1, value);
    s.exec();
  });
}

}  // namespace

TEST_CASE("a unit of work commits its writes and then runs its after-commit actions",
          "[unit][store]") {
  Store store(":memory:");
  store.declare_table("t", "CREATE TABLE t (v INTEGER)", false);
  std::vector<std::string> ran;
  {
    Store::Transaction unit(store);
    insert(store, 1);
    store.after_commit([&] { ran.push_back("first"); });
    // A nested transaction() is a savepoint inside the unit.
    store.transaction([&](Connection&) {
      insert(store, 2);
      store.after_commit([&] { ran.push_back("second"); });
    });
    CHECK(ran.empty());
    CHECK(unit.wrote());
    unit.commit();
  }
  CHECK(rows(store) == 2);
  CHECK(ran == std::vector<std::string>{"first", "second"});
}

TEST_CASE("a unit of work that is not committed leaves no rows and runs no actions",
          "[unit][store]") {
  Store store(":memory:");
  store.declare_table("t", "CREATE TABLE t (v INTEGER)", false);
  bool ran = false;
  {
    Store::Transaction unit(store);
    insert(store, 1);
    store.after_commit([&] { ran = true; });
  }
  CHECK(rows(store) == 0);
  CHECK_FALSE(ran);
  // Outside a unit, an action runs at once.
  store.after_commit([&] { ran = true; });
  CHECK(ran);
}

TEST_CASE("a nested transaction that throws rolls back only its own writes and actions",
          "[unit][store]") {
  Store store(":memory:");
  store.declare_table("t", "CREATE TABLE t (v INTEGER)", false);
  int actions = 0;
  Store::Transaction unit(store);
  insert(store, 1);
  store.after_commit([&] { ++actions; });
  CHECK_THROWS(store.transaction([&](Connection&) {
    insert(store, 2);
    store.after_commit([&] { actions += 100; });
    throw std::runtime_error("item failed");
  }));
  unit.commit();
  CHECK(rows(store) == 1);
  CHECK(actions == 1);
}

TEST_CASE("another thread's store call waits until the unit of work commits", "[unit][store]") {
  Store store(":memory:");
  store.declare_table("t", "CREATE TABLE t (v INTEGER)", false);
  long long seen = -1;
  std::thread reader;
  {
    Store::Transaction unit(store);
    insert(store, 1);
    reader = std::thread([&] { seen = rows(store); });
    insert(store, 2);
    unit.commit();
  }
  reader.join();
  CHECK(seen == 2);  // never the half-written unit
}

TEST_CASE("the request journal stays within its byte bound, dropping the oldest",
          "[unit][journal]") {
  RequestJournal journal(10000);
  HttpRequest request;
  request.method = "POST";
  request.path = "/api/customers";
  request.body = std::string(RequestJournal::kBodyLimit, 'x');
  HttpResponse response;
  for (int i = 0; i < 3000; ++i) journal.record(request, response, i, 1.0);
  CHECK(journal.bytes() <= RequestJournal::kByteLimit);
  JournalFilter all;
  all.limit = 10000;
  auto entries = journal.list(all);
  CHECK(entries.size() < 3000);
  CHECK(entries.size() > 500);
  CHECK(entries.back().sequence == 3000);  // the newest is kept

  journal.clear();
  CHECK(journal.bytes() == 0);
  request.body = "{}";
  for (int i = 0; i < 100; ++i) journal.record(request, response, i, 1.0);
  CHECK(journal.list(all).size() == 100);  // small entries: the entry bound rules
}

// store/schema_image.h: the empty image the in-memory store starts from
// holds exactly the schema the module stores create one statement at a
// time, and a store started from it works like one that was not.
#include "store/schema_image.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <tuple>
#include <vector>

#include "store/connection.h"
#include "store/wallet_store.h"
#include "support/catch.h"

using namespace paysandbox;

namespace {

using SchemaRow = std::tuple<std::string, std::string, std::string, std::string>;

std::vector<SchemaRow> schema_of(Store& store) {
  return store.with([](Connection& c) {
    std::vector<SchemaRow> rows;
    SQLite::Statement s(c.db(),
                        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master "
                        "ORDER BY type, name");
    while (s.executeStep())
      rows.emplace_back(s.getColumn(0).getString(), s.getColumn(1).getString(),
                        s.getColumn(2).getString(), s.getColumn(3).getString());
    return rows;
  });
}

int user_version_of(Store& store) {
  return store.with(
      [](Connection& c) { return c.db().execAndGet("PRAGMA user_version").getInt(); });
}

}  // namespace

TEST_CASE("schema image: the same tables, indexes and version as a schema created anew", "[unit]") {
  REQUIRE(empty_schema_image().size() > 4096);
  Store created(":memory:");
  declare_every_table(created);
  const auto expected = schema_of(created);
  REQUIRE(expected.size() > 20);
  Store copied(":memory:", empty_schema_image());
  // The image alone holds all of it, before any module store declares a
  // table (declaring one it lacked would create it and hide the gap).
  CHECK(schema_of(copied) == expected);
  declare_every_table(copied);
  CHECK(schema_of(copied) == expected);
  CHECK(user_version_of(copied) == user_version_of(created));
  // The same tables registered for resets and account deletion.
  CHECK(copied.tables() == created.tables());
  CHECK(copied.account_tables() == created.account_tables());
}

TEST_CASE("schema image: a store started from it reads and writes", "[unit]") {
  Store store(":memory:", empty_schema_image());
  WalletStore wallet(store);
  Customer customer;
  customer.uid = "cus_1";
  customer.account_uid = "pa_1";
  customer.reference_id = "ref-1";
  customer.name = "Ada";
  wallet.insert_customer(customer);
  const auto found = wallet.find_customer("pa_1", "cus_1");
  REQUIRE(found);
  CHECK(found->reference_id == "ref-1");
  CHECK(found->name == std::optional<std::string>("Ada"));
}

TEST_CASE("schema image: a file store ignores it and creates its schema", "[unit]") {
  // Only ":memory:" starts from the image; a file keeps its own schema and
  // migrations (the image would overwrite a file's rows).
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("schema-image-" + std::to_string(::getpid()) + ".db"))
                               .string();
  std::remove(path.c_str());
  {
    Store store(path, empty_schema_image());
    // Nothing came from the image: every table is created here.
    CHECK(schema_of(store).size() < 3);
    declare_every_table(store);
    Store reference(":memory:");
    declare_every_table(reference);
    CHECK(schema_of(store) == schema_of(reference));
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

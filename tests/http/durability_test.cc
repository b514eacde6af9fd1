// Issue 16: schema versions of --db files. A file written by an older release
// opens and carries on; one written by a newer release is refused, untouched.
#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/catch.h"
#include "support/harness.h"
#include "support/process.h"

using namespace testing;

namespace {

const std::string kUnversioned = std::string(PAYSANDBOX_SOURCE_DIR) + "/tests/data/unversioned.db";

void copy_unversioned_to(const std::string& path) {
  std::filesystem::copy_file(kUnversioned, path, std::filesystem::copy_options::overwrite_existing);
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

int user_version(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

struct Api {
  Client& client;
  std::string token;

  httplib::Headers headers() const {
    return {{"Authorization", "Bearer " + token}, {"X-Payment-Account-Uid", "pa_sandbox"}};
  }
  json ok(const Reply& reply, int status) const {
    INFO(reply.status << " " << reply.body);
    REQUIRE(reply.status == status);
    return reply.json_body();
  }
  json get(const std::string& path) const { return ok(client.get(path, headers()), 200); }
  json post(const std::string& path, const json& body, int status) const {
    return ok(client.post(path, body, headers()), status);
  }
  std::size_t events(const std::string& type) const {
    json events = ok(
        client.get("/_sandbox/events?limit=1000", {{"X-Payment-Account-Uid", "pa_sandbox"}}), 200);
    std::size_t n = 0;
    for (const auto& e : events)
      if (e.at("event_type") == type) ++n;
    return n;
  }
};

std::string token_of(Client& client) {
  auto reply = client.request("POST", "/oauth2/token", "grant_type=client_credentials",
                              {{"Authorization", "Basic c2FuZGJveC1jbGllbnQ6c2FuZGJveC1zZWNyZXQ="},
                               {"Content-Type", "application/x-www-form-urlencoded"}});
  REQUIRE(reply.status == 200);
  return reply.json_body().at("access_token");
}

// Reads what the old release wrote, then writes a customer, a card and a
// captured payment of its own.
void reads_old_objects_and_writes_new_ones(const std::string& path) {
  Process process(PAYSANDBOX_BINARY,
                  {"serve", "--port", "0", "--db", path, "--log-format", "none"});
  Client client(process.port_from_listening_line());
  Api api{client, token_of(client)};

  json old_customers = api.get("/api/customers?$filter=reference_id%20eq%20'old-customer'");
  REQUIRE(old_customers.size() == 1);
  CHECK(old_customers[0].at("email") == "old@example.com");
  const std::string old_uid = old_customers[0].at("uid");
  CHECK(api.get("/api/customers/" + old_uid + "/payment-methods").size() == 1);
  json old_payments = api.get("/api/payments?$filter=reference_id%20eq%20'old-order'");
  REQUIRE(old_payments.size() == 1);
  CHECK(old_payments[0].at("status") == "completed");
  CHECK(api.events("payment.completed") == 1);

  json customer = api.post("/api/customers", {{"reference_id", "new-customer"}}, 201);
  json minted = api.ok(
      client.post(
          "/_sandbox/tokens",
          {{"card", {{"number", "4111111111111111"}, {"exp_month", 12}, {"exp_year", 2030}}}},
          {{"X-Payment-Account-Uid", "pa_sandbox"}}),
      201);
  json saved =
      api.post("/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods",
               {{"payment_method", credit_method(minted)}}, 201);
  json body = {
      {"base_amount", 5000},
      {"tax_amount", 0},
      {"currency", "USD"},
      {"reference_id", "new-order"},
      {"payment_method",
       {{"payment_method_type", "wallet_credit"},
        {"wallet", {{"saved_payment_method_uid", saved.at("saved_payment_method_uid")}}}}}};
  json validated = api.post("/api/payments", body, 201);
  body["processing_fee_amount"] = validated.at("processing_fee_amount");
  api.post("/api/payments/" + validated.at("uid").get<std::string>() + "/capture", body, 200);
  CHECK(api.events("payment.completed") == 2);
  CHECK(api.get("/api/customers").size() == 2);  // old-customer and new-customer
  process.signal(SIGINT);
  CHECK(process.wait() == 0);
}

}  // namespace

TEST_CASE("a --db file made before schema versions opens, carries on and is versioned",
          "[durability][schema]") {
  TempDb db;
  copy_unversioned_to(db.path());
  REQUIRE(user_version(db.path()) == 0);

  SECTION("as the last release left it") {}
  SECTION("from before the events table had scheduled_attempts") {
    SQLite::Database old(db.path(), SQLite::OPEN_READWRITE);
    old.exec("ALTER TABLE events DROP COLUMN scheduled_attempts");
  }

  reads_old_objects_and_writes_new_ones(db.path());
  CHECK(user_version(db.path()) >= 1);
  // And it opens again as a current file.
  Process again(PAYSANDBOX_BINARY,
                {"serve", "--port", "0", "--db", db.path(), "--log-format", "none"});
  Client client(again.port_from_listening_line());
  Api api{client, token_of(client)};
  CHECK(api.events("payment.completed") == 2);
}

TEST_CASE("a --db file from a newer release is refused with both versions and left untouched",
          "[durability][schema][cli]") {
  TempDb db;
  copy_unversioned_to(db.path());
  {
    SQLite::Database newer(db.path(), SQLite::OPEN_READWRITE);
    newer.exec("PRAGMA user_version = 9999");
  }
  const std::string before = file_bytes(db.path());

  Process process(PAYSANDBOX_BINARY,
                  {"serve", "--port", "0", "--db", db.path(), "--log-format", "none"});
  CHECK(process.wait() != 0);
  const std::string err = process.stderr_text();
  INFO(err);
  CHECK(err.find(db.path()) != std::string::npos);
  CHECK(err.find("schema version 9999") != std::string::npos);
  CHECK(err.find("versions up to ") != std::string::npos);
  CHECK(file_bytes(db.path()) == before);
  CHECK(user_version(db.path()) == 9999);
}

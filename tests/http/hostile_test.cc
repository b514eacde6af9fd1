// The hostile-input battery: what a broken or malicious client sends, over
// real sockets (raw TCP where httplib's client would refuse to send it).
// Every attack gets a clear 4xx or is served correctly; after each one the
// server still answers other clients, and the data written before the
// battery is intact.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "support/catch.h"
#include "support/harness.h"
#include "support/raw_connection.h"

using namespace testing;

namespace {

// Percent-encodes everything but unreserved characters, as a careful client
// would put a value into a query string.
std::string encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// A sandbox with data written before any attack, and the checks every attack
// ends with.
class Battery {
 public:
  explicit Battery(paysandbox::Options options = {})
      : sandbox_(std::move(options)),
        account_(sandbox_.create_account().at("uid")),
        merchant_(sandbox_, account_) {
    customer_ = merchant_.create_customer("before-battery");
    saved_ = merchant_.save_card(customer_.at("uid"));
    customer_ =
        merchant_.get("/api/customers/" + customer_.at("uid").get<std::string>()).json_body();
  }

  TestSandbox& sandbox() { return sandbox_; }
  Merchant& merchant() { return merchant_; }
  const std::string& account() const { return account_; }
  int port() const { return sandbox_.port(); }
  httplib::Headers auth() const {
    return {{"Authorization", "Bearer " + merchant_.token()}, {"X-Payment-Account-Uid", account_}};
  }
  std::string raw_auth() const {
    return "Authorization: Bearer " + merchant_.token() + "\r\nX-Payment-Account-Uid: " + account_ +
           "\r\n";
  }

  // Another client, on its own connection, is served.
  void expect_alive() {
    Client other(sandbox_.port());
    auto health = other.get("/_sandbox/health");
    REQUIRE(health.status == 200);
  }

  // What was written before the battery reads back unchanged.
  void expect_intact() {
    expect_alive();
    const std::string uid = customer_.at("uid");
    auto customer = merchant_.get("/api/customers/" + uid);
    REQUIRE(customer.status == 200);
    CHECK(customer.json_body() == customer_);
    auto methods = merchant_.get("/api/customers/" + uid + "/payment-methods");
    REQUIRE(methods.status == 200);
    json listed = methods.json_body();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].at("saved_payment_method_uid") == saved_.at("saved_payment_method_uid"));
    CHECK(listed[0].at("is_default") == true);
  }

  // Expects a 4xx in the one error shape, optionally naming `param`.
  static void expect_rejected(const Reply& reply, int status, const std::string& code,
                              const std::string& param = {}) {
    INFO(reply.body);
    REQUIRE(reply.status == status);
    json body = reply.json_body();
    CHECK(body.at("code") == code);
    CHECK_FALSE(body.at("request_id").get<std::string>().empty());
    if (!param.empty()) CHECK(body.at("param") == param);
  }

 private:
  TestSandbox sandbox_;
  std::string account_;
  Merchant merchant_;
  json customer_;
  json saved_;
};

Reply post_text(Battery& battery, const std::string& path, const std::string& body) {
  return Client(battery.port()).request("POST", path, body, battery.auth());
}

}  // namespace

TEST_CASE("bodies over the limit are a 413, and a lying Content-Length never hangs the server",
          "[http][hostile]") {
  Battery battery;
  std::string big = R"({"reference_id":")" + std::string((1u << 20) + 16, 'a') + R"("})";
  Battery::expect_rejected(post_text(battery, "/api/customers", big), 413, "payload_too_large");
  battery.expect_alive();

  // Over even the import limit (16 MiB): httplib refuses it before routing.
  std::string huge(17u << 20, ' ');
  Battery::expect_rejected(post_text(battery, "/api/saved-payment-methods/import", huge), 413,
                           "payload_too_large");
  battery.expect_alive();

  // A Content-Length of a terabyte with a few bytes behind it.
  RawConnection liar(battery.port());
  REQUIRE(liar.connected());
  liar.send_all("POST /api/customers HTTP/1.1\r\nHost: x\r\n" + battery.raw_auth() +
                "Content-Type: application/json\r\nContent-Length: 1099511627776\r\n\r\n{}");
  std::string answer = liar.read_response();
  CHECK(status_of(answer) == 413);
  CHECK(answer.find("payload_too_large") != std::string::npos);
  battery.expect_intact();
}

TEST_CASE("10,000-level nested JSON is a 400, at the top and inside a field", "[http][hostile]") {
  Battery battery;
  const std::string deep_array = std::string(10000, '[') + std::string(10000, ']');
  Battery::expect_rejected(post_text(battery, "/api/customers", deep_array), 400,
                           "validation_error");
  std::string deep_object;
  for (int i = 0; i < 10000; ++i) deep_object += R"({"a":)";
  deep_object += "1" + std::string(10000, '}');
  Battery::expect_rejected(post_text(battery, "/api/customers", deep_object), 400,
                           "validation_error");
  Battery::expect_rejected(
      post_text(battery, "/api/customers", R"({"reference_id":"x","name":)" + deep_array + "}"),
      400, "validation_error");
  // Unbalanced: opened 10,000 times and never closed.
  Battery::expect_rejected(post_text(battery, "/api/customers", std::string(10000, '{')), 400,
                           "validation_error");
  battery.expect_intact();
}

TEST_CASE("invalid UTF-8 and broken escapes are a 400", "[http][hostile]") {
  Battery battery;
  for (const std::string& value :
       {std::string("\xff\xfe"), std::string("\xc0\xaf"), std::string("abc\xe2\x82"),
        std::string("\xed\xa0\x80"), std::string("\\ud800"), std::string("\\u12")}) {
    INFO(value);
    Battery::expect_rejected(
        post_text(battery, "/api/customers", R"({"reference_id":")" + value + R"("})"), 400,
        "validation_error");
  }
  // A NUL byte escaped inside a string is valid JSON and round-trips.
  auto created = post_text(battery, "/api/customers", R"({"reference_id":"nul\u0000byte"})");
  REQUIRE(created.status == 201);
  CHECK(created.json_body().at("reference_id") == std::string("nul\0byte", 8));
  battery.expect_intact();
}

TEST_CASE(
    "amounts as strings, with fractional cents, negative or beyond 2^53 are a 400 naming "
    "the field",
    "[http][hostile]") {
  Battery battery;
  const std::vector<std::string> bad_integers = {
      R"("2500")", "25.5", "-1", "9007199254740993", "18446744073709551616", "1e400", "true", "[]"};

  SECTION("hosted-session amount, in cents") {
    for (const auto& amount : bad_integers) {
      INFO(amount);
      Battery::expect_rejected(
          post_text(
              battery, "/v1/hosted-sessions",
              R"({"amount":)" + amount +
                  R"(,"currency":"USD","success_url":"https://shop.example/ok",)"
                  R"("cancel_url":"https://shop.example/no","customer_id":"before-battery"})"),
          400, "validation_error", amount == "1e400" ? "" : "amount");
    }
  }
  SECTION("fee rules, in cents and basis points") {
    for (const auto& amount : bad_integers) {
      INFO(amount);
      Battery::expect_rejected(
          post_text(battery, "/api/paymentaccounts",
                    R"({"name":"Fees","fee_rules":{"credit":{"fixed":)" + amount + "}}}"),
          400, "validation_error", amount == "1e400" ? "" : "fee_rules.credit.fixed");
      Battery::expect_rejected(
          post_text(battery, "/api/paymentaccounts",
                    R"({"name":"Fees","fee_rules":{"ach":{"percent_bps":)" + amount + "}}}"),
          400, "validation_error", amount == "1e400" ? "" : "fee_rules.ach.percent_bps");
    }
  }
  SECTION("account minimum and maximum, in dollars") {
    for (const std::string& amount :
         {std::string(R"("10")"), std::string("10.005"), std::string("-1"),
          std::string("9007199254740993"), std::string("1e400"), std::string("null1")}) {
      INFO(amount);
      auto reply = post_text(battery, "/api/paymentaccounts",
                             R"({"name":"Limits","minimum_payment_amount":)" + amount + "}");
      if (amount == "null1" || amount == "1e400")
        Battery::expect_rejected(reply, 400, "validation_error");
      else
        Battery::expect_rejected(reply, 400, "validation_error", "minimum_payment_amount");
      Battery::expect_rejected(
          post_text(battery, "/api/paymentaccounts",
                    R"({"name":"Limits","maximum_payment_amount":)" + amount + "}"),
          400, "validation_error",
          amount == "null1" || amount == "1e400" ? "" : "maximum_payment_amount");
    }
  }
  SECTION("import items are each checked, and a bad one names its own field") {
    json card = credit_method(battery.merchant().mint_card());
    json items = json::array();
    for (int month : {0, 13}) {
      json item = {{"customer_reference_id", "import-" + std::to_string(month)},
                   {"payment_method", card}};
      item["payment_method"]["credit"]["exp_month"] = month;
      items.push_back(item);
    }
    json as_string = {{"customer_reference_id", "import-str"}, {"payment_method", card}};
    as_string["payment_method"]["credit"]["exp_year"] = "2030";
    items.push_back(as_string);
    auto reply = battery.merchant().post("/api/saved-payment-methods/import", {{"items", items}});
    REQUIRE(reply.status == 200);
    json result = reply.json_body();
    CHECK(result.at("imported") == 0);
    CHECK(result.at("failed") == 3);
    const auto& results = result.at("results");
    CHECK(results[0].at("error").at("param") == "payment_method.credit.exp_month");
    CHECK(results[1].at("error").at("param") == "payment_method.credit.exp_month");
    CHECK(results[2].at("error").at("param") == "payment_method.credit.exp_year");
  }
  battery.expect_intact();
}

TEST_CASE("exp_month 0 and 13, empty strings and 10 KB strings are a 400 naming the field",
          "[http][hostile]") {
  Battery battery;
  Merchant& merchant = battery.merchant();
  for (int month : {0, 13}) {
    Battery::expect_rejected(
        merchant.control_post(
            "/_sandbox/tokens",
            {{"card", {{"number", "4111111111111111"}, {"exp_month", month}, {"exp_year", 2030}}}}),
        400, "validation_error", "card.exp_month");
    json method = credit_method(merchant.mint_card());
    method["credit"]["exp_month"] = month;
    Battery::expect_rejected(
        merchant.post(
            "/api/customers/" +
                merchant.create_customer("m" + std::to_string(month)).at("uid").get<std::string>() +
                "/payment-methods",
            {{"payment_method", method}}),
        400, "validation_error", "payment_method.credit.exp_month");
  }
  const std::string ten_kb(10 * 1024, 'x');
  Battery::expect_rejected(merchant.post("/api/customers", {{"reference_id", ""}}), 400,
                           "validation_error", "reference_id");
  Battery::expect_rejected(merchant.post("/api/customers", {{"reference_id", ten_kb}}), 400,
                           "validation_error", "reference_id");
  Battery::expect_rejected(
      merchant.post("/api/customers", {{"reference_id", "long-name"}, {"name", ten_kb}}), 400,
      "validation_error", "name");
  Battery::expect_rejected(
      merchant.post("/api/customers", {{"reference_id", "long-mail"}, {"email", ten_kb + "@x"}}),
      400, "validation_error", "email");
  Battery::expect_rejected(merchant.post("/api/paymentaccounts", {{"name", ""}}), 400,
                           "validation_error", "name");
  Battery::expect_rejected(
      merchant.control_post(
          "/_sandbox/tokens",
          {{"card", {{"number", ten_kb}, {"exp_month", 12}, {"exp_year", 2030}}}}),
      400, "validation_error", "card.number");
  // A 10 KB value in a filter makes a target over httplib's 8 KiB limit: a
  // 414 in the one error shape. A 4 KB one is served and matches nothing.
  Battery::expect_rejected(
      merchant.get("/api/customers?$filter=" + encode("reference_id eq '" + ten_kb + "'")), 414,
      "validation_error");
  auto list = merchant.get("/api/customers?$filter=" +
                           encode("reference_id eq '" + std::string(4096, 'x') + "'"));
  REQUIRE(list.status == 200);
  CHECK(list.json_body().empty());
  battery.expect_intact();
}

TEST_CASE("SQL-looking and quote-laden values round-trip verbatim, and filter with doubled quotes",
          "[http][hostile]") {
  Battery battery;
  Merchant& merchant = battery.merchant();
  const std::vector<std::string> references = {
      "x'; DROP TABLE customers; --",
      "O'Brien",
      "''",
      R"(Robert"); DELETE FROM saved_methods WHERE ("1"="1)",
      "1 OR 1=1",
      R"(back\slash and "quotes")",
      "%27%20OR%20%271%27%3D%271",
      "caf\xc3\xa9 \xf0\x9f\x92\xb3",
  };
  for (const auto& reference : references) {
    INFO(reference);
    const std::string name = "N" + reference;
    const std::string email = "o'brien\"" + std::to_string(reference.size()) + "@example.com";
    auto created = merchant.post("/api/customers",
                                 {{"reference_id", reference}, {"name", name}, {"email", email}});
    REQUIRE(created.status == 201);
    json customer = created.json_body();
    CHECK(customer.at("reference_id") == reference);
    CHECK(customer.at("name") == name);
    CHECK(customer.at("email") == email);

    auto read = merchant.get("/api/customers/" + customer.at("uid").get<std::string>());
    REQUIRE(read.status == 200);
    CHECK(read.json_body() == customer);

    std::string quoted;
    for (char c : reference) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    auto found =
        merchant.get("/api/customers?$filter=" + encode("reference_id eq '" + quoted + "'"));
    REQUIRE(found.status == 200);
    REQUIRE(found.json_body().size() == 1);
    CHECK(found.json_body()[0] == customer);
    auto by_email = merchant.get("/api/customers?$filter=" + encode("email eq '" + [&] {
                                   std::string out;
                                   for (char c : email) out += c == '\'' ? "''" : std::string(1, c);
                                   return out;
                                 }() + "'"));
    REQUIRE(by_email.status == 200);
    CHECK(by_email.json_body().size() == 1);
  }
  // A quote that is not doubled ends the string early: a 400, not a query.
  Battery::expect_rejected(
      merchant.get("/api/customers?$filter=" + encode("reference_id eq 'O'Brien'")), 400,
      "validation_error", "$filter");
  auto all = merchant.get("/api/customers?$top=1000");
  REQUIRE(all.status == 200);
  CHECK(all.json_body().size() == references.size() + 1);
  battery.expect_intact();
}

TEST_CASE("path traversal and percent-encoded ids reach only what they name", "[http][hostile]") {
  Battery battery;
  Merchant& merchant = battery.merchant();
  for (const std::string& target : {std::string("/api/customers/../../_sandbox/reset"),
                                    std::string("/api/customers/..%2f..%2f_sandbox%2freset"),
                                    std::string("/api/customers/%2e%2e/%2e%2e/_sandbox/reset"),
                                    std::string("/api/customers/cus_x%00/payment-methods"),
                                    std::string("/api/customers/%252e%252e")}) {
    INFO(target);
    auto reply = merchant.post(target, json::object());
    CHECK(reply.status >= 400);
    CHECK(reply.status < 500);
    CHECK_FALSE(reply.json_body().at("code").get<std::string>().empty());
    auto read = merchant.get(target);
    CHECK(read.status >= 400);
    CHECK(read.status < 500);
  }
  // An id spelled with percent-escapes is the same id.
  auto listed = merchant.get("/api/customers?$top=1");
  std::string uid = listed.json_body()[0].at("uid");
  std::string escaped;
  for (char c : uid) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
    escaped += buf;
  }
  auto read = merchant.get("/api/customers/" + escaped);
  REQUIRE(read.status == 200);
  CHECK(read.json_body().at("uid") == uid);
  battery.expect_intact();
}

TEST_CASE("CR and LF smuggled into header values never reach a response header",
          "[http][hostile]") {
  Battery battery;
  for (const std::string& smuggled :
       {std::string("abc\rSet-Cookie: evil=1"), std::string("abc\nSet-Cookie: evil=1"),
        std::string("abc\r\n Set-Cookie: evil=1"), std::string("abc%0d%0aSet-Cookie: evil=1")}) {
    INFO(smuggled);
    for (const char* header : {"X-Request-Id", "Idempotency-Key"}) {
      RawConnection connection(battery.port());
      REQUIRE(connection.connected());
      std::string body = R"({"reference_id":"smuggle"})";
      connection.send_all(std::string("POST /api/customers HTTP/1.1\r\nHost: x\r\n") +
                          battery.raw_auth() + header + ": " + smuggled +
                          "\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
      std::string response = connection.read_until_close();
      int status = status_of(response);
      CHECK(status >= 200);
      CHECK(status < 500);
      std::string head = head_of(response);
      CHECK(head.find("\r\nSet-Cookie") == std::string::npos);
      CHECK(head.find("evil") == std::string::npos);
    }
  }
  battery.expect_intact();
}

TEST_CASE("truncated and malformed requests create nothing and leave the server up",
          "[http][hostile]") {
  paysandbox::Options options;
  options.read_timeout_ms = 300;  // how long a stalled request may hold a worker
  Battery battery(options);
  const std::string body = R"({"reference_id":"truncated"})";
  const std::vector<std::string> attacks = {
      "GET /_sandbox/hea",
      "POST /api/customers HTTP/1.1\r\nHost: x\r\n" + battery.raw_auth(),
      "POST /api/customers HTTP/1.1\r\nHost: x\r\n" + battery.raw_auth() +
          "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
          "\r\n\r\n" + body.substr(0, body.size() / 2),
      "POST /api/customers HTTP/1.1\r\nHost: x\r\n" + battery.raw_auth() +
          "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"ref",
      "POST /api/customers HTTP/1.1\r\nHost: x\r\n" + battery.raw_auth() +
          "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n",
      "GARBAGE\r\n\r\n",
      std::string("\0\0\0\0\r\n\r\n", 8),
      "GET / HTTP/9.9\r\n\r\n",
      "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n",
      "GET /_sandbox/health HTTP/1.1\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n",
  };
  for (size_t i = 0; i < attacks.size(); ++i) {
    INFO("attack " << i);
    for (bool hang_up : {true, false}) {
      RawConnection connection(battery.port());
      REQUIRE(connection.connected());
      connection.send_all(attacks[i]);
      if (hang_up) connection.finish_sending();
      // A 4xx answer, or (nothing complete to answer) the connection closed
      // once the read times out; either within a few seconds.
      std::string response = connection.read_response(5000);
      int status = status_of(response);
      if (status == 0)
        CHECK(connection.closed_by_server());
      else
        CHECK((status >= 400 && status < 500));
      battery.expect_alive();
    }
  }
  auto found =
      battery.merchant().get("/api/customers?$filter=" + encode("reference_id eq 'truncated'"));
  REQUIRE(found.status == 200);
  CHECK(found.json_body().empty());
  battery.expect_intact();
}

TEST_CASE("a slow-loris holding many connections does not starve other clients",
          "[http][hostile]") {
  paysandbox::Options options;
  options.threads = 4;            // far fewer ready workers than attackers
  options.read_timeout_ms = 400;  // a client silent this long is dropped
  Battery battery(options);
  constexpr int kAttackers = 64;

  // Each attacker opens a request and then trickles one header line at a
  // time, never finishing it: every read succeeds inside the read timeout, so
  // only a pool that grows keeps other clients served.
  std::vector<std::unique_ptr<RawConnection>> attackers;
  for (int i = 0; i < kAttackers; ++i) {
    attackers.push_back(std::make_unique<RawConnection>(battery.port()));
    REQUIRE(attackers.back()->connected());
    attackers.back()->send_all("GET /_sandbox/health HTTP/1.1\r\nHost: x\r\n");
  }
  std::atomic<bool> stop{false};
  std::thread trickle;
  // Stops the trickle however the test leaves (a failed REQUIRE throws).
  struct Joiner {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~Joiner() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  } joiner{stop, trickle};
  trickle = std::thread([&] {
    int line = 0;
    while (!stop.load()) {
      for (auto& attacker : attackers)
        attacker->send_all("X-Slow-" + std::to_string(line) + ": 1\r\n");
      ++line;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  // While the attack goes on (about two seconds), other clients are served
  // and writes land. A starved server would never answer while the trickle
  // goes on: the 5 s client timeout turns that into a failure, not a hang.
  for (int round = 0; round < 10; ++round) {
    httplib::Client other("127.0.0.1", battery.port());
    other.set_read_timeout(5, 0);
    auto health = other.Get("/_sandbox/health");
    CHECK(health);
    CHECK((health && health->status == 200));
    CHECK(battery.merchant().create_customer("during-" + std::to_string(round)).contains("uid"));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  stop = true;
  trickle.join();

  // Once they fall silent, the server drops them after the read timeout.
  for (auto& attacker : attackers) {
    attacker->read_until_close(5000);
    CHECK(attacker->closed_by_server());
  }
  battery.expect_intact();
}

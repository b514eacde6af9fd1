// docs/api/README.md#conventions: the wire conventions every route shares.
#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

// Checks the one error shape and that the body repeats X-Request-Id.
void check_error_shape(const Reply& reply, int status, const std::string& code) {
  INFO(reply.body);
  CHECK(reply.status == status);
  const std::string request_id = reply.header("X-Request-Id");
  CHECK(request_id.rfind("req_", 0) == 0);
  json body = reply.json_body();
  CHECK(body.at("code") == code);
  CHECK(body.at("message").is_string());
  CHECK_FALSE(body.at("message").get<std::string>().empty());
  CHECK(body.at("recoverable").is_boolean());
  CHECK(body.at("request_id") == request_id);
}

}  // namespace

TEST_CASE("every response carries a fresh X-Request-Id", "[http][wire]") {
  TestSandbox sandbox;
  Client client = sandbox.client();
  auto first = client.get("/_sandbox/health");
  auto second = client.get("/_sandbox/health");
  REQUIRE(first.status == 200);
  CHECK(first.header("X-Request-Id").rfind("req_", 0) == 0);
  CHECK(first.header("X-Request-Id") != second.header("X-Request-Id"));
  CHECK(first.header("Content-Type").find("application/json") == 0);

  Merchant merchant(sandbox, "pa_sandbox");
  json customer = merchant.create_customer("request-id");
  auto deleted = merchant.del("/api/customers/" + customer.at("uid").get<std::string>() +
                              "/payment-methods/spm_missing");
  CHECK(deleted.status == 404);
  CHECK_FALSE(deleted.header("X-Request-Id").empty());
  json saved = merchant.save_card(customer.at("uid"));
  auto removed =
      merchant.del("/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods/" +
                   saved.at("saved_payment_method_uid").get<std::string>());
  CHECK(removed.status == 204);
  CHECK(removed.body.empty());
  CHECK(removed.header("X-Request-Id").rfind("req_", 0) == 0);
}

TEST_CASE("an unknown route is a 404 in the error shape", "[http][wire]") {
  TestSandbox sandbox;
  auto reply = sandbox.client().get("/api/nothing-here");
  check_error_shape(reply, 404, "not_found");
  CHECK_FALSE(reply.json_body().contains("param"));
}

TEST_CASE("a known path with the wrong method is a 405 in the error shape", "[http][wire]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  auto reply = merchant.del("/api/customers");
  check_error_shape(reply, 405, "method_not_allowed");
  CHECK(reply.header("Allow").find("POST") != std::string::npos);
  CHECK(reply.header("Allow").find("GET") != std::string::npos);

  auto health = sandbox.client().post("/_sandbox/health", json::object());
  check_error_shape(health, 405, "method_not_allowed");
}

TEST_CASE("a body that is not JSON is a 400 validation_error", "[http][wire]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  Client client = sandbox.client();
  httplib::Headers headers = {{"Authorization", "Bearer " + merchant.token()},
                              {"X-Payment-Account-Uid", "pa_sandbox"}};
  for (const std::string body : {"{not json", "[1,2]", "\"text\"", "{\"reference_id\":"}) {
    INFO(body);
    auto reply = client.request("POST", "/api/customers", body, headers);
    check_error_shape(reply, 400, "validation_error");
  }
  auto empty = client.request("POST", "/api/customers", "", headers);
  check_error_shape(empty, 400, "validation_error");
}

TEST_CASE("an unknown field is a 400 naming its dotted path", "[http][wire]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");

  auto top = merchant.post("/api/customers", {{"reference_id", "u1"}, {"nickname", "Al"}});
  check_error_shape(top, 400, "validation_error");
  CHECK(top.json_body().at("param") == "nickname");

  json customer = merchant.create_customer("unknown-fields");
  const std::string path =
      "/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods";
  json method = credit_method(merchant.mint_card());
  method["credit"]["cvv_check"] = "pass";
  auto nested = merchant.post(path, {{"payment_method", method}});
  check_error_shape(nested, 400, "validation_error");
  CHECK(nested.json_body().at("param") == "payment_method.credit.cvv_check");

  json outer = credit_method(merchant.mint_card());
  outer["wallet"] = json::object();
  auto middle = merchant.post(path, {{"payment_method", outer}});
  CHECK(middle.status == 400);
  CHECK(middle.json_body().at("param") == "payment_method.wallet");
}

TEST_CASE("type and range errors name the field and what was expected", "[http][wire]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  json customer = merchant.create_customer("types");
  const std::string path =
      "/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods";

  SECTION("a month out of range") {
    json method = credit_method(merchant.mint_card());
    method["credit"]["exp_month"] = 13;
    auto reply = merchant.post(path, {{"payment_method", method}});
    check_error_shape(reply, 400, "validation_error");
    json body = reply.json_body();
    CHECK(body.at("param") == "payment_method.credit.exp_month");
    CHECK(body.at("message").get<std::string>().find("1 to 12") != std::string::npos);
  }
  SECTION("a month as a string") {
    json method = credit_method(merchant.mint_card());
    method["credit"]["exp_month"] = "12";
    auto reply = merchant.post(path, {{"payment_method", method}});
    check_error_shape(reply, 400, "validation_error");
    json body = reply.json_body();
    CHECK(body.at("param") == "payment_method.credit.exp_month");
    CHECK(body.at("message").get<std::string>().find("integer") != std::string::npos);
  }
  SECTION("a reference_id that is a number") {
    auto reply = merchant.post("/api/customers", {{"reference_id", 42}});
    check_error_shape(reply, 400, "validation_error");
    CHECK(reply.json_body().at("param") == "reference_id");
    CHECK(reply.json_body().at("message").get<std::string>().find("string") != std::string::npos);
  }
  SECTION("a missing required field") {
    auto reply = merchant.post("/api/customers", {{"name", "Nobody"}});
    check_error_shape(reply, 400, "validation_error");
    CHECK(reply.json_body().at("param") == "reference_id");
  }
  SECTION("a reference_id too long or empty") {
    auto too_long = merchant.post("/api/customers", {{"reference_id", std::string(256, 'x')}});
    CHECK(too_long.status == 400);
    CHECK(too_long.json_body().at("param") == "reference_id");
    auto empty = merchant.post("/api/customers", {{"reference_id", ""}});
    CHECK(empty.status == 400);
    CHECK(empty.json_body().at("param") == "reference_id");
    auto longest = merchant.post("/api/customers", {{"reference_id", std::string(255, 'x')}});
    CHECK(longest.status == 201);
  }
  SECTION("a payment_method_type outside the enum") {
    json method = credit_method(merchant.mint_card());
    method["payment_method_type"] = "bitcoin";
    auto reply = merchant.post(path, {{"payment_method", method}});
    check_error_shape(reply, 400, "validation_error");
    CHECK(reply.json_body().at("param") == "payment_method.payment_method_type");
    CHECK(reply.json_body().at("message").get<std::string>().find("credit") != std::string::npos);
  }
}

TEST_CASE("a body over 1 MiB is a 413 and an import may carry up to 16 MiB", "[http][wire]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  const std::string padding(1u << 20, 'x');
  auto big = merchant.post("/api/customers", {{"reference_id", "big"}, {"name", padding}});
  check_error_shape(big, 413, "payload_too_large");

  // An import body of 2 MiB is under its own limit: it is read, and its one
  // bad item is reported rather than the body refused.
  json item = {
      {"customer_reference_id", "imp"},
      {"customer_name", std::string(2u << 20, 'y')},
      {"payment_method",
       {{"payment_method_type", "credit"},
        {"credit",
         {{"fingerprint", "proc_1"}, {"last4", "1111"}, {"exp_month", 12}, {"exp_year", 2030}}}}}};
  auto import =
      merchant.post("/api/saved-payment-methods/import", {{"items", json::array({item})}});
  REQUIRE(import.status == 200);
  CHECK(import.json_body().at("failed") == 1);
  CHECK(import.json_body().at("results")[0].at("error").at("param") == "customer_name");

  json huge_item = item;
  huge_item["customer_name"] = std::string(17u << 20, 'z');
  auto huge =
      merchant.post("/api/saved-payment-methods/import", {{"items", json::array({huge_item})}});
  check_error_shape(huge, 413, "payload_too_large");
}

TEST_CASE("lists take $filter, $top, $skip and $orderby", "[http][wire][odata]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  std::vector<std::string> uids;
  for (int i = 0; i < 5; ++i)
    uids.push_back(merchant.create_customer("c" + std::to_string(i)).at("uid"));
  auto obrien =
      merchant.post("/api/customers", {{"reference_id", "O'Brien"}, {"email", "ob@example.com"}});
  REQUIRE(obrien.status == 201);

  auto uids_of = [](const Reply& reply) {
    std::vector<std::string> out;
    for (const auto& c : reply.json_body()) out.push_back(c.at("uid"));
    return out;
  };

  SECTION("the default order is created_at ascending") {
    auto all = merchant.get("/api/customers");
    REQUIRE(all.status == 200);
    auto got = uids_of(all);
    REQUIRE(got.size() == 6);
    CHECK(std::vector<std::string>(got.begin(), got.begin() + 5) == uids);
  }
  SECTION("$top and $skip page through it") {
    auto page = merchant.get("/api/customers?$top=2&$skip=1");
    REQUIRE(page.status == 200);
    CHECK(uids_of(page) == std::vector<std::string>{uids[1], uids[2]});
  }
  SECTION("$orderby created_at desc reverses it") {
    auto page = merchant.get("/api/customers?$orderby=created_at%20desc&$top=2");
    REQUIRE(page.status == 200);
    auto got = uids_of(page);
    REQUIRE(got.size() == 2);
    CHECK(got[1] == uids[4]);
    auto asc = merchant.get("/api/customers?$orderby=created_at%20asc&$top=1");
    CHECK(uids_of(asc) == std::vector<std::string>{uids[0]});
  }
  SECTION("$filter finds by reference_id, with doubled quotes") {
    auto one = merchant.get("/api/customers?$filter=reference_id%20eq%20'c3'");
    REQUIRE(one.status == 200);
    CHECK(uids_of(one) == std::vector<std::string>{uids[3]});
    auto quoted = merchant.get("/api/customers?$filter=reference_id%20eq%20'O''Brien'");
    REQUIRE(quoted.status == 200);
    REQUIRE(quoted.json_body().size() == 1);
    CHECK(quoted.json_body()[0].at("reference_id") == "O'Brien");
    auto both = merchant.get(
        "/api/"
        "customers?$filter=reference_id%20eq%20'O''Brien'%20and%20email%20eq%20'ob@example.com'");
    CHECK(both.json_body().size() == 1);
    auto none = merchant.get(
        "/api/customers?$filter=reference_id%20eq%20'c1'%20and%20email%20eq%20'ob@example.com'");
    REQUIRE(none.status == 200);
    CHECK(none.json_body().empty());
  }
  SECTION("query parameters without $ are ignored") {
    auto reply = merchant.get("/api/customers?page=2&$top=1");
    REQUIRE(reply.status == 200);
    CHECK(reply.json_body().size() == 1);
  }
  SECTION("$top allows 1000 and no more") {
    CHECK(merchant.get("/api/customers?$top=1000").status == 200);
  }
  SECTION("every option it cannot honour is a 400 naming the option") {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"$top=1001", "$top"},
        {"$top=-1", "$top"},
        {"$top=abc", "$top"},
        {"$skip=-2", "$skip"},
        {"$skip=x", "$skip"},
        {"$select=uid", "$select"},
        {"$expand=methods", "$expand"},
        {"$orderby=name", "$orderby"},
        {"$orderby=created_at%20sideways", "$orderby"},
        {"$filter=name%20eq%20'x'", "$filter"},
        {"$filter=reference_id%20ne%20'x'", "$filter"},
        {"$filter=reference_id%20eq%20x", "$filter"},
        {"$filter=reference_id%20eq%20'unterminated", "$filter"},
        {"$filter=reference_id%20eq%20'a'%20or%20email%20eq%20'b'", "$filter"},
        {"$filter=", "$filter"},
        {"$filter=reference_id%20eq%20'a'%20and", "$filter"},
    };
    for (const auto& [query, param] : bad) {
      INFO(query);
      auto reply = merchant.get("/api/customers?" + query);
      check_error_shape(reply, 400, "validation_error");
      CHECK(reply.json_body().at("param") == param);
    }
  }
}

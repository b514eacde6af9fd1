// GET /_sandbox/openapi.json: the OpenAPI document, compiled into the binary.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

std::string committed_document() {
  std::ifstream in(std::string(PAYSANDBOX_SOURCE_DIR) + "/openapi/payment-sandbox.json",
                   std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A request target for a documented path template: every {parameter} becomes
// an id that names nothing.
std::string concrete(const std::string& path_template) {
  std::string out;
  for (size_t i = 0; i < path_template.size(); ++i) {
    if (path_template[i] != '{') {
      out += path_template[i];
      continue;
    }
    size_t end = path_template.find('}', i);
    std::string name = path_template.substr(i + 1, end - i - 1);
    out += name == "sessionId" ? "cs_nothing" : "zz_nothing";
    i = end;
  }
  return out;
}

}  // namespace

TEST_CASE("the OpenAPI document is served as JSON, OpenAPI 3.1, byte for byte as committed",
          "[http][openapi]") {
  TestSandbox sandbox;
  auto reply = sandbox.client().get("/_sandbox/openapi.json");
  REQUIRE(reply.status == 200);
  CHECK(reply.header("Content-Type").rfind("application/json", 0) == 0);
  CHECK(reply.body == committed_document());

  json doc = reply.json_body();
  CHECK(doc.at("openapi").get<std::string>().rfind("3.1.", 0) == 0);
  const json& paths = doc.at("paths");
  for (const char* path :
       {"/oauth2/token", "/api/clients", "/api/paymentaccounts", "/api/customers",
        "/api/customers/{customerUid}/payment-methods", "/api/payments",
        "/api/payments/{paymentUid}/capture", "/v1/hosted-sessions",
        "/v1/hosted-sessions/{sessionId}", "/v1/hosted-sessions/{sessionId}/confirm",
        "/v1/hosted-sessions/{sessionId}/challenge/send", "/_sandbox/accounts",
        "/_sandbox/openapi.json"}) {
    INFO(path);
    CHECK(paths.contains(path));
  }
  const json& error = doc.at("components").at("schemas").at("Error");
  CHECK(error.at("required") == json{"code", "message", "recoverable", "request_id"});
  CHECK(doc.at("components").at("schemas").at("OAuthError").at("required") == json{"error"});
}

TEST_CASE("the OpenAPI document needs the control token when one is set", "[http][openapi]") {
  paysandbox::Options options;
  options.control_token = "s3cret";
  TestSandbox sandbox(options);
  Client client = sandbox.client();
  auto missing = client.get("/_sandbox/openapi.json");
  CHECK(missing.status == 401);
  CHECK(missing.json_body().at("code") == "unauthorized");
  CHECK(client.get("/_sandbox/openapi.json", {{"X-Sandbox-Token", "s3cret"}}).status == 200);
}

TEST_CASE("every operation the OpenAPI document lists is a route the sandbox serves",
          "[http][openapi]") {
  TestSandbox sandbox;
  json doc = sandbox.client().get("/_sandbox/openapi.json").json_body();
  Client client = sandbox.client();
  int operations = 0;
  for (const auto& [path, item] : doc.at("paths").items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters") continue;
      std::string verb = method;
      for (auto& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      std::string target = concrete(path);
      INFO(verb << " " << target << " (" << path << ")");
      auto reply = client.request(verb, target, verb == "GET" || verb == "DELETE" ? "" : "{}");
      ++operations;
      // The router answers 405 for a path it knows under another method, and a
      // 404 "No route ..." for a path it does not know at all.
      CHECK(reply.status != 405);
      if (reply.status == 404 && reply.header("Content-Type").rfind("application/json", 0) == 0)
        CHECK(reply.json_body().at("message").get<std::string>().rfind("No route ", 0) != 0);
    }
  }
  CHECK(operations > 50);
}

namespace {

// A document path template with each {name} written as {}, the way the
// router writes a parameter segment.
std::string router_pattern(const std::string& path_template) {
  std::string out;
  for (size_t i = 0; i < path_template.size(); ++i) {
    if (path_template[i] != '{') {
      out += path_template[i];
      continue;
    }
    out += "{}";
    i = path_template.find('}', i);
  }
  return out;
}

std::string upper_case(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

TEST_CASE("every route in the router's own table is an operation of the OpenAPI document",
          "[http][openapi][fidelity]") {
  TestSandbox sandbox;
  Client client = sandbox.client();
  json doc = client.get("/_sandbox/openapi.json").json_body();
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : doc.at("paths").items())
    for (const auto& [method, operation] : item.items())
      if (method != "parameters") documented.emplace(upper_case(method), router_pattern(path));

  auto table = client.get("/_sandbox/routes");
  REQUIRE(table.status == 200);
  json routes = table.json_body();
  // The table is the router's: it holds the routes this test itself calls.
  CHECK(routes.size() > 70);
  CHECK(std::count(routes.begin(), routes.end(),
                   json{{"method", "GET"}, {"path", "/_sandbox/routes"}}) == 1);
  CHECK(std::count(routes.begin(), routes.end(),
                   json{{"method", "POST"}, {"path", "/api/payments/{}/capture"}}) == 1);
  for (const auto& route : routes) {
    const std::string method = route.at("method"), path = route.at("path");
    INFO(method << " " << path << " is answered by the server but missing from the document");
    CHECK(documented.count({method, path}) == 1);
  }
  // And the other way: every documented operation is in the table.
  std::set<std::pair<std::string, std::string>> served;
  for (const auto& route : routes) served.emplace(route.at("method"), route.at("path"));
  for (const auto& operation : documented) {
    INFO(operation.first << " " << operation.second
                         << " is documented but not in the router's table");
    CHECK(served.count(operation) == 1);
  }
}

TEST_CASE("what the vendor's documentation does not show is marked x-sandbox in the document",
          "[http][openapi][fidelity]") {
  TestSandbox sandbox;
  json doc = sandbox.client().get("/_sandbox/openapi.json").json_body();
  const json& paths = doc.at("paths");
  // Every control route, and the hosted page, are the sandbox's own.
  for (const auto& [path, item] : paths.items()) {
    if (path.rfind("/_sandbox/", 0) != 0 && path.rfind("/hosted/", 0) != 0) continue;
    for (const auto& [method, operation] : item.items()) {
      INFO(method << " " << path);
      CHECK(operation.value("x-sandbox", false));
    }
  }
  // Documented operations carry no mark; sandbox additions beside them do.
  CHECK_FALSE(paths.at("/api/payments").at("post").contains("x-sandbox"));
  CHECK_FALSE(paths.at("/v1/hosted-sessions/{sessionId}/confirm").at("post").contains("x-sandbox"));
  CHECK(paths.at("/api/payments/{paymentUid}/refund").at("post").value("x-sandbox", false));
  const json& schemas = doc.at("components").at("schemas");
  CHECK(schemas.at("PaymentAccountCreate")
            .at("properties")
            .at("fee_rules")
            .value("x-sandbox", false));
  for (const char* key : {"logo_url", "accent_color", "merchant_display_name", "page_message"}) {
    INFO(key);
    CHECK(schemas.at("CheckoutConfigUpdate").at("properties").at(key).value("x-sandbox", false));
  }
  // The documented validate body: tax_amount and reference_id may be left out.
  CHECK(schemas.at("PaymentValidate").at("required") ==
        json{"base_amount", "currency", "payment_method"});
  CHECK_FALSE(schemas.at("ConfirmBrowser").at("properties").contains("card_type"));
  CHECK_FALSE(schemas.at("SessionCreate").at("properties").contains("expires_in"));
  CHECK_FALSE(schemas.at("LineItem").at("properties").contains("name"));
  // Keys an answer carries beyond the documented ones are marked too.
  for (const char* key : {"session_id", "payment_method_type", "processing_fee_amount", "currency"})
    CHECK(schemas.at("FeeQuote").at("properties").at(key).value("x-sandbox", false));
  for (const char* key : {"amount", "convenience_fee", "total_amount", "method"})
    CHECK_FALSE(schemas.at("FeeQuote").at("properties").at(key).contains("x-sandbox"));
  for (const char* key : {"payment", "session"})
    CHECK(schemas.at("ConfirmResult").at("properties").at(key).value("x-sandbox", false));
  CHECK_FALSE(schemas.at("ConfirmResult").at("properties").at("payment_uid").contains("x-sandbox"));
  for (const auto& [key, property] : schemas.at("SessionCreated").at("properties").items()) {
    INFO("SessionCreated." << key);
    const bool documented =
        key == "session_id" || key == "client_secret" || key == "expires_at" || key == "hosted_url";
    CHECK(property.value("x-sandbox", false) == !documented);
  }
}

TEST_CASE("the document's ACH account types are exactly the ones the server takes",
          "[http][openapi][fidelity]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"), sandbox.token());
  json doc = sandbox.client().get("/_sandbox/openapi.json").json_body();
  const json& schemas = doc.at("components").at("schemas");
  const json types = schemas.at("AchInput").at("properties").at("account_type").at("enum");
  // The browser's ACH details and the control API's bank token list the same.
  CHECK(schemas.at("AchForBrowser").at("properties").at("account_type").at("enum") == types);
  CHECK(schemas.at("TokenMint")
            .at("properties")
            .at("ach")
            .at("properties")
            .at("account_type")
            .at("enum") == types);
  json customer = merchant.create_customer("ach-payer");
  json accepted = json::array();
  for (const std::string type :
       {"checking", "savings", "business_checking", "business_savings", "corporate"}) {
    INFO(type);
    auto minted = merchant.control_post("/_sandbox/tokens", {{"ach",
                                                              {{"routing_number", "011000015"},
                                                               {"account_number", "000123456789"},
                                                               {"account_type", type}}}});
    if (minted.status != 201) {
      CHECK(minted.status == 400);
      continue;
    }
    auto saved =
        merchant.post(methods_path(customer), {{"payment_method", ach_method(minted.json_body())}});
    INFO(saved.body);
    CHECK(saved.status == 201);
    if (saved.status == 201) accepted.push_back(type);
  }
  CHECK(accepted == types);
}

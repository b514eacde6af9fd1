// docs/api/authentication.md and docs/api/README.md#conventions: /oauth2/token, bearer checks, the
// account header and the serve flags that relax them.
#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

Reply token_request(TestSandbox& sandbox, const std::string& body, httplib::Headers headers = {}) {
  headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  return sandbox.client().request("POST", "/oauth2/token", body, std::move(headers));
}

httplib::Headers basic(const std::string& id, const std::string& secret) {
  auto header = httplib::make_basic_authentication_header(id, secret);
  return {{header.first, header.second}};
}

Reply customers_with(TestSandbox& sandbox, httplib::Headers headers) {
  return sandbox.client().get("/api/customers", std::move(headers));
}

}  // namespace

TEST_CASE("a form-encoded client_credentials grant with Basic auth issues a bearer token",
          "[http][auth]") {
  TestSandbox sandbox;
  auto reply = token_request(sandbox, "grant_type=client_credentials",
                             basic("sandbox-client", "sandbox-secret"));
  REQUIRE(reply.status == 200);
  json body = reply.json_body();
  CHECK(body.at("token_type") == "Bearer");
  CHECK(body.at("expires_in") == 3600);
  CHECK_FALSE(body.at("access_token").get<std::string>().empty());
  CHECK_FALSE(reply.header("X-Request-Id").empty());

  auto scoped = token_request(sandbox, "grant_type=client_credentials&scope=payments%2Fwrite",
                              basic("sandbox-client", "sandbox-secret"));
  REQUIRE(scoped.status == 200);
  CHECK(scoped.json_body().at("scope") == "payments/write");

  auto works = customers_with(
      sandbox, {{"Authorization", "Bearer " + body.at("access_token").get<std::string>()},
                {"X-Payment-Account-Uid", "pa_sandbox"}});
  CHECK(works.status == 200);
}

TEST_CASE("a bad client gets the OAuth 2 invalid_client shape", "[http][auth]") {
  TestSandbox sandbox;
  for (const auto& headers :
       {basic("sandbox-client", "wrong"), basic("nobody", "sandbox-secret"), httplib::Headers{}}) {
    auto reply = token_request(sandbox, "grant_type=client_credentials", headers);
    INFO(reply.body);
    CHECK(reply.status == 401);
    json body = reply.json_body();
    CHECK(body.at("error") == "invalid_client");
    CHECK_FALSE(body.contains("code"));
  }
  auto garbage =
      token_request(sandbox, "grant_type=client_credentials", {{"Authorization", "Basic !!!"}});
  CHECK(garbage.status == 401);
  CHECK(garbage.json_body().at("error") == "invalid_client");

  auto no_grant = token_request(sandbox, "", basic("sandbox-client", "sandbox-secret"));
  CHECK(no_grant.status == 400);
  CHECK(no_grant.json_body().at("error") == "invalid_request");
  auto wrong_grant =
      token_request(sandbox, "grant_type=password", basic("sandbox-client", "sandbox-secret"));
  CHECK(wrong_grant.status == 400);
  CHECK(wrong_grant.json_body().at("error") == "unsupported_grant_type");
}

TEST_CASE("a fixture client beyond the built-in one can get a token", "[http][auth]") {
  TestSandbox sandbox;
  auto reply = token_request(sandbox, "grant_type=client_credentials",
                             basic("second-client", "second-secret"));
  CHECK(reply.status == 200);
}

TEST_CASE("a missing, malformed or unknown bearer is a 401", "[http][auth]") {
  TestSandbox sandbox;
  const std::vector<httplib::Headers> cases = {
      {{"X-Payment-Account-Uid", "pa_sandbox"}},
      {{"Authorization", "Bearer"}, {"X-Payment-Account-Uid", "pa_sandbox"}},
      {{"Authorization", "Basic c2FuZGJveC1jbGllbnQ6c2FuZGJveC1zZWNyZXQ="},
       {"X-Payment-Account-Uid", "pa_sandbox"}},
      {{"Authorization", "Bearer at_not_issued"}, {"X-Payment-Account-Uid", "pa_sandbox"}},
  };
  for (const auto& headers : cases) {
    auto reply = customers_with(sandbox, headers);
    INFO(reply.body);
    CHECK(reply.status == 401);
    json body = reply.json_body();
    CHECK(body.at("code") == "unauthorized");
    CHECK(body.at("request_id") == reply.header("X-Request-Id"));
  }
  // The bearer is checked before the account header.
  auto neither = customers_with(sandbox, {});
  CHECK(neither.status == 401);
}

TEST_CASE("a bearer token lives 3600 s of sandbox time and is expired at exactly 3600",
          "[http][auth][clock]") {
  TestSandbox sandbox;
  const std::string token = sandbox.token();
  httplib::Headers headers = {{"Authorization", "Bearer " + token},
                              {"X-Payment-Account-Uid", "pa_sandbox"}};
  Client control = sandbox.client();
  auto advance = [&](int seconds) {
    REQUIRE(control.post("/_sandbox/clock/advance", {{"seconds", seconds}}).status == 200);
  };
  advance(3599);
  CHECK(customers_with(sandbox, headers).status == 200);
  advance(1);
  auto expired = customers_with(sandbox, headers);
  CHECK(expired.status == 401);
  CHECK(expired.json_body().at("code") == "unauthorized");
  CHECK(expired.json_body().at("message").get<std::string>().find("expired") != std::string::npos);
  // A fresh one works again.
  CHECK(customers_with(sandbox, {{"Authorization", "Bearer " + sandbox.token()},
                                 {"X-Payment-Account-Uid", "pa_sandbox"}})
            .status == 200);
}

TEST_CASE("advancing one account's clock never expires bearer tokens", "[http][auth][clock]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  merchant.advance(7200);
  CHECK(merchant.get("/api/customers").status == 200);
}

TEST_CASE("the account header is required, and an unknown or foreign account is a 404",
          "[http][auth][accounts]") {
  TestSandbox sandbox;
  const std::string token = sandbox.token();
  auto missing = customers_with(sandbox, {{"Authorization", "Bearer " + token}});
  CHECK(missing.status == 400);
  CHECK(missing.json_body().at("code") == "validation_error");
  CHECK(missing.json_body().at("param") == "X-Payment-Account-Uid");

  auto unknown = customers_with(
      sandbox, {{"Authorization", "Bearer " + token}, {"X-Payment-Account-Uid", "pa_nope"}});
  CHECK(unknown.status == 404);
  CHECK(unknown.json_body().at("code") == "not_found");

  // pa_second belongs to second-client.
  auto foreign = customers_with(
      sandbox, {{"Authorization", "Bearer " + token}, {"X-Payment-Account-Uid", "pa_second"}});
  CHECK(foreign.status == 404);
  CHECK(foreign.json_body().at("code") == "not_found");
  // The same answer as for an account that does not exist: nothing revealed.
  CHECK(foreign.json_body().at("message") == "No payment account 'pa_second' for this client.");
  CHECK(unknown.json_body().at("message") == "No payment account 'pa_nope' for this client.");

  Merchant second(sandbox, "pa_second", sandbox.token("second-client", "second-secret"));
  CHECK(second.get("/api/customers").status == 200);
  Merchant into_sandbox(sandbox, "pa_sandbox", second.token());
  CHECK(into_sandbox.get("/api/customers").status == 404);
}

TEST_CASE("serve --no-auth skips the bearer and acts as sandbox-client", "[http][auth]") {
  paysandbox::Options options;
  options.no_auth = true;
  TestSandbox sandbox(options);
  Client client = sandbox.client();
  auto reply = client.post("/api/customers", {{"reference_id", "no-auth"}},
                           {{"X-Payment-Account-Uid", "pa_sandbox"}});
  CHECK(reply.status == 201);
  auto accounts = client.get("/api/paymentaccounts");
  REQUIRE(accounts.status == 200);
  bool has_sandbox = false;
  for (const auto& a : accounts.json_body())
    has_sandbox = has_sandbox || a.at("uid") == "pa_sandbox";
  CHECK(has_sandbox);
  // Still acting as sandbox-client: second-client's account stays unknown.
  CHECK(client.get("/api/customers", {{"X-Payment-Account-Uid", "pa_second"}}).status == 404);
}

TEST_CASE("serve --control-token guards /_sandbox/ but never health", "[http][auth][control]") {
  paysandbox::Options options;
  options.control_token = "s3cret";
  TestSandbox sandbox(options);
  Client client = sandbox.client();
  CHECK(client.get("/_sandbox/health").status == 200);

  auto missing = client.post("/_sandbox/accounts", json::object());
  CHECK(missing.status == 401);
  CHECK(missing.json_body().at("code") == "unauthorized");
  auto wrong = client.post("/_sandbox/accounts", json::object(), {{"X-Sandbox-Token", "nope"}});
  CHECK(wrong.status == 401);
  auto clock = client.get("/_sandbox/clock");
  CHECK(clock.status == 401);
  auto right = client.post("/_sandbox/accounts", json::object(), {{"X-Sandbox-Token", "s3cret"}});
  CHECK(right.status == 201);
  CHECK(client.get("/_sandbox/clock", {{"X-Sandbox-Token", "s3cret"}}).status == 200);
  // The platform API is not affected by the control token.
  Merchant merchant(sandbox, "pa_sandbox");
  CHECK(merchant.get("/api/customers").status == 200);
}

TEST_CASE("the embedding API works with a control token set", "[http][auth][control]") {
  paysandbox::Options options;
  options.control_token = "s3cret";
  TestSandbox sandbox(options);
  // The typed calls use the services directly: no control token to send.
  const auto account = sandbox.sandbox().create_account();
  CHECK(account.uid.rfind("pa_", 0) == 0);
  CHECK(sandbox.sandbox().advance_clock(std::chrono::seconds(10)).offset_seconds == 10);
  sandbox.sandbox().reset();
  // The raw escape hatch is a request like any other: it needs the token.
  CHECK(sandbox.sandbox().request("POST", "/_sandbox/reset").status == 401);
  CHECK(sandbox.sandbox()
            .request("POST", "/_sandbox/reset", "", {{"X-Sandbox-Token", "s3cret"}})
            .status == 200);
}

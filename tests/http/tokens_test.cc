// docs/control-api.md#card-and-bank-tokens: the token stand-in (POST /_sandbox/tokens), token
// expiry on the account's clock and --accept-any-token.
#include "support/catch.h"
#include "support/harness.h"

using namespace testing;

namespace {

Reply mint(Merchant& merchant, const json& body) {
  return merchant.control_post("/_sandbox/tokens", body);
}

json card(const std::string& number, int month = 12, int year = 2030) {
  return {{"card", {{"number", number}, {"exp_month", month}, {"exp_year", year}}}};
}

}  // namespace

TEST_CASE("a card token carries last4, bin, brand and a 15-minute expiry", "[http][tokens]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  auto reply = mint(merchant, {{"card",
                                {{"number", "4111111111111111"},
                                 {"exp_month", 12},
                                 {"exp_year", 2030},
                                 {"cvv", "123"},
                                 {"holder_name", "Alex Morales"}}}});
  REQUIRE(reply.status == 201);
  json token = reply.json_body();
  CHECK(token.at("fingerprint").get<std::string>().rfind("ptok_", 0) == 0);
  CHECK(token.at("card") == json{{"last4", "1111"},
                                 {"bin", "411111"},
                                 {"card_brand", "VISA"},
                                 {"exp_month", 12},
                                 {"exp_year", 2030}});
  CHECK_FALSE(token.dump().find("4111111111111111") != std::string::npos);

  json clock = merchant.control_get("/_sandbox/clock").json_body();
  // expires_at is 900 s past the account's now (to the second).
  auto now = clock.at("now").get<std::string>();
  auto expires = token.at("expires_at").get<std::string>();
  CHECK(expires > now);
  CHECK(expires.size() == now.size());
}

TEST_CASE("the sandbox card table decides each card's brand", "[http][tokens]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  const std::vector<std::pair<std::string, std::string>> cards = {
      {"4111111111111111", "VISA"}, {"5555555555554444", "MASTERCARD"},
      {"378282246310005", "AMEX"},  {"6011111111111117", "DISCOVER"},
      {"4000000000000002", "VISA"}, {"4000000000009995", "VISA"},
      {"4000000000000069", "VISA"}, {"4000000000000127", "VISA"},
      {"4000000000000119", "VISA"},
  };
  for (const auto& [number, brand] : cards) {
    INFO(number);
    auto reply = mint(merchant, card(number));
    REQUIRE(reply.status == 201);
    CHECK(reply.json_body().at("card").at("card_brand") == brand);
    CHECK(reply.json_body().at("card").at("last4") == number.substr(number.size() - 4));
  }
}

TEST_CASE("a card number failing Luhn is a 400 at card.number", "[http][tokens]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  auto reply = mint(merchant, card("4111111111111112"));
  CHECK(reply.status == 400);
  CHECK(reply.json_body().at("code") == "validation_error");
  CHECK(reply.json_body().at("param") == "card.number");
  CHECK(reply.json_body().at("message").get<std::string>().find("Luhn") != std::string::npos);
  auto letters = mint(merchant, card("4111-1111-1111-1111"));
  CHECK(letters.status == 400);
  CHECK(letters.json_body().at("param") == "card.number");
  auto bad_cvv = mint(
      merchant,
      {{"card",
        {{"number", "4111111111111111"}, {"exp_month", 1}, {"exp_year", 2030}, {"cvv", "12"}}}});
  CHECK(bad_cvv.status == 400);
  CHECK(bad_cvv.json_body().at("param") == "card.cvv");
  auto unknown = mint(
      merchant,
      {{"card",
        {{"number", "4111111111111111"}, {"exp_month", 1}, {"exp_year", 2030}, {"pin", "1234"}}}});
  CHECK(unknown.status == 400);
  CHECK(unknown.json_body().at("param") == "card.pin");
}

TEST_CASE("minting a card already past its expiry month is a 400", "[http][tokens][clock]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  auto reply = mint(merchant, card("4111111111111111", 1, 2020));
  CHECK(reply.status == 400);
  CHECK(reply.json_body().at("param").get<std::string>().rfind("card.exp", 0) == 0);
}

TEST_CASE("an ACH token checks the ABA checksum and keeps only the suffix", "[http][tokens]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  auto reply = mint(merchant, {{"ach",
                                {{"routing_number", "021000021"},
                                 {"account_number", "000123456789"},
                                 {"account_type", "savings"},
                                 {"bank_name", "Chase"}}}});
  REQUIRE(reply.status == 201);
  json token = reply.json_body();
  CHECK(token.at("fingerprint").get<std::string>().rfind("ptok_", 0) == 0);
  CHECK(token.at("ach") == json{{"account_number_suffix", "6789"},
                                {"routing_number", "021000021"},
                                {"account_type", "savings"},
                                {"bank_name", "Chase"}});
  CHECK(token.dump().find("000123456789") == std::string::npos);

  auto bad = mint(merchant, {{"ach",
                              {{"routing_number", "021000022"},
                               {"account_number", "000123456789"},
                               {"account_type", "checking"}}}});
  CHECK(bad.status == 400);
  CHECK(bad.json_body().at("param") == "ach.routing_number");
  CHECK(bad.json_body().at("message").get<std::string>().find("ABA") != std::string::npos);
  auto type = mint(merchant, {{"ach",
                               {{"routing_number", "021000021"},
                                {"account_number", "000123456789"},
                                {"account_type", "brokerage"}}}});
  CHECK(type.status == 400);
  CHECK(type.json_body().at("param") == "ach.account_type");
}

TEST_CASE("a token request needs exactly one of card or ach and the account header",
          "[http][tokens]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  CHECK(mint(merchant, json::object()).status == 400);
  json both = card("4111111111111111");
  both["ach"] = {
      {"routing_number", "021000021"}, {"account_number", "1234"}, {"account_type", "checking"}};
  CHECK(mint(merchant, both).status == 400);
  auto no_header = sandbox.client().post("/_sandbox/tokens", card("4111111111111111"));
  CHECK(no_header.status == 400);
  CHECK(no_header.json_body().at("param") == "X-Payment-Account-Uid");
  auto unknown = sandbox.client().post("/_sandbox/tokens", card("4111111111111111"),
                                       {{"X-Payment-Account-Uid", "pa_nope"}});
  CHECK(unknown.status == 404);
}

TEST_CASE("a proxynized token is good until 900 s and expired at exactly 900",
          "[http][tokens][clock]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("expiry");
  json minted = merchant.mint_card();
  json second = merchant.mint_card("5555555555554444");
  merchant.advance(899);
  // Still good, and good for more than one use.
  CHECK(merchant.post(methods_path(customer), {{"payment_method", credit_method(minted)}}).status ==
        201);
  CHECK(merchant.post(methods_path(customer), {{"payment_method", credit_method(minted)}}).status ==
        201);
  merchant.advance(1);
  auto reply = merchant.post(methods_path(customer), {{"payment_method", credit_method(second)}});
  CHECK(reply.status == 400);
  json body = reply.json_body();
  CHECK(body.at("code") == "validation_error");
  CHECK(body.at("param") == "payment_method.credit.fingerprint");
  const std::string message = body.at("message");
  CHECK(message.find("expired") != std::string::npos);
  CHECK(message.find("900 s old") != std::string::npos);
}

TEST_CASE("an unknown fingerprint is a 400 at the fingerprint", "[http][tokens]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, "pa_sandbox");
  json customer = merchant.create_customer("unknown-token");
  json method = credit_method(merchant.mint_card());
  method["credit"]["fingerprint"] = "ptok_never_minted";
  auto reply = merchant.post(methods_path(customer), {{"payment_method", method}});
  CHECK(reply.status == 400);
  CHECK(reply.json_body().at("param") == "payment_method.credit.fingerprint");
}

TEST_CASE("a token minted in one account is unknown in every other", "[http][tokens][isolation]") {
  TestSandbox sandbox;
  Merchant a(sandbox, sandbox.create_account().at("uid"));
  Merchant b(sandbox, sandbox.create_account().at("uid"));
  json minted = a.mint_card();
  json customer = b.create_customer("thief");
  auto reply = b.post(methods_path(customer), {{"payment_method", credit_method(minted)}});
  CHECK(reply.status == 400);
  CHECK(reply.json_body().at("param") == "payment_method.credit.fingerprint");
  CHECK(reply.json_body().at("message").get<std::string>().find("Unknown") != std::string::npos);
}

TEST_CASE("serve --accept-any-token takes unknown tokens at their word", "[http][tokens]") {
  paysandbox::Options options;
  options.accept_any_token = true;
  TestSandbox sandbox(options);
  Merchant merchant(sandbox, "pa_sandbox");
  json customer = merchant.create_customer("any-token");
  auto reply = merchant.post(methods_path(customer), {{"payment_method",
                                                       {{"payment_method_type", "credit"},
                                                        {"credit",
                                                         {{"fingerprint", "ptok_from_elsewhere"},
                                                          {"last4", "4444"},
                                                          {"exp_month", 6},
                                                          {"exp_year", 2031},
                                                          {"bin", "555555"}}}}}});
  REQUIRE(reply.status == 201);
  json credit = reply.json_body().at("payment_method").at("credit");
  CHECK(credit.at("last4") == "4444");
  CHECK(credit.at("card_brand") == "MASTERCARD");
  CHECK(credit.at("fingerprint").get<std::string>().rfind("tok_", 0) == 0);

  // A real token that expired is still expired.
  json minted = merchant.mint_card();
  merchant.advance(900);
  auto expired = merchant.post(methods_path(customer), {{"payment_method", credit_method(minted)}});
  CHECK(expired.status == 400);
  CHECK(expired.json_body().at("param") == "payment_method.credit.fingerprint");
}

TEST_CASE("a saved card past its month on the account clock cannot be saved again",
          "[http][tokens][clock]") {
  TestSandbox sandbox;
  Merchant merchant(sandbox, sandbox.create_account().at("uid"));
  json customer = merchant.create_customer("card-expiry");
  json clock = merchant.control_get("/_sandbox/clock").json_body();
  const int year = std::stoi(clock.at("now").get<std::string>().substr(0, 4));
  const int month = std::stoi(clock.at("now").get<std::string>().substr(5, 2));
  json minted = merchant.mint_card("4111111111111111", month, year);
  // Good through the last day of this month; 40 days on, the same card is
  // past it and minting it is a 400.
  CHECK(merchant.post(methods_path(customer), {{"payment_method", credit_method(minted)}}).status ==
        201);
  merchant.advance(40LL * 24 * 3600);
  auto reply = merchant.control_post(
      "/_sandbox/tokens",
      {{"card", {{"number", "4111111111111111"}, {"exp_month", month}, {"exp_year", year}}}});
  CHECK(reply.status == 400);
  CHECK(reply.json_body().at("message").get<std::string>().find("expired") != std::string::npos);
}

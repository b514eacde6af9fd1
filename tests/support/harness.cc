#include "support/harness.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "support/catch.h"

namespace testing {

std::string store_kind() {
  const char* kind = std::getenv("PAYSANDBOX_TEST_STORE");
  return kind != nullptr && std::string(kind) == "file" ? "file" : "memory";
}

TempDb::TempDb() {
  static std::atomic<int> counter{0};
  const char* dir = std::getenv("TMPDIR");
  path_ = std::string(dir != nullptr ? dir : "/tmp") + "/paysandbox-test-" +
          std::to_string(getpid()) + "-" + std::to_string(counter++) + ".db";
  std::remove(path_.c_str());
}

TempDb::~TempDb() {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
}

json Reply::json_body() const { return json::parse(body); }

std::string Reply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

Client::Client(int port) : client_(std::make_unique<httplib::Client>("127.0.0.1", port)) {
  client_->set_connection_timeout(5, 0);
  client_->set_read_timeout(30, 0);
  client_->set_keep_alive(true);
  // Headers and body go out in two writes; without this each request waits
  // for the server's delayed ACK (~40 ms).
  client_->set_tcp_nodelay(true);
}

Reply Client::request(const std::string& method, const std::string& path, const std::string& body,
                      httplib::Headers headers) {
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = std::move(headers);
  req.body = body;
  if (!body.empty() && !req.has_header("Content-Type"))
    req.set_header("Content-Type", "application/json");
  if ((method == "POST" || method == "PUT" || method == "PATCH") &&
      !req.has_header("Content-Length"))
    req.set_header("Content-Length", std::to_string(body.size()));
  auto result = client_->send(req);
  Reply reply;
  if (!result) {
    reply.error = httplib::to_string(result.error());
    return reply;
  }
  reply.status = result->status;
  reply.body = result->body;
  reply.headers = result->headers;
  return reply;
}

Reply Client::get(const std::string& path, httplib::Headers headers) {
  return request("GET", path, {}, std::move(headers));
}
Reply Client::post(const std::string& path, const json& body, httplib::Headers headers) {
  return request("POST", path, body.is_null() ? std::string() : body.dump(), std::move(headers));
}
Reply Client::put(const std::string& path, const json& body, httplib::Headers headers) {
  return request("PUT", path, body.dump(), std::move(headers));
}
Reply Client::del(const std::string& path, httplib::Headers headers) {
  return request("DELETE", path, {}, std::move(headers));
}

TestSandbox::TestSandbox(paysandbox::Options options) {
  if (store_kind() == "file" && options.db_path.empty()) {
    db_ = std::make_unique<TempDb>();
    options.db_path = db_->path();
  }
  sandbox_ = std::make_unique<paysandbox::Sandbox>(options);
}

std::string TestSandbox::token(const std::string& client_id, const std::string& secret) {
  httplib::Client http("127.0.0.1", port());
  http.set_basic_auth(client_id.c_str(), secret.c_str());
  auto result = http.Post("/oauth2/token", "grant_type=client_credentials",
                          "application/x-www-form-urlencoded");
  REQUIRE(result);
  REQUIRE(result->status == 200);
  return json::parse(result->body).at("access_token").get<std::string>();
}

json TestSandbox::create_account(const json& settings) {
  auto reply = client().post("/_sandbox/accounts", settings);
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

Merchant::Merchant(TestSandbox& sandbox, std::string account_uid)
    : Merchant(sandbox, std::move(account_uid), sandbox.token()) {}

Merchant::Merchant(TestSandbox& sandbox, std::string account_uid, std::string token)
    : client_(sandbox.port()), account_(std::move(account_uid)), token_(std::move(token)) {}

httplib::Headers Merchant::headers(httplib::Headers extra) const {
  extra.emplace("Authorization", "Bearer " + token_);
  extra.emplace("X-Payment-Account-Uid", account_);
  return extra;
}

Reply Merchant::get(const std::string& path) { return client_.get(path, headers()); }
Reply Merchant::post(const std::string& path, const json& body, httplib::Headers extra) {
  return client_.post(path, body, headers(std::move(extra)));
}
Reply Merchant::put(const std::string& path, const json& body) {
  return client_.put(path, body, headers());
}
Reply Merchant::del(const std::string& path) { return client_.del(path, headers()); }
Reply Merchant::control_get(const std::string& path) {
  return client_.get(path, {{"X-Payment-Account-Uid", account_}});
}
Reply Merchant::control_post(const std::string& path, const json& body) {
  return client_.post(path, body, {{"X-Payment-Account-Uid", account_}});
}

json Merchant::create_customer(const std::string& reference_id) {
  auto reply = post("/api/customers", {{"reference_id", reference_id}, {"name", "Alex Morales"}});
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

json Merchant::mint_card(const std::string& number, int exp_month, int exp_year) {
  auto reply = control_post(
      "/_sandbox/tokens",
      {{"card", {{"number", number}, {"exp_month", exp_month}, {"exp_year", exp_year}}}});
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

json Merchant::mint_ach(const std::string& routing, const std::string& account_number) {
  auto reply = control_post("/_sandbox/tokens", {{"ach",
                                                  {{"routing_number", routing},
                                                   {"account_number", account_number},
                                                   {"account_type", "checking"},
                                                   {"bank_name", "First Sandbox Bank"}}}});
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

json Merchant::save_card(const std::string& customer_uid, const std::string& number) {
  auto reply = post("/api/customers/" + customer_uid + "/payment-methods",
                    {{"payment_method", credit_method(mint_card(number))}});
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

json Merchant::save_ach(const std::string& customer_uid) {
  auto reply = post("/api/customers/" + customer_uid + "/payment-methods",
                    {{"payment_method", ach_method(mint_ach())}});
  REQUIRE(reply.status == 201);
  return reply.json_body();
}

void Merchant::advance(std::int64_t seconds) {
  auto reply = control_post("/_sandbox/clock/advance", {{"seconds", seconds}});
  REQUIRE(reply.status == 200);
}

json credit_method(const json& minted, const std::string& holder) {
  const json& card = minted.at("card");
  return {{"payment_method_type", "credit"},
          {"credit",
           {{"fingerprint", minted.at("fingerprint")},
            {"last4", card.at("last4")},
            {"exp_month", card.at("exp_month")},
            {"exp_year", card.at("exp_year")},
            {"bin", card.at("bin")},
            {"card_brand", card.at("card_brand")},
            {"holder_name", holder}}}};
}

json ach_method(const json& minted) {
  const json& ach = minted.at("ach");
  return {{"payment_method_type", "ach"},
          {"ach",
           {{"fingerprint", minted.at("fingerprint")},
            {"account_number_suffix", ach.at("account_number_suffix")},
            {"routing_number", ach.at("routing_number")},
            {"account_type", ach.at("account_type")},
            {"holder_name", "Alex Morales"}}}};
}

std::string methods_path(const json& customer) {
  return "/api/customers/" + customer.at("uid").get<std::string>() + "/payment-methods";
}

int count_lines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  return lines;
}

}  // namespace testing

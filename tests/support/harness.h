#pragma once

// Test support: starts a Sandbox on 127.0.0.1:0 and talks to it over a real
// socket with httplib's client. Tests assert on status, body and state.

#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "paysandbox/sandbox.h"

namespace testing {

using json = nlohmann::json;

// The store the HTTP tests run against: "memory" or "file", from
// PAYSANDBOX_TEST_STORE (ctest registers every HTTP test once per store).
std::string store_kind();

// A temporary SQLite path, removed (with -wal/-shm) when destroyed.
class TempDb {
 public:
  TempDb();
  ~TempDb();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Reply {
  int status = 0;     // 0 = no HTTP response at all (connection failed)
  std::string error;  // why there was no response, when status is 0
  std::string body;
  httplib::Headers headers;
  json json_body() const;  // throws when the body is not JSON
  std::string header(const std::string& name) const;
};

// A raw HTTP client for one base URL.
class Client {
 public:
  explicit Client(int port);
  Reply request(const std::string& method, const std::string& path, const std::string& body = {},
                httplib::Headers headers = {});
  Reply get(const std::string& path, httplib::Headers headers = {});
  Reply post(const std::string& path, const json& body, httplib::Headers headers = {});
  Reply put(const std::string& path, const json& body, httplib::Headers headers = {});
  Reply del(const std::string& path, httplib::Headers headers = {});

 private:
  std::unique_ptr<httplib::Client> client_;
};

// A sandbox for one test: in memory or on a temporary file per store_kind(),
// plus helpers for the calls almost every test makes.
class TestSandbox {
 public:
  explicit TestSandbox(paysandbox::Options options = {});
  paysandbox::Sandbox& sandbox() { return *sandbox_; }
  int port() const { return sandbox_->port(); }
  Client client() const { return Client(sandbox_->port()); }

  // POST /oauth2/token for a fixture client; returns the bearer token.
  std::string token(const std::string& client_id = "sandbox-client",
                    const std::string& secret = "sandbox-secret");
  // POST /_sandbox/accounts; returns the created account JSON.
  json create_account(const json& settings = json::object());

 private:
  std::unique_ptr<TempDb> db_;
  std::unique_ptr<paysandbox::Sandbox> sandbox_;
};

// A client bound to one account with a bearer token: what a merchant's
// server looks like. Adds Authorization and X-Payment-Account-Uid.
class Merchant {
 public:
  Merchant(TestSandbox& sandbox, std::string account_uid);
  Merchant(TestSandbox& sandbox, std::string account_uid, std::string token);

  Reply get(const std::string& path);
  Reply post(const std::string& path, const json& body, httplib::Headers extra = {});
  Reply put(const std::string& path, const json& body);
  Reply del(const std::string& path);
  // Control-plane calls for the same account (no bearer, account header).
  Reply control_get(const std::string& path);
  Reply control_post(const std::string& path, const json& body);

  // Conveniences for the common flow; each REQUIREs success.
  json create_customer(const std::string& reference_id);
  json mint_card(const std::string& number = "4111111111111111", int exp_month = 12,
                 int exp_year = 2030);
  json mint_ach(const std::string& routing = "011000015",
                const std::string& account_number = "000123456789");
  // Mints and saves a card on the customer; returns the save response.
  json save_card(const std::string& customer_uid, const std::string& number = "4111111111111111");
  json save_ach(const std::string& customer_uid);
  void advance(std::int64_t seconds);

  const std::string& account() const { return account_; }
  const std::string& token() const { return token_; }

 private:
  httplib::Headers headers(httplib::Headers extra = {}) const;

  Client client_;
  std::string account_;
  std::string token_;
};

// The card body for a save or payment, from a /_sandbox/tokens answer.
json credit_method(const json& minted, const std::string& holder = "Alex Morales");
json ach_method(const json& minted);

// "/api/customers/{uid}/payment-methods" for a customer object.
std::string methods_path(const json& customer);
// How many '\n' the text holds.
int count_lines(const std::string& text);

}  // namespace testing

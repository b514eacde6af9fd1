#include "paysandbox/test_account.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "embed/convert.h"

namespace paysandbox {
namespace {

using embed::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kClientId = "sandbox-client";
constexpr const char* kClientSecret = "sandbox-secret";
// Renew this long before the token's end, so a request never races it.
constexpr std::int64_t kRenewMarginSeconds = 30;
// The longest wait_ms the long-polls take.
constexpr std::chrono::milliseconds kLongestPoll(30000);

std::string base64(const std::string& in) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The real time left until `deadline` (0 once it passed), capped at the
// long-poll's limit.
std::int64_t poll_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max<std::int64_t>(0, std::min(left, kLongestPoll).count());
}

}  // namespace

TestAccount::TestAccount(Sandbox& sandbox, api::AccountSettings settings) : sandbox_(sandbox) {
  if (!settings.client_id.empty() && settings.client_id != kClientId)
    throw std::invalid_argument(
        "TestAccount: accounts belong to sandbox-client; leave client_id empty");
  account_ = sandbox_.create_account(settings);
  renew_bearer();
}

TestAccount::~TestAccount() {
  try {
    control("POST", "/_sandbox/accounts/" + account_.uid + "/reset");
  } catch (...) {
    // A destructor must not throw; the sandbox may already be stopping.
  }
}

std::vector<std::pair<std::string, std::string>> TestAccount::control_headers() const {
  std::vector<std::pair<std::string, std::string>> headers{{"X-Payment-Account-Uid", account_.uid}};
  if (!sandbox_.options().control_token.empty())
    headers.emplace_back("X-Sandbox-Token", sandbox_.options().control_token);
  return headers;
}

json TestAccount::control(const std::string& method, const std::string& target,
                          const std::string& body) {
  return embed::expect_ok(sandbox_.request(method, target, body, control_headers()));
}

std::int64_t TestAccount::server_offset_seconds() {
  // Without the account header: the server-wide clock.
  std::vector<std::pair<std::string, std::string>> headers;
  if (!sandbox_.options().control_token.empty())
    headers.emplace_back("X-Sandbox-Token", sandbox_.options().control_token);
  return embed::expect_ok(sandbox_.request("GET", "/_sandbox/clock", "", headers))
      .at("offset_seconds")
      .get<std::int64_t>();
}

void TestAccount::renew_bearer() {
  const std::int64_t offset = server_offset_seconds();
  const json token = embed::expect_ok(sandbox_.request(
      "POST", "/oauth2/token", "grant_type=client_credentials",
      {{"Authorization", "Basic " + base64(std::string(kClientId) + ":" + kClientSecret)},
       {"Content-Type", "application/x-www-form-urlencoded"}}));
  bearer_ = token.at("access_token").get<std::string>();
  bearer_expires_in_ = token.at("expires_in").get<std::int64_t>();
  bearer_offset_ = offset;
  bearer_obtained_ = Clock::now();
}

std::string TestAccount::bearer() {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - bearer_obtained_).count();
  const std::int64_t age = elapsed + server_offset_seconds() - bearer_offset_;
  if (age >= bearer_expires_in_ - kRenewMarginSeconds) renew_bearer();
  return bearer_;
}

Sandbox::Response TestAccount::request(const std::string& method, const std::string& path,
                                       const std::string& body,
                                       std::vector<std::pair<std::string, std::string>> headers) {
  headers.emplace_back("Authorization", "Bearer " + bearer());
  headers.emplace_back("X-Payment-Account-Uid", account_.uid);
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  return sandbox_.request(method, path, body, std::move(headers));
}

json TestAccount::call(const std::string& method, const std::string& path, const json& body,
                       std::vector<std::pair<std::string, std::string>> headers) {
  return embed::expect_ok(
      request(method, path, body.is_null() ? std::string() : body.dump(), std::move(headers)));
}

api::Customer TestAccount::create_customer(const std::string& reference_id, const std::string& name,
                                           const std::string& email) {
  json body = {{"reference_id", reference_id}};
  if (!name.empty()) body["name"] = name;
  if (!email.empty()) body["email"] = email;
  return embed::customer_from(call("POST", "/api/customers", body));
}

api::CardToken TestAccount::mint_card(const std::string& number, int exp_month, int exp_year) {
  return sandbox_.mint_card(account_.uid, number, exp_month, exp_year);
}

api::SavedMethod TestAccount::save_card(const api::Customer& customer, const std::string& number,
                                        int exp_month, int exp_year,
                                        const std::string& holder_name) {
  const api::CardToken token = mint_card(number, exp_month, exp_year);
  json credit = {
      {"fingerprint", token.fingerprint}, {"last4", token.last4}, {"exp_month", token.exp_month},
      {"exp_year", token.exp_year},       {"bin", token.bin},     {"card_brand", token.card_brand},
      {"holder_name", holder_name}};
  json body = {{"payment_method", {{"payment_method_type", "credit"}, {"credit", credit}}}};
  return embed::saved_method_from(
      call("POST", "/api/customers/" + customer.uid + "/payment-methods", body));
}

std::vector<api::SavedMethod> TestAccount::saved_methods(const api::Customer& customer) {
  std::vector<api::SavedMethod> out;
  for (const auto& item : call("GET", "/api/customers/" + customer.uid + "/payment-methods"))
    out.push_back(embed::saved_method_from(item));
  return out;
}

api::Payment TestAccount::pay(const api::SavedMethod& method, std::int64_t base_amount,
                              const PayOptions& options) {
  const bool ach = method.type == api::MethodType::kAch;
  json body = {
      {"base_amount", base_amount},
      {"tax_amount", options.tax_amount},
      {"currency", options.currency},
      {"reference_id", options.reference_id.empty() ? "order-" + std::to_string(next_order_++)
                                                    : options.reference_id},
      {"payment_method",
       {{"payment_method_type", ach ? "wallet_ach" : "wallet_credit"},
        {"wallet", {{"saved_payment_method_uid", method.uid}}}}}};
  const json validated = call("POST", "/api/payments", body);
  body["processing_fee_amount"] = validated.at("processing_fee_amount");
  const std::string uid = validated.at("uid").get<std::string>();
  std::vector<std::pair<std::string, std::string>> headers;
  if (!options.idempotency_key.empty())
    headers.emplace_back("Idempotency-Key", options.idempotency_key);
  auto captured = request("POST", "/api/payments/" + uid + "/capture", body.dump(), headers);
  // A decline (402) or a processor failure (502, 503) is an outcome of the
  // payment, not a mistake in the call: answer the payment as it stands.
  if (captured.status == 402 || captured.status == 502 || captured.status == 503)
    return payment(uid);
  return embed::payment_from(embed::expect_ok(captured));
}

api::Payment TestAccount::payment(const std::string& payment_uid) {
  return embed::payment_from(call("GET", "/api/payments/" + payment_uid));
}

void TestAccount::advance_clock(std::chrono::seconds by, ClockScope scope) {
  sandbox_.advance_clock(by, scope == ClockScope::kAccount ? account_.uid : std::string());
}

void TestAccount::load_scenario(const nlohmann::json& scenario) {
  control("POST", "/_sandbox/scenarios", scenario.dump());
}

void TestAccount::load_scenario_file(const std::string& path) {
  try {
    control("POST", "/_sandbox/scenarios", read_text(path));
  } catch (const api::Error& e) {
    throw api::Error(e.status(), e.code(), path + ": " + e.message(), e.param());
  }
}

std::vector<api::RecordedRequest> TestAccount::requests(const api::RequestFilter& filter) {
  std::string query =
      "?account=" + embed::query_escape(account_.uid) + "&limit=" + std::to_string(filter.limit);
  if (!filter.method.empty()) query += "&method=" + embed::query_escape(filter.method);
  if (!filter.path_prefix.empty())
    query += "&path_prefix=" + embed::query_escape(filter.path_prefix);
  if (filter.status != 0) query += "&status=" + std::to_string(filter.status);
  std::vector<api::RecordedRequest> out;
  for (const auto& item : control("GET", "/_sandbox/requests" + query))
    out.push_back(embed::recorded_request_from(item));
  return out;
}

api::Event TestAccount::trigger_webhook(const std::string& event_type, const nlohmann::json& data) {
  json body = {{"event_type", event_type}};
  if (!data.is_null()) body["data"] = data;
  return embed::event_from(control("POST", "/_sandbox/webhooks/trigger", body.dump()));
}

std::vector<api::Event> TestAccount::events(const std::string& type) {
  std::string target = "/_sandbox/events?limit=1000";
  if (!type.empty()) target += "&type=" + embed::query_escape(type);
  std::vector<api::Event> out;
  for (const auto& item : control("GET", target)) out.push_back(embed::event_from(item));
  return out;
}

api::Event TestAccount::wait_for_event(const std::string& type, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    // With no `after`, the long-poll answers the oldest event of the type at
    // once, or waits for the first one.
    const json found = control("GET", "/_sandbox/events?limit=1&type=" + embed::query_escape(type) +
                                          "&wait_ms=" + std::to_string(poll_ms(deadline)));
    if (!found.empty()) return embed::event_from(found.front());
    if (Clock::now() >= deadline)
      throw api::Timeout("no " + type + " event in account " + account_.uid + " in time");
  }
}

api::Delivery TestAccount::wait_for_delivery(const api::Event& event,
                                             std::chrono::milliseconds timeout) {
  if (account_.callback_url.empty())
    throw std::logic_error("account " + account_.uid +
                           " has no callback_url: its events are recorded, never delivered");
  const auto deadline = Clock::now() + timeout;
  while (true) {
    const json found =
        control("GET", "/_sandbox/webhooks/deliveries?webhook_id=" + embed::query_escape(event.id) +
                           "&wait_ms=" + std::to_string(poll_ms(deadline)));
    if (!found.empty()) return embed::delivery_from(found.back());
    if (Clock::now() >= deadline)
      throw api::Timeout("no delivery attempt of " + event.id + " recorded in time");
  }
}

}  // namespace paysandbox

#include "paysandbox/test_account.h"

#include <algorithm>
#include <stdexcept>

#include "core/thread_annotations.h"
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

// The real time left until `deadline` (0 once it passed), capped at the
// long-poll's limit.
std::chrono::milliseconds poll_time(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(std::chrono::milliseconds(0), std::min(left, kLongestPoll));
}

// A merchant call of the account: the parsed 2xx answer, or api::Error.
json call(TestAccount& account, const std::string& method, const std::string& path,
          const json& body = nullptr,
          std::vector<std::pair<std::string, std::string>> headers = {}) {
  return embed::expect_ok(account.request(
      method, path, body.is_null() ? std::string() : body.dump(), std::move(headers)));
}

}  // namespace

struct TestAccount::Bearer {
  Mutex mutex;
  std::string token GUARDED_BY(mutex);
  // When token expires, as seconds of server-clock offset plus the real
  // time elapsed since it was obtained.
  std::int64_t expires_in GUARDED_BY(mutex) = 0;
  std::int64_t offset GUARDED_BY(mutex) = 0;
  Clock::time_point obtained GUARDED_BY(mutex);

  // Obtains a new token of sandbox-client.
  void renew(Sandbox& sandbox) REQUIRES(mutex) {
    const std::int64_t server_offset = sandbox.clock().offset_seconds;
    const json answer = embed::expect_ok(sandbox.request(
        "POST", "/oauth2/token", "grant_type=client_credentials",
        {{"Authorization", "Basic " + base64(std::string(kClientId) + ":" + kClientSecret)},
         {"Content-Type", "application/x-www-form-urlencoded"}}));
    token = answer.at("access_token").get<std::string>();
    expires_in = answer.at("expires_in").get<std::int64_t>();
    offset = server_offset;
    obtained = Clock::now();
  }
};

TestAccount::TestAccount(Sandbox& sandbox, api::AccountSettings settings)
    : sandbox_(sandbox), bearer_(std::make_unique<Bearer>()) {
  if (!settings.client_id.empty() && settings.client_id != kClientId)
    throw std::invalid_argument(
        "TestAccount: accounts belong to sandbox-client; leave client_id empty");
  account_ = sandbox_.create_account(settings);
  Bearer& b = *bearer_;
  MutexLock lock(b.mutex);
  b.renew(sandbox_);
}

TestAccount::~TestAccount() {
  try {
    sandbox_.reset_account(account_.uid);
  } catch (...) {
    // A destructor must not throw; the sandbox may already be stopping.
  }
}

std::string TestAccount::bearer() {
  Bearer& b = *bearer_;
  MutexLock lock(b.mutex);
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - b.obtained).count();
  const std::int64_t age = elapsed + sandbox_.clock().offset_seconds - b.offset;
  if (age >= b.expires_in - kRenewMarginSeconds) b.renew(sandbox_);
  return b.token;
}

Sandbox::Response TestAccount::request(const std::string& method, const std::string& path,
                                       const std::string& body,
                                       std::vector<std::pair<std::string, std::string>> headers) {
  headers.emplace_back("Authorization", "Bearer " + bearer());
  headers.emplace_back("X-Payment-Account-Uid", account_.uid);
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  return sandbox_.request(method, path, body, std::move(headers));
}

api::Customer TestAccount::create_customer(const std::string& reference_id, const std::string& name,
                                           const std::string& email) {
  json body = {{"reference_id", reference_id}};
  if (!name.empty()) body["name"] = name;
  if (!email.empty()) body["email"] = email;
  return embed::customer_from(call(*this, "POST", "/api/customers", body));
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
      call(*this, "POST", "/api/customers/" + customer.uid + "/payment-methods", body));
}

std::vector<api::SavedMethod> TestAccount::saved_methods(const api::Customer& customer) {
  std::vector<api::SavedMethod> out;
  for (const auto& item : call(*this, "GET", "/api/customers/" + customer.uid + "/payment-methods"))
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
  const json validated = call(*this, "POST", "/api/payments", body);
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
  return embed::payment_from(call(*this, "GET", "/api/payments/" + payment_uid));
}

void TestAccount::advance_clock(std::chrono::seconds by, ClockScope scope) {
  sandbox_.advance_clock(by, scope == ClockScope::kAccount ? account_.uid : std::string());
}

api::LoadedScenario TestAccount::load_scenario(const std::string& scenario_json) {
  return sandbox_.load_scenario(account_.uid, scenario_json);
}

api::LoadedScenario TestAccount::load_scenario_file(const std::string& path) {
  return sandbox_.load_scenario_file(account_.uid, path);
}

std::vector<api::RecordedRequest> TestAccount::requests(const api::RequestFilter& filter) {
  api::RequestFilter own = filter;
  own.account_uid = account_.uid;
  return sandbox_.requests(own);
}

api::Event TestAccount::trigger_webhook(const std::string& event_type,
                                        const std::string& data_json) {
  return sandbox_.trigger_webhook(account_.uid, event_type, data_json);
}

std::vector<api::Event> TestAccount::events(const std::string& type) {
  api::EventFilter filter;
  filter.type = type;
  return sandbox_.events(account_.uid, filter);
}

api::Event TestAccount::wait_for_event(const std::string& type, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    // With no `after`, the long-poll answers the oldest event of the type at
    // once, or waits for the first one.
    api::EventFilter filter;
    filter.type = type;
    filter.limit = 1;
    filter.wait = poll_time(deadline);
    const auto found = sandbox_.events(account_.uid, filter);
    if (!found.empty()) return found.front();
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
    api::DeliveryFilter filter;
    filter.event_id = event.id;
    filter.wait = poll_time(deadline);
    const auto found = sandbox_.webhook_deliveries(account_.uid, filter);
    if (!found.empty()) return found.back();
    if (Clock::now() >= deadline)
      throw api::Timeout("no delivery attempt of " + event.id + " recorded in time");
  }
}

}  // namespace paysandbox

#include "embed/convert.h"

namespace paysandbox {
namespace api {

namespace {
std::string describe(int status, const std::string& code, const std::string& message,
                     const std::string& param) {
  std::string out = std::to_string(status) + " " + code + ": " + message;
  if (!param.empty()) out += " (" + param + ")";
  return out;
}
}  // namespace

Error::Error(int status, std::string code, std::string message, std::string param)
    : std::runtime_error(describe(status, code, message, param)),
      status_(status),
      code_(std::move(code)),
      message_(std::move(message)),
      param_(std::move(param)) {}

// to_string(PaymentStatus) is defined in sandbox.cc, beside the core's
// table of the names, which embed/ may not include.

}  // namespace api

namespace embed {
namespace {

// A string field, or empty when it is missing or null.
std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

template <typename T>
T number(const json& j, const char* key, T fallback = T{}) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return fallback;
  return it->get<T>();
}

const json& object_at(const json& j, const char* key) {
  static const json kEmpty = json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

bool flag(const json& j, const char* key, bool fallback) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

api::PaymentStatus payment_status_from(const std::string& name) {
  for (auto status : {api::PaymentStatus::kValidated, api::PaymentStatus::kCompleted,
                      api::PaymentStatus::kFailed, api::PaymentStatus::kPartiallyRefunded,
                      api::PaymentStatus::kRefunded, api::PaymentStatus::kVoided})
    if (name == api::to_string(status)) return status;
  throw std::runtime_error("unknown payment status '" + name + "'");
}

}  // namespace

json expect_ok(const Sandbox::Response& response) {
  if (response.status == 0)
    throw api::Error(0, "connection_dropped", "the sandbox dropped the connection", "");
  json body = json::parse(response.body, nullptr, false);
  if (response.status >= 200 && response.status < 300) return body.is_discarded() ? json() : body;
  if (body.is_object()) {
    // The API's error shape, or OAuth's {"error": "..."}.
    std::string code = text(body, "code");
    if (code.empty()) code = text(body, "error");
    throw api::Error(response.status, code, text(body, "message"), text(body, "param"));
  }
  throw api::Error(response.status, "", response.body, "");
}

api::Customer customer_from(const json& j) {
  return {text(j, "uid"),
          text(j, "reference_id"),
          text(j, "name"),
          text(j, "email"),
          text(j, "default_payment_method_uid"),
          text(j, "created_at")};
}

api::SavedMethod saved_method_from(const json& j) {
  api::SavedMethod m;
  m.uid = text(j, "saved_payment_method_uid");
  m.customer_uid = text(j, "customer_uid");
  m.is_default = flag(j, "is_default", false);
  m.created_at = text(j, "created_at");
  m.updated_at = text(j, "updated_at");
  const json& method = object_at(j, "payment_method");
  m.type = text(method, "payment_method_type") == "ach" ? api::MethodType::kAch
                                                        : api::MethodType::kCredit;
  const json& details = object_at(method, m.type == api::MethodType::kAch ? "ach" : "credit");
  m.token = text(details, "fingerprint");
  m.holder_name = text(details, "holder_name");
  m.last4 = text(details, "last4");
  m.card_brand = text(details, "card_brand");
  m.exp_month = number<int>(details, "exp_month");
  m.exp_year = number<int>(details, "exp_year");
  m.account_number_suffix = text(details, "account_number_suffix");
  m.account_type = text(details, "account_type");
  m.bank_name = text(details, "bank_name");
  return m;
}

api::Payment payment_from(const json& j) {
  api::Payment p;
  p.uid = text(j, "uid");
  p.status = payment_status_from(text(j, "status"));
  p.base_amount = number<std::int64_t>(j, "base_amount");
  p.tax_amount = number<std::int64_t>(j, "tax_amount");
  p.processing_fee_amount = number<std::int64_t>(j, "processing_fee_amount");
  p.total_amount = number<std::int64_t>(j, "total_amount");
  p.refunded_amount = number<std::int64_t>(j, "refunded_amount");
  p.currency = text(j, "currency");
  p.reference_id = text(j, "reference_id");
  const json& method = object_at(j, "payment_method");
  p.payment_method_type = text(method, "payment_method_type");
  p.saved_payment_method_uid = text(object_at(method, "wallet"), "saved_payment_method_uid");
  const json& credit = object_at(method, "credit");
  p.last4 = text(credit, "last4");
  p.card_brand = text(credit, "card_brand");
  p.transaction_id = text(j, "transaction_id");
  p.failure_code = text(j, "failure_code");
  p.created_at = text(j, "created_at");
  p.captured_at = text(j, "captured_at");
  return p;
}

api::Event event_from_envelope(const json& j) {
  api::Event e;
  e.id = text(j, "webhook_id");
  e.type = text(j, "event_type");
  e.timestamp = number<std::int64_t>(j, "timestamp");
  auto data = j.find("data");
  e.data = data == j.end() ? std::string("{}") : data->dump();
  return e;
}

}  // namespace embed
}  // namespace paysandbox

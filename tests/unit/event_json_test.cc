// Event payloads are structs; wire/event_json.cc alone writes them as the
// `data` JSON, with the bytes the webhook bodies always had (keys sorted,
// compact).
#include "wire/event_json.h"

#include <nlohmann/json.hpp>

#include "support/catch.h"
#include "wire/payment_json.h"

using namespace paysandbox;
using nlohmann::json;

namespace {

Payment card_payment() {
  Payment p;
  p.uid = "pay_1";
  p.account_uid = "pa_1";
  p.status = PaymentStatus::kCompleted;
  p.base_amount = 10000;
  p.tax_amount = 825;
  p.processing_fee_amount = 322;
  p.total_amount = 11147;
  p.reference_id = "order-1";
  p.method.type = PaymentMethodType::kWalletCredit;
  p.method.saved_method_uid = "spm_1";
  p.method.card = CardDetails{"4242", "424242", "VISA", 7, 2031, "Alex Morales"};
  p.transaction_id = "txn_1";
  p.created_at = 1767225600000;
  p.captured_at = 1767225601000;
  p.updated_at = 1767225601000;
  return p;
}

HostedSession payment_session() {
  HostedSession s;
  s.id = "cs_1";
  s.client_secret = "cs_1_secret_x";
  s.account_uid = "pa_1";
  s.scope = SessionScope::kPayment;
  s.amount = 11147;
  s.status = SessionStatus::kCompleted;
  s.payment_uid = "pay_1";
  s.created_at = 1767225600000;
  s.expires_at = 1767227400000;
  s.completed_at = 1767225601000;
  s.options.metadata = {{"order", "1"}};
  return s;
}

}  // namespace

TEST_CASE("a payment event's data is the payment exactly as the API answers it", "[unit][events]") {
  const Payment p = card_payment();
  CHECK(event_data_json(PaymentEventData{p}) == payment_body(p));
}

TEST_CASE("a completed session event carries the session, its payment, the method and last4",
          "[unit][events]") {
  const std::string text =
      event_data_json(SessionEventData{payment_session(), card_payment(), "card"});
  const json data = json::parse(text);
  CHECK(data["session_id"] == "cs_1");
  CHECK(data["status"] == "completed");
  CHECK(data["scope"] == "payment");
  CHECK(data["metadata"]["order"] == "1");
  CHECK(data["payment"]["uid"] == "pay_1");
  CHECK(data["payment"]["method"] == "card");
  CHECK(data["payment"]["last4"] == "4242");
  CHECK(text == data.dump());  // compact, keys sorted
}

TEST_CASE("an expired session event has no payment", "[unit][events]") {
  HostedSession s = payment_session();
  s.status = SessionStatus::kExpired;
  const json data = json::parse(event_data_json(SessionEventData{s, std::nullopt, ""}));
  CHECK(data["status"] == "expired");
  CHECK_FALSE(data.contains("payment"));
}

TEST_CASE("a provider.noc event lists each method and each changed field from and to",
          "[unit][events]") {
  NocEventData noc;
  noc.methods.push_back({"spm_1",
                         "cus_1",
                         {{"exp_year", std::int64_t{2030}, std::int64_t{2031}},
                          {"last4", std::string("1111"), std::string("4242")}}});
  noc.methods.push_back({"spm_2", "cus_2", {}});
  CHECK(event_data_json(noc) ==
        R"({"changes":[{"customer_uid":"cus_1","fields":{"exp_year":{"from":2030,"to":2031},)"
        R"("last4":{"from":"1111","to":"4242"}},"saved_payment_method_uid":"spm_1"},)"
        R"({"customer_uid":"cus_2","fields":{},"saved_payment_method_uid":"spm_2"}],)"
        R"("saved_payment_method_ids":["spm_1","spm_2"]})");
}

TEST_CASE("data a test gave goes out as given", "[unit][events]") {
  CHECK(event_data_json(GivenEventData{R"({"a":1,"b":[true,null]})"}) ==
        R"({"a":1,"b":[true,null]})");
}

TEST_CASE("a sample payment shows only the extras its event type sets", "[unit][events]") {
  SamplePayment p;
  p.uid = "pay_s";
  p.status = SampleStatus::kFailed;
  p.base_amount = 2500;
  p.processing_fee_amount = 77;
  p.total_amount = 2577;
  p.reference_id = "sample-abc";
  p.created_at = 1767225600000;
  p.failure_code = "card_declined";
  const json data = json::parse(event_data_json(p));
  CHECK(data["status"] == "failed");
  CHECK(data["failure_code"] == "card_declined");
  CHECK(data["payment_method"]["payment_method_type"] == "credit");
  CHECK(data["payment_method"]["credit"]["last4"] == "1111");
  for (const char* absent :
       {"transaction_id", "captured_at", "chargeback", "channel", "refunded_amount"})
    CHECK_FALSE(data.contains(absent));

  SampleSession session;
  session.session_id = "cs_s";
  session.status = SessionStatus::kExpired;
  session.amount = 2500;
  CHECK(
      event_data_json(session) ==
      R"({"amount":2500,"currency":"USD","scope":"payment","session_id":"cs_s","status":"expired"})");
}

TEST_CASE("the envelope writes the stored data byte for byte", "[unit][events]") {
  CHECK(event_envelope("evt_1", "payment.completed", 1767225600, R"({"b":1,"a":2})") ==
        R"({"webhook_id":"evt_1","event_type":"payment.completed","timestamp":1767225600,)"
        R"("data":{"b":1,"a":2}})");
}

TEST_CASE("session status and scope have one spelling each, both ways", "[unit][events]") {
  for (auto status : {SessionStatus::kActive, SessionStatus::kCompleted, SessionStatus::kExpired})
    CHECK(session_status_from_name(session_status_name(status)) == status);
  for (auto scope : {SessionScope::kPayment, SessionScope::kWallet})
    CHECK(session_scope_from_name(session_scope_name(scope)) == scope);
  CHECK(std::string(session_status_name(SessionStatus::kExpired)) == "expired");
  CHECK(std::string(session_scope_name(SessionScope::kWallet)) == "wallet");
  CHECK_FALSE(session_status_from_name("open").has_value());
}

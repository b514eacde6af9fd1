// The hand-written serializers (saved methods, payments) must match the json-tree one byte
// for byte (keys sorted, escaping as nlohmann writes it).
#include "http/api/routes.h"
#include "support/catch.h"
#include "wire/json.h"
#include "wire/payment_json.h"

using namespace paysandbox;

namespace {

SavedMethod card(std::string holder) {
  SavedMethod m;
  m.uid = "spm_abc";
  m.account_uid = "pa_1";
  m.customer_uid = "cus_1";
  m.kind = MethodKind::kCredit;
  m.permanent_token = "tok_secret";
  m.card.last4 = "4242";
  m.card.bin = "424242";
  m.card.card_brand = "VISA";
  m.card.exp_month = 7;
  m.card.exp_year = 2031;
  m.card.holder_name = std::move(holder);
  m.created_at = 1764650000123;
  m.updated_at = 1764650999000;
  return m;
}

SavedMethod bank(std::string bank_name, std::string holder) {
  SavedMethod m = card("");
  m.kind = MethodKind::kAch;
  m.ach.routing_number = "021000021";
  m.ach.account_number_suffix = "6789";
  m.ach.account_type = "checking";
  m.ach.bank_name = std::move(bank_name);
  m.ach.holder_name = std::move(holder);
  return m;
}

}  // namespace

TEST_CASE("append_sanitized_method_json writes what dump_json(sanitized_method_json) does",
          "[wire]") {
  const std::vector<SavedMethod> methods = {
      card(""),
      card("Ada Lovelace"),
      card("Zoë \"Q\" O'Neil\\ \t\n\x01 \xe2\x82\xac"),
      card("bad utf-8 \xff\xfe"),
      bank("", ""),
      bank("Chase", "Grace Hopper"),
      bank("Caf\xc3\xa9 Bank \x7f", "x\"y"),
  };
  for (const auto& m : methods) {
    for (bool is_default : {true, false}) {
      std::string written;
      append_sanitized_method_json(written, m, is_default);
      CHECK(written == dump_json(sanitized_method_json(m, is_default)));
    }
  }
}

TEST_CASE("method_list_body writes what dump_json(method_list_json) does", "[wire]") {
  CHECK(method_list_body({}) == dump_json(method_list_json({})));
  std::vector<SavedMethodView> views = {{card("A"), true}, {bank("B", "C"), false}};
  CHECK(method_list_body(views) == dump_json(method_list_json(views)));
}

TEST_CASE("payment_body writes what dump_json(payment_json) does", "[wire]") {
  Payment p;
  p.uid = "pay_abc";
  p.account_uid = "pa_1";
  p.base_amount = 1000;
  p.tax_amount = 80;
  p.processing_fee_amount = 32;
  p.total_amount = 1112;
  p.currency = "USD";
  p.reference_id = "order \"7\" \xc3\xa9";
  p.method.card = card("Ada").card;
  p.method.ach = bank("Chase", "Grace").ach;
  p.method.saved_method_uid = "spm_1";
  p.created_at = p.updated_at = 1764650000123;
  for (PaymentMethodType type : {PaymentMethodType::kCredit, PaymentMethodType::kAch,
                                 PaymentMethodType::kWalletCredit, PaymentMethodType::kWalletAch}) {
    p.method.type = type;
    p.status = PaymentStatus::kValidated;
    p.captured_at = 0;
    p.transaction_id.clear();
    p.failure_code.clear();
    CHECK(payment_body(p) == dump_json(payment_json(p)));
    p.status = PaymentStatus::kCompleted;
    p.captured_at = 1764650099000;
    p.transaction_id = "txn_1";
    p.refunded_amount = 100;
    CHECK(payment_body(p) == dump_json(payment_json(p)));
    p.status = PaymentStatus::kFailed;
    p.failure_code = "card_declined";
    p.method.card.holder_name.clear();
    CHECK(payment_body(p) == dump_json(payment_json(p)));
  }
}

#include "http/api/inputs.h"

#include "http/errors.h"

namespace paysandbox {

Result<ListQuery> read_list_query(const Call& call, const std::vector<std::string>& filterable) {
  return parse_list_query(call.request.query, filterable);
}

void read_card_fields(BodyReader& card, MethodClaim& claim) {
  claim.kind = MethodKind::kCredit;
  claim.last4 = required_digits(card, "last4", kLast4Digits);
  claim.exp_month =
      static_cast<int>(card.required_integer("exp_month", kExpMonths.min, kExpMonths.max));
  claim.exp_year =
      static_cast<int>(card.required_integer("exp_year", kExpYears.min, kExpYears.max));
  claim.bin = optional_digits(card, "bin", kBinDigits);
  claim.card_brand = card.optional_string("card_brand", kMaxBrandLength);
}

MethodClaim read_credit_claim(BodyReader& credit) {
  MethodClaim claim;
  claim.fingerprint = credit.required_string("fingerprint", 1, 255);
  read_card_fields(credit, claim);
  claim.holder_name = credit.optional_string("holder_name", kMaxNameLength).value_or("");
  credit.finish();
  return claim;
}

MethodClaim read_ach_claim(BodyReader& ach) {
  MethodClaim claim;
  claim.kind = MethodKind::kAch;
  claim.fingerprint = ach.required_string("fingerprint", 1, 255);
  claim.account_number_suffix = required_digits(ach, "account_number_suffix", kAccountSuffixDigits);
  claim.routing_number = required_digits(ach, "routing_number", kRoutingNumberDigits);
  claim.account_type = ach.required_enum("account_type", ach_account_types());
  claim.bank_name = ach.optional_string("bank_name", kMaxNameLength).value_or("");
  claim.holder_name = ach.optional_string("holder_name", kMaxNameLength).value_or("");
  ach.finish();
  return claim;
}

Result<MethodClaim> read_method_claim(BodyReader& payment_method) {
  std::string type = payment_method.required_enum("payment_method_type", method_kind_names());
  MethodClaim claim;
  if (method_kind_from_name(type) == MethodKind::kCredit) {
    BodyReader credit = payment_method.required_object("credit");
    claim = read_credit_claim(credit);
  } else {
    BodyReader ach = payment_method.required_object("ach");
    claim = read_ach_claim(ach);
  }
  TRY(payment_method.finish());
  return claim;
}

Result<PaymentMethodRequest> read_payment_method(BodyReader& body) {
  BodyReader method = body.required_object("payment_method");
  PaymentMethodRequest out;
  // Keys come out sorted, so equal objects have equal text however the
  // client ordered them.
  if (const json* sent = body.raw("payment_method")) out.canonical = sent->dump();
  const std::string type = method.required_enum("payment_method_type", payment_method_type_names());
  TRY(method.status());
  out.type = payment_method_type_from(type).value_or(PaymentMethodType::kCredit);
  if (!is_wallet(out.type)) {
    BodyReader details = method.required_object(type);
    out.claim = kind_of(out.type) == MethodKind::kAch ? read_ach_claim(details)
                                                      : read_credit_claim(details);
  } else {
    BodyReader wallet = method.required_object("wallet");
    out.saved_method_uid = wallet.required_string("saved_payment_method_uid", 1, 255);
    wallet.finish();
  }
  TRY(method.finish());
  return out;
}

Result<std::int64_t> read_query_integer(const Call& call, const std::string& name,
                                        std::int64_t fallback, std::int64_t max) {
  auto text = call.query(name);
  if (!text) return fallback;
  bool ok = !text->empty() && text->size() <= 15;
  for (char c : *text) ok = ok && c >= '0' && c <= '9';
  std::int64_t value = ok ? std::stoll(*text) : 0;
  if (!ok || value > max)
    return validation_error(name, "'" + name + "' must be an integer from 0 to " +
                                      std::to_string(max) + "; got '" + *text + "'.");
  return value;
}

bool plausible_id(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace paysandbox

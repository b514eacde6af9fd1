#include "http/inputs.h"

#include "http/errors.h"

namespace paysandbox {

Result<ListQuery> read_list_query(const Call& call, const std::vector<std::string>& filterable) {
  return parse_list_query(call.request.query, filterable);
}

const std::vector<std::string>& ach_account_types() {
  static const std::vector<std::string> kTypes = {"checking", "savings", "business_checking",
                                                  "business_savings"};
  return kTypes;
}

MethodClaim read_credit_claim(BodyReader& credit) {
  MethodClaim claim;
  claim.kind = MethodKind::kCredit;
  claim.fingerprint = credit.required_string("fingerprint", 1, 255);
  claim.last4 = credit.required_string("last4", 4, 4);
  require_digits(credit, credit.path_of("last4"), claim.last4, 4, 4);
  claim.exp_month = static_cast<int>(credit.required_integer("exp_month", 1, 12));
  claim.exp_year = static_cast<int>(credit.required_integer("exp_year", 2000, 2099));
  claim.bin = credit.optional_string("bin", 8);
  if (claim.bin) require_digits(credit, credit.path_of("bin"), *claim.bin, 6, 8);
  claim.card_brand = credit.optional_string("card_brand", 32);
  claim.holder_name = credit.optional_string("holder_name", 255).value_or("");
  credit.finish();
  return claim;
}

MethodClaim read_ach_claim(BodyReader& ach) {
  MethodClaim claim;
  claim.kind = MethodKind::kAch;
  claim.fingerprint = ach.required_string("fingerprint", 1, 255);
  claim.account_number_suffix = ach.required_string("account_number_suffix", 4, 4);
  require_digits(ach, ach.path_of("account_number_suffix"), claim.account_number_suffix, 4, 4);
  claim.routing_number = ach.required_string("routing_number", 9, 9);
  require_digits(ach, ach.path_of("routing_number"), claim.routing_number, 9, 9);
  claim.account_type = ach.required_enum("account_type", ach_account_types());
  claim.bank_name = ach.optional_string("bank_name", 255).value_or("");
  claim.holder_name = ach.optional_string("holder_name", 255).value_or("");
  ach.finish();
  return claim;
}

Result<MethodClaim> read_method_claim(BodyReader& payment_method) {
  std::string type = payment_method.required_enum("payment_method_type", {"credit", "ach"});
  MethodClaim claim;
  if (type == "credit") {
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
  const std::string type =
      method.required_enum("payment_method_type", {"credit", "ach", "wallet_credit", "wallet_ach"});
  if (type == "credit" || type == "ach") {
    out.type = type == "credit" ? PaymentMethodType::kCredit : PaymentMethodType::kAch;
    BodyReader details = method.required_object(type);
    out.claim = type == "credit" ? read_credit_claim(details) : read_ach_claim(details);
  } else {
    out.type =
        type == "wallet_credit" ? PaymentMethodType::kWalletCredit : PaymentMethodType::kWalletAch;
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

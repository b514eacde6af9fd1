#include "service/wallet.h"

#include <algorithm>
#include <cctype>

#include "core/ids.h"
#include "core/rules.h"

namespace paysandbox {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// Errors name the fields of the service's own input (the claim's "last4",
// the card's "number"); the route places them at their request path.
Error mismatch(const std::string& field, const std::string& sent, const std::string& expected) {
  Error error =
      invalid_field(field, {"'", "' is '" + sent + "' but the token was minted for '" + expected +
                                     "'; send the details the token stand-in returned."});
  error.details.emplace_back("expected", expected);
  return error;
}

Error expired_card_error(int month, int year) {
  return validation_error("exp_year", "The card expired at the end of " + std::to_string(month) +
                                          "/" + std::to_string(year) +
                                          " on this account's clock; use a card with "
                                          "a future expiry.");
}

Error method_not_found(const std::string& uid) {
  return not_found("No saved payment method '" + uid + "' for this customer.");
}

Error customer_not_found(const std::string& uid) {
  return not_found("No customer '" + uid + "' in this payment account.");
}

// Checks the claimed details against the token's; the first that differs is
// the error.
std::optional<Error> compare_claim(const ProxyToken& token, const MethodClaim& claim) {
  if (token.kind == MethodKind::kCredit) {
    if (claim.last4 != token.card.last4) return mismatch("last4", claim.last4, token.card.last4);
    if (claim.bin && *claim.bin != token.card.bin)
      return mismatch("bin", *claim.bin, token.card.bin);
    if (claim.exp_month != token.card.exp_month)
      return mismatch("exp_month", std::to_string(claim.exp_month),
                      std::to_string(token.card.exp_month));
    if (claim.exp_year != token.card.exp_year)
      return mismatch("exp_year", std::to_string(claim.exp_year),
                      std::to_string(token.card.exp_year));
    if (claim.card_brand && upper(*claim.card_brand) != token.card.card_brand)
      return mismatch("card_brand", *claim.card_brand, token.card.card_brand);
    return std::nullopt;
  }
  if (claim.account_number_suffix != token.ach.account_number_suffix)
    return mismatch("account_number_suffix", claim.account_number_suffix,
                    token.ach.account_number_suffix);
  if (claim.routing_number != token.ach.routing_number)
    return mismatch("routing_number", claim.routing_number, token.ach.routing_number);
  if (claim.account_type != token.ach.account_type)
    return mismatch("account_type", claim.account_type, token.ach.account_type);
  return std::nullopt;
}

// Builds the instrument the claim describes on its own (imports and
// --accept-any-token), taking the outcome from bin/last4.
ProxyToken token_from_claim(const std::string& account_uid, const MethodClaim& claim,
                            const std::vector<SandboxCard>& table) {
  ProxyToken t;
  t.fingerprint = claim.fingerprint;
  t.account_uid = account_uid;
  t.kind = claim.kind;
  if (claim.kind == MethodKind::kCredit) {
    t.card.last4 = claim.last4;
    t.card.bin = claim.bin.value_or("");
    t.card.card_brand = claim.card_brand ? upper(*claim.card_brand) : card_brand_for(t.card.bin);
    t.card.exp_month = claim.exp_month;
    t.card.exp_year = claim.exp_year;
    t.outcome = outcome_for_bin_last4(table, t.card.bin, t.card.last4);
  } else {
    t.ach.account_number_suffix = claim.account_number_suffix;
    t.ach.routing_number = claim.routing_number;
    t.ach.account_type = claim.account_type;
    t.ach.bank_name = claim.bank_name;
  }
  return t;
}

}  // namespace

Status check_card_input(const CardInput& card) {
  return first_error({required_digits_error("number", card.number, kCardNumberDigits),
                      range_error("exp_month", card.exp_month, kExpMonths),
                      range_error("exp_year", card.exp_year, kExpYears),
                      length_error("holder_name", card.holder_name, 0, kMaxNameLength)});
}

Status check_ach_input(const AchInput& ach) {
  return first_error(
      {required_digits_error("routing_number", ach.routing_number, kRoutingNumberDigits),
       required_digits_error("account_number", ach.account_number, kAccountNumberDigits),
       one_of_error("account_type", ach.account_type, ach_account_types()),
       length_error("bank_name", ach.bank_name, 0, kMaxNameLength),
       length_error("holder_name", ach.holder_name, 0, kMaxNameLength)});
}

WalletService::WalletService(WalletStore& store, SandboxClock& clock, const Fixtures& fixtures,
                             WalletConfig config)
    : store_(store), clock_(clock), fixtures_(fixtures), config_(config) {}

std::string WalletService::normalize_method_uid(const std::string& uid) {
  if (uid.size() > 4 && uid[3] == '_' && upper(uid.substr(0, 3)) == "SPM")
    return "spm_" + uid.substr(4);
  return uid;
}

Result<ProxyToken> WalletService::mint_card_token(const std::string& account_uid,
                                                  const CardInput& card) {
  if (!luhn_valid(card.number))
    return invalid_field("number", {"'",
                                    "' fails the Luhn check; use a sandbox card number such "
                                    "as 4111111111111111."});
  const Millis now = clock_.account_now(account_uid);
  if (card_expired(card.exp_month, card.exp_year, now))
    return expired_card_error(card.exp_month, card.exp_year);
  ProxyToken t;
  t.fingerprint = new_id("ptok_");
  t.account_uid = account_uid;
  t.kind = MethodKind::kCredit;
  t.card.last4 = card.number.substr(card.number.size() - 4);
  t.card.bin = card.number.substr(0, 6);
  t.card.card_brand = card_brand_for(card.number);
  for (const auto& entry : fixtures_.cards)
    if (entry.number == card.number) t.card.card_brand = entry.brand;
  t.card.exp_month = card.exp_month;
  t.card.exp_year = card.exp_year;
  t.card.holder_name = card.holder_name;
  t.outcome = outcome_for_number(fixtures_.cards, card.number);
  t.created_at = now;
  t.expires_at = now + kTokenLifetime;
  store_.insert_token(t);
  return t;
}

Result<ProxyToken> WalletService::mint_ach_token(const std::string& account_uid,
                                                 const AchInput& ach) {
  if (!aba_valid(ach.routing_number))
    return invalid_field("routing_number", {"'",
                                            "' fails the ABA checksum; use a real routing "
                                            "number such as 011000015."});
  const Millis now = clock_.account_now(account_uid);
  ProxyToken t;
  t.fingerprint = new_id("ptok_");
  t.account_uid = account_uid;
  t.kind = MethodKind::kAch;
  t.ach.routing_number = ach.routing_number;
  t.ach.account_number_suffix = ach.account_number.substr(ach.account_number.size() - 4);
  t.ach.account_type = ach.account_type;
  t.ach.bank_name = ach.bank_name;
  t.ach.holder_name = ach.holder_name;
  t.outcome = Outcome::kApproved;
  t.created_at = now;
  t.expires_at = now + kTokenLifetime;
  store_.insert_token(t);
  return t;
}

Result<ProxyToken> WalletService::redeem(const std::string& account_uid, const MethodClaim& claim) {
  const std::string token_field = "fingerprint";
  const Millis now = clock_.account_now(account_uid);
  ProxyToken token;
  if (auto found = store_.find_token(account_uid, claim.fingerprint)) {
    token = std::move(*found);
    if (now >= token.expires_at) {
      const Millis age = now - token.created_at;
      return validation_error(
          token_field,
          "The proxynized token '" + claim.fingerprint + "' expired: it is " +
              std::to_string(age / 1000) +
              " s old and tokens live 900 s (15 minutes) of sandbox time. Tokenize again.");
    }
    if (token.kind != claim.kind)
      return validation_error(token_field,
                              "The token '" + claim.fingerprint + "' is for " +
                                  (token.kind == MethodKind::kAch ? "a bank account" : "a card") +
                                  ", not for the payment_method_type sent.");
    if (claim.details_sent)
      if (auto error = compare_claim(token, claim)) return *error;
  } else if (config_.accept_any_token) {
    token = token_from_claim(account_uid, claim, fixtures_.cards);
  } else {
    return validation_error(token_field,
                            "Unknown proxynized token '" + claim.fingerprint +
                                "' for this payment account; mint one with POST /_sandbox/tokens.");
  }
  if (token.kind == MethodKind::kCredit) {
    if (card_expired(token.card.exp_month, token.card.exp_year, now))
      return expired_card_error(token.card.exp_month, token.card.exp_year);
    if (!claim.holder_name.empty()) token.card.holder_name = claim.holder_name;
  } else {
    if (!claim.holder_name.empty()) token.ach.holder_name = claim.holder_name;
    if (!claim.bank_name.empty()) token.ach.bank_name = claim.bank_name;
  }
  return token;
}

int WalletService::expire_tokens(const std::string& account_uid) {
  return store_.expire_tokens(account_uid, clock_.account_now(account_uid));
}

Result<Customer> WalletService::create_customer(const std::string& account_uid,
                                                const std::string& reference_id,
                                                std::optional<std::string> name,
                                                std::optional<std::string> email) {
  Customer c;
  c.uid = new_id("cus_");
  c.account_uid = account_uid;
  c.reference_id = reference_id;
  c.name = std::move(name);
  c.email = std::move(email);
  c.created_at = clock_.account_now(account_uid);
  if (!store_.insert_customer(c)) {
    Error error = make_error(ErrorCode::kConflict,
                             "A customer with reference_id '" + reference_id +
                                 "' already exists in this payment account; fetch it with GET "
                                 "/api/customers?$filter=reference_id eq '...'.",
                             "reference_id");
    return error;
  }
  return c;
}

Result<Customer> WalletService::find_customer_by_reference(const std::string& account_uid,
                                                           const std::string& reference_id) {
  auto customer = store_.find_customer_by_reference(account_uid, reference_id);
  if (!customer)
    return make_error(ErrorCode::kNotFound,
                      "No customer with reference_id '" + reference_id +
                          "' in this payment account; create it with POST /api/customers first.",
                      "reference_id");
  return *customer;
}

Result<Customer> WalletService::get_customer(const std::string& account_uid,
                                             const std::string& uid) {
  auto c = store_.find_customer(account_uid, uid);
  if (!c) return customer_not_found(uid);
  return *c;
}

std::vector<Customer> WalletService::list_customers(const std::string& account_uid,
                                                    const ListQuery& query) {
  return store_.list_customers(account_uid, query);
}

Result<SavedMethodView> WalletService::save_method(const std::string& account_uid,
                                                   const std::string& customer_uid,
                                                   const MethodClaim& claim) {
  auto customer = store_.find_customer(account_uid, customer_uid);
  if (!customer) return customer_not_found(customer_uid);
  auto token = redeem(account_uid, claim);
  if (!token) return token.error();
  SavedMethod m;
  m.uid = new_id("spm_");
  m.account_uid = account_uid;
  m.customer_uid = customer_uid;
  m.kind = token->kind;
  m.permanent_token = new_id("tok_");
  m.card = token->card;
  m.ach = token->ach;
  m.outcome = token->outcome;
  m.created_at = m.updated_at = clock_.account_now(account_uid);
  bool is_default = store_.insert_method(m);
  return SavedMethodView{std::move(m), is_default};
}

Result<std::vector<SavedMethodView>> WalletService::list_methods(const std::string& account_uid,
                                                                 const std::string& customer_uid) {
  auto found = store_.find_customer_methods(account_uid, customer_uid);
  if (!found) return customer_not_found(customer_uid);
  auto& [customer, methods] = *found;
  std::vector<SavedMethodView> out;
  out.reserve(methods.size());
  for (auto& m : methods) {
    bool is_default = customer.default_payment_method_uid == m.uid;
    out.push_back(SavedMethodView{std::move(m), is_default});
  }
  return out;
}

Result<SavedMethodView> WalletService::get_method(const std::string& account_uid,
                                                  const std::string& customer_uid,
                                                  const std::string& uid) {
  auto customer = store_.find_customer(account_uid, customer_uid);
  if (!customer) return customer_not_found(customer_uid);
  auto m = store_.find_method(account_uid, normalize_method_uid(uid));
  if (!m || m->customer_uid != customer_uid) return method_not_found(uid);
  bool is_default = customer->default_payment_method_uid == m->uid;
  return SavedMethodView{std::move(*m), is_default};
}

Result<SavedMethod> WalletService::find_method(const std::string& account_uid,
                                               const std::string& uid) {
  auto m = store_.find_method(account_uid, normalize_method_uid(uid));
  if (!m) return not_found("No saved payment method '" + uid + "' in this payment account.");
  return *m;
}

Result<Customer> WalletService::set_default(const std::string& account_uid,
                                            const std::string& customer_uid,
                                            const std::string& method_uid) {
  auto customer = store_.find_customer(account_uid, customer_uid);
  if (!customer) return customer_not_found(customer_uid);
  auto m = store_.find_method(account_uid, normalize_method_uid(method_uid));
  if (!m || m->customer_uid != customer_uid) return method_not_found(method_uid);
  store_.set_default_method(account_uid, customer_uid, m->uid);
  customer->default_payment_method_uid = m->uid;
  return *customer;
}

Status WalletService::delete_method(const std::string& account_uid, const std::string& customer_uid,
                                    const std::string& uid) {
  auto customer = store_.find_customer(account_uid, customer_uid);
  if (!customer) return customer_not_found(customer_uid);
  if (!store_.delete_method(account_uid, customer_uid, normalize_method_uid(uid)))
    return method_not_found(uid);
  return ok_status();
}

void WalletService::update_method(const SavedMethod& method) { store_.update_method(method); }

void WalletService::update_methods(const std::vector<SavedMethod>& methods) {
  store_.update_methods(methods);
}

std::vector<SavedMethod> WalletService::list_account_methods(const std::string& account_uid) {
  return store_.list_account_methods(account_uid);
}

std::vector<ImportItemResult> WalletService::import_methods(const std::string& account_uid,
                                                            std::vector<ImportRequestItem> items) {
  const Millis now = clock_.account_now(account_uid);
  std::vector<ImportItemResult> results(items.size());
  std::vector<WalletStore::ImportItem> accepted;
  std::vector<std::size_t> accepted_index;
  for (std::size_t i = 0; i < items.size(); ++i) {
    results[i].index = i;
    const auto& item = items[i];
    if (item.method.kind == MethodKind::kCredit &&
        card_expired(item.method.exp_month, item.method.exp_year, now)) {
      results[i].error =
          within("method", expired_card_error(item.method.exp_month, item.method.exp_year));
      continue;
    }
    ProxyToken token = token_from_claim(account_uid, item.method, fixtures_.cards);
    WalletStore::ImportItem row;
    row.customer.uid = new_id("cus_");
    row.customer.account_uid = account_uid;
    row.customer.reference_id = item.customer_reference_id;
    row.customer.name = item.customer_name;
    row.customer.email = item.customer_email;
    row.customer.created_at = now;
    row.method.uid = new_id("spm_");
    row.method.account_uid = account_uid;
    row.method.kind = token.kind;
    row.method.permanent_token = item.method.fingerprint;
    row.method.card = token.card;
    row.method.card.holder_name = item.method.holder_name;
    row.method.ach = token.ach;
    row.method.ach.holder_name = item.method.holder_name;
    row.method.outcome = token.outcome;
    row.method.created_at = row.method.updated_at = now;
    accepted.push_back(std::move(row));
    accepted_index.push_back(i);
  }
  auto outcomes = store_.import_batch(accepted);
  for (std::size_t k = 0; k < outcomes.size(); ++k) {
    results[accepted_index[k]].customer_uid = outcomes[k].customer_uid;
    results[accepted_index[k]].saved_payment_method_uid = outcomes[k].method_uid;
  }
  return results;
}

}  // namespace paysandbox

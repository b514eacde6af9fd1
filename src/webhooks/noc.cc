#include "webhooks/noc.h"

#include <set>
#include <type_traits>

#include "core/clock.h"
#include "core/field_checks.h"
#include "core/rules.h"
#include "service/wallet.h"
#include "webhooks/event_log.h"

namespace paysandbox {
namespace {

// Sets `target` to `value` and notes the change, when it is one.
using Changes = std::vector<NocFieldChange>;

template <typename T>
void change(Changes& fields, const char* name, T& target, const std::optional<T>& value) {
  if (!value || *value == target) return;
  if constexpr (std::is_same_v<T, std::string>)
    fields.push_back({name, target, *value});
  else
    fields.push_back({name, static_cast<std::int64_t>(target), static_cast<std::int64_t>(*value)});
  target = *value;
}

// Errors name the update's own field ("routing_number"); apply places them
// under the update's index.
Error wrong_kind(const std::string& field, const SavedMethod& method) {
  const bool card_field = field != "account_number_suffix" && field != "routing_number";
  return validation_error(
      field, "'" + field + "' applies only to " + (card_field ? "card" : "ACH") + " methods; " +
                 method.uid + " is " +
                 (method.kind == MethodKind::kCredit ? "a card" : "an ACH account") + ".");
}

// Checks the update fits the method and applies it to `method`; returns the
// changed fields.
Result<Changes> apply_fields(const NocUpdate& u, SavedMethod& method) {
  Changes fields;
  if (method.kind == MethodKind::kCredit) {
    if (u.account_number_suffix) return wrong_kind("account_number_suffix", method);
    if (u.routing_number) return wrong_kind("routing_number", method);
    change(fields, "exp_month", method.card.exp_month, u.exp_month);
    change(fields, "exp_year", method.card.exp_year, u.exp_year);
    change(fields, "last4", method.card.last4, u.last4);
    change(fields, "card_brand", method.card.card_brand, u.card_brand);
  } else {
    if (u.exp_month) return wrong_kind("exp_month", method);
    if (u.exp_year) return wrong_kind("exp_year", method);
    if (u.last4) return wrong_kind("last4", method);
    if (u.card_brand) return wrong_kind("card_brand", method);
    if (u.routing_number && !aba_valid(*u.routing_number))
      return validation_error("routing_number",
                              "'routing_number' must be 9 digits with a valid ABA checksum; got '" +
                                  *u.routing_number + "'.");
    change(fields, "account_number_suffix", method.ach.account_number_suffix,
           u.account_number_suffix);
    change(fields, "routing_number", method.ach.routing_number, u.routing_number);
  }
  return fields;
}

NocEventData noc_data(const std::vector<SavedMethod>& methods, std::vector<Changes> fields) {
  NocEventData data;
  for (std::size_t i = 0; i < methods.size(); ++i)
    data.methods.push_back({methods[i].uid, methods[i].customer_uid, std::move(fields[i])});
  return data;
}

}  // namespace

std::optional<Error> blank_brand_error(std::string field, const std::optional<std::string>& brand) {
  if (!brand || !brand->empty()) return std::nullopt;
  return invalid_field(std::move(field), {"'", "' must be a brand such as VISA or MASTERCARD."});
}

std::optional<Error> nothing_set_error(std::string field, const MethodFieldSet& update) {
  if (update.exp_month || update.exp_year || update.last4 || update.card_brand ||
      update.account_number_suffix || update.routing_number)
    return std::nullopt;
  return invalid_field(std::move(field),
                       {"'",
                        "' changes nothing; send at least one of exp_month, exp_year, last4, "
                        "card_brand (cards) or account_number_suffix, routing_number (ACH)."});
}

Status check_update_values(const MethodFieldSet& update) {
  auto range = [](const char* field, const std::optional<int>& value, IntegerRange bounds) {
    return value ? range_error(field, *value, bounds) : std::nullopt;
  };
  auto digits = [](const char* field, const std::optional<std::string>& value, DigitCount count) {
    return value ? optional_digits_error(field, *value, count) : std::nullopt;
  };
  return first_error(
      {range("exp_month", update.exp_month, kExpMonths),
       range("exp_year", update.exp_year, kExpYears), digits("last4", update.last4, kLast4Digits),
       update.card_brand ? length_error("card_brand", *update.card_brand, 0, kMaxBrandLength)
                         : std::nullopt,
       blank_brand_error("card_brand", update.card_brand),
       digits("account_number_suffix", update.account_number_suffix, kAccountSuffixDigits),
       digits("routing_number", update.routing_number, kRoutingNumberDigits)});
}

NocService::NocService(WalletService& wallet, EventLog& events, SandboxClock& clock)
    : wallet_(wallet), events_(events), clock_(clock) {}

Result<EventRecord> NocService::apply(const std::string& account_uid,
                                      const std::vector<NocUpdate>& updates) {
  std::vector<SavedMethod> methods;
  std::vector<Changes> fields;
  std::set<std::string> seen;
  const Millis now = clock_.account_now(account_uid);
  // Everything is checked on copies first, so a bad update changes nothing.
  for (std::size_t i = 0; i < updates.size(); ++i) {
    const NocUpdate& update = updates[i];
    const std::string index = std::to_string(i);
    auto method = wallet_.find_method(account_uid, update.saved_payment_method_uid);
    if (!method) {
      Error error = method.error();
      error.param = index + ".saved_payment_method_uid";
      error.message += " No update was applied.";
      return error;
    }
    if (!seen.insert(method->uid).second)
      return validation_error(
          index + ".saved_payment_method_uid",
          "'" + method->uid + "' appears in more than one update; send each method once.");
    auto changed = apply_fields(update, *method);
    if (!changed) return within(index, changed.error());
    method->updated_at = now;
    fields.push_back(std::move(*changed));
    methods.push_back(std::move(*method));
  }
  wallet_.update_methods(methods);
  return events_.emit(account_uid, EventType::kProviderNoc, noc_data(methods, std::move(fields)));
}

Result<std::optional<EventRecord>> NocService::apply_step(const std::string& account_uid,
                                                          const std::string& methods,
                                                          const MethodFieldSet& fields) {
  std::vector<NocUpdate> updates;
  auto make_update = [&](const std::string& uid) {
    NocUpdate u;
    static_cast<MethodFieldSet&>(u) = fields;
    u.saved_payment_method_uid = uid;
    return u;
  };
  if (methods == "all_cards" || methods == "all_ach") {
    const MethodKind kind = methods == "all_cards" ? MethodKind::kCredit : MethodKind::kAch;
    for (const auto& method : wallet_.list_account_methods(account_uid))
      if (method.kind == kind) updates.push_back(make_update(method.uid));
  } else {
    updates.push_back(make_update(methods));
  }
  if (updates.empty()) return std::optional<EventRecord>{};
  auto event = apply(account_uid, updates);
  if (!event) {
    // Named within this call's input: `methods`, or the field of `fields`.
    const Error& error = event.error();
    const std::string field = error.param.substr(error.param.find('.') + 1);
    return placed_at(error, field == "saved_payment_method_uid" ? "methods" : "fields." + field);
  }
  return std::optional<EventRecord>{std::move(*event)};
}

NocEventData NocService::describe_unchanged(const std::string& account_uid,
                                            const std::vector<std::string>& method_uids) {
  std::vector<SavedMethod> methods;
  for (const auto& uid : method_uids)
    if (auto method = wallet_.find_method(account_uid, uid)) methods.push_back(std::move(*method));
  return noc_data(methods, std::vector<Changes>(methods.size()));
}

}  // namespace paysandbox

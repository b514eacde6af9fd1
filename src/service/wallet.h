#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/field_checks.h"
#include "core/list_query.h"
#include "core/status.h"
#include "core/types.h"
#include "service/fixtures.h"
#include "store/wallet_store.h"

namespace paysandbox {

// Raw instrument data posted to the token stand-in.
struct CardInput {
  std::string number;
  int exp_month = 0;
  int exp_year = 0;
  std::string holder_name;
};
struct AchInput {
  std::string routing_number;
  std::string account_number;
  std::string account_type;
  std::string bank_name;
  std::string holder_name;
};

// The bounds of an instrument's details wherever a client sends them: to the
// token stand-in (POST /_sandbox/tokens; Sandbox::mint_card and
// mint_bank_account), in a claim on a token (saves, imports, payments, the
// hosted page) and in a network update (POST /_sandbox/noc;
// Sandbox::apply_noc). The route readers read each field within them as they
// meet it, so a body's first error is still the one named; the typed control
// calls check their whole input with check_card_input and check_ach_input
// below (an update's with check_update_values in webhooks/noc.h). Both word
// a refusal with core/field_checks.h, so both refuse a value alike.
inline constexpr DigitCount kCardNumberDigits{12, 19};
inline constexpr DigitCount kCvvDigits{3, 4};
inline constexpr DigitCount kBinDigits{6, 8};
inline constexpr DigitCount kLast4Digits{4, 4};
inline constexpr DigitCount kRoutingNumberDigits{9, 9};
inline constexpr DigitCount kAccountNumberDigits{4, 17};
inline constexpr DigitCount kAccountSuffixDigits{4, 4};
inline constexpr IntegerRange kExpMonths{1, 12};
inline constexpr IntegerRange kExpYears{2000, 2099};
// A holder's or a bank's name.
inline constexpr std::size_t kMaxNameLength = 255;
// A card brand as a processor names it ("VISA"), and a saved method's uid as
// a network update names it.
inline constexpr std::size_t kMaxBrandLength = 32;
inline constexpr std::size_t kMaxMethodUidLength = 64;

// The first detail of the input outside those bounds, in the order the
// route reads them, named by the input's field ("number", "account_type").
Status check_card_input(const CardInput& card);
Status check_ach_input(const AchInput& ach);

// What a save, import or payment body says about a tokenized instrument.
// Optional card fields are checked against the token only when sent.
struct MethodClaim {
  MethodKind kind = MethodKind::kCredit;
  std::string fingerprint;
  std::string last4;
  std::optional<std::string> bin;
  std::optional<std::string> card_brand;
  int exp_month = 0;
  int exp_year = 0;
  std::string holder_name;
  std::string account_number_suffix;
  std::string routing_number;
  std::string account_type;
  std::string bank_name;
  // False when only the token was sent (an Apple Pay payment): the details
  // come from the token and nothing is compared.
  bool details_sent = true;
};

struct SavedMethodView {
  SavedMethod method;
  bool is_default = false;
};

struct ImportRequestItem {
  std::string customer_reference_id;
  std::optional<std::string> customer_name;
  std::optional<std::string> customer_email;
  MethodClaim method;  // fingerprint = the processor's permanent token
};
struct ImportItemResult {
  std::size_t index = 0;
  std::optional<Error> error;
  std::string customer_uid;
  std::string saved_payment_method_uid;
};

struct WalletConfig {
  // serve --accept-any-token: an unknown fingerprint is taken at its word.
  bool accept_any_token = false;
};

// Token stand-in, customers and saved methods, all scoped to one account.
class WalletService {
 public:
  static constexpr Millis kTokenLifetime = 15 * kMinute;

  WalletService(WalletStore& store, SandboxClock& clock, const Fixtures& fixtures,
                WalletConfig config);

  Result<ProxyToken> mint_card_token(const std::string& account_uid, const CardInput& card);
  Result<ProxyToken> mint_ach_token(const std::string& account_uid, const AchInput& ach);

  // Resolves a live proxynized token and checks the claim against it: kind,
  // last4/bin/brand/expiry (cards), suffix/routing/type (ACH), card expiry.
  // Errors name the claim's field ("fingerprint", "last4", "exp_year"). The
  // returned token carries the claim's holder name.
  Result<ProxyToken> redeem(const std::string& account_uid, const MethodClaim& claim);

  // Every live proxynized token of the account expires now (a scenario
  // step). Returns how many did.
  int expire_tokens(const std::string& account_uid);

  Result<Customer> create_customer(const std::string& account_uid, const std::string& reference_id,
                                   std::optional<std::string> name,
                                   std::optional<std::string> email);
  Result<Customer> get_customer(const std::string& account_uid, const std::string& uid);
  // 404 naming "reference_id" when the account has no customer with it.
  Result<Customer> find_customer_by_reference(const std::string& account_uid,
                                              const std::string& reference_id);
  std::vector<Customer> list_customers(const std::string& account_uid, const ListQuery& query);

  Result<SavedMethodView> save_method(const std::string& account_uid,
                                      const std::string& customer_uid, const MethodClaim& claim);
  Result<std::vector<SavedMethodView>> list_methods(const std::string& account_uid,
                                                    const std::string& customer_uid);
  Result<SavedMethodView> get_method(const std::string& account_uid,
                                     const std::string& customer_uid, const std::string& uid);
  // A saved method of the account, whichever customer owns it (payments).
  Result<SavedMethod> find_method(const std::string& account_uid, const std::string& uid);
  Result<Customer> set_default(const std::string& account_uid, const std::string& customer_uid,
                               const std::string& method_uid);
  Status delete_method(const std::string& account_uid, const std::string& customer_uid,
                       const std::string& uid);
  // Network updates (NOC); persists the changed method.
  void update_method(const SavedMethod& method);
  // Several network updates at once: all persist or none do.
  void update_methods(const std::vector<SavedMethod>& methods);
  // Every saved method of the account, oldest first.
  std::vector<SavedMethod> list_account_methods(const std::string& account_uid);

  // Each item stands alone; failed items create nothing.
  std::vector<ImportItemResult> import_methods(const std::string& account_uid,
                                               std::vector<ImportRequestItem> items);

  const std::vector<SandboxCard>& card_table() const { return fixtures_.cards; }

  // "SPM_x" and "spm_x" name the same method.
  static std::string normalize_method_uid(const std::string& uid);

 private:
  WalletStore& store_;
  SandboxClock& clock_;
  const Fixtures& fixtures_;
  WalletConfig config_;
};

}  // namespace paysandbox

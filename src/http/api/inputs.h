#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/list_query.h"
#include "core/rules.h"
#include "core/types.h"
#include "http/body.h"
#include "http/router.h"
#include "service/payments.h"
#include "service/wallet.h"

namespace paysandbox {

// The OData options of a list request (400 on anything it cannot honour).
Result<ListQuery> read_list_query(const Call& call, const std::vector<std::string>& filterable);

// The body readers below hold their errors in the reader (http/body.h).
//
// Reads `{fingerprint, last4, exp_month, exp_year, bin?, card_brand?,
// holder_name?}` (the object at payment_method.credit).
MethodClaim read_credit_claim(BodyReader& credit);
// The card fields every card body carries (the API's credit object and the
// hosted page's card): last4, exp_month, exp_year, and bin and card_brand if
// given. Sets the claim's kind to credit.
void read_card_fields(BodyReader& card, MethodClaim& claim);
// Reads `{fingerprint, account_number_suffix, routing_number, account_type,
// bank_name?, holder_name?}` (the object at payment_method.ach).
MethodClaim read_ach_claim(BodyReader& ach);
// Reads a whole `payment_method` object of type credit or ach.
Result<MethodClaim> read_method_claim(BodyReader& payment_method);

// Reads the `payment_method` member of a payment body (validate, capture,
// hosted confirm): credit / ach with a proxynized token, or wallet_credit /
// wallet_ach with `wallet.saved_payment_method_uid`.
Result<PaymentMethodRequest> read_payment_method(BodyReader& body);

// An optional non-negative integer query parameter (e.g. ?wait_ms=500);
// `fallback` when absent, 400 naming it when it is not an integer in [0, max].
Result<std::int64_t> read_query_integer(const Call& call, const std::string& name,
                                        std::int64_t fallback, std::int64_t max);

// Path-segment ids arrive percent-decoded; ids never hold anything but
// [A-Za-z0-9_-], so anything else cannot name an object (404, not a lookup).
bool plausible_id(const std::string& id);

}  // namespace paysandbox

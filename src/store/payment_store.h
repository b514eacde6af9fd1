#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/list_query.h"
#include "core/payment.h"
#include "core/status.h"
#include "store/connection.h"

namespace paysandbox {

// Payments, scoped by account uid: another account's payment is not found.
class PaymentStore {
 public:
  explicit PaymentStore(Store& store);

  void insert(const Payment& payment);
  std::optional<Payment> find(const std::string& account_uid, const std::string& uid);
  // Filters on reference_id and status (checked by the list-query parser).
  std::vector<Payment> list(const std::string& account_uid, const ListQuery& query);

  // Reads the payment, applies `change` and writes what it returns, all under
  // the store's lock, so two concurrent transitions of one payment (two
  // captures, two refunds) see each other's result. When `change` returns an
  // error nothing is written. 404 when the payment is unknown.
  using Change = std::function<Result<Payment>(const Payment&)>;
  Result<Payment> transition(const std::string& account_uid, const std::string& uid,
                             const Change& change);

  // The newest captured payment of the account with this instrument and
  // total amount, captured after `since` (the hosted page's look-alike
  // check: "less than 10 minutes ago", so one exactly 10 minutes old is not).
  std::optional<Payment> find_look_alike(const std::string& account_uid,
                                         const std::string& instrument_key, std::int64_t amount,
                                         Millis since);

 private:
  Store& store_;
};

}  // namespace paysandbox

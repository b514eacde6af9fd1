#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/events.h"
#include "core/status.h"
#include "core/types.h"
#include "store/event_store.h"

namespace paysandbox {

class EventLog;
class SandboxClock;
class WalletService;

// One network update of a saved method (a notification of change): the new
// values (unset fields stay as they are) for one method.
struct NocUpdate : MethodFieldSet {
  std::string saved_payment_method_uid;
};

// An update's own values, checked before any method is looked up: each
// within the bounds of service/wallet.h, a card_brand that names a brand,
// and at least one value set. The route's reader checks each value as it
// meets it (so a body's first error is still the one named);
// Sandbox::apply_noc checks them all with check_update_values. Both refuse
// in the same words.
//
// A card_brand sent empty: "'<field>' must be a brand such as VISA or
// MASTERCARD."
std::optional<Error> blank_brand_error(std::string field, const std::optional<std::string>& brand);
// An update, named `field`, that sets no value.
std::optional<Error> nothing_set_error(std::string field, const MethodFieldSet& update);
// The first of the update's values that is refused, in the route's order,
// named by its field ("last4"); the caller places it.
Status check_update_values(const MethodFieldSet& update);

// Applies network updates to saved methods and tells the merchant with one
// provider.noc event (docs/webhooks.md).
class NocService {
 public:
  NocService(WalletService& wallet, EventLog& events, SandboxClock& clock);

  // All or nothing: every method must exist in the account (404 otherwise)
  // and every field must fit the method's kind (400 naming the update by
  // its index and the field: "0.routing_number") before any is changed. Emits one provider.noc
  // whose data lists every method and, per method, each field that changed ({from, to}).
  Result<EventRecord> apply(const std::string& account_uid, const std::vector<NocUpdate>& updates);

  // A scenario timeline step: `methods` is "all_cards", "all_ach" or one
  // saved method uid; `fields` the new values. Returns no event when the
  // account has no method to change.
  Result<std::optional<EventRecord>> apply_step(const std::string& account_uid,
                                                const std::string& methods,
                                                const MethodFieldSet& fields);

  // Data for a provider.noc that names `method_uids` without changing them
  // (POST /_sandbox/webhooks/trigger without data).
  NocEventData describe_unchanged(const std::string& account_uid,
                                  const std::vector<std::string>& method_uids);

 private:
  WalletService& wallet_;
  EventLog& events_;
  SandboxClock& clock_;
};

}  // namespace paysandbox

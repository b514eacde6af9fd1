#pragma once

#include <string>

#include "core/event_type.h"
#include "core/events.h"
#include "core/types.h"

namespace paysandbox {

class NocService;
class SandboxClock;
class WalletService;

// Realistic data for an event of the catalogue, built from the account's
// own objects: a provider.noc names a real saved method (left unchanged), a
// payment-like event carries a payment paid with one of the account's saved
// methods (or a sandbox card when it has none), with the account's fee.
// Used by POST /_sandbox/webhooks/trigger when no data is given. A type with
// nothing special here gets a completed payment.
EventPayload sample_event_payload(EventType type, const Account& account, WalletService& wallet,
                                  NocService& noc, SandboxClock& clock);

}  // namespace paysandbox

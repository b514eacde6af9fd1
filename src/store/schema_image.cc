#include "store/schema_image.h"

#include "store/account_store.h"
#include "store/client_store.h"
#include "store/connection.h"
#include "store/delivery_store.h"
#include "store/event_store.h"
#include "store/idempotency_store.h"
#include "store/payment_store.h"
#include "store/session_store.h"
#include "store/snapshot_store.h"
#include "store/wallet_store.h"

namespace paysandbox {

void declare_every_table(Store& store) {
  // The same stores Sandbox builds (src/sandbox_impl.h); one it lacked here
  // would still be created at start-up, only without the image's head start.
  AccountStore accounts(store);
  ClientStore clients(store);
  WalletStore wallet(store);
  EventStore events(store);
  DeliveryStore deliveries(store);
  SessionStore sessions(store);
  PaymentStore payments(store);
  IdempotencyStore idempotency(store);
  SnapshotStore snapshots(store);
}

}  // namespace paysandbox

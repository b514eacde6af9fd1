#pragma once

#include <optional>
#include <string>

#include "core/time.h"
#include "store/connection.h"

namespace paysandbox {

// The first answer to a request sent with an Idempotency-Key.
struct StoredResponse {
  std::string request_fingerprint;  // digest of method, path and body
  int status = 0;
  std::string content_type;
  std::string body;
  Millis created_at = 0;  // the tenant's clock
};

// Stored answers per (tenant, key). The tenant is an account uid, or
// "client:<id>" for routes without an account; the column is account_uid so
// an account reset clears its keys with everything else it owns.
class IdempotencyStore {
 public:
  explicit IdempotencyStore(Store& store);

  std::optional<StoredResponse> find(const std::string& tenant, const std::string& key);
  // Replaces an answer that may be there (an expired one).
  void put(const std::string& tenant, const std::string& key, const StoredResponse& response);

  Store& store() { return store_; }

 private:
  Store& store_;
};

}  // namespace paysandbox

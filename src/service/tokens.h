#pragma once

#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "core/types.h"
#include "store/account_store.h"

namespace paysandbox {

// Bearer tokens of the client_credentials grant: issued to a fixture client,
// checked on every authenticated request, expiring on the server's clock.
class TokenService {
 public:
  static constexpr Millis kLifetime = 3600 * kSecond;

  TokenService(AccountStore& store, SandboxClock& clock);

  // Returns the token, or kUnauthorized ("invalid_client") for an unknown
  // client or a wrong secret.
  Result<AccessToken> issue(const std::string& client_id, const std::string& secret,
                            const std::string& scope);
  // The client a bearer token belongs to; kUnauthorized when unknown or expired.
  Result<std::string> authenticate(const std::string& bearer);

 private:
  AccountStore& store_;
  SandboxClock& clock_;
  // Every authenticated request reads its token: this read-mostly copy keeps
  // those reads off the store's one lock. Tokens are only ever added.
  mutable SharedMutex cache_mutex_;
  std::unordered_map<std::string, AccessToken> cache_ GUARDED_BY(cache_mutex_);
};

}  // namespace paysandbox

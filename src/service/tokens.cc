#include "service/tokens.h"

#include <mutex>
#include <optional>

#include "core/ids.h"

namespace paysandbox {

TokenService::TokenService(AccountStore& store, SandboxClock& clock)
    : store_(store), clock_(clock) {}

Result<AccessToken> TokenService::issue(const std::string& client_id, const std::string& secret,
                                        const std::string& scope) {
  auto client = store_.find_client(client_id);
  if (!client || client->client_secret != secret)
    return make_error(ErrorCode::kUnauthorized, "invalid_client");
  AccessToken token{new_id("at_", 32), client_id, scope, clock_.server_now() + kLifetime};
  store_.insert_access_token(token);
  WriterLock lock(cache_mutex_);
  cache_.emplace(token.token, token);
  return token;
}

Result<std::string> TokenService::authenticate(const std::string& bearer) {
  std::optional<AccessToken> token;
  {
    ReaderLock lock(cache_mutex_);
    auto it = cache_.find(bearer);
    if (it != cache_.end()) token = it->second;
  }
  if (!token) {
    // Issued before a restart on a --db file.
    token = store_.find_access_token(bearer);
    if (token) {
      WriterLock lock(cache_mutex_);
      cache_.emplace(bearer, *token);
    }
  }
  if (!token)
    return make_error(ErrorCode::kUnauthorized,
                      "The bearer token is not one this sandbox issued; get one from POST "
                      "/oauth2/token.");
  const Millis now = clock_.server_now();
  if (now >= token->expires_at)
    return make_error(ErrorCode::kUnauthorized,
                      "The bearer token expired " +
                          std::to_string((now - token->expires_at) / 1000) +
                          " s ago (tokens live 3600 s of sandbox time); get a new one from POST "
                          "/oauth2/token.");
  return token->client_id;
}

}  // namespace paysandbox

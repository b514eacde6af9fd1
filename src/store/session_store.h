#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/session.h"
#include "store/connection.h"

namespace paysandbox {

class SessionStore {
 public:
  explicit SessionStore(Store& store);

  void insert(const HostedSession& session);
  // By id alone: a browser call names the session, and its account follows.
  std::optional<HostedSession> find(const std::string& id);
  void update(const HostedSession& session);
  // Active sessions of the account whose expiry is at or before `now`.
  std::vector<HostedSession> due_for_expiry(const std::string& account_uid, Millis now);
  // Every session of the account, oldest first (the dashboard's list).
  std::vector<HostedSession> list_for_account(const std::string& account_uid);
  // Accounts that have at least one active session.
  std::vector<std::string> accounts_with_active();

  Store& store() { return store_; }

 private:
  Store& store_;
};

}  // namespace paysandbox

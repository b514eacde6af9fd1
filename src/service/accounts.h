#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/list_query.h"
#include "core/status.h"
#include "core/types.h"
#include "service/fixtures.h"
#include "store/account_store.h"

namespace paysandbox {

// What a caller may set when creating an account (POST /api/paymentaccounts
// or POST /_sandbox/accounts); unset fields take the documented defaults.
struct AccountDraft {
  std::string client_id;
  std::string client_uid;  // the organization (POST /api/clients), if named
  std::string name;
  std::optional<std::string> external_account_id;
  std::optional<std::string> external_merchant_id;
  std::optional<bool> active;
  std::optional<bool> enable_ach;
  std::optional<bool> enable_credit_card;
  std::optional<std::int64_t> minimum_payment_amount;  // cents
  std::optional<std::int64_t> maximum_payment_amount;  // cents
  std::optional<std::string> callback_url;
  std::optional<bool> webhook_enabled;
  std::optional<FeeRules> fee_rules;
};

// Accounts, clients, bearer tokens and the sandbox clocks.
class AccountService {
 public:
  static constexpr Millis kTokenLifetime = 3600 * kSecond;

  AccountService(AccountStore& store, SandboxClock& clock, const Fixtures& fixtures);

  // Writes the fixture clients and accounts (keeping rows that already exist,
  // so a restart on a --db file resumes) and restores persisted clock offsets.
  void load();

  // client_credentials grant. Returns the token, or kUnauthorized.
  Result<AccessToken> issue_token(const std::string& client_id, const std::string& secret,
                                  const std::string& scope);
  // The client a bearer token belongs to; kUnauthorized when unknown or expired.
  Result<std::string> authenticate(const std::string& bearer);

  Result<Account> create(const AccountDraft& draft);
  std::optional<Account> find(const std::string& uid);
  std::vector<Account> list(const std::string& client_id, const ListQuery& query);
  // Every account of every client, oldest first (the control side's view).
  std::vector<Account> list_all();
  Account update(const Account& account);

  // Clock control. Advancing returns after every listener has run what fell
  // due, so "advance" answers only once retries and expiries have happened.
  // `account_uid` empty = every clock.
  void advance(const std::string& account_uid, Millis by);
  void reset_account_clock(const std::string& account_uid);
  void reset_all_clocks();
  using AdvanceListener = std::function<void(const std::string& account_uid)>;
  void on_advance(AdvanceListener listener);

  SandboxClock& clock() { return clock_; }
  const Fixtures& fixtures() const { return fixtures_; }

 private:
  AccountStore& store_;
  SandboxClock& clock_;
  const Fixtures& fixtures_;
  std::mutex listeners_mutex_;  // protects listeners_
  std::vector<AdvanceListener> listeners_;

  // Every authenticated request reads its bearer token and its account; these
  // read-mostly copies keep those reads off the store's one lock. All writes
  // go through this class, which updates the copies after the store.
  mutable std::shared_mutex cache_mutex_;  // protects the three members below
  std::unordered_map<std::string, AccessToken> token_cache_;
  std::unordered_map<std::string, Account> account_cache_;
  // Bumped when accounts are dropped (global reset), so that a lookup that
  // read the store before the drop does not put a gone account back.
  std::uint64_t account_generation_ = 0;
};

}  // namespace paysandbox

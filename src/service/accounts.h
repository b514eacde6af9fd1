#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/list_query.h"
#include "core/status.h"
#include "core/thread_annotations.h"
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

// Accounts, fixture clients and the sandbox clocks. Bearer tokens are
// TokenService's; what falls due when a clock moves is run by ClockAdvance
// (scenario/advance.h).
class AccountService {
 public:
  AccountService(AccountStore& store, SandboxClock& clock, const Fixtures& fixtures);

  // Writes the fixture clients and accounts (keeping rows that already exist,
  // so a restart on a --db file resumes) and restores persisted clock offsets.
  void load();

  Result<Account> create(const AccountDraft& draft);
  std::optional<Account> find(const std::string& uid);
  std::vector<Account> list(const std::string& client_id, const ListQuery& query);
  // Every account of every client, oldest first (the control side's view).
  std::vector<Account> list_all();
  Account update(const Account& account);
  // Points the account's webhooks at `callback_url` ("" for none) and/or
  // turns them on or off; an unset value stays. A callback_url sent without
  // `enabled` enables webhooks when it is a URL and disables them when it is
  // "". Returns the account as saved.
  Account set_webhooks(Account account, const std::optional<std::string>& callback_url,
                       std::optional<bool> enabled);

  // Moves a clock and persists its offset; `account_uid` empty = every
  // clock. Only the clocks: ClockAdvance::advance also runs what fell due.
  void advance(const std::string& account_uid, Millis by);
  void reset_account_clock(const std::string& account_uid);
  void reset_all_clocks();
  // Forgets what is cached of the account and reads its clock offset from
  // its row again, after a snapshot restore or a fork wrote that row.
  void reload(const std::string& uid);

  SandboxClock& clock() { return clock_; }
  const Fixtures& fixtures() const { return fixtures_; }

 private:
  AccountStore& store_;
  SandboxClock& clock_;
  const Fixtures& fixtures_;

  // Every authenticated request reads its account; this read-mostly copy
  // keeps those reads off the store's one lock. All writes go through this
  // class, which updates the copy after the store.
  mutable SharedMutex cache_mutex_;
  std::unordered_map<std::string, Account> account_cache_ GUARDED_BY(cache_mutex_);
  // Bumped when accounts are dropped (global reset), so that a lookup that
  // read the store before the drop does not put a gone account back.
  std::uint64_t account_generation_ GUARDED_BY(cache_mutex_) = 0;
};

}  // namespace paysandbox

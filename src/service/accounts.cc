#include "service/accounts.h"

#include "core/ids.h"

namespace paysandbox {

AccountService::AccountService(AccountStore& store, SandboxClock& clock, const Fixtures& fixtures)
    : store_(store), clock_(clock), fixtures_(fixtures) {}

void AccountService::load() {
  {
    WriterLock lock(cache_mutex_);
    account_cache_.clear();
    ++account_generation_;
  }
  for (const auto& client : fixtures_.clients) store_.upsert_client(client);
  for (auto account : fixtures_.accounts) {
    account.created_at = clock_.real_now();
    store_.insert_account(account);  // keeps the row when it already exists
  }
  clock_.set_server_offset(store_.load_server_offset());
  clock_.clear_accounts();
  for (const auto& [uid, offset] : store_.load_account_offsets())
    clock_.set_account_offset(uid, offset);
}

Result<Account> AccountService::create(const AccountDraft& draft) {
  Account a;
  a.uid = new_id("pa_");
  a.client_id = draft.client_id;
  a.client_uid = draft.client_uid;
  a.name = draft.name;
  a.external_account_id = draft.external_account_id.value_or(new_id("ext_", 16));
  a.external_merchant_id = draft.external_merchant_id.value_or(new_id("mer_", 16));
  a.active = draft.active.value_or(true);
  a.enable_ach = draft.enable_ach.value_or(true);
  a.enable_credit_card = draft.enable_credit_card.value_or(true);
  a.minimum_payment_amount = draft.minimum_payment_amount.value_or(a.minimum_payment_amount);
  a.maximum_payment_amount = draft.maximum_payment_amount.value_or(a.maximum_payment_amount);
  if (a.minimum_payment_amount > a.maximum_payment_amount)
    return validation_error("minimum_payment_amount",
                            "minimum_payment_amount must not exceed maximum_payment_amount.");
  a.callback_url = draft.callback_url.value_or("");
  a.webhook_enabled = draft.webhook_enabled.value_or(!a.callback_url.empty());
  a.fee_rules = draft.fee_rules.value_or(FeeRules{});
  a.webhook_secret = "whsec_" + random_hex(24);
  a.created_at = clock_.real_now();
  store_.insert_account(a);
  return a;
}

std::optional<Account> AccountService::find(const std::string& uid) {
  std::uint64_t generation = 0;
  {
    ReaderLock lock(cache_mutex_);
    auto it = account_cache_.find(uid);
    if (it != account_cache_.end()) return it->second;
    generation = account_generation_;
  }
  auto account = store_.find_account(uid);
  if (account) {
    WriterLock lock(cache_mutex_);
    // try_emplace: an update that raced this read already put the newer copy.
    if (generation == account_generation_) account_cache_.try_emplace(uid, *account);
  }
  return account;
}

std::vector<Account> AccountService::list(const std::string& client_id, const ListQuery& query) {
  return store_.list_accounts(client_id, query);
}

std::vector<Account> AccountService::list_all() { return store_.all_accounts(); }

Account AccountService::update(const Account& account) {
  store_.update_account(account);
  WriterLock lock(cache_mutex_);
  account_cache_.insert_or_assign(account.uid, account);
  return account;
}

Account AccountService::set_webhooks(Account account,
                                     const std::optional<std::string>& callback_url,
                                     std::optional<bool> enabled) {
  if (callback_url) account.callback_url = *callback_url;
  if (enabled)
    account.webhook_enabled = *enabled;
  else if (callback_url)
    account.webhook_enabled = !callback_url->empty();
  return update(account);
}

void AccountService::advance(const std::string& account_uid, Millis by) {
  if (account_uid.empty()) {
    // Every account moves, including those whose clock was never touched
    // (they are absent from the clock's map until then).
    auto accounts = store_.all_accounts();
    for (const auto& account : accounts)
      clock_.set_account_offset(account.uid, clock_.account_offset(account.uid));
    clock_.advance_all(by);
    store_.save_server_offset(clock_.server_offset());
    for (const auto& account : accounts)
      store_.save_account_offset(account.uid, clock_.account_offset(account.uid));
  } else {
    clock_.advance_account(account_uid, by);
    store_.save_account_offset(account_uid, clock_.account_offset(account_uid));
  }
}

void AccountService::reset_account_clock(const std::string& account_uid) {
  clock_.set_account_offset(account_uid, 0);
  store_.save_account_offset(account_uid, 0);
}

void AccountService::reset_all_clocks() {
  clock_.set_server_offset(0);
  clock_.clear_accounts();
  store_.save_server_offset(0);
}

void AccountService::reload(const std::string& uid) {
  {
    WriterLock lock(cache_mutex_);
    account_cache_.erase(uid);
    ++account_generation_;
  }
  for (const auto& [account, offset] : store_.load_account_offsets())
    if (account == uid) clock_.set_account_offset(uid, offset);
}

}  // namespace paysandbox

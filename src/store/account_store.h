#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/list_query.h"
#include "core/types.h"
#include "store/connection.h"

namespace paysandbox {

// Clients, accounts, bearer tokens and the persisted clock offsets.
class AccountStore {
 public:
  explicit AccountStore(Store& store);

  // Inserts or replaces fixture rows (idempotent, so a restart on an existing
  // --db keeps what tests created and restores the fixtures).
  void upsert_client(const Client& client);
  std::optional<Client> find_client(const std::string& client_id);

  // Inserts a new account; false when the uid is taken.
  bool insert_account(const Account& account);
  void update_account(const Account& account);
  std::optional<Account> find_account(const std::string& uid);
  std::vector<Account> list_accounts(const std::string& client_id, const ListQuery& query);
  std::vector<Account> all_accounts();

  void insert_access_token(const AccessToken& token);
  std::optional<AccessToken> find_access_token(const std::string& token);

  // Clock offsets survive a restart with --db.
  void save_server_offset(Millis offset);
  Millis load_server_offset();
  void save_account_offset(const std::string& account_uid, Millis offset);
  std::vector<std::pair<std::string, Millis>> load_account_offsets();

 private:
  Store& store_;
};

}  // namespace paysandbox

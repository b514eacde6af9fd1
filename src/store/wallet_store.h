#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/list_query.h"
#include "core/types.h"
#include "store/connection.h"

namespace paysandbox {

// Proxynized tokens, customers and saved payment methods. Every lookup is
// scoped by account uid: an object of another account is simply not found.
class WalletStore {
 public:
  explicit WalletStore(Store& store);
  ~WalletStore();

  void insert_token(const ProxyToken& token);
  std::optional<ProxyToken> find_token(const std::string& account_uid,
                                       const std::string& fingerprint);
  // Every token of the account still live at `now` expires at `now`;
  // returns how many.
  int expire_tokens(const std::string& account_uid, Millis now);

  // Inserts unless the account already has a customer with this
  // reference_id; returns false then. Atomic with respect to other callers.
  bool insert_customer(const Customer& customer);
  std::optional<Customer> find_customer(const std::string& account_uid, const std::string& uid);
  std::optional<Customer> find_customer_by_reference(const std::string& account_uid,
                                                     const std::string& reference_id);
  std::vector<Customer> list_customers(const std::string& account_uid, const ListQuery& query);
  void set_default_method(const std::string& account_uid, const std::string& customer_uid,
                          const std::optional<std::string>& method_uid);

  // Saves a method; when the customer has no default yet it becomes the
  // default in the same step. Returns whether it became the default.
  bool insert_method(const SavedMethod& method);
  std::optional<SavedMethod> find_method(const std::string& account_uid, const std::string& uid);
  std::vector<SavedMethod> list_methods(const std::string& account_uid,
                                        const std::string& customer_uid);
  // The customer and its live methods, read in one locked step (a list
  // request needs both; one lock instead of two halves the contention).
  std::optional<std::pair<Customer, std::vector<SavedMethod>>> find_customer_methods(
      const std::string& account_uid, const std::string& customer_uid);
  void update_method(const SavedMethod& method);
  // Every live method of the account, oldest first (NOC steps, triggers).
  std::vector<SavedMethod> list_account_methods(const std::string& account_uid);
  // Several network updates in one transaction: all or none persist.
  void update_methods(const std::vector<SavedMethod>& methods);
  // Marks deleted and clears the customer's default if it was this one.
  bool delete_method(const std::string& account_uid, const std::string& customer_uid,
                     const std::string& uid);

  // One import item: finds or creates the customer by reference_id and saves
  // the method, in one locked step. Used inside import_batch().
  struct ImportItem {
    Customer customer;  // used when no customer has customer.reference_id yet
    SavedMethod method;
  };
  struct ImportOutcome {
    std::string customer_uid;
    std::string method_uid;
  };
  // Imports every item in one transaction (items were validated beforehand).
  std::vector<ImportOutcome> import_batch(std::vector<ImportItem>& items);

 private:
  struct MethodsCache;
  Store& store_;
  // The last customer-and-methods reads, for the hot list route; used and
  // changed only under the store's lock (wallet_store.cc says when an entry
  // is still good).
  std::unique_ptr<MethodsCache> methods_cache_;
};

}  // namespace paysandbox

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/list_query.h"
#include "core/types.h"
#include "store/connection.h"

namespace paysandbox {

// Organizations (POST /api/clients), each owned by one API client.
class ClientStore {
 public:
  explicit ClientStore(Store& store);

  void insert(const OrgClient& client);
  std::optional<OrgClient> find(const std::string& owner, const std::string& uid);
  std::vector<OrgClient> list(const std::string& owner, const ListQuery& query);

 private:
  Store& store_;
};

}  // namespace paysandbox

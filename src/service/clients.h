#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/list_query.h"
#include "core/status.h"
#include "core/types.h"
#include "store/client_store.h"

namespace paysandbox {

struct OrgClientDraft {
  std::string customer_id;
  std::string name;
  std::string timezone;
  std::string subdomain;
};

// Organizations (tenants) an API client creates with POST /api/clients and
// names as client_id when it creates payment accounts. Each is visible only
// to the API client that made it.
class ClientService {
 public:
  ClientService(ClientStore& store, SandboxClock& clock);

  OrgClient create(const std::string& owner, const OrgClientDraft& draft);
  // 404 naming "uid" when `owner` has no organization `uid`.
  Result<OrgClient> get(const std::string& owner, const std::string& uid);
  std::vector<OrgClient> list(const std::string& owner, const ListQuery& query);

 private:
  ClientStore& store_;
  SandboxClock& clock_;
};

}  // namespace paysandbox

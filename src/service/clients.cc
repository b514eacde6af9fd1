#include "service/clients.h"

#include "core/ids.h"

namespace paysandbox {

ClientService::ClientService(ClientStore& store, SandboxClock& clock)
    : store_(store), clock_(clock) {}

OrgClient ClientService::create(const std::string& owner, const OrgClientDraft& draft) {
  OrgClient c;
  c.uid = new_id("cli_");
  c.owner = owner;
  c.customer_id = draft.customer_id;
  c.name = draft.name;
  c.timezone = draft.timezone;
  c.subdomain = draft.subdomain;
  c.created_at = clock_.server_now();
  store_.insert(c);
  return c;
}

Result<OrgClient> ClientService::get(const std::string& owner, const std::string& uid) {
  auto found = store_.find(owner, uid);
  if (!found)
    return make_error(ErrorCode::kNotFound,
                      "No client '" + uid +
                          "' for this API client; create one with POST /api/clients or find it "
                          "with GET /api/clients?$filter=name eq '...'.",
                      "uid");
  return *found;
}

std::vector<OrgClient> ClientService::list(const std::string& owner, const ListQuery& query) {
  return store_.list(owner, query);
}

}  // namespace paysandbox

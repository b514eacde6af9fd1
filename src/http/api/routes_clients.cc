#include "http/api/inputs.h"
#include "http/api/routes.h"
#include "http/body.h"
#include "http/field_paths.h"
#include "service/clients.h"

namespace paysandbox {

void add_client_routes(Router& router, ApiContext& api) {
  RouteOptions platform{Auth::kPlatform, AccountScope::kNone};

  router.add("POST", "/api/clients", platform, [&api](Call& call) -> Result<Reply> {
    BodyReader body = call.reader();
    OrgClientDraft draft;
    draft.customer_id = body.required_string("customer_id", 1, 255);
    draft.name = body.required_string("name", 1, 255);
    draft.timezone = body.optional_string("timezone", 64).value_or("");
    draft.subdomain = body.optional_string("subdomain", 63).value_or("");
    for (char c : draft.subdomain)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
        body.reject("subdomain",
                    "'subdomain' may hold lower-case letters, digits and '-' only; got '" +
                        draft.subdomain + "'.");
    TRY(body.finish());
    return reply(201, org_client_json(api.clients.create(call.client_id, draft)));
  });

  router.add("GET", "/api/clients", platform, [&api](Call& call) -> Result<Reply> {
    ASSIGN_OR_RETURN(ListQuery query, read_list_query(call, {"name", "customer_id", "subdomain"}));
    json out = json::array();
    for (const auto& client : api.clients.list(call.client_id, query))
      out.push_back(org_client_json(client));
    return reply(200, out);
  });

  router.add("GET", "/api/clients/{}", platform, [&api](Call& call) -> Result<Reply> {
    // The uid is the URL's: the error names no body field.
    ASSIGN_OR_RETURN(auto client, at_request_path(api.clients.get(call.client_id, call.params[0]),
                                                  {{"uid", ""}}));
    return reply(200, org_client_json(client));
  });
}

}  // namespace paysandbox

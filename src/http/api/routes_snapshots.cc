// /_sandbox/snapshots and /_sandbox/accounts/{uid}/fork: save, restore,
// list, delete and download snapshots; fork an account.
#include "core/time.h"
#include "http/api/routes.h"
#include "http/body.h"
#include "service/snapshots.h"
#include "wire/json.h"

namespace paysandbox {
namespace {

json snapshot_json(const SnapshotInfo& info) {
  return {{"name", info.name},
          {"account", info.account_uid.empty() ? json(nullptr) : json(info.account_uid)},
          {"scope", info.account_uid.empty() ? "all" : "account"},
          {"rows", info.rows},
          {"size_bytes", info.size_bytes},
          {"created_at", format_rfc3339(info.created_at)}};
}

Result<std::string> snapshot_name(const std::string& name) {
  if (!SnapshotService::valid_name(name))
    return not_found("No snapshot named '" + name + "'; see GET /_sandbox/snapshots.");
  return name;
}

}  // namespace

void add_snapshot_routes(Router& router, ApiContext& api, SnapshotService& snapshots) {
  RouteOptions control{Auth::kControl, AccountScope::kNone};
  RouteOptions alone = control;
  alone.exclusive = true;

  router.add(
      "POST", "/_sandbox/snapshots", control, [&api, &snapshots](Call& call) -> Result<Reply> {
        BodyReader body = call.reader();
        std::string name = body.required_string("name", 1, 64);
        if (body.ok() && !SnapshotService::valid_name(name))
          body.reject("name",
                      "Expected 1 to 64 letters, digits, '.', '_' or '-', got '" + name + "'.");
        std::string account = body.optional_string("account", 128).value_or("");
        TRY(body.finish());
        if (!account.empty() && !api.accounts.find(account))
          return validation_error("account", "No payment account '" + account +
                                                 "'; name an existing account, or leave 'account' "
                                                 "out to save everything.");
        ASSIGN_OR_RETURN(SnapshotInfo saved, snapshots.save(name, account));
        return reply(201, snapshot_json(saved));
      });

  router.add("GET", "/_sandbox/snapshots", control, [&snapshots](Call&) -> Result<Reply> {
    json out = json::array();
    for (const auto& info : snapshots.list()) out.push_back(snapshot_json(info));
    return reply(200, out);
  });

  router.add("DELETE", "/_sandbox/snapshots/{}", control,
             [&snapshots](Call& call) -> Result<Reply> {
               TRY(call.no_body());
               ASSIGN_OR_RETURN(std::string name, snapshot_name(call.params[0]));
               if (!snapshots.remove(name))
                 return not_found("No snapshot named '" + call.params[0] +
                                  "'; see GET /_sandbox/snapshots.");
               return no_content();
             });

  router.add("POST", "/_sandbox/snapshots/{}/restore", alone,
             [&snapshots](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(std::string name, snapshot_name(call.params[0]));
               TRY(call.no_body());
               ASSIGN_OR_RETURN(SnapshotInfo restored, snapshots.restore(name));
               return reply(200, snapshot_json(restored));
             });

  router.add(
      "GET", "/_sandbox/snapshots/{}/file", control, [&snapshots](Call& call) -> Result<Reply> {
        ASSIGN_OR_RETURN(const std::string name, snapshot_name(call.params[0]));
        ASSIGN_OR_RETURN(std::string bytes, snapshots.file(name));
        Reply out = reply_raw(200, std::move(bytes), "application/vnd.sqlite3");
        out.set_header("Content-Disposition", "attachment; filename=\"" + name + ".snapshot\"");
        return out;
      });

  router.add("POST", "/_sandbox/accounts/{}/fork", control,
             [&snapshots](Call& call) -> Result<Reply> {
               TRY(call.no_body());
               ASSIGN_OR_RETURN(Account account, snapshots.fork(call.params[0]));
               json out = account_json(account);
               out["webhook_secret"] = account.webhook_secret;
               out["forked_from"] = call.params[0];
               return reply(201, out);
             });
}

}  // namespace paysandbox

// /_sandbox/snapshots and /_sandbox/accounts/{uid}/fork: save, restore,
// list, delete and download snapshots; fork an account.
#include "core/time.h"
#include "http/body.h"
#include "http/errors.h"
#include "http/routes.h"
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

std::string snapshot_name(const std::string& name) {
  if (!SnapshotService::valid_name(name))
    throw ApiError(not_found("No snapshot named '" + name + "'; see GET /_sandbox/snapshots."));
  return name;
}

}  // namespace

void add_snapshot_routes(Router& router, ApiContext& api, SnapshotService& snapshots) {
  RouteOptions control{Auth::kControl, AccountScope::kNone};
  RouteOptions alone = control;
  alone.exclusive = true;

  router.add("POST", "/_sandbox/snapshots", control, [&api, &snapshots](Call& call) {
    BodyReader body(call.body(), "");
    std::string name = body.required_string("name", 1, 64);
    if (!SnapshotService::valid_name(name))
      throw ApiError(validation_error(
          "name", "Expected 1 to 64 letters, digits, '.', '_' or '-', got '" + name + "'."));
    std::string account = body.optional_string("account", 128).value_or("");
    body.finish();
    if (!account.empty() && !api.accounts.find(account))
      throw ApiError(validation_error(
          "account", "No payment account '" + account +
                         "'; name an existing account, or leave 'account' out to save "
                         "everything."));
    call.reply(201, snapshot_json(value_or_throw(snapshots.save(name, account))));
  });

  router.add("GET", "/_sandbox/snapshots", control, [&snapshots](Call& call) {
    json out = json::array();
    for (const auto& info : snapshots.list()) out.push_back(snapshot_json(info));
    call.reply(200, out);
  });

  router.add("DELETE", "/_sandbox/snapshots/{}", control, [&snapshots](Call& call) {
    if (!snapshots.remove(snapshot_name(call.params[0])))
      throw ApiError(
          not_found("No snapshot named '" + call.params[0] + "'; see GET /_sandbox/snapshots."));
    call.no_content();
  });

  router.add("POST", "/_sandbox/snapshots/{}/restore", alone, [&snapshots](Call& call) {
    call.reply(200,
               snapshot_json(value_or_throw(snapshots.restore(snapshot_name(call.params[0])))));
  });

  router.add("GET", "/_sandbox/snapshots/{}/file", control, [&snapshots](Call& call) {
    const std::string name = snapshot_name(call.params[0]);
    call.reply_raw(200, value_or_throw(snapshots.file(name)), "application/vnd.sqlite3");
    call.response.set_header("Content-Disposition",
                             "attachment; filename=\"" + name + ".snapshot\"");
  });

  router.add("POST", "/_sandbox/accounts/{}/fork", control, [&snapshots](Call& call) {
    if (!call.request.body.empty()) BodyReader(call.body(), "").finish();
    Account account = value_or_throw(snapshots.fork(call.params[0]));
    json out = account_json(account);
    out["webhook_secret"] = account.webhook_secret;
    out["forked_from"] = call.params[0];
    call.reply(201, out);
  });
}

}  // namespace paysandbox

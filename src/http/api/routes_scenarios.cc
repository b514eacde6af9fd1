#include <chrono>
#include <thread>

#include "core/time.h"
#include "http/api/routes.h"
#include "http/errors.h"
#include "scenario/engine.h"

namespace paysandbox {
namespace {

// The first ErrorCode that answers with `status`, for an injected error's
// `recoverable` flag and default code.
ErrorCode code_for_status(int status) {
  for (ErrorCode code : {ErrorCode::kValidation, ErrorCode::kUnauthorized, ErrorCode::kCardDeclined,
                         ErrorCode::kForbidden, ErrorCode::kNotFound, ErrorCode::kMethodNotAllowed,
                         ErrorCode::kConflict, ErrorCode::kSessionExpired,
                         ErrorCode::kPayloadTooLarge, ErrorCode::kRateLimited, ErrorCode::kInternal,
                         ErrorCode::kProcessingError, ErrorCode::kNetworkError})
    if (http_status_for(code) == status) return code;
  return status >= 500 ? ErrorCode::kInternal : ErrorCode::kValidation;
}

// The injected answer keeps the rule's own status and code, so it is built
// here rather than returned as an Error for the router to render.
Reply injected_error(const Call& call, const Action& action, const std::string& scenario_hint) {
  Error error =
      make_error(code_for_status(action.status),
                 action.message.empty() ? "Injected by a sandbox scenario" + scenario_hint + "."
                                        : action.message);
  Reply out = error_reply(error, call.request_id, action.code);
  out.status = action.status;
  // A 429 always says when to come back (docs/api/README.md#conventions).
  if (action.status == 429) out.set_header("Retry-After", "1");
  return out;
}

}  // namespace

json loaded_scenario_json(const LoadedScenario& loaded) {
  json rules = json::array();
  for (size_t i = 0; i < loaded.scenario.rules.size(); ++i) {
    json rule = json::parse(loaded.scenario.rule_sources.at(i));
    rule["fired"] = loaded.fired[i];
    const auto& times = loaded.scenario.rules[i].times;
    rule["remaining"] = times ? json(*times - loaded.fired[i]) : json(nullptr);
    rules.push_back(std::move(rule));
  }
  json timeline = json::array();
  for (size_t i = 0; i < loaded.scenario.timeline.size(); ++i) {
    json step = json::parse(loaded.scenario.step_sources.at(i));
    step["due_at"] = format_rfc3339(loaded.loaded_at + loaded.scenario.timeline[i].at);
    step["done"] = static_cast<bool>(loaded.step_done[i]);
    step["error"] = loaded.step_errors[i].empty() ? json(nullptr) : json(loaded.step_errors[i]);
    timeline.push_back(std::move(step));
  }
  return {{"id", loaded.id},
          {"name", loaded.scenario.name},
          {"description", loaded.scenario.description},
          {"account", loaded.account_uid},
          {"loaded_at", format_rfc3339(loaded.loaded_at)},
          {"rules", rules},
          {"timeline", timeline}};
}

void add_scenario_routes(Router& router, ApiContext& api, ScenarioEngine& engine) {
  RouteOptions control_account{Auth::kControl, AccountScope::kRequired};

  router.add(
      "POST", "/_sandbox/scenarios", control_account, [&api, &engine](Call& call) -> Result<Reply> {
        const Account& account = call.require_account();
        ASSIGN_OR_RETURN(Scenario scenario, parse_scenario(call.request.body));
        if (!scenario.account.empty() && scenario.account != account.uid)
          return validation_error("account", "The scenario names account '" + scenario.account +
                                                 "' but X-Payment-Account-Uid is '" + account.uid +
                                                 "'; drop the field or send it to that account.");
        auto loaded = engine.load(account.uid, std::move(scenario),
                                  api.accounts.clock().account_now(account.uid));
        // A step at 0 s is due at once.
        engine.run_due(account.uid, api.accounts.clock().account_now(account.uid));
        for (const auto& current : engine.list(account.uid))
          if (current.id == loaded.id) loaded = current;
        return reply(201, loaded_scenario_json(loaded));
      });
  router.add("GET", "/_sandbox/scenarios", control_account, [&api, &engine](Call& call) {
    const std::string& account = call.require_account().uid;
    engine.run_due(account, api.accounts.clock().account_now(account));
    json out = json::array();
    for (const auto& loaded : engine.list(account)) out.push_back(loaded_scenario_json(loaded));
    return reply(200, out);
  });
  router.add("GET", "/_sandbox/scenarios/{}", control_account,
             [&api, &engine](Call& call) -> Result<Reply> {
               const std::string& account = call.require_account().uid;
               engine.run_due(account, api.accounts.clock().account_now(account));
               for (const auto& loaded : engine.list(account))
                 if (loaded.id == call.params[0]) return reply(200, loaded_scenario_json(loaded));
               return not_found("No scenario '" + call.params[0] + "' is loaded in this account.");
             });
  router.add("DELETE", "/_sandbox/scenarios", control_account,
             [&engine](Call& call) -> Result<Reply> {
               TRY(call.no_body());
               engine.clear(call.require_account().uid);
               return no_content();
             });
  router.add(
      "DELETE", "/_sandbox/scenarios/{}", control_account, [&engine](Call& call) -> Result<Reply> {
        TRY(call.no_body());
        if (!engine.remove(call.require_account().uid, call.params[0]))
          return not_found("No scenario '" + call.params[0] + "' is loaded in this account.");
        return no_content();
      });

  // Rules act on the merchant-facing API of the account they were loaded
  // into; the control API is never affected, so a test can always inspect
  // and clear what it set up.
  router.add_interceptor([&api, &engine](Call& call, const Next& next) -> Result<Reply> {
    if (!call.account || call.request.path.rfind("/_sandbox/", 0) == 0 ||
        !engine.active(call.account->uid))
      return next();
    const std::string account = call.account->uid;
    // Steps that fell due as real time passed run before the request.
    engine.run_due(account, api.accounts.clock().account_now(account));
    json body = call.request.body.empty() ? json() : json::parse(call.request.body, nullptr, false);
    ScenarioRequest request{call.request.method, call.request.path,
                            [&call](const std::string& name) { return call.request.header(name); },
                            nullptr};
    if (body.is_object())
      request.body_field_equals = [&body](const std::string& dotted, const std::string& expected) {
        return json_field_equals(body, dotted, expected);
      };
    auto action = engine.take(account, request);
    if (!action) return next();
    switch (action->type) {
      case ActionType::kError:
        return injected_error(call, *action, "");
      case ActionType::kDelay:
        std::this_thread::sleep_for(std::chrono::milliseconds(action->delay_ms));
        return next();
      case ActionType::kDropConnection: {
        Reply dropped = reply_raw(0, {});  // nothing ran; the journal shows no status
        dropped.drop_connection = true;
        return dropped;
      }
      case ActionType::kCommitThenDrop: {
        // The route's work stands (its answer is recorded for its key); the
        // client never hears it. An error is answered as usual.
        Result<Reply> answer = next();
        if (answer.ok()) answer->drop_connection = true;
        return answer;
      }
      case ActionType::kConcurrentCreate:
        // The "other" request wins: the customer exists before this one runs,
        // so it answers 409 and the merchant's look-up-by-reference_id path runs.
        if (body.is_object() && body.contains("reference_id") && body["reference_id"].is_string())
          (void)api.wallet.create_customer(account, body["reference_id"].get<std::string>(),
                                           std::nullopt, std::nullopt);
        return next();
    }
    return next();
  });
}

}  // namespace paysandbox

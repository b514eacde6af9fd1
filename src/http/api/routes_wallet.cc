#include "http/api/inputs.h"
#include "http/api/routes.h"
#include "http/body.h"
#include "http/errors.h"
#include "http/field_paths.h"

namespace paysandbox {
namespace {

constexpr size_t kMaxImportItems = 10000;
constexpr size_t kImportBodyLimit = 16u << 20;  // 16 MiB

// Each item has a reader of its own: one item's error is reported for it
// alone.
Result<ImportRequestItem> read_import_item(const json& value) {
  BodyReader item(value, "");
  ImportRequestItem out;
  out.customer_reference_id = item.required_string("customer_reference_id", 1, 255);
  out.customer_name = item.optional_string("customer_name", 255);
  out.customer_email = optional_email(item, "customer_email");
  BodyReader method = item.required_object("payment_method");
  ASSIGN_OR_RETURN(out.method, read_method_claim(method));
  TRY(item.finish());
  return out;
}

}  // namespace

json method_list_json(const std::vector<SavedMethodView>& views) {
  json out = json::array();
  for (const auto& view : views) out.push_back(sanitized_method_json(view.method, view.is_default));
  return out;
}

std::string method_list_body(const std::vector<SavedMethodView>& views) {
  std::string out = "[";
  out.reserve(2 + views.size() * 400);  // a card is ~340 bytes
  for (const auto& view : views) {
    if (out.size() > 1) out += ',';
    append_sanitized_method_json(out, view.method, view.is_default);
  }
  out += ']';
  return out;
}

void add_wallet_routes(Router& router, ApiContext& api) {
  RouteOptions scoped{Auth::kPlatform, AccountScope::kRequired};

  router.add("POST", "/api/customers", scoped, [&api](Call& call) -> Result<Reply> {
    BodyReader body = call.reader();
    std::string reference_id = body.required_string("reference_id", 1, 255);
    auto name = body.optional_string("name", 255);
    auto email = optional_email(body, "email");
    TRY(body.finish());
    ASSIGN_OR_RETURN(Customer customer,
                     api.wallet.create_customer(call.require_account().uid, reference_id,
                                                std::move(name), std::move(email)));
    return reply(201, customer_json(customer));
  });

  router.add("GET", "/api/customers", scoped, [&api](Call& call) -> Result<Reply> {
    ASSIGN_OR_RETURN(ListQuery query, read_list_query(call, {"reference_id", "email"}));
    json out = json::array();
    for (const auto& customer : api.wallet.list_customers(call.require_account().uid, query))
      out.push_back(customer_json(customer));
    return reply(200, out);
  });

  router.add("GET", "/api/customers/{}", scoped, [&api](Call& call) -> Result<Reply> {
    ASSIGN_OR_RETURN(Customer customer,
                     api.wallet.get_customer(call.require_account().uid, call.params[0]));
    return reply(200, customer_json(customer));
  });

  router.add("POST", "/api/customers/{}/payment-methods", scoped,
             [&api](Call& call) -> Result<Reply> {
               BodyReader body = call.reader();
               BodyReader method = body.required_object("payment_method");
               ASSIGN_OR_RETURN(MethodClaim claim, read_method_claim(method));
               TRY(body.finish());
               ASSIGN_OR_RETURN(SavedMethodView saved,
                                at_request_path(api.wallet.save_method(call.require_account().uid,
                                                                       call.params[0], claim),
                                                {{"", claim_path(claim.kind)}}));
               return reply(201, saved_method_json(saved.method, saved.is_default));
             });

  router.add("GET", "/api/customers/{}/payment-methods", scoped,
             [&api](Call& call) -> Result<Reply> {
               // Like every list, it takes $top/$skip/$orderby and refuses what it cannot
               // honour; it filters by nothing.
               ASSIGN_OR_RETURN(ListQuery query, read_list_query(call, {}));
               ASSIGN_OR_RETURN(
                   auto views, api.wallet.list_methods(call.require_account().uid, call.params[0]));
               return reply_raw(200, method_list_body(page_of(views, query)));
             });

  router.add(
      "GET", "/api/customers/{}/payment-methods/{}", scoped, [&api](Call& call) -> Result<Reply> {
        ASSIGN_OR_RETURN(
            SavedMethodView view,
            api.wallet.get_method(call.require_account().uid, call.params[0], call.params[1]));
        return reply(200, sanitized_method_json(view.method, view.is_default));
      });

  router.add(
      "DELETE", "/api/customers/{}/payment-methods/{}", scoped,
      [&api](Call& call) -> Result<Reply> {
        TRY(call.no_body());
        TRY(api.wallet.delete_method(call.require_account().uid, call.params[0], call.params[1]));
        return no_content();
      });

  router.add("PUT", "/api/customers/{}/default-payment-method", scoped,
             [&api](Call& call) -> Result<Reply> {
               BodyReader body = call.reader();
               std::string method_uid = body.required_string("saved_payment_method_uid", 1, 255);
               TRY(body.finish());
               ASSIGN_OR_RETURN(
                   Customer customer,
                   api.wallet.set_default(call.require_account().uid, call.params[0], method_uid));
               return reply(200, customer_json(customer));
             });

  RouteOptions import_options = scoped;
  import_options.body_limit = kImportBodyLimit;
  router.add(
      "POST", "/api/saved-payment-methods/import", import_options,
      [&api](Call& call) -> Result<Reply> {
        BodyReader body = call.reader();
        const json& items = body.required_array("items", kMaxImportItems);
        TRY(body.finish());
        // Each item is checked on its own; a bad one is reported and skipped.
        std::vector<ImportRequestItem> accepted;
        std::vector<size_t> accepted_index;
        std::vector<MethodKind> accepted_kinds;
        json results = json::array();
        std::vector<std::optional<Error>> errors(items.size());
        for (size_t i = 0; i < items.size(); ++i) {
          auto item = read_import_item(items[i]);
          if (!item.ok()) {
            errors[i] = item.error();
            continue;
          }
          accepted_kinds.push_back(item->method.kind);
          accepted.push_back(std::move(*item));
          accepted_index.push_back(i);
        }
        auto imported = api.wallet.import_methods(call.require_account().uid, std::move(accepted));
        std::vector<const ImportItemResult*> by_index(items.size(), nullptr);
        for (size_t k = 0; k < imported.size(); ++k) {
          by_index[accepted_index[k]] = &imported[k];
          if (imported[k].error)
            errors[accepted_index[k]] =
                at_request_path(*imported[k].error, {{"method", claim_path(accepted_kinds[k])}});
        }
        size_t ok = 0;
        for (size_t i = 0; i < items.size(); ++i) {
          if (errors[i]) {
            json error = {{"code", wire_code_for(errors[i]->code)},
                          {"message", errors[i]->message}};
            error["param"] = errors[i]->param.empty() ? json(nullptr) : json(errors[i]->param);
            results.push_back({{"index", i}, {"error", error}});
          } else {
            ++ok;
            results.push_back(
                {{"index", i},
                 {"customer_uid", by_index[i]->customer_uid},
                 {"saved_payment_method_uid", by_index[i]->saved_payment_method_uid}});
          }
        }
        return reply(200,
                     json{{"imported", ok}, {"failed", items.size() - ok}, {"results", results}});
      });
}

}  // namespace paysandbox

#include "http/api/inputs.h"
#include "http/api/routes.h"
#include "http/body.h"
#include "http/field_paths.h"
#include "service/payments.h"
#include "wire/payment_json.h"

namespace paysandbox {
namespace {

// Amounts are cents; the JSON number limit keeps them exact in every client.
std::int64_t read_base_amount(BodyReader& body) {
  return body.required_integer("base_amount", 1, kMaxSafeInteger);
}
// Absent means no tax: the documented wallet example sends none.
std::int64_t read_tax_amount(BodyReader& body) {
  return body.optional_integer("tax_amount", 0, kMaxSafeInteger).value_or(0);
}
// The caller's own reference; absent or "" (as the documented wallet example
// sends it) is no reference.
std::string read_reference_id(BodyReader& body) {
  return body.optional_string("reference_id", 255).value_or("");
}

Result<PaymentDraft> read_draft(BodyReader& body) {
  PaymentDraft draft;
  draft.base_amount = read_base_amount(body);
  draft.tax_amount = read_tax_amount(body);
  draft.currency = body.required_string("currency", 1, 8);
  draft.reference_id = read_reference_id(body);
  ASSIGN_OR_RETURN(draft.method, read_payment_method(body));
  return draft;
}

// A capture's claim repeats the validation; its canonical payment method
// is the body's payment_method, like the method itself.
FieldPaths capture_paths(MethodKind kind) {
  FieldPaths paths = payment_method_paths(kind);
  paths.emplace_back("method_request", "payment_method");
  return paths;
}

Result<std::string> payment_uid(const Call& call) {
  // Ids never hold anything else; such a segment names no payment.
  if (!plausible_id(call.params[0]))
    return not_found("No payment '" + call.params[0] + "' in this payment account.");
  return call.params[0];
}

}  // namespace

void add_payment_routes(Router& router, ApiContext& /*api*/, PaymentService& payments) {
  RouteOptions scoped{Auth::kPlatform, AccountScope::kRequired};

  router.add("POST", "/api/payments", scoped, [&payments](Call& call) -> Result<Reply> {
    BodyReader body = call.reader();
    ASSIGN_OR_RETURN(PaymentDraft draft, read_draft(body));
    TRY(body.finish());
    ASSIGN_OR_RETURN(Payment payment,
                     at_request_path(payments.validate(call.require_account(), draft),
                                     payment_method_paths(kind_of(draft.method.type))));
    return reply_raw(201, payment_body(payment));
  });

  router.add("GET", "/api/payments", scoped, [&payments](Call& call) -> Result<Reply> {
    ASSIGN_OR_RETURN(ListQuery query, read_list_query(call, {"reference_id", "status"}));
    json out = json::array();
    for (const auto& payment : payments.list(call.require_account().uid, query))
      out.push_back(payment_json(payment));
    return reply(200, out);
  });

  router.add("GET", "/api/payments/{}", scoped, [&payments](Call& call) -> Result<Reply> {
    ASSIGN_OR_RETURN(std::string uid, payment_uid(call));
    ASSIGN_OR_RETURN(Payment payment, payments.get(call.require_account().uid, uid));
    return reply(200, payment_json(payment));
  });

  router.add("POST", "/api/payments/{}/capture", scoped, [&payments](Call& call) -> Result<Reply> {
    BodyReader body = call.reader();
    CaptureClaim claim;
    claim.base_amount = read_base_amount(body);
    claim.tax_amount = read_tax_amount(body);
    claim.currency = body.required_string("currency", 1, 8);
    claim.reference_id = read_reference_id(body);
    ASSIGN_OR_RETURN(PaymentMethodRequest method, read_payment_method(body));
    claim.method_request = method.canonical;
    claim.processing_fee_amount =
        body.required_integer("processing_fee_amount", 0, kMaxSafeInteger);
    claim.total_amount = body.optional_integer("total_amount", 0, kMaxSafeInteger);
    TRY(body.finish());
    ASSIGN_OR_RETURN(std::string uid, payment_uid(call));
    ASSIGN_OR_RETURN(Payment payment,
                     at_request_path(payments.capture(call.require_account(), uid, claim, method),
                                     capture_paths(kind_of(method.type))));
    return reply_raw(200, payment_body(payment));
  });

  router.add("POST", "/api/payments/{}/refund", scoped, [&payments](Call& call) -> Result<Reply> {
    // An empty body refunds everything that is left.
    std::optional<std::int64_t> amount;
    if (!call.request.body.empty()) {
      BodyReader body = call.reader();
      amount = body.optional_integer("amount", 1, kMaxSafeInteger);
      TRY(body.finish());
    }
    ASSIGN_OR_RETURN(std::string uid, payment_uid(call));
    ASSIGN_OR_RETURN(Payment payment, payments.refund(call.require_account(), uid, amount));
    return reply(200, payment_json(payment));
  });

  // Cancels a validated payment before capture (docs/api-differences.md). The body,
  // if any, must be an empty object.
  router.add("POST", "/api/payments/{}/void", scoped, [&payments](Call& call) -> Result<Reply> {
    TRY(call.no_body());
    ASSIGN_OR_RETURN(std::string uid, payment_uid(call));
    ASSIGN_OR_RETURN(Payment payment, payments.void_payment(call.require_account(), uid));
    return reply(200, payment_json(payment));
  });
}

}  // namespace paysandbox

// The payer's side of a payment session: quote-fee, confirm and the
// challenge. Routes parse, call CheckoutService / SessionService, and render.
#include "http/api/routes.h"
#include "http/api/session_inputs.h"
#include "http/body.h"
#include "http/errors.h"
#include "http/field_paths.h"
#include "service/checkout.h"
#include "wire/payment_json.h"
#include "wire/session_json.h"

namespace paysandbox {
namespace {

json or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

// The quote ("IFee": amount, convenience_fee, total_amount, method,
// card_type?, last4?), plus session_id, payment_method_type,
// processing_fee_amount and currency for clients of older sandboxes.
json quote_json(const HostedSession& session, const CheckoutQuote& quote,
                const CheckoutRequest& request) {
  json out = {{"amount", quote.fee.amount},
              {"convenience_fee", quote.fee.fee},
              {"total_amount", quote.fee.total},
              {"method", checkout_method_name(quote.method)}};
  if (!quote.card_type.empty()) out["card_type"] = quote.card_type;
  if (!quote.last4.empty()) out["last4"] = quote.last4;
  out["session_id"] = session.id;
  out["payment_method_type"] = method_kind_name(request.kind);
  out["processing_fee_amount"] = quote.fee.fee;
  out["currency"] = session.currency;
  return out;
}

// The confirm answer (the payment.success detail in snake_case), plus the
// session and payment objects the hosted page reads.
json confirm_json(const CheckoutResult& result, const std::string& base_url) {
  const Payment& p = result.payment;
  json out = {{"session_id", result.session.id},
              {"status", session_status_name(result.session.status)},
              {"payment_uid", p.uid},
              {"transaction_id", p.transaction_id},
              {"method", checkout_method_name(result.method)},
              {"last4", result.last4},
              {"card_type", or_null(result.card_type)},
              {"amount", p.base_amount + p.tax_amount},
              {"convenience_fee", p.processing_fee_amount},
              {"total_amount", p.total_amount}};
  if (!result.saved_method_id.empty()) out["saved_method_id"] = result.saved_method_id;
  out["session"] = session_json(result.session, base_url);
  out["payment"] = payment_json(p);
  return out;
}

// Where the CheckoutRequest's fields sat in the body ({method,
// processor_token, payment_method: {card | ach}}): the token apart from the
// details; a saved method's uid is the token; an Apple Pay token's details
// are those of a card.
FieldPaths checkout_paths(const CheckoutRequest& request) {
  const bool own_details =
      request.method == CheckoutMethod::kCard || request.method == CheckoutMethod::kAch;
  return {{"challenge", "challenge_response"},
          {"payment.type", "method"},
          {"payment.saved_method_uid", "processor_token"},
          {"payment.claim.fingerprint", "processor_token"},
          {"payment.claim",
           own_details ? std::string("payment_method.") + checkout_method_name(request.method)
                       : std::string("processor_token")},
          {"payment", "processor_token"}};
}

// The payment session a quote or confirm acts on, its body, and where the
// body put each field.
struct CheckoutCall {
  HostedSession session;
  CheckoutRequest request;
  FieldPaths paths;
};
Result<CheckoutCall> read_checkout_call(Call& call, SessionService& sessions, bool for_confirm) {
  ASSIGN_OR_RETURN(HostedSession session, open_session(call, sessions, Browser::kPayment));
  BodyReader body = call.reader();
  ASSIGN_OR_RETURN(CheckoutRequest request, read_checkout_request(body, for_confirm));
  FieldPaths paths = checkout_paths(request);
  return CheckoutCall{std::move(session), std::move(request), std::move(paths)};
}

}  // namespace

void add_checkout_routes(Router& router, SessionService& sessions, CheckoutService& checkout) {
  RouteOptions either{Auth::kPlatformOrSession, AccountScope::kRequired};
  RouteOptions control{Auth::kControl, AccountScope::kRequired};

  router.add("POST", "/v1/hosted-sessions/{}/quote-fee", either,
             [&sessions, &checkout](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(CheckoutCall in, read_checkout_call(call, sessions, false));
               ASSIGN_OR_RETURN(
                   CheckoutQuote quote,
                   at_request_path(checkout.quote(call.require_account(), in.session, in.request),
                                   in.paths));
               return reply(200, quote_json(in.session, quote, in.request));
             });

  router.add("POST", "/v1/hosted-sessions/{}/confirm", either,
             [&sessions, &checkout](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(CheckoutCall in, read_checkout_call(call, sessions, true));
               ASSIGN_OR_RETURN(CheckoutResult result,
                                at_request_path(checkout.confirm(call.require_account(),
                                                                 in.session.id, in.request),
                                                in.paths));
               return reply(200, confirm_json(result, base_url_of(call)));
             });

  // Sends the sms / email code of the session's challenge (a no-op for
  // captcha types) and answers the challenge object.
  router.add("POST", "/v1/hosted-sessions/{}/challenge/send", either,
             [&sessions](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(HostedSession session,
                                open_session(call, sessions, Browser::kPayment));
               TRY(call.no_body());
               ASSIGN_OR_RETURN(auto challenge, sessions.send_challenge(session.id));
               return reply(200, challenge_json(challenge));
             });

  // What the payer's phone or inbox would have received: the way a test
  // reads the one-time code.
  router.add("GET", "/_sandbox/hosted-sessions/{}/challenge", control,
             [&sessions](Call& call) -> Result<Reply> {
               ASSIGN_OR_RETURN(
                   HostedSession session,
                   sessions.with_challenge(call.params[0], call.require_account().uid));
               const Challenge& c = *session.options.challenge;
               json out = challenge_json(c);
               out["session_id"] = session.id;
               out["code"] = c.code_sent ? json(c.code) : json(nullptr);
               return reply(200, out);
             });
}

}  // namespace paysandbox

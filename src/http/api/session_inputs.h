#pragma once

#include <string>

#include "core/session.h"
#include "http/api/routes.h"
#include "http/body.h"
#include "service/checkout.h"
#include "service/sessions.h"

namespace paysandbox {

// The scheme and host the request came to ("http://127.0.0.1:8080"), for
// hosted_url.
std::string base_url_of(const Call& call);

// Which caller a session route lets in, beyond the server.
enum class Browser {
  kNo,       // server credentials only
  kAny,      // a client_secret of either scope
  kPayment,  // a client_secret of a payment-scope session
  kWallet,   // a client_secret of a wallet-scope session
};

// Loads the session a route names and checks the caller may act on it: the
// server by its bearer and account header, a browser by the session's
// client_secret, from an allowed origin, with the right scope. Past expiry
// everything but a server's GET is 410.
Result<HostedSession> open_session(Call& call, SessionService& sessions, Browser browser,
                                   bool expired_ok = false);

// line_items[]: {description, amount, quantity (default 1), metadata}, as
// normalized JSON text; any other item field is a 400 naming it. Errors
// (here and in the readers below) are held by the reader (http/body.h).
std::string read_line_items(BodyReader& body);

// The documented session fields beyond amount and URLs (description,
// customer_email, layout, allowed_methods, setup_future_usage, branding,
// required_avs_fields, metadata, fraud_signals, method_badges,
// locked_payment_methods), each type-checked. The last two are wallet scope.
Result<SessionOptions> read_session_options(BodyReader& body, SessionScope scope);

// A branding object (logo_url, accent_color #RRGGBB, merchant_display_name,
// and page_message when `with_page_message`), into `into`.
void read_branding(BodyReader& branding, Branding& into, bool with_page_message);

// The body of quote-fee (`for_confirm` false) or confirm: the documented
// browser shape or the platform payment shape.
Result<CheckoutRequest> read_checkout_request(BodyReader& body, bool for_confirm);

}  // namespace paysandbox

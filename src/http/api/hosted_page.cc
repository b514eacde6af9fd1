// The page behind a session's hosted_url: what a person (or a browser test)
// sees when a merchant sends them to pay or to manage their saved methods.
// The server renders a shell with what the script needs to start; the
// script (src/http/ui/hosted.js, served from /hosted/assets/) then talks to
// the same API a merchant's own page would: the session config, quote-fee
// and confirm with the client_secret as its bearer, and the tokenization
// stand-in.
#include <algorithm>
#include <string>
#include <vector>

#include "http/api/routes.h"
#include "http/errors.h"
#include "service/sessions.h"
#include "wire/session_json.h"

namespace paysandbox {
namespace {

std::string escape_html(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// JSON for a <script> block: "</" would end the block early.
std::string script_json(const json& value) {
  std::string text = dump_json(value);
  std::string out;
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string page(const std::string& title, const std::string& state_json,
                 const std::string& fallback) {
  return R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>)HTML" +
         escape_html(title) + R"HTML(</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/hosted/assets/hosted.css">
<script type="application/json" id="session-state">)HTML" +
         state_json + R"HTML(</script>
<script type="module" src="/hosted/assets/hosted.js"></script>
</head><body>
<main class="page">
<header class="merchant" id="merchant"></header>
<div id="checkout">)HTML" +
         fallback + R"HTML(</div>
<p class="footer">Test mode: payment-sandbox. No real money moves.</p>
</main></body></html>
)HTML";
}

std::string dollars(std::int64_t cents) {
  std::string frac = std::to_string(cents % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return "$" + std::to_string(cents / 100) + "." + frac;
}

std::string method_label(const SavedMethod& m) {
  return m.kind == MethodKind::kCredit
             ? m.card.card_brand + " ending " + m.card.last4 + " (" +
                   std::to_string(m.card.exp_month) + "/" + std::to_string(m.card.exp_year) + ")"
             : "Bank account ending " + m.ach.account_number_suffix;
}

// The session customer's saved methods, default first; none for a guest.
std::vector<SavedMethodView> saved_methods_of(ApiContext& api, const HostedSession& session) {
  std::vector<SavedMethodView> out;
  if (session.customer_reference_id.empty()) return out;
  auto customer =
      api.wallet.find_customer_by_reference(session.account_uid, session.customer_reference_id);
  if (!customer) return out;
  if (auto listed = api.wallet.list_methods(session.account_uid, customer->uid))
    out = std::move(*listed);
  std::stable_sort(out.begin(), out.end(), [](const SavedMethodView& a, const SavedMethodView& b) {
    return a.is_default && !b.is_default;
  });
  return out;
}

// What the page shows before its script has run (and without JavaScript):
// the state, the amount due and the customer's saved methods.
std::string first_paint(const HostedSession& session, const std::vector<SavedMethodView>& saved) {
  if (session.status == SessionStatus::kExpired)
    return "<section class=\"panel state\"><h2>This checkout page has expired</h2><p>Nothing was "
           "charged. Please return to the merchant and start again.</p></section>";
  if (session.status == SessionStatus::kCompleted)
    return "<section class=\"panel state\"><h2>This payment is complete</h2></section>";
  std::string out = "<section class=\"panel\">";
  if (session.scope == SessionScope::kPayment)
    out += "<p>Amount due: " + dollars(session.amount.value_or(0)) + "</p>";
  if (!saved.empty()) {
    out += "<ul>";
    for (const auto& view : saved)
      out += "<li>" + escape_html(method_label(view.method)) +
             (view.is_default ? " (default)" : "") + "</li>";
    out += "</ul>";
  }
  return out + "<p>Loading…</p></section>";
}

}  // namespace

void add_hosted_page_route(Router& router, ApiContext& api, SessionService& sessions) {
  RouteOptions open{Auth::kPublic, AccountScope::kNone};
  router.add("GET", "/hosted/{}", open, [&api, &sessions](Call& call) -> Result<Reply> {
    auto session = sessions.find(call.params[0]);
    if (!session) {
      return reply_raw(404,
                       page("Checkout link not found", "{}",
                            "<section class=\"panel state\"><h2>This checkout link is not "
                            "valid</h2><p>Please return to the merchant and start again.</p>"
                            "</section>"),
                       "text/html; charset=utf-8");
    }
    // An expired session's page says so, with the API's status (410).
    json state = {{"session_id", session->id},
                  {"client_secret", session->client_secret},
                  {"account", session->account_uid},
                  {"scope", session->scope},
                  {"status", session_status_name(session->status)},
                  {"success_url", resolved_success_url(*session)},
                  {"cancel_url", session->cancel_url}};
    auto saved = saved_methods_of(api, *session);
    json summaries = json::array();
    for (const auto& view : saved)
      summaries.push_back(saved_method_summary_json(view.method, view.is_default));
    state["saved_methods"] = std::move(summaries);
    Reply out = reply_raw(
        session->status == SessionStatus::kExpired ? 410 : 200,
        page(session->scope == SessionScope::kWallet ? "Saved payment methods" : "Checkout",
             script_json(state), first_paint(*session, saved)),
        "text/html; charset=utf-8");
    out.set_header("Cache-Control", "no-store");
    return out;
  });
}

}  // namespace paysandbox

// The page behind a session's hosted_url: what a person (or a browser test)
// sees when a merchant sends them to pay or to manage their saved methods.
// It talks to the same API a merchant's own page would: the token stand-in,
// then the session routes with the client_secret as its bearer.
#include <string>

#include "http/errors.h"
#include "http/routes.h"
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

std::string dollars(std::int64_t cents) {
  std::string frac = std::to_string(cents % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return "$" + std::to_string(cents / 100) + "." + frac;
}

constexpr const char* kPage = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>@TITLE@ - payment-sandbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem} .amount{font-size:2rem;margin:.5rem 0 1rem} fieldset{margin:1rem 0}
label{display:block;margin:.4rem 0} input{font:inherit;padding:.3rem} button{font:inherit;padding:.4rem 1rem}
#result{margin-top:1rem;padding:.6rem;border-radius:4px} .ok{background:#e6f4ea} .bad{background:#fce8e6}
.note{color:#666;font-size:.85rem}
</style></head><body>
<h1>@TITLE@</h1>
@BODY@
<div id="result" role="status"></div>
<p class="note">payment-sandbox hosted page. Sandbox cards: 4111111111111111 pays,
4000000000000002 is declined.</p>
<script>
const S = @STATE@;
const out = document.getElementById('result');
function show(ok, text) { out.className = ok ? 'ok' : 'bad'; out.textContent = text; }
async function call(method, path, body, headers) {
  const r = await fetch(path, {method, headers: Object.assign({'Content-Type': 'application/json'}, headers || {}),
                               body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await r.text();
  let data = null; try { data = JSON.parse(text); } catch (e) {}
  return {status: r.status, data};
}
const asBrowser = {'Authorization': 'Bearer ' + S.client_secret};
async function tokenize(form) {
  const card = {number: form.number.value.replace(/\s+/g, ''), exp_month: Number(form.exp_month.value),
                exp_year: Number(form.exp_year.value)};
  const r = await call('POST', '/_sandbox/tokens', {card}, {'X-Payment-Account-Uid': S.account});
  if (r.status !== 201) throw new Error(r.data ? r.data.message : 'tokenization failed');
  const t = r.data;
  return {payment_method_type: 'credit', credit: {fingerprint: t.fingerprint, last4: t.card.last4,
          exp_month: t.card.exp_month, exp_year: t.card.exp_year, bin: t.card.bin,
          card_brand: t.card.card_brand, holder_name: form.holder_name.value || undefined}};
}
async function pay(payment_method) {
  const r = await call('POST', '/v1/hosted-sessions/' + S.session_id + '/confirm', {payment_method}, asBrowser);
  if (r.status === 200) {
    show(true, 'Paid ' + r.data.payment.total_amount / 100 + ' USD (payment ' + r.data.payment.uid + ').');
    if (S.success_url) setTimeout(() => { location.href = S.success_url; }, 800);
  } else {
    show(false, (r.data && r.data.message) || ('Failed with status ' + r.status));
  }
}
document.querySelectorAll('form[data-action]').forEach(form => form.addEventListener('submit', async ev => {
  ev.preventDefault();
  try {
    const action = form.dataset.action;
    if (action === 'pay-card') await pay(await tokenize(form));
    if (action === 'pay-saved') {
      const chosen = form.querySelector('input[name=method]:checked');
      if (!chosen) return show(false, 'Pick a saved method.');
      await pay({payment_method_type: chosen.dataset.type === 'ach' ? 'wallet_ach' : 'wallet_credit',
                 wallet: {saved_payment_method_uid: chosen.value}});
    }
    if (action === 'save-card') {
      const r = await call('POST', '/v1/hosted-sessions/' + S.session_id + '/payment-methods',
                           {payment_method: await tokenize(form)}, asBrowser);
      if (r.status === 201) { show(true, 'Saved.'); setTimeout(() => location.reload(), 500); }
      else show(false, r.data ? r.data.message : 'Failed');
    }
  } catch (e) { show(false, e.message); }
}));
document.querySelectorAll('button[data-remove]').forEach(b => b.addEventListener('click', async () => {
  const r = await call('DELETE', '/v1/hosted-sessions/' + S.session_id + '/payment-methods/' + b.dataset.remove,
                       undefined, asBrowser);
  if (r.status === 204) location.reload(); else show(false, r.data ? r.data.message : 'Failed');
}));
</script></body></html>
)HTML";

constexpr const char* kCardFields = R"HTML(
<label>Card number <input name="number" inputmode="numeric" autocomplete="off" required></label>
<label>Expiry month <input name="exp_month" size="2" required value="12"></label>
<label>Expiry year <input name="exp_year" size="4" required value="2030"></label>
<label>Name on card <input name="holder_name"></label>)HTML";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::string method_label(const SavedMethod& m) {
  return m.kind == MethodKind::kCredit
             ? m.card.card_brand + " ending " + m.card.last4 + " (" +
                   std::to_string(m.card.exp_month) + "/" + std::to_string(m.card.exp_year) + ")"
             : "Bank account ending " + m.ach.account_number_suffix;
}

}  // namespace

void add_hosted_page_route(Router& router, ApiContext& api, SessionService& sessions) {
  RouteOptions open{Auth::kPublic, AccountScope::kNone};
  router.add("GET", "/hosted/{}", open, [&api, &sessions](Call& call) {
    auto session = sessions.find(call.params[0]);
    if (!session) throw ApiError(not_found("No hosted session '" + call.params[0] + "'."));
    std::vector<SavedMethodView> methods;
    if (!session->customer_reference_id.empty()) {
      auto customer = api.wallet.find_customer_by_reference(
          session->account_uid, session->customer_reference_id, "customer_id");
      if (customer)
        if (auto listed = api.wallet.list_methods(session->account_uid, customer->uid))
          methods = std::move(*listed);
    }
    std::string title;
    std::string body;
    int status = 200;
    if (session->status != "active") {
      title = session->status == "completed" ? "Already paid" : "This page has expired";
      body = "<p>Session " + escape_html(session->id) + " is " + escape_html(session->status) +
             ".</p>";
      status = session->status == "expired" ? 410 : 200;
    } else if (session->scope == "payment") {
      title = "Pay";
      body = "<div class=\"amount\">" + dollars(session->amount.value_or(0)) + " USD</div>";
      if (!methods.empty()) {
        body += "<form data-action=\"pay-saved\"><fieldset><legend>Saved methods</legend>";
        for (const auto& view : methods)
          body += "<label><input type=\"radio\" name=\"method\" value=\"" +
                  escape_html(view.method.uid) + "\" data-type=\"" +
                  (view.method.kind == MethodKind::kAch ? "ach" : "credit") + "\"" +
                  (view.is_default ? " checked" : "") + "> " +
                  escape_html(method_label(view.method)) + "</label>";
        body += "</fieldset><button>Pay with this method</button></form>";
      }
      body += "<form data-action=\"pay-card\"><fieldset><legend>Card</legend>" +
              std::string(kCardFields) + "</fieldset><button>Pay</button></form>";
    } else {
      title = "Your saved payment methods";
      body = "<ul>";
      for (const auto& view : methods)
        body += "<li>" + escape_html(method_label(view.method)) +
                (view.is_default ? " <strong>default</strong>" : "") + " <button data-remove=\"" +
                escape_html(view.method.uid) + "\">Remove</button></li>";
      body += "</ul><form data-action=\"save-card\"><fieldset><legend>Add a card</legend>" +
              std::string(kCardFields) + "</fieldset><button>Save card</button></form>";
    }
    json state = {{"session_id", session->id},
                  {"client_secret", session->client_secret},
                  {"account", session->account_uid},
                  {"success_url", resolved_success_url(*session)}};
    std::string page = replace_all(kPage, "@TITLE@", escape_html(title));
    page = replace_all(page, "@BODY@", body);
    page = replace_all(page, "@STATE@", script_json(state));
    call.reply_raw(status, std::move(page), "text/html; charset=utf-8");
  });
}

}  // namespace paysandbox

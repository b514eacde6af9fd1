// The hosted checkout page (and the wallet page) behind a session's
// hosted_url. It plays the browser side of the real component: it reads the
// session's config with the client_secret, tokenizes a typed card or bank
// account through the sandbox's stand-in for the processor's SDK, quotes the
// convenience fee for the chosen method, and confirms. What it shows the
// customer is written for the customer: amounts from integer cents, one
// message per error code, no internal ids.

const state = JSON.parse(document.getElementById('session-state').textContent);
const root = document.getElementById('checkout');
const session = `/v1/hosted-sessions/${encodeURIComponent(state.session_id)}`;

// ---------- helpers ----------

const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => (
  {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));

// Integer cents to dollars without floating point: 1650 -> "$16.50".
export function money(cents) {
  const whole = Math.abs(Math.trunc(Number(cents) || 0));
  const text = '$' + Math.floor(whole / 100).toLocaleString('en-US') + '.' + String(whole % 100).padStart(2, '0');
  return cents < 0 ? '-' + text : text;
}

async function call(method, path, body, extraHeaders = {}) {
  const headers = {'Authorization': 'Bearer ' + state.client_secret, ...extraHeaders};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  return {status: response.status, data};
}

// What the customer reads for each error code the API answers with.
const MESSAGES = {
  card_declined: 'Your card was declined. Please try another card or payment method.',
  insufficient_funds: 'Your card has insufficient funds. Please try another card or payment method.',
  expired_card: 'Your card has expired. Please check the expiry date or use another card.',
  incorrect_cvc: "Your card's security code is incorrect. Please check it and try again.",
  processing_error: 'We could not process your payment just now. Please try again in a moment.',
  network_error: 'We could not reach the payment network. Please try again in a moment.',
  session_expired: 'This checkout page has expired.',
  rate_limited: 'Too many attempts in a short time. Please wait a moment and try again.',
  already_confirmed: 'This payment has already been completed.',
  origin_not_allowed: 'This page cannot take payments from here. Please contact the merchant.',
  insufficient_scope: 'This page cannot take payments. Please contact the merchant.',
  not_found: 'That payment method is no longer available. Please choose another one.',
};
function customerMessage(reply, fallback) {
  const code = reply.data && reply.data.code;
  if (code && MESSAGES[code]) return MESSAGES[code];
  if (code === 'validation_error') return fallback || 'Please check your payment details and try again.';
  return 'Something went wrong on our side. Please try again.';
}

const brandName = (brand) => ({VISA: 'Visa', MASTERCARD: 'Mastercard', AMEX: 'American Express',
  DISCOVER: 'Discover'}[String(brand || '').toUpperCase()] || (brand ? String(brand) : 'Card'));

// A saved-method summary ({id, type, brand, last4, ...}) as the customer reads it.
function savedLabel(m) {
  if (m.type === 'ach') return `${m.bank_name || 'Bank account'} ${m.account_type || ''} ending in ${m.last4}`.replace(/\s+/g, ' ');
  return `${brandName(m.brand)} ending in ${m.last4}, expires ${String(m.exp_month).padStart(2, '0')}/${m.exp_year}`;
}

const defaultFirst = (methods) => [...(methods || [])].sort((a, b) => (b.is_default ? 1 : 0) - (a.is_default ? 1 : 0));

function applyBranding(config) {
  const branding = config.branding || {};
  if (/^#[0-9A-Fa-f]{6}$/.test(branding.accent_color || '')) {
    document.documentElement.style.setProperty('--gv-accent', branding.accent_color);
  }
  const name = branding.merchant_display_name || config.merchant_display_name || 'Checkout';
  const logo = branding.logo_url ? `<img src="${esc(branding.logo_url)}" alt="">` : '';
  document.getElementById('merchant').innerHTML = `${logo}<h1>${esc(name)}</h1>`;
  document.title = `${name} · ${config.scope === 'wallet' ? 'Saved payment methods' : 'Checkout'}`;
  return name;
}

function showState(kind, title, text, link) {
  root.innerHTML = `<section class="panel state" data-state="${kind}"><h2>${esc(title)}</h2><p>${esc(text)}</p>
    ${link ? `<p><a href="${esc(link.href)}">${esc(link.label)}</a></p>` : ''}</section>`;
  root.querySelector('h2').setAttribute('tabindex', '-1');
  root.querySelector('h2').focus();
}

function showExpired() {
  showState('expired', 'This checkout page has expired',
    'For your security, checkout pages are open for a limited time. Nothing was charged. Please return to the merchant and start again.',
    state.cancel_url ? {href: state.cancel_url, label: 'Return to the merchant'} : null);
}

// ---------- tokenization (the processor SDK's stand-in) ----------

const digits = (value) => String(value || '').replace(/\D/g, '');

function luhnValid(number) {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return number.length >= 12 && sum % 10 === 0;
}

// "12/30", "12 / 2030", "1230" -> {month, year} or null.
function parseExpiry(text) {
  const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text || '');
  if (!match) return null;
  const month = Number(match[1]);
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  return month >= 1 && month <= 12 ? {month, year} : null;
}

function fieldError(form, name, text) {
  const input = form.elements[name];
  const note = form.querySelector(`#${name}-error`);
  if (input) input.setAttribute('aria-invalid', text ? 'true' : 'false');
  if (note) note.textContent = text || '';
  return !text;
}

// Clears the note of every field that is right; shows the problem of a
// wrong one only when asked ('typed': fields with something in them, while
// the customer moves on; 'all': on Pay), so nothing jumps while they type.
function markFields(form, problems, showErrors) {
  for (const [name, text] of Object.entries(problems)) {
    if (!text) fieldError(form, name, '');
    else if (showErrors === 'all' || (showErrors && form.elements[name].value)) fieldError(form, name, text);
  }
}

// Reads and checks the card fields; returns the card or null (and marks the fields).
function readCard(form, showErrors) {
  const number = digits(form.elements.number.value);
  const expiry = parseExpiry(form.elements.expiry.value);
  const cvc = digits(form.elements.cvc.value);
  const problems = {
    number: luhnValid(number) ? '' : 'Enter a valid card number.',
    expiry: expiry ? '' : 'Enter the expiry date as MM / YY.',
    cvc: cvc.length >= 3 && cvc.length <= 4 ? '' : 'Enter the 3 or 4 digit security code.',
  };
  markFields(form, problems, showErrors);
  if (problems.number || problems.expiry || problems.cvc) return null;
  return {number, exp_month: expiry.month, exp_year: expiry.year, cvv: cvc,
    holder_name: form.elements.holder_name.value.trim() || undefined};
}

function readBank(form, showErrors) {
  const routing = digits(form.elements.routing_number.value);
  const account = digits(form.elements.account_number.value);
  const problems = {
    routing_number: routing.length === 9 ? '' : 'Enter the 9 digit routing number.',
    account_number: account.length >= 4 && account.length <= 17 ? '' : 'Enter the account number (4 to 17 digits).',
  };
  markFields(form, problems, showErrors);
  if (problems.routing_number || problems.account_number) return null;
  return {routing_number: routing, account_number: account, account_type: form.elements.account_type.value,
    holder_name: form.elements.bank_holder.value.trim() || undefined};
}

// Posts to the tokenization stand-in; returns {processor_token, payment_method, card_type} for the API.
async function tokenize(kind, details) {
  const response = await fetch('/_sandbox/tokens', {method: 'POST',
    headers: {'Content-Type': 'application/json', 'X-Payment-Account-Uid': state.account},
    body: JSON.stringify(kind === 'card' ? {card: details} : {ach: details})});
  const data = await response.json().catch(() => null);
  if (response.status !== 201) {
    const error = new Error(kind === 'card' ? 'Please check your card details.' : 'Please check your bank details.');
    error.param = data && data.param;
    throw error;
  }
  if (kind === 'card') {
    const c = data.card;
    return {processor_token: data.fingerprint, card_type: String(c.card_brand).toLowerCase(), last4: c.last4,
      payment_method: {card: {last4: c.last4, exp_month: c.exp_month, exp_year: c.exp_year, bin: c.bin, card_brand: c.card_brand}}};
  }
  const a = data.ach;
  return {processor_token: data.fingerprint, last4: a.account_number_suffix,
    payment_method: {ach: {bank_name: a.bank_name || undefined, routing_number: a.routing_number,
      account_number_suffix: a.account_number_suffix, account_type: a.account_type}}};
}

// ---------- the payment page ----------

function cardFields(prefix = '') {
  return `<div class="fields">
    <div class="field wide"><label for="${prefix}holder_name">Name on card</label>
      <input id="${prefix}holder_name" name="holder_name" autocomplete="cc-name"></div>
    <div class="field wide"><label for="${prefix}number">Card number</label>
      <input id="${prefix}number" name="number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" aria-describedby="number-error">
      <small id="number-error" class="error" aria-live="polite"></small></div>
    <div class="field"><label for="${prefix}expiry">Expiry (MM / YY)</label>
      <input id="${prefix}expiry" name="expiry" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY" aria-describedby="expiry-error">
      <small id="expiry-error" class="error" aria-live="polite"></small></div>
    <div class="field"><label for="${prefix}cvc">Security code (CVC)</label>
      <input id="${prefix}cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="4" placeholder="CVC" aria-describedby="cvc-error">
      <small id="cvc-error" class="error" aria-live="polite"></small></div></div>`;
}

function bankFields() {
  return `<div class="fields">
    <div class="field wide"><label for="bank_holder">Account holder name</label><input id="bank_holder" name="bank_holder" autocomplete="name"></div>
    <div class="field"><label for="routing_number">Routing number</label>
      <input id="routing_number" name="routing_number" inputmode="numeric" maxlength="9" aria-describedby="routing_number-error">
      <small id="routing_number-error" class="error" aria-live="polite"></small></div>
    <div class="field"><label for="account_number">Account number</label>
      <input id="account_number" name="account_number" inputmode="numeric" maxlength="17" aria-describedby="account_number-error">
      <small id="account_number-error" class="error" aria-live="polite"></small></div>
    <div class="field wide"><label for="account_type">Account type</label>
      <select id="account_type" name="account_type"><option value="checking">Checking</option><option value="savings">Savings</option></select></div></div>`;
}

function renderPayment(config) {
  applyBranding(config);
  const allowed = (config.allowed_methods && config.allowed_methods.length ? config.allowed_methods : ['card', 'ach'])
    .filter((m) => m === 'card' || m === 'ach');
  // A session config with the documented fields (allowed_methods,
  // saved_methods, convenience_fee) takes the documented bodies; an older
  // sandbox takes payment_method_type bodies and lists saved methods in the
  // page's state.
  const documented = Object.prototype.hasOwnProperty.call(config, 'allowed_methods');
  const saved = defaultFirst(config.saved_methods || state.saved_methods).filter((m) => allowed.includes(m.type === 'ach' ? 'ach' : 'card'));
  const canSave = ['on_session', 'off_session'].includes(config.setup_future_usage);
  const items = config.line_items || [];
  const choices = [
    ...saved.map((m) => ({value: 'saved:' + m.id, label: savedLabel(m), tag: m.is_default ? 'Default' : ''})),
    ...(allowed.includes('card') ? [{value: 'new:card', label: 'New card'}] : []),
    ...(allowed.includes('ach') ? [{value: 'new:ach', label: 'Bank account (ACH)'}] : []),
  ];
  root.innerHTML = `
    <section class="panel" aria-labelledby="summary-h"><h2 id="summary-h">Order summary</h2>
      ${config.description ? `<p class="description">${esc(config.description)}</p>` : ''}
      ${items.length ? `<ul class="lines">${items.map((item) => {
        const quantity = item.quantity || 1;
        return `<li><span>${esc(item.description || item.name)}${quantity > 1 ? ` <span class="qty">× ${quantity} at ${money(item.amount)}</span>` : ''}</span>
          <span>${money(item.amount * quantity)}</span></li>`;
      }).join('')}</ul>` : ''}
      <div class="sum" aria-live="polite">
        <div><span>Amount</span><span id="amount">${money(config.amount)}</span></div>
        <div id="fee-row"><span>Convenience fee</span><span id="fee" class="pending">Shown once you choose how to pay</span></div>
        <div class="total"><span>Total</span><span id="total">${money(config.amount)}</span></div>
      </div></section>
    <form class="panel" id="pay-form" novalidate aria-labelledby="method-h">
      <fieldset><legend id="method-h">How would you like to pay?</legend>
        ${choices.map((c, i) => `<label class="choice"><input type="radio" name="method" value="${esc(c.value)}"${i === 0 ? ' checked' : ''}>
          <span>${esc(c.label)}</span>${c.tag ? `<span class="tag">${esc(c.tag)}</span>` : ''}</label>`).join('')}
      </fieldset>
      <div id="card-fields" hidden>${cardFields()}</div>
      <div id="bank-fields" hidden>${bankFields()}
        <p class="description">By paying, you authorize ${esc(document.querySelector('#merchant h1').textContent)} to debit this account once for the total shown.</p></div>
      ${canSave ? `<label class="save" id="save-row" hidden><input type="checkbox" name="save_method" checked>
        <span>Save this payment method for next time</span></label>` : ''}
      <div id="message" class="message" role="alert"></div>
      <button class="pay" id="pay" type="submit" disabled>Pay</button>
    </form>
    ${state.cancel_url ? `<a class="cancel" id="cancel" href="${esc(state.cancel_url)}">Cancel and return to the merchant</a>` : ''}`;

  const form = document.getElementById('pay-form');
  const payButton = document.getElementById('pay');
  const message = document.getElementById('message');
  let quote = null;        // {key, fee, total}
  let tokenized = null;    // {key, processor_token, payment_method, card_type}
  let inFlight = false;
  let quoteSerial = 0;

  const choice = () => form.elements.method.value || (form.querySelector('input[name=method]:checked') || {}).value;
  const say = (text, ok) => { message.textContent = text || ''; message.className = 'message ' + (ok ? 'ok' : 'bad'); };

  function showQuote() {
    const fee = document.getElementById('fee');
    if (quote) {
      fee.textContent = money(quote.fee);
      fee.className = '';
      document.getElementById('total').textContent = money(quote.total);
      payButton.textContent = 'Pay ' + money(quote.total);
    } else {
      fee.textContent = 'Shown once you choose how to pay';
      fee.className = 'pending';
      document.getElementById('total').textContent = money(config.amount);
      payButton.textContent = 'Pay';
    }
    payButton.disabled = inFlight || !quote;
  }

  // The chosen method, or null while a new card or account is incomplete:
  // {key, kind, saved} for a saved method, {key, kind, token} for a new one.
  async function chosenMethod(showErrors) {
    const value = choice();
    if (value.startsWith('saved:')) {
      const m = saved.find((s) => 'saved:' + s.id === value);
      return {key: value, kind: m.type === 'ach' ? 'ach' : 'card', saved: m};
    }
    const kind = value === 'new:ach' ? 'ach' : 'card';
    const details = kind === 'card' ? readCard(form, showErrors) : readBank(form, showErrors);
    if (!details) return null;
    const key = value + ':' + JSON.stringify(details);
    if (!tokenized || tokenized.key !== key) tokenized = {key, details, ...(await tokenize(kind, details))};
    return {key, kind, token: tokenized};
  }

  // The body confirm takes for the chosen method (quote-fee takes the same
  // for a new one). The documented browser body carries a processor token
  // only; a saved method goes as the wallet method of the platform API.
  function methodBody(chosen) {
    if (documented && !chosen.saved) {
      return {method: chosen.kind, processor_token: chosen.token.processor_token,
        payment_method: chosen.token.payment_method, ...(chosen.kind === 'card' ? {card_type: chosen.token.card_type} : {})};
    }
    if (chosen.saved) {
      return {payment_method: {payment_method_type: chosen.kind === 'ach' ? 'wallet_ach' : 'wallet_credit',
        wallet: {saved_payment_method_uid: chosen.saved.id}}};
    }
    const t = chosen.token;
    if (chosen.kind === 'ach') {
      return {payment_method: {payment_method_type: 'ach', ach: {fingerprint: t.processor_token, ...t.payment_method.ach,
        holder_name: t.details.holder_name}}};
    }
    return {payment_method: {payment_method_type: 'credit', credit: {fingerprint: t.processor_token, ...t.payment_method.card,
      holder_name: t.details.holder_name}}};
  }
  const quoteBody = (chosen) => (documented && !chosen.saved ? methodBody(chosen)
    : {payment_method_type: chosen.kind === 'ach' ? 'ach' : 'credit'});

  async function requote(showErrors = false) {
    const serial = ++quoteSerial;
    const value = choice();
    document.getElementById('card-fields').hidden = value !== 'new:card';
    document.getElementById('bank-fields').hidden = value !== 'new:ach';
    const saveRow = document.getElementById('save-row');
    if (saveRow) saveRow.hidden = !value.startsWith('new:');
    let chosen;
    try {
      chosen = await chosenMethod(showErrors);
    } catch (error) {
      if (serial !== quoteSerial) return;
      quote = null; showQuote();
      if (error.param) say(error.message);
      return;
    }
    if (serial !== quoteSerial) return;
    if (!chosen) { quote = null; showQuote(); return; }
    if (quote && quote.key === chosen.key) { showQuote(); return; }
    const reply = await call('POST', session + '/quote-fee', quoteBody(chosen));
    if (serial !== quoteSerial) return;
    if (reply.status === 410) return showExpired();
    if (reply.status !== 200) { quote = null; showQuote(); say(customerMessage(reply)); return; }
    quote = {key: chosen.key, fee: reply.data.convenience_fee ?? reply.data.processing_fee_amount,
      total: reply.data.total_amount};
    showQuote();
  }

  form.addEventListener('change', (event) => {
    if (event.target.name === 'method') { say(''); requote(); }
  });
  // A new card's fee is quoted once its details are complete.
  form.addEventListener('input', () => {
    if (choice().startsWith('new:') && !inFlight) requote(false);
  });
  form.addEventListener('focusout', (event) => {
    if (event.target.closest('#card-fields, #bank-fields') && event.target.value && !inFlight) requote(true);
  });

  let duplicateAcknowledged = false;
  // One key per attempt (method, token, acknowledgement): a double submit or
  // a retried request replays the first answer instead of charging again.
  const attemptKey = (chosen) => ['hosted', state.session_id, chosen.saved ? chosen.saved.id : chosen.token.processor_token,
    duplicateAcknowledged ? 'again' : 'first'].join('-');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (inFlight) return;
    inFlight = true;
    quoteSerial += 1;  // a quote still on its way no longer applies
    payButton.disabled = true;
    payButton.textContent = 'Processing…';
    payButton.setAttribute('aria-busy', 'true');
    say('');
    try {
      const chosen = await chosenMethod('all');
      if (!chosen || !quote || quote.key !== chosen.key) { inFlight = false; await requote('all'); return; }
      const body = methodBody(chosen);
      const saveBox = form.elements.save_method;
      if (saveBox && !saveBox.closest('[hidden]') && chosen.token) body.save_method = saveBox.checked;
      if (duplicateAcknowledged) body.duplicate_acknowledged = true;
      if (documented && chosen.token && chosen.token.details.holder_name) {
        body.billing_details = {cardholder: chosen.token.details.holder_name};
      }
      const reply = await call('POST', session + '/confirm', body,
        {'Idempotency-Key': attemptKey(chosen)});
      if (reply.status === 200) return succeed(reply.data);
      inFlight = false;
      const code = reply.data && reply.data.code;
      if (reply.status === 410 || code === 'session_expired') return showExpired();
      if (code === 'already_confirmed') return showState('completed', 'This payment is complete', MESSAGES.already_confirmed);
      if (code === 'duplicate_payment') {
        duplicateAcknowledged = true;
        say('It looks like you made this same payment a few minutes ago. If you meant to pay again, press Pay once more.');
        showQuote();
        return;
      }
      say(customerMessage(reply));
      if (chosen.key.startsWith('new:card')) {
        // Let the customer try another card: clear the number and code.
        form.elements.number.value = '';
        form.elements.cvc.value = '';
        tokenized = null;
        quote = null;
        showQuote();
        form.elements.number.focus();
      } else {
        showQuote();
      }
    } catch (error) {
      inFlight = false;
      say(error.message || 'Something went wrong. Please try again.');
      showQuote();
    } finally {
      payButton.removeAttribute('aria-busy');
    }
  });

  function succeed(result) {
    const payment = result.payment || {};
    const total = result.total_amount ?? payment.total_amount;
    const method = payment.payment_method || {};
    const last4 = result.last4 || (method.credit || {}).last4 || (method.ach || {}).account_number_suffix;
    showState('completed', 'Payment successful', `You paid ${money(total)}${last4 ? ` with the method ending in ${last4}` : ''}. Thank you!`);
    root.querySelector('.state').insertAdjacentHTML('beforeend', '<p class="description">Taking you back to the merchant…</p>');
    const target = result.redirect_url || (state.success_url || '').split('{CHECKOUT_SESSION_ID}').join(state.session_id);
    if (target) setTimeout(() => { location.assign(target); }, 600);
  }

  requote();
}

// ---------- the wallet page ----------

async function renderWallet(config) {
  const name = applyBranding(config);
  root.innerHTML = `<section class="panel" aria-labelledby="wallet-h"><h2 id="wallet-h">Your saved payment methods</h2>
      <ul class="methods" id="methods"></ul></section>
    <form class="panel" id="add-form" novalidate aria-labelledby="add-h"><h2 id="add-h">Add a card</h2>${cardFields()}
      <div id="message" class="message" role="alert"></div>
      <button class="pay" type="submit">Save card</button></form>
    <p class="footer">Your methods are stored securely for ${esc(name)}.</p>`;
  const list = document.getElementById('methods');
  const form = document.getElementById('add-form');
  const message = document.getElementById('message');
  const say = (text, ok) => { message.textContent = text || ''; message.className = 'message ' + (ok ? 'ok' : 'bad'); };

  async function load() {
    const reply = await call('GET', session + '/payment-methods');
    if (reply.status === 410) return showExpired();
    if (reply.status !== 200) return say(customerMessage(reply));
    const methods = defaultFirst(Array.isArray(reply.data) ? reply.data.map(summaryOf) : reply.data.methods);
    list.innerHTML = methods.length ? methods.map((m) => `<li data-id="${esc(m.id)}"><span class="label">${esc(savedLabel(m))}</span>
      ${m.is_default ? '<span class="tag">Default</span>' : `<button type="button" class="secondary" data-default="${esc(m.id)}">Make default</button>`}
      <button type="button" class="secondary danger" data-remove="${esc(m.id)}" aria-label="Remove ${esc(savedLabel(m))}">Remove</button></li>`).join('')
      : '<li>You have no saved payment methods.</li>';
  }

  list.addEventListener('click', async (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    button.disabled = true;
    const reply = button.dataset.default
      ? await call('PUT', session + '/default-payment-method', {saved_payment_method_uid: button.dataset.default})
      : await call('DELETE', session + '/payment-methods/' + encodeURIComponent(button.dataset.remove));
    if (reply.status >= 300) { button.disabled = false; return say(customerMessage(reply)); }
    say(button.dataset.default ? 'Your default payment method was updated.' : 'The payment method was removed.', true);
    await load();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const details = readCard(form, 'all');
    if (!details) return;
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const token = await tokenize('card', details);
      const c = token.payment_method.card;
      const reply = await call('POST', session + '/payment-methods', {payment_method: {payment_method_type: 'credit',
        credit: {fingerprint: token.processor_token, last4: c.last4, exp_month: c.exp_month, exp_year: c.exp_year,
          bin: c.bin, card_brand: c.card_brand, holder_name: details.holder_name}}});
      if (reply.status !== 201) return say(customerMessage(reply));
      form.reset();
      say('Your card was saved.', true);
      await load();
    } catch (error) {
      say(error.message);
    } finally {
      submit.disabled = false;
    }
  });
  await load();
}

// A method as GET /api/customers/{uid}/payment-methods lists it, as a
// saved-method summary.
function summaryOf(m) {
  const pm = m.payment_method || {};
  if (pm.ach) return {id: m.saved_payment_method_uid, type: 'ach', last4: pm.ach.account_number_suffix,
    bank_name: pm.ach.bank_name, account_type: pm.ach.account_type, is_default: m.is_default};
  const c = pm.credit || {};
  return {id: m.saved_payment_method_uid, type: 'card', brand: c.card_brand, last4: c.last4,
    exp_month: c.exp_month, exp_year: c.exp_year, holder_name: c.holder_name, is_default: m.is_default};
}

// ---------- start ----------

async function start() {
  if (state.status === 'expired') { showExpired(); return; }
  const reply = await call('GET', session);
  if (reply.status === 410) { showExpired(); return; }
  if (reply.status !== 200) { showState('error', 'This page is not available', customerMessage(reply)); return; }
  const config = reply.data;
  if (config.status === 'expired') { applyBranding(config); showExpired(); return; }
  if (config.scope === 'wallet') { await renderWallet(config); return; }
  if (config.status === 'completed') {
    applyBranding(config);
    showState('completed', 'This payment is complete', 'Thank you, your payment was received. There is nothing more to do here.');
    return;
  }
  renderPayment(config);
}

start();

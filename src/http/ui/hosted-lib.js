// The hosted checkout page (and the wallet page) behind a session's
// hosted_url. It plays the browser side of the real component: it reads the
// session's config with the client_secret, tokenizes a typed card or bank
// account through the sandbox's stand-in for the processor's SDK, quotes the
// convenience fee for the chosen method, and confirms. What it shows the
// customer is written for the customer: amounts from integer cents, one
// message per error code, no internal ids.
//
// This module: what both pages share (state, API calls, messages, the
// card and bank fields and their tokenization).

export const state = JSON.parse(document.getElementById('session-state').textContent);
export const root = document.getElementById('checkout');
export const session = `/v1/hosted-sessions/${encodeURIComponent(state.session_id)}`;

// ---------- helpers ----------

export const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => (
  {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));

// Integer cents to dollars without floating point: 1650 -> "$16.50".
export function money(cents) {
  const whole = Math.abs(Math.trunc(Number(cents) || 0));
  const text = '$' + Math.floor(whole / 100).toLocaleString('en-US') + '.' + String(whole % 100).padStart(2, '0');
  return cents < 0 ? '-' + text : text;
}

export async function call(method, path, body, extraHeaders = {}) {
  const headers = {'Authorization': 'Bearer ' + state.client_secret, ...extraHeaders};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  return {status: response.status, data};
}

// What the customer reads for each error code the API answers with.
export const MESSAGES = {
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
export function customerMessage(reply, fallback) {
  const code = reply.data && reply.data.code;
  if (code && MESSAGES[code]) return MESSAGES[code];
  if (code === 'validation_error') return fallback || 'Please check your payment details and try again.';
  return 'Something went wrong on our side. Please try again.';
}

export const brandName = (brand) => ({VISA: 'Visa', MASTERCARD: 'Mastercard', AMEX: 'American Express',
  DISCOVER: 'Discover'}[String(brand || '').toUpperCase()] || (brand ? String(brand) : 'Card'));

// A saved-method summary ({id, type, brand, last4, ...}) as the customer reads it.
export function savedLabel(m) {
  if (m.type === 'ach') return `${m.bank_name || 'Bank account'} ${m.account_type || ''} ending in ${m.last4}`.replace(/\s+/g, ' ');
  return `${brandName(m.brand)} ending in ${m.last4}, expires ${String(m.exp_month).padStart(2, '0')}/${m.exp_year}`;
}

export const defaultFirst = (methods) => [...(methods || [])].sort((a, b) => (b.is_default ? 1 : 0) - (a.is_default ? 1 : 0));

export function applyBranding(config) {
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

export function showState(kind, title, text, link) {
  root.innerHTML = `<section class="panel state" data-state="${kind}"><h2>${esc(title)}</h2><p>${esc(text)}</p>
    ${link ? `<p><a href="${esc(link.href)}">${esc(link.label)}</a></p>` : ''}</section>`;
  root.querySelector('h2').setAttribute('tabindex', '-1');
  root.querySelector('h2').focus();
}

export function showExpired() {
  showState('expired', 'This checkout page has expired',
    'For your security, checkout pages are open for a limited time. Nothing was charged. Please return to the merchant and start again.',
    state.cancel_url ? {href: state.cancel_url, label: 'Return to the merchant'} : null);
}

// ---------- tokenization (the processor SDK's stand-in) ----------

export const digits = (value) => String(value || '').replace(/\D/g, '');

export function luhnValid(number) {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return number.length >= 12 && sum % 10 === 0;
}

// "12/30", "12 / 2030", "1230" -> {month, year} or null.
export function parseExpiry(text) {
  const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text || '');
  if (!match) return null;
  const month = Number(match[1]);
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  return month >= 1 && month <= 12 ? {month, year} : null;
}

export function fieldError(form, name, text) {
  const input = form.elements[name];
  const note = form.querySelector(`#${name}-error`);
  if (input) input.setAttribute('aria-invalid', text ? 'true' : 'false');
  if (note) note.textContent = text || '';
  return !text;
}

// Clears the note of every field that is right; shows the problem of a
// wrong one only when asked ('typed': fields with something in them, while
// the customer moves on; 'all': on Pay), so nothing jumps while they type.
export function markFields(form, problems, showErrors) {
  for (const [name, text] of Object.entries(problems)) {
    if (!text) fieldError(form, name, '');
    else if (showErrors === 'all' || (showErrors && form.elements[name].value)) fieldError(form, name, text);
  }
}

// Reads and checks the card fields; returns the card or null (and marks the fields).
export function readCard(form, showErrors) {
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

export function readBank(form, showErrors) {
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
export async function tokenize(kind, details) {
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

export function cardFields(prefix = '') {
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

export function bankFields() {
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

// The payment-sandbox dashboard: a plain ES module, no build step, no
// network beyond the sandbox itself. Every view is a hash route, so its URL
// can be pasted into a bug report, and every view reads only the sandbox's
// control (/_sandbox/...) routes. It keeps itself current with a long-poll
// on the account's events and a check of the request journal's newest entry.
//
// This module: the helpers every view shares.

export const main = document.getElementById('main');
export const live = document.getElementById('live');
const toastBox = document.getElementById('toast');
const tokenForm = document.getElementById('token-form');

// ---------- helpers ----------

export const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => (
  {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));

// Integer cents as dollars, from the integer itself: 1650 -> "$16.50".
export function money(cents) {
  if (cents === null || cents === undefined) return '';
  const negative = cents < 0;
  const whole = Math.abs(Math.trunc(cents));
  const text = '$' + Math.floor(whole / 100).toLocaleString('en-US') + '.' + String(whole % 100).padStart(2, '0');
  return negative ? '-' + text : text;
}

export const pretty = (value) => {
  if (typeof value === 'string') {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch (e) { return value; }
  }
  return JSON.stringify(value, null, 2);
};

const badgeClass = (status) => {
  if (['completed', 'delivered', 'active', 'ok'].includes(status)) return 'ok';
  if (['failed', 'expired', 'refunded'].includes(status)) return 'bad';
  if (['pending', 'validated', 'partially_refunded', 'not_configured'].includes(status)) return 'warn';
  return '';
};
export const badge = (status) => `<span class="badge ${badgeClass(status)}">${esc(status)}</span>`;

export function toast(text, bad) {
  toastBox.textContent = text;
  toastBox.className = 'toast' + (bad ? ' bad' : '');
  toastBox.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { toastBox.hidden = true; }, 5000);
}

let controlToken = sessionStorage.getItem('sandbox-control-token') || '';

// One call to the sandbox. The dashboard's own reads carry
// X-Sandbox-Dashboard so the request journal does not fill up with them.
export async function api(method, path, {account, body, signal} = {}) {
  const headers = {'X-Sandbox-Dashboard': '1'};
  if (account) headers['X-Payment-Account-Uid'] = account;
  if (controlToken) headers['X-Sandbox-Token'] = controlToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {method, headers, signal,
    body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
  if (response.status === 401) tokenForm.hidden = false;
  if (!response.ok) {
    const error = new Error((data && data.message) || `${method} ${path} answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  controlToken = tokenForm.token.value;
  sessionStorage.setItem('sandbox-control-token', controlToken);
  tokenForm.hidden = true;
  hooks.route();
});

// Clicking a button twice within a few seconds confirms a destructive action,
// without a native dialog.
export function armed(button, label) {
  if (button.dataset.armed === '1') return true;
  button.dataset.armed = '1';
  const original = button.textContent;
  button.textContent = label;
  setTimeout(() => { button.dataset.armed = ''; button.textContent = original; }, 4000);
  return false;
}

// Keeps <details> that the user opened open across refreshes.
export const openDetails = new Set();
main.addEventListener('toggle', (event) => {
  const id = event.target.dataset?.key;
  if (!id) return;
  if (event.target.open) openDetails.add(id); else openDetails.delete(id);
}, true);
export const keepOpen = (key) => (openDetails.has(key) ? ' open' : '');

export function offsetText(seconds) {
  if (!seconds) return '+0 s';
  const parts = [];
  let rest = Math.abs(seconds);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]]) {
    if (rest >= size) { parts.push(Math.floor(rest / size) + ' ' + unit); rest %= size; }
  }
  return (seconds < 0 ? '-' : '+') + parts.join(' ');
}


// Set by dashboard.js: re-render the current view, and route again.
export const hooks = {refresh: async () => {}, route: async () => {}};

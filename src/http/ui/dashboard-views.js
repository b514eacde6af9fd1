// The dashboard's views: one function per hash route, each returning
// {title, skeleton, bind(), refresh(current)}. They read only the sandbox's
// control routes.
import {
  api, armed, badge, esc, hooks, keepOpen, money, offsetText, openDetails, pretty, toast,
} from './dashboard-lib.js';

const refresh = () => hooks.refresh();

// ---------- views ----------

export function accountsView() {
  return {
    title: 'Accounts',
    skeleton: `<h1>Accounts</h1>
      <p class="muted">Every payment account in this sandbox, each with its own clock. Pick one to see
      its customers, payments, hosted sessions, scenarios, events and requests.</p>
      <form class="inline" id="new-account"><label>Name <input name="name" value="Dashboard account"></label>
        <button>Create an account</button>
        <button type="button" class="danger" id="reset-all">Reset everything to the fixtures</button></form>
      <div id="accounts" class="table-wrap"></div>`,
    bind() {
      document.getElementById('new-account').addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          const made = await api('POST', '/_sandbox/accounts', {body: {name: event.target.name.value}});
          location.hash = '#/accounts/' + made.uid;
        } catch (error) { toast(error.message, true); }
      });
      document.getElementById('reset-all').addEventListener('click', async (event) => {
        if (!armed(event.target, 'Click again to reset everything')) return;
        try { await api('POST', '/_sandbox/reset'); toast('Everything is back to the fixtures.'); await refresh(); }
        catch (error) { toast(error.message, true); }
      });
    },
    async refresh(current) {
      const accounts = await api('GET', '/_sandbox/accounts');
      if (!current()) return;
      document.getElementById('accounts').innerHTML = `<table><thead><tr><th scope="col">Account</th>
        <th scope="col">Name</th><th scope="col">Clock now</th><th scope="col">Offset</th>
        <th scope="col">Webhooks</th></tr></thead><tbody>${accounts.map((a) => `<tr>
        <td><a href="#/accounts/${esc(a.uid)}" class="mono">${esc(a.uid)}</a></td><td>${esc(a.name)}</td>
        <td class="mono">${esc(a.clock.now)}</td><td>${esc(offsetText(a.clock.offset_seconds))}</td>
        <td>${a.webhook_enabled ? esc(a.callback_url) : '<span class="muted">off</span>'}</td></tr>`).join('')}
        </tbody></table>`;
    },
  };
}

const TABS = [['overview', 'Overview'], ['customers', 'Customers'], ['payments', 'Payments'],
  ['sessions', 'Hosted sessions'], ['scenarios', 'Scenarios'], ['events', 'Events'], ['requests', 'Requests']];

export function accountView(uid, tab, itemId, query) {
  const base = '#/accounts/' + encodeURIComponent(uid);
  const tabs = `<nav class="tabs" aria-label="Account views">${TABS.map(([key, label]) =>
    `<a href="${base}/${key}"${key === tab ? ' aria-current="page"' : ''}>${label}</a>`).join('')}</nav>`;
  const head = `<p class="crumbs"><a href="#/">Accounts</a> / <span class="mono">${esc(uid)}</span></p>
    <h1 id="account-name">${esc(uid)}</h1>${tabs}`;
  const make = {overview: overviewTab, customers: customersTab, payments: paymentsTab, sessions: sessionsTab,
    scenarios: scenariosTab, events: itemId ? eventTab : eventsTab, requests: journalTab}[tab] || overviewTab;
  const inner = make(uid, itemId, query);
  return {
    account: uid,
    title: `${inner.title} · ${uid}`,
    skeleton: head + inner.skeleton,
    bind: inner.bind,
    async refresh(current) {
      const account = await api('GET', '/_sandbox/accounts/' + encodeURIComponent(uid));
      if (!current()) return;
      document.getElementById('account-name').textContent = `${account.name} (${account.uid})`;
      await inner.refresh(current, account);
    },
  };
}

function overviewTab(uid) {
  return {
    title: 'Overview',
    skeleton: `<div class="grid">
      <section class="card" aria-labelledby="clock-h"><h2 id="clock-h">Clock</h2>
        <dl class="kv"><dt>Now</dt><dd class="mono" id="clock-now"></dd><dt>Offset</dt><dd id="clock-offset"></dd></dl>
        <form class="inline" id="advance"><label>Advance by <input name="amount" type="number" min="0" value="1" required></label>
          <label>Unit <select name="unit"><option value="1">seconds</option><option value="60">minutes</option>
          <option value="3600" selected>hours</option><option value="86400">days</option></select></label>
          <button>Advance the clock</button></form>
        <p class="muted">Advancing runs what fell due: token and session expiries, webhook retries, scenario steps.</p>
      </section>
      <section class="card" aria-labelledby="settings-h"><h2 id="settings-h">Settings</h2><dl class="kv" id="settings"></dl>
        <form class="inline" id="reset-account"><button class="danger">Reset this account</button></form>
        <p class="muted">A reset removes customers, methods, payments, sessions, events and scenarios, and sets the clock back; settings stay.</p>
      </section></div>`,
    bind() {
      document.getElementById('advance').addEventListener('submit', async (event) => {
        event.preventDefault();
        const seconds = Number(event.target.amount.value) * Number(event.target.unit.value);
        try {
          const clock = await api('POST', '/_sandbox/clock/advance', {account: uid, body: {seconds}});
          toast(`Clock advanced by ${offsetText(seconds).slice(1)}; now ${clock.now}.`);
          await refresh();
        } catch (error) { toast(error.message, true); }
      });
      document.getElementById('reset-account').addEventListener('submit', async (event) => {
        event.preventDefault();
        if (!armed(event.submitter || event.target.querySelector('button'), 'Click again to reset')) return;
        try { await api('POST', `/_sandbox/accounts/${encodeURIComponent(uid)}/reset`); toast('Account reset.'); await refresh(); }
        catch (error) { toast(error.message, true); }
      });
    },
    async refresh(current, account) {
      document.getElementById('clock-now').textContent = account.clock.now;
      document.getElementById('clock-offset').textContent = offsetText(account.clock.offset_seconds);
      const rules = account.fee_rules || {};
      const fee = (r) => (r ? `${(r.percent_bps / 100).toFixed(2)} % + ${money(r.fixed)}` : '');
      const rows = [['Name', account.name], ['Processor', account.processor],
        ['Cards', account.enable_credit_card ? 'enabled' : 'disabled'], ['ACH', account.enable_ach ? 'enabled' : 'disabled'],
        ['Card fee', fee(rules.credit)], ['ACH fee', fee(rules.ach)],
        ['Payment range', `$${account.minimum_payment_amount} – $${account.maximum_payment_amount}`],
        ['Webhooks', account.webhook_enabled ? 'on' : 'off'], ['Callback URL', account.callback_url || '—'],
        ['Allowed origins', (account.allowed_origins || []).join(', ') || '—'], ['Created', account.created_at]];
      document.getElementById('settings').innerHTML = rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
    },
  };
}

function methodText(m) {
  const pm = m.payment_method || {};
  if (pm.credit) return `${pm.credit.card_brand || 'Card'} ending ${pm.credit.last4} · ${String(pm.credit.exp_month).padStart(2, '0')}/${pm.credit.exp_year}`;
  if (pm.ach) return `${pm.ach.bank_name || 'Bank account'} ${pm.ach.account_type || ''} ending ${pm.ach.account_number_suffix}`;
  return m.saved_payment_method_uid;
}

function customersTab(uid) {
  return {
    title: 'Customers',
    skeleton: `<h2>Customers and their wallets</h2><div id="customers"></div>`,
    bind() {
      // NOC forms live inside the refreshed list: delegate.
      document.getElementById('customers').addEventListener('submit', async (event) => {
        event.preventDefault();
        const form = event.target;
        const update = {saved_payment_method_uid: form.dataset.method};
        for (const field of form.querySelectorAll('input')) {
          if (!field.value) continue;
          update[field.name] = field.type === 'number' ? Number(field.value) : field.value;
        }
        try {
          const evt = await api('POST', '/_sandbox/noc', {account: uid, body: {updates: [update]}});
          toast(`Applied the change; emitted ${evt.webhook_id} (provider.noc).`);
          openDetails.delete('noc-' + form.dataset.method);
          await refresh();
        } catch (error) { toast(error.message, true); }
      });
    },
    async refresh(current) {
      const customers = await api('GET', '/_sandbox/customers?$top=1000', {account: uid});
      if (!current()) return;
      const box = document.getElementById('customers');
      if (box.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') return;
      box.innerHTML = customers.length ? customers.map((c) => `<section class="card customer" data-uid="${esc(c.uid)}">
        <h3>${esc(c.name || c.reference_id)} <span class="muted mono">${esc(c.uid)}</span></h3>
        <dl class="kv"><dt>reference_id</dt><dd class="mono">${esc(c.reference_id)}</dd><dt>Email</dt><dd>${esc(c.email || '—')}</dd>
        <dt>Created</dt><dd>${esc(c.created_at)}</dd></dl>
        <ul class="methods">${c.payment_methods.length ? c.payment_methods.map((m) => `<li>
          ${esc(methodText(m))} ${m.is_default ? '<span class="badge default">default</span>' : ''}
          <span class="muted mono">${esc(m.saved_payment_method_uid)}</span>
          <details data-key="noc-${esc(m.saved_payment_method_uid)}"${keepOpen('noc-' + m.saved_payment_method_uid)}>
            <summary>Apply a NOC (network change) to this method</summary>
            <form class="inline noc" data-method="${esc(m.saved_payment_method_uid)}">
            ${m.payment_method.credit ? `<label>New expiry month <input name="exp_month" type="number" min="1" max="12"></label>
              <label>New expiry year <input name="exp_year" type="number" min="2000" max="2099"></label>
              <label>New last4 <input name="last4" inputmode="numeric" maxlength="4"></label>
              <label>New brand <input name="card_brand"></label>`
              : `<label>New account suffix <input name="account_number_suffix" inputmode="numeric" maxlength="4"></label>
              <label>New routing number <input name="routing_number" inputmode="numeric" maxlength="9"></label>`}
            <button>Apply NOC</button></form></details></li>`).join('') : '<li class="empty">No saved methods.</li>'}</ul>
        </section>`).join('') : '<p class="empty">No customers yet. Create one with POST /api/customers.</p>';
    },
  };
}

function paymentsTab(uid) {
  return {
    title: 'Payments',
    skeleton: `<h2>Payments</h2><div id="payments" class="table-wrap"></div>`,
    async refresh(current) {
      const payments = await api('GET', '/_sandbox/payments?$top=1000', {account: uid});
      if (!current()) return;
      document.getElementById('payments').innerHTML = payments.length ? `<table><thead><tr>
        <th scope="col">Payment</th><th scope="col">Status</th><th scope="col">Amounts</th><th scope="col">Method</th>
        <th scope="col">Status history</th></tr></thead><tbody>${payments.map((p) => `<tr>
        <td><span class="mono">${esc(p.uid)}</span><br><span class="muted">ref ${esc(p.reference_id)}</span></td>
        <td>${badge(p.status)}${p.failure_code ? `<br><span class="muted">${esc(p.failure_code)}</span>` : ''}</td>
        <td>base ${money(p.base_amount)}<br>tax ${money(p.tax_amount)}<br>fee ${money(p.processing_fee_amount)}<br>
          <strong>total ${money(p.total_amount)}</strong>${p.refunded_amount ? `<br>refunded ${money(p.refunded_amount)}` : ''}</td>
        <td>${esc(paymentMethodText(p.payment_method))}</td>
        <td><ol class="history">${p.status_history.map((s) => `<li>${badge(s.status)} <span class="muted">${esc(s.at)}</span>
          ${s.failure_code ? esc(s.failure_code) : ''}</li>`).join('')}</ol></td></tr>`).join('')}</tbody></table>`
        : '<p class="empty">No payments yet.</p>';
    },
  };
}

function paymentMethodText(pm) {
  if (!pm) return '';
  const kind = pm.payment_method_type;
  if (pm.credit) return `${kind}: ${pm.credit.card_brand} ending ${pm.credit.last4}`;
  if (pm.ach) return `${kind}: bank ending ${pm.ach.account_number_suffix}`;
  return kind;
}

function sessionsTab(uid) {
  return {
    title: 'Hosted sessions',
    skeleton: `<h2>Hosted sessions</h2><div id="sessions" class="table-wrap"></div>`,
    async refresh(current) {
      const sessions = await api('GET', '/_sandbox/sessions', {account: uid});
      if (!current()) return;
      document.getElementById('sessions').innerHTML = sessions.length ? `<table><thead><tr><th scope="col">Session</th>
        <th scope="col">Scope</th><th scope="col">Status</th><th scope="col">Amount</th><th scope="col">Customer</th>
        <th scope="col">Expires</th><th scope="col">Payment</th></tr></thead><tbody>${sessions.map((s) => `<tr>
        <td>${s.hosted_url ? `<a class="mono" href="${esc(s.hosted_url)}" target="_blank" rel="noopener">${esc(s.session_id)}</a>` : esc(s.session_id)}</td>
        <td>${esc(s.scope)}</td><td>${badge(s.status)}</td><td>${s.amount !== null && s.amount !== undefined ? money(s.amount) : '—'}</td>
        <td>${esc(s.customer_id || '—')}</td><td class="mono">${esc(s.expires_at)}</td>
        <td class="mono">${esc(s.payment_uid || '')}</td></tr>`).join('')}</tbody></table>`
        : '<p class="empty">No hosted sessions yet.</p>';
    },
  };
}

function scenariosTab(uid) {
  return {
    title: 'Scenarios',
    skeleton: `<h2>Loaded scenarios</h2><div id="scenarios"></div>`,
    async refresh(current) {
      const scenarios = await api('GET', '/_sandbox/scenarios', {account: uid});
      if (!current()) return;
      document.getElementById('scenarios').innerHTML = scenarios.length ? scenarios.map((s) => `<section class="card">
        <h3>${esc(s.name)} <span class="muted mono">${esc(s.id)}</span></h3><p>${esc(s.description || '')}</p>
        <p class="muted">Loaded ${esc(s.loaded_at)}</p>
        ${s.rules.length ? `<div class="table-wrap"><table><thead><tr><th scope="col">Rule</th><th scope="col">Fired</th>
          <th scope="col">Remaining</th></tr></thead><tbody>${s.rules.map((r) => `<tr><td><pre>${esc(pretty({match: r.match, action: r.action}))}</pre></td>
          <td><strong>${esc(r.fired)}</strong></td><td>${r.remaining === null ? 'unlimited' : esc(r.remaining)}</td></tr>`).join('')}
          </tbody></table></div>` : ''}
        ${s.timeline.length ? `<h3>Timeline</h3><ol>${s.timeline.map((t) => `<li>${esc(t.step || t.action || t.type || '')}
          due ${esc(t.due_at)} ${t.done ? badge('done') : badge('pending')} ${t.error ? esc(t.error) : ''}</li>`).join('')}</ol>` : ''}
        </section>`).join('') : '<p class="empty">No scenarios loaded for this account (POST /_sandbox/scenarios or serve --scenario).</p>';
    },
  };
}

function eventsTab(uid) {
  return {
    title: 'Events',
    skeleton: `<section class="card"><h2>Trigger an event</h2>
      <form class="inline" id="trigger"><label>Event type <select name="event_type" id="event-types"></select></label>
        <button>Trigger</button></form>
      <details><summary>With a custom data object (optional)</summary>
        <label>data (JSON object; empty = a realistic sample) <textarea name="data" form="trigger"></textarea></label></details>
      </section><h2>Events, newest first</h2><div id="events" class="table-wrap"></div>`,
    async bind() {
      const form = document.getElementById('trigger');
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const body = {event_type: form.event_type.value};
        const dataText = document.querySelector('textarea[name=data]').value.trim();
        try {
          if (dataText) body.data = JSON.parse(dataText);
          const evt = await api('POST', '/_sandbox/webhooks/trigger', {account: uid, body});
          toast(`Emitted ${evt.webhook_id} (${evt.event_type}).`);
          await refresh();
        } catch (error) { toast(error.message, true); }
      });
      try {
        const types = await api('GET', '/_sandbox/webhooks/types');
        document.getElementById('event-types').innerHTML = types.map((t) =>
          `<option value="${esc(t.event_type)}">${esc(t.event_type)}</option>`).join('');
      } catch (error) { toast(error.message, true); }
    },
    async refresh(current) {
      const events = await api('GET', '/_sandbox/events?limit=1000', {account: uid});
      if (!current()) return;
      const base = '#/accounts/' + encodeURIComponent(uid) + '/events/';
      document.getElementById('events').innerHTML = events.length ? `<table><thead><tr><th scope="col">Event</th>
        <th scope="col">Type</th><th scope="col">Created</th><th scope="col">Delivery</th><th scope="col">Attempts</th>
        </tr></thead><tbody>${events.slice().reverse().map((e) => `<tr class="event" data-id="${esc(e.webhook_id)}">
        <td><a class="mono" href="${base}${esc(e.webhook_id)}">${esc(e.webhook_id)}</a></td><td>${esc(e.event_type)}</td>
        <td>${esc(new Date(e.timestamp * 1000).toISOString())}</td><td>${badge(e.delivery_status)}</td>
        <td class="attempts">${esc(e.attempts)}</td></tr>`).join('')}</tbody></table>`
        : '<p class="empty">No events yet.</p>';
    },
  };
}

function eventTab(uid, eventId) {
  const account = {account: uid};
  return {
    title: 'Event ' + eventId,
    skeleton: `<p><a href="#/accounts/${esc(encodeURIComponent(uid))}/events">← all events</a></p>
      <h2 class="mono">${esc(eventId)}</h2><div id="event"></div>
      <form class="inline" id="redeliver"><button>Redeliver now</button></form>
      <h2>Delivery log</h2><div id="deliveries" class="table-wrap"></div>`,
    bind() {
      document.getElementById('redeliver').addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          const attempt = await api('POST', `/_sandbox/events/${encodeURIComponent(eventId)}/redeliver`, account);
          toast(`Attempt ${attempt.attempt}: ${attempt.status_code ?? attempt.error}.`, !attempt.status_code || attempt.status_code >= 300);
          await refresh();
        } catch (error) { toast(error.message, true); }
      });
    },
    async refresh(current) {
      const [events, deliveries] = await Promise.all([
        api('GET', '/_sandbox/events?limit=1000', account),
        api('GET', '/_sandbox/webhooks/deliveries?webhook_id=' + encodeURIComponent(eventId), account)]);
      if (!current()) return;
      const evt = events.find((e) => e.webhook_id === eventId);
      document.getElementById('event').innerHTML = evt ? `<dl class="kv"><dt>Type</dt><dd>${esc(evt.event_type)}</dd>
        <dt>Delivery</dt><dd>${badge(evt.delivery_status)}</dd><dt>Attempts</dt><dd id="event-attempts">${esc(evt.attempts)}</dd></dl>
        <details data-key="envelope"${keepOpen('envelope')}><summary>Envelope</summary><pre>${esc(pretty({webhook_id: evt.webhook_id,
          event_type: evt.event_type, timestamp: evt.timestamp, data: evt.data}))}</pre></details>`
        : '<p class="empty">No such event in this account.</p>';
      document.getElementById('deliveries').innerHTML = deliveries.length ? `<table><thead><tr><th scope="col">Attempt</th>
        <th scope="col">At (account clock)</th><th scope="col">URL</th><th scope="col">Answer</th><th scope="col">Duration</th>
        </tr></thead><tbody>${deliveries.map((d) => `<tr class="delivery"><td>${esc(d.attempt)}</td><td class="mono">${esc(d.at)}</td>
        <td class="mono">${esc(d.url)}</td><td>${d.status_code !== null ? badge(String(d.status_code)) : badge(d.error || 'error')}</td>
        <td>${esc(Math.round(d.duration_ms))} ms</td></tr>`).join('')}</tbody></table>`
        : '<p class="empty">No delivery attempts yet (no callback_url, or not due).</p>';
    },
  };
}

// The request journal: a live tail with GET /_sandbox/requests' filters,
// kept in the URL so a filtered view can be shared.
export function journalView(query) {
  const inner = journalTab(null, null, query);
  return {title: 'Request journal', skeleton: '<h1>Request journal</h1>' + inner.skeleton, bind: inner.bind,
    refresh: (current) => inner.refresh(current)};
}

function journalTab(uid, _item, query) {
  query = query || new URLSearchParams();
  const value = (name) => esc(uid && name === 'account' ? uid : query.get(name) || '');
  return {
    title: 'Requests',
    skeleton: `<form class="inline" id="journal-filter">
      <label>Account <input name="account" value="${value('account')}" ${uid ? 'readonly' : ''} placeholder="pa_…"></label>
      <label>Method <select name="method">${['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) =>
        `<option value="${m}"${query.get('method') === m ? ' selected' : ''}>${m || 'any'}</option>`).join('')}</select></label>
      <label>Path prefix <input name="path_prefix" value="${value('path_prefix')}" placeholder="/api/"></label>
      <label>Status <input name="status" type="number" min="0" max="599" value="${value('status')}"></label>
      <label>Show <input name="limit" type="number" min="1" max="10000" value="${value('limit') || 100}"></label>
      <button>Filter</button></form>
      <p class="muted">Newest first; updates as requests arrive. Open an entry for its request body and answer.</p>
      <div id="journal"></div>`,
    bind() {
      document.getElementById('journal-filter').addEventListener('submit', (event) => {
        event.preventDefault();
        const params = new URLSearchParams();
        for (const field of event.target.elements) {
          if (field.name && field.value && !(uid && field.name === 'account')) params.set(field.name, field.value);
        }
        const base = uid ? `#/accounts/${encodeURIComponent(uid)}/requests` : '#/journal';
        location.hash = base + (params.toString() ? '?' + params : '');
      });
    },
    async refresh(current) {
      const params = new URLSearchParams();
      for (const name of ['account', 'method', 'path_prefix', 'status', 'limit']) {
        const v = uid && name === 'account' ? uid : query.get(name);
        if (v) params.set(name, v);
      }
      const entries = await api('GET', '/_sandbox/requests?' + params);
      if (!current()) return;
      document.getElementById('journal').innerHTML = entries.length ? `<div class="card">${entries.slice().reverse().map((e) => {
        const key = 'req-' + e.sequence;
        return `<details data-key="${key}"${keepOpen(key)} class="entry"><summary><span class="mono">#${esc(e.sequence)}</span>
          <strong>${esc(e.method)}</strong> <span class="mono">${esc(e.path)}${e.query ? '?' + esc(e.query) : ''}</span>
          ${badge(e.dropped ? 'dropped' : String(e.status))} ${e.error_code ? `<span class="muted">${esc(e.error_code)}</span>` : ''}
          <span class="muted">${esc(e.at)} · ${esc(e.duration_ms.toFixed(1))} ms</span></summary>
          <dl class="kv"><dt>Request id</dt><dd class="mono">${esc(e.request_id)}</dd><dt>Account</dt><dd class="mono">${esc(e.account || '—')}</dd>
          <dt>Idempotency-Key</dt><dd class="mono">${esc(e.idempotency_key || '—')}</dd></dl>
          <h3>Request body${e.request_body_truncated ? ' (clipped)' : ''}</h3><pre>${esc(e.request_body ? pretty(e.request_body) : '(empty)')}</pre>
          <h3>Answer ${esc(e.status)}${e.response_body_truncated ? ' (clipped)' : ''}</h3><pre>${esc(e.response_body ? pretty(e.response_body) : '(no JSON body)')}</pre>
          </details>`;
      }).join('')}</div>` : '<p class="empty">No requests match.</p>';
    },
  };
}

// The sandbox's load: GET /_sandbox/stats, read again every second, so a
// team sharing one sandbox can see what it holds and how fast it answers.
const bytesText = (n) => {
  if (n >= 1 << 30) return (n / (1 << 30)).toFixed(1) + ' GiB';
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + ' MiB';
  if (n >= 1 << 10) return (n / (1 << 10)).toFixed(1) + ' KiB';
  return n + ' B';
};
const msText = (ms) => (ms < 1 ? (ms * 1000).toFixed(0) + ' µs' : ms.toFixed(ms < 10 ? 2 : 0) + ' ms');

export function statsView() {
  // Counting a store of millions of rows takes a while: ask at most every
  // twenty times as long as the last answer took (and at least every second).
  let last = 0;
  let took = 0;
  return {
    title: 'Load',
    everyTick: true,
    skeleton: `<h1>Load</h1>
      <p class="muted">What this sandbox holds and how fast each route has answered since it started
      (read from <span class="mono">GET /_sandbox/stats</span> every second, less often on a large store).</p>
      <div id="stats"></div>`,
    async refresh(current) {
      if (last && Date.now() - last < Math.max(900, took * 20)) return;
      const started = Date.now();
      const s = await api('GET', '/_sandbox/stats');
      last = Date.now();
      took = last - started;
      if (!current()) return;
      const objects = Object.entries(s.store.objects).filter(([, rows]) => rows > 0);
      document.getElementById('stats').innerHTML = `<div class="grid">
        <div class="card"><h2>Process</h2><dl class="kv">
          <dt>Requests served</dt><dd data-stat="requests_served">${esc(s.requests_served)}</dd>
          <dt>Open connections</dt><dd data-stat="open_connections">${esc(s.connections.open)}</dd>
          <dt>Resident memory</dt><dd>${esc(bytesText(s.process.rss_bytes))}</dd>
          <dt>Up for</dt><dd>${esc(offsetText(Math.floor(s.process.uptime_seconds)).replace(/^\+/, ''))}</dd></dl></div>
        <div class="card"><h2>Store</h2><dl class="kv">
          <dt>Kind</dt><dd>${esc(s.store.kind)} <span class="mono">${esc(s.store.kind === 'file' ? s.store.path : '')}</span></dd>
          <dt>Database</dt><dd>${esc(bytesText(s.store.database_bytes))}</dd>
          <dt>Write-ahead log</dt><dd>${esc(bytesText(s.store.wal_bytes))}</dd>
          <dt>Events</dt><dd>${esc(s.event_log.events)} (${esc(s.event_log.deliveries)} delivery attempts)</dd>
          <dt>Request journal</dt><dd>${esc(s.journal.entries)} of ${esc(s.journal.capacity)} entries, ${esc(bytesText(s.journal.bytes))}</dd></dl></div>
      </div>
      <h2>Objects</h2>
      ${objects.length ? `<div class="table-wrap"><table><thead><tr><th scope="col">Table</th><th scope="col">Rows</th></tr></thead><tbody>
        ${objects.map(([table, rows]) => `<tr><td class="mono">${esc(table)}</td><td data-table="${esc(table)}">${esc(rows.toLocaleString('en-US'))}</td></tr>`).join('')}
        </tbody></table></div>` : '<p class="empty">The store is empty.</p>'}
      <h2>Latency per route</h2>
      ${s.routes.length ? `<div class="table-wrap"><table><thead><tr><th scope="col">Route</th><th scope="col">Requests</th>
        <th scope="col">p50</th><th scope="col">p99</th></tr></thead><tbody>
        ${s.routes.map((r) => `<tr><td class="mono">${esc(r.route)}</td><td>${esc(r.count)}</td>
          <td>${esc(msText(r.p50_ms))}</td><td>${esc(msText(r.p99_ms))}</td></tr>`).join('')}
        </tbody></table></div>` : '<p class="empty">No requests yet.</p>'}`;
    },
  };
}

// The payment-sandbox dashboard: a plain ES module, no build step, no
// network beyond the sandbox itself. Every view is a hash route, so its URL
// can be pasted into a bug report, and every view reads only the sandbox's
// control (/_sandbox/...) routes. It keeps itself current with a long-poll
// on the account's events and a check of the request journal's newest entry.
import { api, hooks, live, main, toast } from './dashboard-lib.js';
import { accountView, accountsView, journalView, statsView } from './dashboard-views.js';

// ---------- routing ----------

// "#/accounts/pa_1/events/evt_2?x=1" -> {parts: ["accounts","pa_1","events","evt_2"], query}
function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, search] = hash.split('?');
  return {parts: path.split('/').filter(Boolean).map(decodeURIComponent),
          query: new URLSearchParams(search || '')};
}

let view = null;       // {refresh(), account?}
let generation = 0;    // bumps on every navigation; stale work checks it

async function route() {
  generation += 1;
  const mine = generation;
  const {parts, query} = parseHash();
  document.querySelectorAll('.top nav a').forEach((a) => {
    const top = ['journal', 'stats'].includes(parts[0]) ? parts[0] : '';
    const current = a.getAttribute('href') === '#/' + top;
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  let next;
  if (parts[0] === 'accounts' && parts[1]) next = accountView(parts[1], parts[2] || 'overview', parts[3], query);
  else if (parts[0] === 'journal') next = journalView(query);
  else if (parts[0] === 'stats') next = statsView();
  else next = accountsView();
  view = next;
  main.innerHTML = next.skeleton;
  document.title = next.title + ' · payment-sandbox';
  next.bind?.();
  await refresh(mine);
  startEventPoll(next.account);
}

async function refresh(mine = generation) {
  if (!view) return;
  try {
    await view.refresh(() => mine === generation);
  } catch (error) {
    if (mine === generation) toast(error.message, true);
  }
}

window.addEventListener('hashchange', route);

// ---------- live updates ----------

// Long-polls the account's events: each new one refreshes the view.
let pollAbort = null;
async function startEventPoll(account) {
  if (pollAbort) pollAbort.abort();
  if (!account) return;
  const controller = new AbortController();
  pollAbort = controller;
  let after = '';
  try {
    const existing = await api('GET', '/_sandbox/events?limit=1000', {account, signal: controller.signal});
    if (existing.length) after = existing[existing.length - 1].webhook_id;
  } catch (e) { return; }
  while (!controller.signal.aborted) {
    try {
      const query = '/_sandbox/events?wait_ms=25000' + (after ? '&after=' + encodeURIComponent(after) : '');
      const events = await api('GET', query, {account, signal: controller.signal});
      if (events.length) {
        after = events[events.length - 1].webhook_id;
        await refresh();
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      // The account was reset (its events are gone): start again from the top.
      after = '';
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

// Anything that reaches the sandbox shows up in the journal; when its newest
// entry changes, the view re-reads what it shows. Deliveries happen in the
// background without a request, so a slower tick refreshes regardless.
let lastSequence = null;
let ticks = 0;
async function tick() {
  try {
    const newest = await api('GET', '/_sandbox/requests?limit=1');
    const sequence = newest.length ? newest[0].sequence : 0;
    live.textContent = 'live';
    live.className = 'live on';
    ticks += 1;
    // The load view shows figures that move without a journaled request
    // (connections, memory): it reads them every tick.
    if ((lastSequence !== null && sequence !== lastSequence) || ticks % 4 === 0 || view?.everyTick) await refresh();
    lastSequence = sequence;
  } catch (error) {
    live.textContent = 'disconnected: retrying';
    live.className = 'live';
  }
  setTimeout(tick, 1000);
}


hooks.refresh = () => refresh();
hooks.route = () => route();
route();
tick();

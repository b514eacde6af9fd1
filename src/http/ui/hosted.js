// The hosted checkout page (and the wallet page) behind a session's
// hosted_url. It plays the browser side of the real component: it reads the
// session's config with the client_secret, tokenizes a typed card or bank
// account through the sandbox's stand-in for the processor's SDK, quotes the
// convenience fee for the chosen method, and confirms. What it shows the
// customer is written for the customer: amounts from integer cents, one
// message per error code, no internal ids.
import {
  MESSAGES, applyBranding, bankFields, call, cardFields, customerMessage, defaultFirst, esc, money, readBank, readCard, root, savedLabel, session, showExpired, showState, state, tokenize,
} from './hosted-lib.js';

function renderPayment(config) {
  applyBranding(config);
  const allowed = (config.allowed_methods && config.allowed_methods.length ? config.allowed_methods : ['card', 'ach'])
    .filter((m) => m === 'card' || m === 'ach');
  // quote-fee and confirm take the documented browser bodies only (the
  // sandbox refuses the platform payment shape there, as production does).
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

  // The body confirm takes for the chosen method; quote-fee takes the same
  // plus card_type for a card. A saved method goes as its uid in
  // processor_token, without payment_method (the sandbox holds its details).
  function methodBody(chosen, forQuote = false) {
    if (chosen.saved) {
      return {method: chosen.kind, processor_token: chosen.saved.id,
        ...(forQuote && chosen.kind === 'card' ? {card_type: chosen.saved.brand || 'unknown'} : {})};
    }
    return {method: chosen.kind, processor_token: chosen.token.processor_token,
      payment_method: chosen.token.payment_method, ...(forQuote && chosen.kind === 'card' ? {card_type: chosen.token.card_type} : {})};
  }
  const quoteBody = (chosen) => methodBody(chosen, true);

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
      if (chosen.token && chosen.token.details.holder_name) {
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
    return true;
  }

  list.addEventListener('click', async (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    button.disabled = true;
    const reply = button.dataset.default
      ? await call('PUT', session + '/default-payment-method', {saved_payment_method_uid: button.dataset.default})
      : await call('DELETE', session + '/payment-methods/' + encodeURIComponent(button.dataset.remove));
    if (reply.status >= 300) { button.disabled = false; return say(customerMessage(reply)); }
    // Announce the change once the list shows it, so what is read out matches what is on screen.
    if (await load()) say(button.dataset.default ? 'Your default payment method was updated.' : 'The payment method was removed.', true);
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
      if (await load()) say('Your card was saved.', true);
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
  if (!state.session_id) return;  // an unknown link: the server's page says so
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

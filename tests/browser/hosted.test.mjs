// The hosted page in real Chromium, as a customer uses it: each outcome is
// also checked on the server side (payment, session, events).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Api, assertAccessible, assertNoConsoleErrors, launchBrowser, missingPrerequisite, openPage,
  startMerchantSite, startSandbox, withArtifacts,
} from './support.mjs';

const missing = missingPrerequisite();
// Chromium logs the answer of a declined card (402) as a failed resource.
const DECLINE_LOG = /status of 402/;

describe('the hosted page', {skip: missing || false}, () => {
  let sandbox;
  let browser;
  let site;
  before(async () => {
    [sandbox, browser, site] = await Promise.all([startSandbox(), launchBrowser(), startMerchantSite()]);
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
    await sandbox?.stop();
  });

  // An account, a customer with saved cards (the first is the default) and
  // a payment session of $16.50 for them.
  async function checkout(extra = {}) {
    const api = new Api(sandbox.base);
    await api.setUp({name: 'Hosted page'});
    const {customer, saved} = await api.customerWithCards('hosted-user', ['4111111111111111', '5555555555554444']);
    const base = {amount: 1650, currency: 'USD', customer_id: 'hosted-user',
      success_url: `${site.base}/paid?session={CHECKOUT_SESSION_ID}`, cancel_url: `${site.base}/cart`, ...extra};
    const documented = {description: 'Library fines', setup_future_usage: 'on_session', allowed_methods: ['card', 'ach'],
      line_items: [{description: 'Late return', amount: 550, quantity: 2}, {description: 'Card replacement', amount: 550}],
      branding: {merchant_display_name: 'City Library', accent_color: '#0B6E4F', logo_url: `${site.base}/logo.svg`}};
    const created = await api.call('POST', '/v1/hosted-sessions', {body: {...base, ...documented}});
    assert.equal(created.status, 201, JSON.stringify(created.data));
    return {api, customer, saved, session: created.data};
  }

  async function serverState(api, sessionId) {
    const session = await api.must('GET', `/v1/hosted-sessions/${sessionId}`);
    const payments = await api.must('GET', `/_sandbox/payments?$filter=reference_id eq '${sessionId}'`, {bearer: false});
    const events = await api.events();
    return {session, payments, types: events.map((e) => e.event_type)};
  }

  test('pays with the saved default card, showing fee and total before paying', async (t) => {
    await withArtifacts(t.name, browser, async () => {
      const {api, session} = await checkout();
      const page = await openPage(browser);
      // Hold the confirm until the page has been seen to lock its Pay button.
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await page.route('**/confirm', async (route) => { await held; await route.continue(); });
      await page.goto(session.hosted_url);

      const savedChoice = page.getByRole('radio', {name: /Visa ending in 1111/});
      await savedChoice.waitFor();
      assert.equal(await savedChoice.isChecked(), true);
      const labels = await page.locator('label.choice').allTextContents();
      assert.match(labels[0], /1111.*Default/s);
      // Fee: 2.95 % of $16.50 rounded half up, plus 3 cents = 52; total 1702.
      await page.locator('#fee', {hasText: '$0.52'}).waitFor();
      assert.equal(await page.locator('#amount').textContent(), '$16.50');
      assert.equal(await page.locator('#total').textContent(), '$17.02');
      assert.equal(await page.locator('#merchant h1').textContent(), 'City Library');
      assert.equal(await page.locator('#merchant img').getAttribute('src'), `${site.base}/logo.svg`);
      assert.match(await page.locator('.lines').textContent(), /Late return.*× 2 at \$5\.50.*\$11\.00.*Card replacement.*\$5\.50/s);
      const accent = await page.evaluate(() => getComputedStyle(document.querySelector('.pay')).backgroundColor);
      assert.equal(accent, 'rgb(11, 110, 79)');
      assert.equal(await page.getByRole('checkbox', {name: 'Save this payment method for next time'}).isVisible(), false);
      await assertAccessible(page);

      const pay = page.getByRole('button', {name: 'Pay $17.02'});
      await pay.click();
      await page.locator('#pay[disabled]').waitFor({state: 'attached'});
      assert.equal(await page.locator('#pay').textContent(), 'Processing…');
      // A second click while the first is in flight sends nothing more.
      await page.locator('#pay').click({force: true});
      release();
      await page.waitForURL(`${site.base}/paid?session=${session.session_id}`);

      const state = await serverState(api, session.session_id);
      assert.equal(state.session.status, 'completed');
      assert.equal(state.payments.length, 1);
      assert.equal(state.payments[0].status, 'completed');
      assert.equal(state.payments[0].total_amount, 1702);
      assert.equal(state.payments[0].payment_method.credit.last4, '1111');
      assert.ok(state.types.includes('checkout_session.completed'));
      assert.ok(state.types.includes('payment.completed'));
      assertNoConsoleErrors(page);
    });
  });

  test('pays with a new card typed in, on a 360 px wide screen', async (t) => {
    await withArtifacts(t.name, browser, async () => {
      const {api, customer, session} = await checkout();
      const page = await openPage(browser, {viewport: {width: 360, height: 780}});
      await page.goto(session.hosted_url);
      await page.getByRole('radio', {name: 'New card'}).check();
      assert.equal(await page.getByLabel('Expiry (MM / YY)').inputValue(), '');
      // setup_future_usage on_session: offered for a new method, ticked by default; untick it.
      const save = page.getByRole('checkbox', {name: 'Save this payment method for next time'});
      assert.equal(await save.isChecked(), true);
      await save.uncheck();
      assert.equal(await page.getByRole('button', {name: /^Pay/}).isDisabled(), true);
      await page.getByLabel('Name on card').fill('Sam Rivera');
      await page.getByLabel('Card number').fill('4111 1111 1111 1111');
      await page.getByLabel('Expiry (MM / YY)').fill('12 / 30');
      await page.getByLabel('Security code (CVC)').fill('123');
      await page.locator('#total', {hasText: '$17.02'}).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `the page scrolls sideways at 360 px (${width} px wide)`);
      await assertAccessible(page);
      await page.getByRole('button', {name: 'Pay $17.02'}).click();
      await page.waitForURL(`${site.base}/paid?session=${session.session_id}`);

      const state = await serverState(api, session.session_id);
      assert.equal(state.session.status, 'completed');
      assert.equal(state.payments.length, 1);
      assert.equal(state.payments[0].status, 'completed');
      assert.equal(state.payments[0].total_amount, 1702);
      const methods = await api.must('GET', `/api/customers/${customer.uid}/payment-methods`);
      assert.equal(methods.length, 2, 'the card was saved although the box was unticked');
      assertNoConsoleErrors(page);
    });
  });

  test('a declined card shows the decline and lets the customer pay with another', async (t) => {
    await withArtifacts(t.name, browser, async () => {
      const {api, customer, session} = await checkout();
      const page = await openPage(browser);
      await page.goto(session.hosted_url);
      await page.getByRole('radio', {name: 'New card'}).check();
      await page.getByLabel('Card number').fill('4000000000000002');
      await page.getByLabel('Expiry (MM / YY)').fill('11/31');
      await page.getByLabel('Security code (CVC)').fill('321');
      await page.getByRole('button', {name: 'Pay $17.02'}).click();
      const alert = page.getByRole('alert').filter({hasText: 'declined'});
      await alert.waitFor();
      assert.equal(await alert.textContent(), 'Your card was declined. Please try another card or payment method.');
      const text = await page.locator('body').textContent();
      assert.doesNotMatch(text, /pay_|cs_|validate/);
      let state = await serverState(api, session.session_id);
      assert.equal(state.session.status, 'active');
      assert.equal(state.payments[0].status, 'failed');
      assert.equal(state.payments[0].failure_code, 'card_declined');
      assert.ok(state.types.includes('payment.failed'));

      await page.getByLabel('Card number').fill('3782 822463 10005');
      await page.getByLabel('Security code (CVC)').fill('4567');
      await page.getByRole('button', {name: 'Pay $17.02'}).click();
      await page.waitForURL(`${site.base}/paid?session=${session.session_id}`);
      state = await serverState(api, session.session_id);
      assert.equal(state.session.status, 'completed');
      assert.deepEqual(state.payments.map((p) => p.status).sort(), ['completed', 'failed']);
      // The save box was left ticked: the card that paid joined the wallet.
      const methods = await api.must('GET', `/api/customers/${customer.uid}/payment-methods`);
      assert.deepEqual(methods.map((m) => m.payment_method.credit.last4), ['1111', '4444', '0005']);
      assertNoConsoleErrors(page, [DECLINE_LOG]);
    });
  });

  test('cancel goes back to cancel_url and leaves the session open', async (t) => {
    await withArtifacts(t.name, browser, async () => {
      const {api, session} = await checkout();
      const page = await openPage(browser);
      await page.goto(session.hosted_url);
      await page.getByRole('link', {name: 'Cancel and return to the merchant'}).click();
      await page.waitForURL(`${site.base}/cart`);
      const state = await serverState(api, session.session_id);
      assert.equal(state.session.status, 'active');
      assert.equal(state.payments.length, 0);
      assertNoConsoleErrors(page);
    });
  });

  test('an expired session shows an expired page', async (t) => {
    await withArtifacts(t.name, browser, async () => {
      const {api, session} = await checkout();
      await api.must('POST', '/_sandbox/clock/advance', {bearer: false, body: {seconds: 1800}});
      const page = await openPage(browser);
      await page.goto(session.hosted_url);
      await page.getByRole('heading', {name: 'This checkout page has expired'}).waitFor();
      assert.equal(await page.getByRole('button', {name: /Pay/}).count(), 0);
      await assertAccessible(page);
      const state = await serverState(api, session.session_id);
      assert.equal(state.session.status, 'expired');
      assert.ok(state.types.includes('checkout_session.expired'));
      // The page keeps the API's 410, which Chromium logs for the document.
      assertNoConsoleErrors(page, [/status of 410/]);
    });
  });

  test('the wallet page lists methods, sets the default and deletes one', async (t) => {
    await withArtifacts(t.name, browser, async () => {
      const api = new Api(sandbox.base);
      await api.setUp({name: 'Wallet page'});
      const {customer, saved} = await api.customerWithCards('wallet-user', ['4111111111111111', '5555555555554444']);
      const session = await api.must('POST', '/v1/hosted-sessions', {body: {scope: 'wallet', customer_id: 'wallet-user'}});
      const url = session.hosted_url || `${sandbox.base}/hosted/${session.session_id}`;
      const page = await openPage(browser);
      await page.goto(url);
      const rows = page.locator('#methods li');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 2);
      assert.match(await rows.first().textContent(), /Visa ending in 1111.*Default/s);

      await page.getByRole('button', {name: 'Make default'}).click();
      await page.getByText('Your default payment method was updated.').waitFor();
      await page.locator('#methods li', {hasText: 'Mastercard ending in 4444'}).filter({hasText: 'Default'}).waitFor();
      let customerNow = await api.must('GET', `/api/customers/${customer.uid}`);
      assert.equal(customerNow.default_payment_method_uid, saved[1].saved_payment_method_uid);

      await page.getByRole('button', {name: 'Remove Visa ending in 1111, expires 12/2030'}).click();
      await page.getByText('The payment method was removed.').waitFor();
      assert.equal(await rows.count(), 1);
      const left = await api.must('GET', `/api/customers/${customer.uid}/payment-methods`);
      assert.deepEqual(left.map((m) => m.saved_payment_method_uid), [saved[1].saved_payment_method_uid]);
      await assertAccessible(page);
      assertNoConsoleErrors(page);
    });
  });
});

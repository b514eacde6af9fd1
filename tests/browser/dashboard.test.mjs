// The dashboard in real Chromium: it follows what the API does without a
// reload, shows deliveries and redelivers, and moves the account's clock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Api, assertAccessible, assertNoConsoleErrors, launchBrowser, missingPrerequisite, openPage,
  startReceiver, startSandbox, withArtifacts,
} from './support.mjs';

const missing = missingPrerequisite();

describe('the dashboard', {skip: missing || false}, () => {
  let sandbox;
  let browser;
  before(async () => {
    [sandbox, browser] = await Promise.all([startSandbox(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  test('serve prints the dashboard URL right after the ready line', () => {
    assert.equal(sandbox.dashboardLine, `dashboard: ${sandbox.base}/_sandbox/ui`);
  });

  test('a customer created over the API appears without a reload', async (t) => {
    await withArtifacts(t.name, browser, async () => {
      const api = new Api(sandbox.base);
      await api.setUp({name: 'Live customers'});
      const page = await openPage(browser);
      await page.goto(`${sandbox.base}/_sandbox/ui#/accounts/${api.account}/customers`);
      await page.getByText('No customers yet').waitFor();
      await page.evaluate(() => { window.notReloaded = true; });

      await api.customerWithCards('user-live', ['4111111111111111', '5555555555554444']);
      const card = page.locator('section.customer', {hasText: 'user-live'});
      await card.waitFor({timeout: 10000});
      assert.equal(await page.evaluate(() => window.notReloaded), true);
      assert.match(await card.textContent(), /VISA ending 1111/);
      assert.match(await card.locator('li', {hasText: 'ending 1111'}).textContent(), /default/);
      assert.doesNotMatch(await card.locator('li', {hasText: 'ending 4444'}).textContent(), /default/);

      // Stable URLs: the same view opens from its address in a new tab.
      const again = await openPage(browser);
      await again.goto(page.url());
      await again.locator('section.customer', {hasText: 'user-live'}).waitFor();
      await assertAccessible(page);
      assertNoConsoleErrors(page);
      assertNoConsoleErrors(again);
    });
  });

  test('an event to a failing receiver shows its attempts, and redeliver adds one', async (t) => {
    const receiver = await startReceiver(500);
    try {
      await withArtifacts(t.name, browser, async () => {
        const api = new Api(sandbox.base);
        await api.setUp({name: 'Failing receiver', callback_url: receiver.url});
        const page = await openPage(browser);
        await page.goto(`${sandbox.base}/_sandbox/ui#/accounts/${api.account}/events`);
        await page.locator('#event-types option[value="payment.completed"]').waitFor({state: 'attached'});
        await page.selectOption('#event-types', 'payment.completed');
        await page.getByRole('button', {name: 'Trigger'}).click();

        const row = page.locator('tr.event', {hasText: 'payment.completed'});
        await row.waitFor();
        // The first attempt fails (500): the row shows it, with its status.
        await row.locator('td.attempts', {hasText: '1'}).waitFor({timeout: 10000});
        assert.match(await row.textContent(), /pending/);
        const [event] = await api.events();
        assert.equal(event.attempts, 1);

        await row.getByRole('link').click();
        await page.waitForURL(new RegExp(`#/accounts/${api.account}/events/${event.webhook_id}$`));
        await page.locator('tr.delivery').first().waitFor();
        assert.equal(await page.locator('tr.delivery').count(), 1);
        assert.match(await page.locator('tr.delivery').first().textContent(), /500/);

        await page.getByRole('button', {name: 'Redeliver now'}).click();
        await page.locator('tr.delivery').nth(1).waitFor();
        assert.equal(await page.locator('#event-attempts').textContent(), '2');
        const deliveries = await api.must('GET', `/_sandbox/webhooks/deliveries?webhook_id=${event.webhook_id}`, {bearer: false});
        assert.deepEqual(deliveries.map((d) => [d.attempt, d.status_code]), [[1, 500], [2, 500]]);
        assert.equal(receiver.received.length, 2);
        await assertAccessible(page);
        assertNoConsoleErrors(page);
      });
    } finally {
      await receiver.stop();
    }
  });

  test('advancing the clock from the page expires a token', async (t) => {
    await withArtifacts(t.name, browser, async () => {
      const api = new Api(sandbox.base);
      await api.setUp({name: 'Clock'});
      const customer = await api.must('POST', '/api/customers', {body: {reference_id: 'clock-user'}});
      const minted = await api.must('POST', '/_sandbox/tokens', {bearer: false,
        body: {card: {number: '4111111111111111', exp_month: 12, exp_year: 2030}}});

      const page = await openPage(browser);
      await page.goto(`${sandbox.base}/_sandbox/ui#/accounts/${api.account}/overview`);
      await page.locator('#clock-offset', {hasText: '+0 s'}).waitFor();
      await page.getByLabel('Advance by').fill('16');
      await page.getByLabel('Unit').selectOption({label: 'minutes'});
      await page.getByRole('button', {name: 'Advance the clock'}).click();
      await page.locator('#clock-offset', {hasText: '+16 min'}).waitFor();

      const clock = await api.must('GET', '/_sandbox/clock', {bearer: false});
      assert.equal(clock.offset_seconds, 960);
      // The proxynized token lived 15 minutes of this account's time.
      const save = await api.call('POST', `/api/customers/${customer.uid}/payment-methods`, {body: {payment_method: {
        payment_method_type: 'credit', credit: {fingerprint: minted.fingerprint, last4: '1111', exp_month: 12,
          exp_year: 2030, bin: '411111', card_brand: 'VISA'}}}});
      assert.equal(save.status, 400);
      assert.equal(save.data.param, 'payment_method.credit.fingerprint');
      assert.match(save.data.message, /expired/);
      await assertAccessible(page);
      assertNoConsoleErrors(page);
    });
  });

  test('the journal tails requests with filters, each entry expandable to its body and answer', async (t) => {
    await withArtifacts(t.name, browser, async () => {
      const api = new Api(sandbox.base);
      await api.setUp({name: 'Journal'});
      const page = await openPage(browser, {viewport: {width: 360, height: 800}});
      await page.goto(`${sandbox.base}/_sandbox/ui#/journal?path_prefix=${encodeURIComponent('/api/customers')}&account=${api.account}`);
      await page.getByText('No requests match').waitFor();
      await api.must('POST', '/api/customers', {body: {reference_id: 'journal-user'}});
      const entry = page.locator('details.entry', {hasText: '/api/customers'});
      await entry.waitFor();
      await entry.locator('summary').click();
      await entry.getByText('"reference_id": "journal-user"').first().waitFor();
      assert.match(await entry.textContent(), /Answer 201/);
      assert.match(await entry.textContent(), /"uid": "cus_/);
      await assertAccessible(page);
      assertNoConsoleErrors(page);
    });
  });
});

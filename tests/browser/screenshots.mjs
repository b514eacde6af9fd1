// Takes the README's screenshots (docs/dashboard.png, docs/hosted-page.png)
// with the same browser the tests use:
//   node tests/browser/screenshots.mjs      (after building payment-sandbox)
import path from 'node:path';
import { Api, launchBrowser, openPage, startMerchantSite, startReceiver, startSandbox } from './support.mjs';

const docs = path.resolve('docs');
const sandbox = await startSandbox();
const browser = await launchBrowser();
const receiver = await startReceiver(200);
const site = await startMerchantSite();
try {
  const api = new Api(sandbox.base);
  await api.setUp({name: 'City Library', callback_url: receiver.url});
  const {saved} = await api.customerWithCards('patron-1138', ['4111111111111111', '5555555555554444']);
  const validated = await api.must('POST', '/api/payments', {body: {base_amount: 1650, tax_amount: 0, currency: 'USD',
    reference_id: 'fine-2207', payment_method: {payment_method_type: 'wallet_credit',
      wallet: {saved_payment_method_uid: saved[0].saved_payment_method_uid}}}});
  await api.must('POST', `/api/payments/${validated.uid}/capture`, {body: {base_amount: 1650, tax_amount: 0, currency: 'USD',
    reference_id: 'fine-2207', processing_fee_amount: validated.processing_fee_amount,
    payment_method: {payment_method_type: 'wallet_credit', wallet: {saved_payment_method_uid: saved[0].saved_payment_method_uid}}}});
  await api.must('POST', `/api/payments/${validated.uid}/refund`, {body: {amount: 500}});

  const page = await openPage(browser, {viewport: {width: 1200, height: 760}});
  await page.goto(`${sandbox.base}/_sandbox/ui#/accounts/${api.account}/payments`);
  await page.locator('table').first().waitFor();
  await page.screenshot({path: path.join(docs, 'dashboard.png')});

  const logo = `${site.base}/logo.svg`;
  const session = await api.must('POST', '/v1/hosted-sessions', {body: {amount: 1650, currency: 'USD',
    customer_id: 'patron-1138', description: 'Library account 1138', setup_future_usage: 'on_session',
    line_items: [{description: 'Late return', amount: 550, quantity: 2}, {description: 'Card replacement', amount: 550}],
    branding: {merchant_display_name: 'City Library', accent_color: '#0B6E4F', logo_url: logo},
    success_url: `${site.base}/paid`, cancel_url: `${site.base}/cart`}});
  const hosted = await openPage(browser, {viewport: {width: 520, height: 900}});
  await hosted.goto(session.hosted_url);
  await hosted.locator('#fee', {hasText: '$'}).waitFor();
  await hosted.screenshot({path: path.join(docs, 'hosted-page.png'), fullPage: true});
  console.log('wrote docs/dashboard.png and docs/hosted-page.png');
} finally {
  await browser.close();
  await receiver.stop();
  await site.stop();
  await sandbox.stop();
}

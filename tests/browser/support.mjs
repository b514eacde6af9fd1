// Shared support for the browser tests: starts the real payment-sandbox
// binary on port 0, drives Debian's chromium through playwright-core (no
// browser download), talks to the sandbox's API the way a merchant's server
// does, checks every page for console errors and for serious or critical
// axe-core violations, and saves a screenshot and the page's HTML when a
// test fails.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);

export const binary = process.env.PAYSANDBOX_BINARY || path.resolve('build/payment-sandbox');
export const artifacts = process.env.PAYSANDBOX_BROWSER_ARTIFACTS || path.resolve('build/browser-artifacts');
const chromiumPath = process.env.PAYSANDBOX_CHROMIUM || '/usr/bin/chromium';

// Why the browser tests cannot run here, or null when they can.
export function missingPrerequisite() {
  if (!existsSync(binary)) return `no payment-sandbox binary at ${binary} (build it first)`;
  if (!existsSync(chromiumPath)) return `no chromium at ${chromiumPath} (scripts/install-deps chromium)`;
  try { require.resolve('playwright-core'); } catch (e) { return 'playwright-core is not installed (npm ci)'; }
  try { require.resolve('axe-core/axe.min.js'); } catch (e) { return 'axe-core is not installed (npm ci)'; }
  return null;
}

// In CI (PAYSANDBOX_BROWSER_REQUIRED=1) a missing prerequisite fails the run
// instead of skipping it.
if (process.env.PAYSANDBOX_BROWSER_REQUIRED === '1' && missingPrerequisite()) {
  throw new Error('browser tests required but cannot run: ' + missingPrerequisite());
}

// ---------- the sandbox process ----------

// Starts `payment-sandbox serve --port 0` and resolves once it prints its
// ready line; `stop()` ends that one process by its PID.
export async function startSandbox(extraArgs = []) {
  const child = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', '0', ...extraArgs],
    {stdio: ['ignore', 'pipe', 'pipe']});
  const lines = createInterface({input: child.stdout});
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  // The ready line, then the dashboard line (both may arrive in one chunk).
  const printed = [];
  const [base, dashboardLine] = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`payment-sandbox exited (${code}) before it was ready: ${stderr}`)));
    lines.on('line', (line) => {
      printed.push(line);
      if (printed.length === 2) {
        const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(printed[0]);
        if (match) resolve([match[1], printed[1]]);
        else reject(new Error('unexpected first line: ' + printed[0]));
      }
    });
  });
  return {
    base,
    dashboardLine,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---------- the merchant's server side ----------

export class Api {
  constructor(base) { this.base = base; this.token = null; this.account = null; }

  async call(method, pathName, {body, headers = {}, bearer = true, account = this.account} = {}) {
    const all = {...headers};
    if (bearer && this.token) all.Authorization = 'Bearer ' + this.token;
    if (account) all['X-Payment-Account-Uid'] = account;
    if (body !== undefined) all['Content-Type'] = 'application/json';
    const response = await fetch(this.base + pathName, {method, headers: all,
      body: body === undefined ? undefined : JSON.stringify(body)});
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
    return {status: response.status, data, headers: response.headers};
  }

  // A bearer token and a fresh account (with settings) for one test.
  async setUp(settings = {}) {
    const form = await fetch(this.base + '/oauth2/token', {method: 'POST',
      headers: {'Authorization': 'Basic ' + Buffer.from('sandbox-client:sandbox-secret').toString('base64'),
        'Content-Type': 'application/x-www-form-urlencoded'}, body: 'grant_type=client_credentials'});
    this.token = (await form.json()).access_token;
    const made = await this.call('POST', '/_sandbox/accounts', {body: settings, bearer: false, account: null});
    if (made.status !== 201) throw new Error('account create: ' + JSON.stringify(made.data));
    this.account = made.data.uid;
    return made.data;
  }

  async must(method, pathName, options = {}, expected = [200, 201, 204]) {
    const reply = await this.call(method, pathName, options);
    if (!expected.includes(reply.status)) {
      throw new Error(`${method} ${pathName} answered ${reply.status}: ${JSON.stringify(reply.data)}`);
    }
    return reply.data;
  }

  async customerWithCards(reference, numbers) {
    const customer = await this.must('POST', '/api/customers', {body: {reference_id: reference, name: 'Alex Morales'}});
    const saved = [];
    for (const number of numbers) {
      const minted = await this.must('POST', '/_sandbox/tokens', {bearer: false,
        body: {card: {number, exp_month: 12, exp_year: 2030}}});
      saved.push(await this.must('POST', `/api/customers/${customer.uid}/payment-methods`, {body: {payment_method: {
        payment_method_type: 'credit', credit: {fingerprint: minted.fingerprint, last4: minted.card.last4,
          exp_month: 12, exp_year: 2030, bin: minted.card.bin, card_brand: minted.card.card_brand,
          holder_name: 'Alex Morales'}}}}));
    }
    return {customer, saved};
  }

  events() { return this.must('GET', '/_sandbox/events', {bearer: false}); }
}

// ---------- a receiver that answers webhooks with a fixed status ----------

export async function startReceiver(status) {
  const received = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => { received.push(body); response.writeHead(status); response.end(); });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {url: `http://127.0.0.1:${server.address().port}/hook`, received,
    stop: () => new Promise((resolve) => server.close(resolve))};
}

// ---------- the browser ----------

export async function launchBrowser() {
  const { chromium } = require('playwright-core');
  const profile = mkdtempSync(path.join(tmpdir(), 'paysandbox-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    executablePath: chromiumPath,
    viewport: {width: 1280, height: 900},
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, {recursive: true, force: true});
    },
  };
}

// A page that records console errors and uncaught exceptions. `allowed`
// lists console texts a test expects (e.g. the 402 of a declined card,
// which Chromium logs as a failed resource load).
export async function openPage(browser, {viewport} = {}) {
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push('uncaught: ' + error.message));
  page.problems = problems;
  return page;
}

// Asserts the page logged no console error other than the expected ones.
export function assertNoConsoleErrors(page, allowed = []) {
  const unexpected = page.problems.filter((text) => !allowed.some((pattern) => pattern.test(text)));
  if (unexpected.length) throw new Error('console errors on the page:\n' + unexpected.join('\n'));
}

// Runs axe-core in the page; fails on any serious or critical violation.
export async function assertAccessible(page) {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({content: source});
  const result = await page.evaluate(async () => window.axe.run(document, {resultTypes: ['violations']}));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    throw new Error('axe-core found serious or critical violations:\n' + bad.map((v) =>
      `${v.impact} ${v.id}: ${v.help}\n  ` + v.nodes.map((n) => n.target.join(' ')).join('\n  ')).join('\n'));
  }
}

// Wraps a test body: on failure, saves a screenshot and the HTML of every
// open page under the artifacts directory and says where.
export async function withArtifacts(name, browser, body) {
  try {
    await body();
  } catch (error) {
    mkdirSync(artifacts, {recursive: true});
    const slug = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
    const saved = [];
    for (const [index, page] of browser.context.pages().entries()) {
      const stem = path.join(artifacts, `${slug}-${index}`);
      try {
        await page.screenshot({path: stem + '.png', fullPage: true});
        writeFileSync(stem + '.html', await page.content());
        saved.push(stem + '.png', stem + '.html');
      } catch (e) { /* a closed page has nothing to save */ }
    }
    if (saved.length) {
      console.error(`browser test "${name}" failed; saved:\n  ${saved.join('\n  ')}`);
      error.message += `\n(screenshot and HTML saved: ${saved.join(', ')})`;
    }
    throw error;
  } finally {
    for (const page of browser.context.pages()) await page.close().catch(() => {});
  }
}

// Polls `check` until it returns a truthy value (for server-side state that
// follows a browser action); fails after `ms`.
export async function eventually(check, ms = 10000, what = 'condition') {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---------- a merchant's site: where success_url and cancel_url land ----------

export async function startMerchantSite() {
  const visits = [];
  const server = createServer((request, response) => {
    visits.push(request.url);
    if (request.url === '/logo.svg') {
      // The merchant's logo, for session branding.logo_url.
      response.writeHead(200, {'Content-Type': 'image/svg+xml'});
      response.end('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" rx="2" ' +
        'fill="#0b6e4f"/><path d="M3 2h1.4v4.6H7V8H3z" fill="#fff"/></svg>');
      return;
    }
    response.writeHead(200, {'Content-Type': 'text/html; charset=utf-8'});
    response.end('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Merchant</title>' +
      '<link rel="icon" href="data:,"></head><body><main><h1>Back at the merchant</h1></main></body></html>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {base: `http://127.0.0.1:${server.address().port}`, visits,
    stop: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); })};
}

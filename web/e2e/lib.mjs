// Shared by the browser journeys and the screenshot/accessibility pass: the API client used
// to set the scene, a host page for the widget on a second loopback origin, the Chromium
// launch (Debian's, never a downloaded one) and the watch that fails a page on any console
// error or failed request.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function client(base) {
  return async function api(path, { token, method = 'POST', body } = {}) {
    const res = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
}

/**
 * A host page with the guide's widget snippet, served from its own loopback origin.
 * `companyId` may be a function, read at each request (the company may not exist yet).
 */
export function hostPage(base, companyId) {
  const html = (id) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host shop</title>
<link rel="icon" href="data:,"></head><body><h1>A shop on another origin</h1>
<script>window.customerAIConfig = { companyId: ${JSON.stringify(id)} };</script>
<script src="${base}/widget.js" async></script></body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html(typeof companyId === 'function' ? companyId() : companyId));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export const originOf = (server) => `http://127.0.0.1:${server.address().port}`;

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The browser, for journeys that want a fresh context (a person's own browser) each. */
export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export async function launch() {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'sb-e2e-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Collects console errors, page errors, failed requests and HTTP errors of a page. */
export function watch(page) {
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A socket closed by navigating away or by the test closing the page is not a failure.
    const why = r.failure()?.errorText ?? '';
    if (!why.includes('ERR_ABORTED')) problems.push(`failed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  return problems;
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Runs named journeys one after another, each in a fresh context; returns how many failed. */
export async function runJourneys(browser, journeys) {
  let failed = 0;
  for (const [name, journey] of Object.entries(journeys)) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    try {
      await journey(page, problems);
      check(problems.length === 0, `problems on the page:\n${problems.join('\n')}`);
      console.log(`ok   ${name}`);
    } catch (e) {
      failed += 1;
      console.log(`FAIL ${name}\n${e.stack || e}`);
      if (process.env.E2E_ARTIFACTS) await page.screenshot({ path: join(process.env.E2E_ARTIFACTS, `${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
    }
    await context.close();
  }
  return failed;
}

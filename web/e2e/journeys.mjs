// Browser journeys against a running Switchboard (argument: its base URL), in Debian's
// Chromium driven by playwright-core: the widget on a page of a second, allowed origin
// (greeting, a curated answer), the widget refused on an origin the company does not allow,
// and an admin signing in to the dashboard with email and password alone. A journey fails on
// any console error or failed request it did not expect.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.argv[2];
if (!base) throw new Error('usage: node e2e/journeys.mjs http://127.0.0.1:PORT');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const tag = Date.now().toString(36);
const admin = { email: `ada-${tag}@e2e.example.com`, password: 'correct horse battery' };

async function api(path, { token, method = 'POST', body } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** A host page with the widget snippet, on its own loopback origin. */
function hostPage(companyId) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host shop</title>
<link rel="icon" href="data:,"></head><body><h1>A shop on another origin</h1>
<script>window.customerAIConfig = { companyId: ${JSON.stringify(companyId)} };</script>
<script src="${base}/widget.js" async></script></body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function watch(page) {
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  return problems;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const registered = await api('/api/auth/register', {
  body: { companyName: 'E2E Outfitters', companyEmail: `support-${tag}@e2e.example.com`,
          adminName: 'Ada Admin', adminEmail: admin.email, adminPassword: admin.password },
});
const { token, companyId } = registered;
const allowed = await hostPage(companyId);
const refused = await hostPage(companyId);
const origin = (server) => `http://127.0.0.1:${server.address().port}`;
await api('/api/admin/config', { token, method: 'PUT', body: {
  allowedOrigins: [origin(allowed)], greetingMessage: 'Hi! Ask me about returns.', brandingPrimaryColor: '#0f766e',
} });
await api('/api/ai/faqs', { token, body: {
  question: 'What is your return policy?', answer: 'You can return unused items within 30 days for a full refund.',
  variants: ['Can I return something?', 'How do returns work?'],
} });

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'sb-e2e-')), {
  executablePath: CHROMIUM, headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const journeys = {
  async 'the widget answers on an allowed origin'(page, problems) {
    await page.goto(origin(allowed));
    await page.getByRole('button', { name: /Open chat with/ }).click();
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText('Hi! Ask me about returns.').waitFor();
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('How do returns work?');
    await input.press('Enter');
    await log.getByText('You can return unused items within 30 days for a full refund.').waitFor({ timeout: 15000 });
    check(problems.length === 0, problems.join('\n'));
  },
  async 'the widget is refused on another origin'(page, problems) {
    await page.goto(origin(refused));
    await page.waitForTimeout(1500);
    check(await page.locator('#switchboard-widget').count() === 0, 'the widget mounted on a refused origin');
    check(problems.some((p) => p.includes('Switchboard widget:') && p.includes('allowed origins')),
      `no clear console message: ${problems.join('\n')}`);
  },
  async 'an admin signs in with email and password alone'(page, problems) {
    await page.goto(`${base}/login`);
    await page.getByLabel(/email/i).first().fill(admin.email);
    await page.getByLabel(/password/i).first().fill(admin.password);
    await page.getByRole('button', { name: /sign in|log in/i }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    check(problems.length === 0, problems.join('\n'));
  },
};

let failed = 0;
for (const [name, journey] of Object.entries(journeys)) {
  const page = await context.newPage();
  const problems = watch(page);
  try {
    await journey(page, problems);
    console.log(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}\n${e.stack || e}`);
  }
  await page.close();
}
await context.close();
allowed.close();
refused.close();
if (failed) process.exit(1);

// Size and speed of the dashboard and the widget against a running Switchboard (argument: its
// base URL), in Debian's Chromium driven by playwright-core. Called by bench/web.sh.
//
//   (a) /widget.js as served, gzipped (node:zlib, level 9);
//   (b) the JavaScript Chromium fetches on a first visit of `/` signed in as an admin, each
//       response gzipped at level 9 (the entry chunk and its module preloads, then the route
//       chunks the page loads), beside the same for /login signed out and every .js under
//       web/dist/assets;
//   (c) largest contentful paint of that first visit on loopback: the median of BENCH_RUNS
//       (5) cold loads, each in a fresh browser context (empty cache), after one warm-up.
//       Baselines from the same run, interleaved with it: a static page (a heading and two
//       paragraphs, no script) served from loopback by this process, and /login (the same
//       shell with a smaller page and no data).
import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { client, launchBrowser } from '../web/e2e/lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const base = process.argv[2]?.replace(/\/$/, '');
if (!base) throw new Error('usage: node bench/web-vitals.mjs http://127.0.0.1:PORT');
const RUNS = Number(process.env.BENCH_RUNS || 5);

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// An admin to sign in as, with a few conversations so the dashboard has something to draw.
const api = client(base);
const tag = Date.now().toString(36);
const reg = await api('/api/auth/register', { body: {
  companyName: 'Bench Outfitters', companyEmail: `bench-${tag}@bench.example.com`,
  adminName: 'Bea Bench', adminEmail: `bea-${tag}@bench.example.com`, adminPassword: 'correct horse battery',
} });
await api('/api/ai/faqs', { token: reg.token, body: { question: 'What is your return policy?', answer: 'Unused items within 30 days.' } });
for (const message of ['What is your return policy?', 'Do you ship to Norway?', 'Where is my order?']) {
  await api('/api/chat', { body: { companyId: reg.companyId, message } });
}
const login = await api('/api/auth/login', { body: { email: `bea-${tag}@bench.example.com`, password: 'correct horse battery', companyId: reg.companyId } });
const session = JSON.stringify({ token: login.token, companyId: login.companyId, user: login.user, mustChangePassword: false });

const staticHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Static</title><link rel="icon" href="data:,"></head><body style="font-family:system-ui,sans-serif;margin:2rem">
<h1>Dashboard</h1><p>The last 30 days, and what is waiting now, kept current as it changes.</p>
<p>A static page with no script: the floor of what Chromium takes to paint text on this machine.</p></body></html>`;
const staticServer = await new Promise((resolve) => {
  const s = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(staticHtml));
  s.listen(0, '127.0.0.1', () => resolve(s));
});
const staticUrl = `http://127.0.0.1:${staticServer.address().port}/`;

const browser = await launchBrowser();
const chromiumVersion = browser.version();

/**
 * One cold visit in a fresh context: the LCP (ms after navigation start), the time the page
 * showed a heading with no skeleton left, and every script response with its gzipped size.
 */
async function visit(url, { signedIn = false, settled = true } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  if (signedIn) {
    await context.addInitScript(({ origin, value }) => {
      if (location.origin === origin) localStorage.setItem('switchboard.session', value);
    }, { origin: new URL(base).origin, value: session });
  }
  const page = await context.newPage();
  const scripts = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.push(r.body().then((b) => ({ url: r.url(), raw: b.length, gzip: gz(b) }), () => null));
  });
  await page.goto(url, { waitUntil: 'load' });
  const ready = settled
    ? await page.evaluate(() => new Promise((resolve) => {
      const done = () => document.querySelector('h1') && !document.querySelector('[aria-busy="true"]:not(button), .animate-pulse.bg-muted');
      const tick = () => (done() ? resolve(performance.now()) : requestAnimationFrame(tick));
      tick();
    }))
    : null;
  await page.waitForLoadState('networkidle');
  const lcp = await page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const e = list.getEntries().at(-1);
      const text = e.element?.textContent?.trim().slice(0, 40);
      resolve({ time: e.startTime, element: e.element ? `<${e.element.tagName.toLowerCase()}>${text ? ` "${text}"` : ''}` : '(removed)' });
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    setTimeout(() => resolve({ time: NaN, element: 'none in 3 s' }), 3000);
  }));
  const js = (await Promise.all(scripts)).filter(Boolean);
  await context.close();
  return { lcp: lcp.time, lcpElement: lcp.element, ready, js };
}

// (a) The widget, as served.
const widgetBody = Buffer.from(await (await fetch(`${base}/widget.js`)).arrayBuffer());
const widget = { raw: widgetBody.length, gzip: gz(widgetBody) };

// (b) First-load JavaScript. The entry chunk and its preloads are named by index.html.
const indexHtml = await (await fetch(`${base}/`)).text();
const entryPaths = [...indexHtml.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
if (!entryPaths.length) throw new Error(`${base}/ does not serve the dashboard (no /assets/*.js in index.html): was the server built with web/dist?`);
const dashboardFirst = await visit(`${base}/`, { signedIn: true });
const loginFirst = await visit(`${base}/login`);
const distAssets = join(here, '..', 'web', 'dist', 'assets');
const allChunks = readdirSync(distAssets).filter((f) => f.endsWith('.js')).map((f) => {
  const b = readFileSync(join(distAssets, f));
  return { file: f, raw: b.length, gzip: gz(b) };
});
const sum = (xs, k) => xs.reduce((n, x) => n + x[k], 0);

// (c) LCP: one warm-up of each, then RUNS interleaved cold loads.
await visit(staticUrl, { settled: false });
await visit(`${base}/login`);
await visit(`${base}/`, { signedIn: true });
const runs = { static: [], login: [], dashboard: [], dashboardReady: [], elements: new Set() };
for (let i = 0; i < RUNS; i++) {
  runs.static.push((await visit(staticUrl, { settled: false })).lcp);
  runs.login.push((await visit(`${base}/login`)).lcp);
  const d = await visit(`${base}/`, { signedIn: true });
  runs.dashboard.push(d.lcp);
  runs.dashboardReady.push(d.ready);
  runs.elements.add(d.lcpElement);
}
await browser.close();
staticServer.close();

const name = (u) => new URL(u).pathname.replace(/^\/assets\//, '');
const entrySet = new Set(entryPaths);
console.log(`Chromium ${chromiumVersion}: ${RUNS} cold loads per page (fresh context each) after one warm-up; sizes gzipped at level 9, kB = 1000 bytes.\n`);
console.log('JavaScript of a first visit of / signed in as an admin (e = named by index.html):');
for (const s of dashboardFirst.js) console.log(`  ${entrySet.has(new URL(s.url).pathname) ? 'e' : ' '} ${name(s.url).padEnd(36)} ${kb(s.raw).padStart(10)} raw ${kb(s.gzip).padStart(9)} gzipped`);
console.log(`JavaScript of /login signed out, beyond the entry chunk and its preloads: ${loginFirst.js
  .filter((s) => !entrySet.has(new URL(s.url).pathname)).map((s) => `${name(s.url)} ${kb(s.gzip)}`).join(', ')}`);
console.log('');

const fmt = (xs) => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
const entryGzip = sum(dashboardFirst.js.filter((s) => entrySet.has(new URL(s.url).pathname)), 'gzip');
const rows = [
  ['widget.js, gzipped (raw)', `${kb(widget.gzip)} (${kb(widget.raw)})`, '≤ 40 kB', widget.gzip <= 40_000],
  [`dashboard first load JS, ${dashboardFirst.js.length} files, gzipped`, `${kb(sum(dashboardFirst.js, 'gzip'))} (raw ${kb(sum(dashboardFirst.js, 'raw'))})`, '≤ 250 kB', sum(dashboardFirst.js, 'gzip') <= 250_000],
  ['  of which entry chunk + preloads (index.html)', kb(entryGzip), '', null],
  [`/login first load JS, ${loginFirst.js.length} files, gzipped`, kb(sum(loginFirst.js, 'gzip')), '', null],
  [`all JS chunks in web/dist/assets (${allChunks.length}), gzipped`, `${kb(sum(allChunks, 'gzip'))} (raw ${kb(sum(allChunks, 'raw'))})`, '', null],
  ['LCP, dashboard `/` signed in: median (min–max)', fmt(runs.dashboard), '< 1000 ms', median(runs.dashboard) < 1000],
  ['dashboard data shown (no skeleton left)', fmt(runs.dashboardReady), '', null],
  ['LCP, /login (baseline: same shell, no data)', fmt(runs.login), '', null],
  ['LCP, static HTML page (baseline: no script)', fmt(runs.static), '', null],
  ['dashboard LCP ÷ static page LCP', `${(median(runs.dashboard) / median(runs.static)).toFixed(2)}×`, '', null],
  ['dashboard LCP ÷ /login LCP', `${(median(runs.dashboard) / median(runs.login)).toFixed(2)}×`, '', null],
];
console.log(`dashboard LCP element: ${[...runs.elements].join(' / ')}\n`);
const w = Math.max(...rows.map((r) => r[0].length));
const v = Math.max(...rows.map((r) => r[1].length));
console.log(`${'measure'.padEnd(w)}  ${'value'.padEnd(v)}  target`);
for (const [m, val, target, ok] of rows) {
  console.log(`${m.padEnd(w)}  ${val.padEnd(v)}  ${target}${ok === null ? '' : ok ? '  met' : '  NOT MET'}`);
}

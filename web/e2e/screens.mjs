// Screenshots and an accessibility pass of every main page, against a running Switchboard:
//
//   node web/e2e/screens.mjs BASE_URL [OUT_DIR]        (OUT_DIR defaults to docs/screenshots)
//
// Seeds one company through the API (an agent, a ready knowledge document, FAQs, classification
// examples, tools, a workflow whose refund tool needs approval, and chats: answered from the
// knowledge and from an FAQ, handed to a person, taken over, closed with feedback, waiting for
// approval), signs in by writing the session into localStorage before the dashboard's scripts
// run, and for each page, in light and dark at 1280×800 and light at phone width (390×844):
// waits until it has loaded (network idle, no skeleton, a heading), runs axe-core with the
// WCAG 2 A and AA rules, and saves a viewport screenshot as OUT_DIR/<page>-<light|dark|phone>.png.
// The widget is shot open, mid-conversation, on a host page of a second, allowed origin.
//
// Exits 1 when a page has an axe violation of impact serious or critical (listed with rule,
// impact and target), or any console error, page error or failed request, like the journeys.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, client, hostPage, launchBrowser, originOf, watch } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const base = process.argv[2]?.replace(/\/$/, '');
if (!base) throw new Error('usage: node web/e2e/screens.mjs http://127.0.0.1:PORT [OUT_DIR]');
const out = process.argv[3] ? resolve(process.argv[3]) : join(here, '..', '..', 'docs', 'screenshots');
const AXE = join(here, '..', 'node_modules', 'axe-core', 'axe.min.js');
mkdirSync(out, { recursive: true });

const api = client(base);
const tag = Date.now().toString(36);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// The scene: one company with enough in it that no page is empty.

const admin = { email: `ada-${tag}@screens.example.com`, password: 'correct horse battery' };
const agentPassword = 'agent horse battery';

async function signIn(email, password, companyId) {
  const d = await api('/api/auth/login', { body: { email, password, companyId } });
  return { token: d.token, companyId: d.companyId, user: d.user, mustChangePassword: Boolean(d.mustChangePassword ?? d.user?.mustChangePassword) };
}

/** A new agent, signed in once with the temporary password to set its own, then online. */
async function addAgent(token, companyId, { name, email, skills, online }) {
  const created = await api('/api/admin/agents', { token, body: { name, email, skills } });
  const first = await signIn(email, created.credentials.temporaryPassword, companyId);
  await api('/api/auth/change-password', { token: first.token, body: { currentPassword: created.credentials.temporaryPassword, newPassword: agentPassword } });
  const session = await signIn(email, agentPassword, companyId);
  if (online) await api('/api/agent/status', { token: session.token, body: { status: 'online' } });
  return { id: created.id, session };
}

async function chat(companyId, message, sessionId) {
  return api('/api/chat', { body: { companyId, message, ...(sessionId ? { sessionId } : {}) } });
}

async function seed() {
  const reg = await api('/api/auth/register', { body: {
    companyName: 'Northwind Outfitters', companyEmail: `support-${tag}@screens.example.com`,
    adminName: 'Ada Lovelace', adminEmail: admin.email, adminPassword: admin.password,
  } });
  const { token, companyId } = reg;
  const host = await hostPage(base, companyId);
  await api('/api/admin/config', { token, method: 'PUT', body: {
    agentName: 'Nora', brandingName: 'Northwind Outfitters', brandingPrimaryColor: '#0f766e',
    agentPersona: 'Friendly and brief; outdoor gear expert.',
    greetingMessage: 'Hi! I’m Nora from Northwind. Ask me about delivery, returns or your order.',
    allowedOrigins: [originOf(host)],
  } });

  const documents = [
    { title: 'Shipping and returns', format: 'markdown', content: [
      '# Shipping', '',
      'Orders ship within 2 business days from our Leeds warehouse. Standard delivery takes 3 to 5 days and costs 4.95 GBP; orders over 50 GBP ship free.',
      'Express delivery arrives the next working day when ordered before 2 pm and costs 9.95 GBP.', '',
      '# Returns', '',
      'You can return unused items within 30 days of delivery for a full refund. Print the prepaid label from your order page and drop the parcel at any post office.',
      'Refunds reach your card within 5 business days after we receive the parcel.',
    ].join('\n') },
    { title: 'Warranty and repairs', format: 'text', content:
      'Tents, jackets and boots carry a two-year warranty against manufacturing faults. ' +
      'Send a photo of the fault with your order number and we repair or replace the item free of charge. ' +
      'Wear and tear, and damage from misuse, are not covered by the warranty.' },
  ];
  const docs = [];
  for (const d of documents) docs.push(await api('/api/ai/knowledge-base', { token, body: d }));
  for (let i = 0; ; i++) {
    const list = await api('/api/ai/knowledge-base', { token, method: 'GET' });
    if (list.every((d) => d.status === 'ready')) break;
    check(!list.some((d) => d.status === 'failed'), `a document failed to index: ${JSON.stringify(list)}`);
    check(i < 120, 'the knowledge documents were not indexed in 60 s');
    await sleep(500);
  }

  const faqs = [
    { question: 'Are you open on Sundays?', answer: 'Our support team answers from 9 am to 6 pm, Monday to Saturday. Chat with Nora any time.', variants: ['What are your opening hours?', 'When can I reach support?'], category: 'general' },
    { question: 'Do you sell gift cards?', answer: 'Yes: digital gift cards from 10 to 200 GBP, delivered by email and valid for two years.', variants: ['Can I buy a voucher?'], category: 'orders' },
    { question: 'Can I change my delivery address?', answer: 'You can change it from your order page until the order ships.', variants: ['How do I update my shipping address?'], category: 'shipping' },
  ];
  for (const f of faqs) await api('/api/ai/faqs', { token, body: f });

  await api('/api/ai/classification/examples/import', { token, body: { examples: [
    { text: 'Where is my parcel?', label: 'shipping' },
    { text: 'Has my order left the warehouse yet?', label: 'shipping' },
    { text: 'I want to send this back for a refund', label: 'returns' },
    { text: 'The zip on my jacket broke after a week', label: 'warranty' },
    { text: 'My boots are leaking, are they covered?', label: 'warranty' },
    { text: 'I was charged twice for one order', label: 'billing' },
    { text: 'Can I pay by bank transfer?', label: 'billing' },
    { text: 'I want to place an order for ten units', label: 'orders' },
  ] } });

  await api('/api/ai/tools', { token, body: {
    name: 'issue_refund', description: 'Refund an order in full to the card it was paid with.', type: 'function',
    parameters: { type: 'object', properties: { orderId: { type: 'string', description: 'Order number, e.g. A-12345' } }, required: ['orderId'] },
    config: { script: '"Refund issued for order " + args.orderId' }, requiresApproval: true, enabled: true,
  } });
  await api('/api/ai/tools', { token, body: {
    name: 'order_status', description: 'Look up where an order is.', type: 'function',
    parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
    config: { script: '#{ orderId: args.orderId, status: "shipped", carrier: "Royal Mail" }' }, requiresApproval: false, enabled: true,
  } });
  const workflow = await api('/api/ai/workflows', { token, body: {
    name: 'Refund request', description: 'Collects the order number, then refunds it once an agent approves.',
    trigger: { type: 'keyword', keywords: ['refund'] },
    steps: [
      { type: 'ask', field: 'orderId', prompt: 'What is your order number? It looks like A-12345.', pattern: 'A-\\d{5}' },
      { type: 'set_priority', priority: 'high' },
      { type: 'tool', tool: 'issue_refund', arguments: { orderId: '{{orderId}}' } },
      { type: 'message', content: 'Your refund is on its way: it reaches your card within 5 business days.' },
    ],
    enabled: true,
  } });
  await api('/api/ai/workflows', { token, body: {
    name: 'Warranty claim', description: 'Asks for the order number and hands the claim to a person.',
    trigger: { type: 'category', categories: ['warranty'] },
    steps: [
      { type: 'ask', field: 'orderId', prompt: 'Sorry to hear that! What is the order number?', pattern: 'A-\\d{5}' },
      { type: 'handoff', reason: 'Warranty claim for {{orderId}}' },
    ],
    enabled: false,
  } });

  const grace = await addAgent(token, companyId, { name: 'Grace Hopper', email: `grace-${tag}@screens.example.com`, skills: ['returns', 'billing'], online: true });
  await addAgent(token, companyId, { name: 'Alan Turing', email: `alan-${tag}@screens.example.com`, skills: ['warranty'], online: false });
  const agentToken = grace.session.token;

  // Answered from the knowledge, then a question it cannot answer: handed to Grace, who
  // replies and closes it; the customer rates it.
  const a = await chat(companyId, 'How long does standard delivery take?');
  const a2 = await chat(companyId, 'Can I pay for my order with cryptocurrency?', a.sessionId);
  check(a2.status === 'human', `the unanswerable question was not handed off (status ${a2.status})`);
  await api(`/api/agent/conversations/${a.conversationId}/takeover`, { token: agentToken });
  await api(`/api/agent/conversations/${a.conversationId}/messages`, { token: agentToken, body: { content: 'Hi, Grace here. We don’t take cryptocurrency yet, but card, PayPal and bank transfer all work.' } });
  await chat(companyId, 'Thanks, I’ll use PayPal then.', a.sessionId);
  await api(`/api/agent/conversations/${a.conversationId}/close`, { token: agentToken, body: { resolution: 'Explained the payment options.' } });
  await api('/api/feedback', { body: { companyId, conversationId: a.conversationId, sessionId: a.sessionId, rating: 5, comment: 'Quick and clear, thank you!' } });

  // Taken over by Grace (handed off, or taken from the AI), still open: the one shown in the agent console.
  const b = await chat(companyId, 'Could I speak to someone about a wholesale account for our climbing club?');
  await api(`/api/agent/conversations/${b.conversationId}/takeover`, { token: agentToken });
  await api(`/api/agent/conversations/${b.conversationId}/messages`, { token: agentToken, body: { content: 'Hello! Yes, we can. Which colour would you like, and by when do you need them?' } });
  await chat(companyId, 'Navy, by the end of next month if possible.', b.sessionId);

  // A refund through the workflow: an approval request waiting for a decision.
  const c = await chat(companyId, 'I would like a refund for order A-12345 please, the tent was too small.');
  check(c.status === 'awaiting_approval', `the refund did not wait for approval (status ${c.status})`);
  // A second one, approved, so that the performance pages have a decision to show.
  const d = await chat(companyId, 'Refund please, order A-67890');
  const approvals = await api('/api/agent/approvals?status=pending', { token: agentToken, method: 'GET' });
  const mine = approvals.find((r) => r.conversationId === d.conversationId);
  if (mine) await api(`/api/agent/approvals/${mine.id}/approve`, { token: agentToken, body: { note: 'Order checked.' } });

  // Answered by the AI alone: from an FAQ and from the warranty page.
  await chat(companyId, 'What are your opening hours?');
  await chat(companyId, 'Is there a warranty on jackets?');

  return {
    companyId, host, adminSession: await signIn(admin.email, admin.password, companyId), agentSession: grace.session,
    closedConversation: a.conversationId, openConversation: b.conversationId, workflowId: workflow.id, docs,
  };
}

// ---------------------------------------------------------------------------------------------
// The browser.

const VARIANTS = {
  light: { viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
  dark: { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' },
  phone: { viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true, hasTouch: true },
};

const browser = await launchBrowser();

/** A fresh context of a variant, signed in as `session` (or not) before any script runs. */
async function contextFor(variant, session, overrides = {}) {
  const context = await browser.newContext({ ...VARIANTS[variant], ...overrides, deviceScaleFactor: 1, reducedMotion: 'reduce', bypassCSP: true, locale: 'en-GB', timezoneId: 'Europe/London' });
  if (session) {
    await context.addInitScript(({ origin, value }) => {
      if (location.origin === origin) localStorage.setItem('switchboard.session', value);
    }, { origin: new URL(base).origin, value: JSON.stringify(session) });
  }
  return context;
}

/** Network idle, no skeleton or busy region left, a top heading shown, fonts ready. */
async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]:not(button), .animate-pulse.bg-muted'), null, { timeout: 15000 });
  await page.locator('h1').first().waitFor({ timeout: 15000 });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState('networkidle');
  await sleep(150);
}

/** axe-core with the WCAG 2 A and AA rules; the serious and critical violations. */
async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] }));
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => `${n.target.join(' ')}${n.any[0]?.message ? `: ${n.any[0].message}` : ''}`) }));
}

const failures = [];
const minor = new Map();
const saved = [];

/** Loads, checks and shoots one page; `act` may interact after the page settled. */
async function shoot(context, variant, { name, path, act, url }) {
  const page = await context.newPage();
  const problems = watch(page);
  const label = `${name}-${variant}`;
  try {
    await page.goto(url ?? base + path);
    if (act) await act(page);
    else await settle(page);
    for (const v of await axe(page)) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        failures.push(`${label}: axe ${v.id} (${v.impact}) ${v.help}\n    ${v.targets.slice(0, 8).join('\n    ')}`);
      } else {
        minor.set(`${v.id} (${v.impact})`, [...(minor.get(`${v.id} (${v.impact})`) ?? []), label]);
      }
    }
    const file = join(out, `${label}.png`);
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    saved.push([file, statSync(file).size]);
    if (problems.length) failures.push(`${label}: problems on the page\n    ${problems.join('\n    ')}`);
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${label}`);
  } catch (e) {
    failures.push(`${label}: ${e.stack || e}${problems.length ? `\n    ${problems.join('\n    ')}` : ''}`);
    console.log(`FAIL ${label}`);
  }
  await page.close();
}

const scene = await seed();
console.log(`seeded company ${scene.companyId}`);

const adminPages = [
  { name: 'dashboard', path: '/' },
  { name: 'agents', path: '/agents' },
  { name: 'ai-config', path: '/ai-config' },
  { name: 'knowledge', path: '/knowledge' },
  { name: 'faqs', path: '/faqs' },
  { name: 'classification', path: '/classification' },
  { name: 'tools', path: '/tools' },
  { name: 'workflows', path: '/workflows' },
  { name: 'workflow-builder', path: `/workflows?workflow=${encodeURIComponent(scene.workflowId)}` },
  { name: 'queue', path: '/queue' },
  { name: 'conversations', path: '/conversations' },
  { name: 'conversation', path: `/conversations/${encodeURIComponent(scene.closedConversation)}` },
  { name: 'performance', path: '/performance' },
  { name: 'settings', path: '/settings' },
];
const agentPages = [
  { name: 'agent', path: '/agent' },
  { name: 'agent-conversations', path: `/agent/conversations?c=${encodeURIComponent(scene.openConversation)}` },
  { name: 'agent-performance', path: '/agent/performance' },
];
const publicPages = [
  { name: 'login', path: '/login' },
  { name: 'register', path: '/register' },
];
const widget = {
  name: 'widget', url: originOf(scene.host),
  async act(page) {
    await page.getByRole('button', { name: /Open chat with/ }).click();
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText('Ask me about delivery').waitFor();
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('How long does standard delivery take?');
    await input.press('Enter');
    await log.getByText('3 to 5 days').last().waitFor({ timeout: 15000 });
    await page.waitForLoadState('networkidle');
    await sleep(300);
  },
};
const phoneMenu = {
  name: 'menu', path: '/',
  async act(page) {
    await settle(page);
    await page.getByRole('button', { name: 'Open the menu' }).click();
    await page.getByRole('dialog').getByRole('navigation', { name: 'Main' }).waitFor();
    await sleep(300);
  },
};

try {
  for (const variant of Object.keys(VARIANTS)) {
    for (const [session, pages] of [[scene.adminSession, adminPages], [scene.agentSession, agentPages], [null, publicPages]]) {
      const context = await contextFor(variant, session);
      for (const p of pages) await shoot(context, variant, p);
      if (variant === 'phone' && session === scene.adminSession) await shoot(context, variant, phoneMenu);
      await context.close();
    }
    if (variant !== 'dark') {
      // The widget has one (light) look; it is shot at desktop and phone width. The host page
      // has no viewport meta tag, so a mobile browser would lay it out 980 px wide: the phone
      // shot is a narrow desktop window instead.
      const context = await contextFor(variant, null, { isMobile: false, hasTouch: false });
      await shoot(context, variant, widget);
      await context.close();
    }
  }
} finally {
  await browser.close();
  scene.host.close();
}

const total = saved.reduce((n, [, size]) => n + size, 0);
console.log(`${saved.length} screenshots in ${out} (${(total / 1024 / 1024).toFixed(1)} MB)`);
if (minor.size) {
  console.log('axe, moderate and minor (not failing):');
  for (const [rule, where] of minor) console.log(`  ${rule}: ${where.join(', ')}`);
}
if (failures.length) {
  console.log(`\n${failures.length} failure(s):\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('ok   no serious or critical axe violation, no console error or failed request');

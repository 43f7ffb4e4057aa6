// Browser journeys against a running Switchboard (argument: its base URL), in Debian's
// Chromium driven by playwright-core. They follow one company from its registration:
//   1. the admin sets it up from the browser alone (register, an agent, branding, a document
//      uploaded and ready, retrieval tested, an FAQ, a tool and a workflow, allowed origins);
//   2. the agent signs in with the one-time password, replaces it, goes online, approves a
//      request that arrives live, takes over a conversation and replies;
//   3. a customer chats through the widget on a second loopback origin: the greeting, an
//      answer streamed by a model server (a local stand-in speaking the OpenAI protocol) with
//      its citation, a handoff, the agent's reply arriving, and the rating;
//   4. the widget is refused, clearly, on an origin the company does not allow.
// A journey fails on any console error or failed request it did not expect.
import { readFileSync } from 'node:fs';
import { check, client, hostPage, launchBrowser, originOf, runJourneys, watch } from './lib.mjs';
import { startFakeLlm } from './fake-llm.mjs';

const base = process.argv[2];
if (!base) throw new Error('usage: node e2e/journeys.mjs http://127.0.0.1:PORT');
const api = client(base);
const tag = Date.now().toString(36);
const admin = { name: 'Ada Admin', email: `ada-${tag}@e2e.example.com`, password: 'correct horse battery' };
const agent = { name: 'Bo Agent', email: `bo-${tag}@e2e.example.com`, password: 'a brand new secret' };
const RETURNS = readFileSync(new URL('./fixtures/returns-policy.md', import.meta.url));
const state = {};

const allowed = await hostPage(base, () => state.companyId);
const refused = await hostPage(base, () => state.companyId);
const llm = await startFakeLlm();
const browser = await launchBrowser();

const toast = (page, text) => page.getByRole('status').filter({ hasText: text }).first().waitFor();
const session = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('switchboard.session')));

/** A page in a context of its own (another person's browser), watched like the journey's. */
async function otherPage(problems) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const mine = watch(page);
  return { page, problems: mine, close: async () => { problems.push(...mine); await context.close(); } };
}

async function signIn(page, email, password) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function adminSetsUp(page) {
  await page.goto(`${base}/register`);
  await page.getByLabel('Company name').fill('E2E Outfitters');
  await page.getByLabel('Company email').fill(`support-${tag}@e2e.example.com`);
  await page.getByLabel('Your name').fill(admin.name);
  await page.getByLabel('Your email').fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByLabel('Repeat the password').fill(admin.password);
  await page.getByRole('button', { name: 'Create company' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  // Out and back in, with email and password alone.
  await page.getByRole('button', { name: /Account menu/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await signIn(page, admin.email, admin.password);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  Object.assign(state, await session(page));

  // An agent, with the one-time password shown once.
  await page.getByRole('link', { name: 'Agents' }).first().click();
  await page.getByRole('button', { name: 'New agent' }).click();
  await page.getByLabel('Name').fill(agent.name);
  await page.getByLabel('Email').fill(agent.email);
  await page.getByLabel('Skills').fill('returns, billing');
  await page.getByRole('button', { name: 'Create agent' }).click();
  agent.temporary = (await page.getByTestId('temporary-password').textContent()).trim();
  check(agent.temporary.length >= 8, 'no temporary password shown');
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('table', { name: 'Agents' }).getByText(agent.email).waitFor();

  // Branding and greeting.
  await page.getByRole('link', { name: 'AI Configuration' }).first().click();
  await page.getByLabel('Branding name').fill('E2E Outfitters');
  await page.getByLabel('Primary colour').fill('#0f766e');
  await page.getByLabel('Greeting').fill('Hi! Ask me about returns.');
  await page.getByRole('button', { name: 'Save configuration' }).click();
  await toast(page, /saved/i);

  // A document, uploaded and indexed, then found by other words than its own.
  await page.getByRole('link', { name: 'Knowledge Base' }).first().click();
  await page.getByRole('button', { name: 'Upload file' }).click();
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'returns-policy.md', mimeType: 'text/markdown', buffer: RETURNS });
  await page.getByLabel('Title (optional)').fill('Returns policy');
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const row = page.getByRole('table', { name: 'Documents' }).getByRole('row').filter({ hasText: 'Returns policy' });
  await row.getByText('ready').waitFor({ timeout: 60_000 });
  await page.getByLabel('Test a question').fill('can I send back something I did not use');
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByRole('list', { name: 'Search results' });
  await results.getByText('Returns policy').first().waitFor();
  check(/30 days/.test(await results.textContent()), 'the retrieval test did not show the passage that answers');

  // An FAQ with another phrasing.
  await page.getByRole('link', { name: 'FAQs' }).first().click();
  await page.getByRole('button', { name: 'Add FAQ' }).click();
  await page.getByLabel('Question').fill('How long does shipping take?');
  await page.getByLabel('Answer').fill('Orders arrive within 3 to 5 working days.');
  await page.getByRole('button', { name: 'Add phrasing' }).click();
  await page.getByRole('textbox', { name: 'Phrasing 1', exact: true }).fill('When will my order arrive?');
  await page.getByRole('button', { name: 'Save FAQ' }).click();
  await page.getByRole('table').getByText('How long does shipping take?').waitFor();

  // A tool that needs approval, and a workflow that asks for the order and calls it.
  await page.getByRole('link', { name: 'Tools' }).first().click();
  await page.getByRole('button', { name: 'New tool' }).click();
  await page.getByLabel('Name', { exact: true }).fill('issue_refund');
  await page.getByLabel('Description', { exact: true }).fill('Refunds an order in full.');
  await page.getByRole('radio', { name: 'Function' }).check();
  await page.getByRole('textbox', { name: 'Script', exact: true }).fill('"Refund issued for order " + args.order');
  await page.getByRole('button', { name: 'Add parameter' }).click();
  await page.getByLabel('Name (parameter 1)').fill('order');
  await page.getByLabel('Required (parameter 1)').check();
  await page.getByRole('switch', { name: 'Requires approval' }).click();
  await page.getByRole('button', { name: 'Create tool' }).click();
  await page.getByRole('table').getByText('issue_refund').waitFor();

  await page.getByRole('link', { name: 'Workflows' }).first().click();
  await page.getByRole('button', { name: 'New workflow' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Refunds');
  await page.getByLabel('Keywords').fill('refund');
  await page.getByLabel('Step type').selectOption('ask');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Question (step 1)').fill('What is your order number?');
  await page.getByLabel('Field name (step 1)').fill('order');
  await page.getByLabel('Pattern (step 1)').fill('\\d{5}');
  await page.getByLabel('Step type').selectOption('tool');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Tool (step 2)').selectOption('issue_refund');
  await page.getByLabel('Arguments (JSON) (step 2)').fill('{"order": "{{order}}"}');
  await page.getByRole('button', { name: 'Save workflow' }).click();
  await page.getByRole('table', { name: 'Workflows' }).getByText('Refunds').waitFor();

  // The shop's site may embed the widget.
  await page.getByRole('link', { name: 'Settings' }).first().click();
  await page.getByLabel('New origin').fill(originOf(allowed));
  await page.getByRole('button', { name: 'Add origin' }).click();
  await page.getByRole('button', { name: 'Save origins' }).click();
  await toast(page, /saved/i);
}

/** Starts a chat as a customer of the company through the public API. */
async function chat(message, sessionId) {
  return api('/api/chat', { body: { companyId: state.companyId, message, ...(sessionId ? { sessionId } : {}) } });
}

async function agentWorks(page) {
  // The sign-in link from the credentials carries the company and the email.
  await page.goto(`${base}/login?company=${state.companyId}&email=${encodeURIComponent(agent.email)}`);
  await page.getByLabel('Password').fill(agent.temporary);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Temporary password').fill(agent.temporary);
  await page.getByLabel('New password', { exact: true }).fill(agent.password);
  await page.getByLabel('Repeat the new password').fill(agent.password);
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.getByRole('heading', { name: 'My work' }).waitFor();
  await page.getByRole('switch').click();
  await page.getByText('Online', { exact: true }).waitFor();
  await page.locator('[data-live="open"]').waitFor();

  // A customer asks for a refund; the request reaches the agent without a reload.
  const first = await chat('I would like a refund please');
  const second = await chat('It is order 12345', first.sessionId);
  check(second.status === 'awaiting_approval', `the refund did not wait for approval: ${JSON.stringify(second)}`);
  const card = page.getByRole('listitem').filter({ hasText: 'issue_refund' }).first();
  await card.waitFor({ timeout: 15_000 });
  await card.getByRole('button', { name: 'Approve' }).click();
  await toast(page, /Approved/);
  const after = await api(`/api/chat/${first.sessionId}/messages`, { method: 'GET' });
  check(JSON.stringify(after).includes('Refund issued for order 12345'), 'the approved refund did not reach the customer');

  // A live conversation nobody owns: the agent takes it over and replies.
  const live = await chat('How long does shipping take?');
  check(live.status === 'ai', `expected the AI to answer: ${live.status}`);
  await page.getByRole('link', { name: 'Conversations' }).first().click();
  await page.getByRole('list', { name: 'Conversations' }).getByRole('button').first().click();
  await page.getByRole('list', { name: 'Transcript' }).getByText('Orders arrive within 3 to 5 working days.').waitFor();
  await page.getByRole('button', { name: 'Take over' }).click();
  await page.getByLabel('Reply to the customer').fill('I can check that order for you.');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('list', { name: 'Transcript' }).getByText('I can check that order for you.').waitFor();
  const seen = await api(`/api/chat/${live.sessionId}/messages`, { method: 'GET' });
  check(JSON.stringify(seen).includes('I can check that order for you.'), 'the customer did not get the reply');
}

async function customerChats(page, problems) {
  // The company's model server: answers stream from it from now on.
  await api('/api/admin/config', { token: state.token, method: 'PUT', body: {
    ai: { provider: 'openai', baseUrl: `${originOf(llm)}/v1`, model: 'e2e-small' } } });
  const staff = await otherPage(problems);
  await signIn(staff.page, agent.email, agent.password);
  await staff.page.getByRole('heading', { name: 'My work' }).waitFor();
  const online = staff.page.getByRole('switch');
  await online.waitFor();
  if ((await online.getAttribute('aria-checked')) !== 'true') await online.click();
  await staff.page.getByText('Online', { exact: true }).waitFor();

  await page.goto(originOf(allowed));
  await page.getByRole('button', { name: /Open chat with E2E Outfitters/ }).click();
  const log = page.getByRole('log', { name: 'Messages' });
  await log.getByText('Hi! Ask me about returns.').waitFor();
  const input = page.getByRole('textbox', { name: 'Message' });
  // The first message starts the conversation over the socket: its answer streams in pieces.
  await input.fill('Can I return items I have not used?');
  await input.press('Enter');
  await log.getByText(/You can return unused items/).waitFor({ timeout: 15_000 });
  const partial = await log.textContent();
  await log.getByText(/You can return unused items within 30 days for a full refund/).waitFor({ timeout: 15_000 });
  check(!partial.includes('for a full refund'), 'the answer arrived whole, not streamed');
  await log.getByLabel('Sources').getByText('Returns policy').waitFor();
  // The curated answer to a question the admin added an FAQ for.
  await input.fill('When will my order arrive?');
  await input.press('Enter');
  await log.getByText('Orders arrive within 3 to 5 working days.').waitFor({ timeout: 15_000 });

  // Something the knowledge does not cover goes to a person: the routed agent answers.
  await input.fill('My parcel arrived wet and the box was crushed');
  await input.press('Enter');
  await page.getByText('You are chatting with a member of our team.').waitFor({ timeout: 15_000 });
  await staff.page.getByRole('link', { name: 'Conversations' }).first().click();
  await staff.page.getByRole('list', { name: 'Conversations' }).getByRole('button').filter({ hasText: 'Yours' }).first().click();
  await staff.page.getByRole('list', { name: 'Transcript' }).getByText('My parcel arrived wet').waitFor();
  await staff.page.getByLabel('Reply to the customer').fill('So sorry! I am sending a replacement today.');
  await staff.page.getByRole('button', { name: 'Send' }).click();
  await log.getByText('So sorry! I am sending a replacement today.').waitFor({ timeout: 15_000 });

  // The conversation survives a reload of the shop's page, and the agent sees the customer's
  // next words without reloading the console.
  await page.reload();
  await page.getByRole('button', { name: /Open chat with E2E Outfitters/ }).click();
  await log.getByText('So sorry! I am sending a replacement today.').waitFor({ timeout: 15_000 });
  await log.getByText('Can I return items I have not used?').waitFor();
  await input.fill('Thank you, that is kind.');
  await input.press('Enter');
  await staff.page.getByRole('list', { name: 'Transcript' }).getByText('Thank you, that is kind.').waitFor({ timeout: 15_000 });

  // Closing asks the customer for a rating.
  await staff.page.getByRole('button', { name: 'Close', exact: true }).click();
  await staff.page.getByRole('button', { name: 'Close conversation' }).click();
  await toast(staff.page, /Closed/);
  await page.getByRole('radio', { name: '5 out of 5' }).check({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Send rating' }).click();
  await page.getByText('Thank you for your feedback!').waitFor();
  await staff.close();
}

async function widgetRefused(page, problems) {
  await page.goto(originOf(refused));
  await page.waitForTimeout(1500);
  check(await page.locator('#switchboard-widget').count() === 0, 'the widget mounted on a refused origin');
  check(problems.some((p) => p.includes('Switchboard widget:') && p.includes('allowed origins')),
    `no clear console message: ${problems.join('\n')}`);
  // The refusal is the expected outcome of this journey, not a problem.
  problems.length = 0;
}

const failed = await runJourneys(browser, {
  'an admin sets up the company from the browser': adminSetsUp,
  'an agent signs in, goes online, approves a request, takes over and replies': agentWorks,
  'a customer chats through the widget on another origin and rates the agent': customerChats,
  'the widget is refused on an origin the company does not allow': widgetRefused,
});
await browser.close();
for (const s of [allowed, refused, llm]) s.close();
if (failed) process.exit(1);

// The agent console after a server restart: it starts its own server (argument: the
// switchboard binary), opens the console of an online agent, stops the server, starts it
// again on the same port and data directory, and checks that the console reconnects by itself
// and that a request created after the restart appears without a reload.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { check, client, launchBrowser, watch } from './lib.mjs';

const bin = process.argv[2];
if (!bin) throw new Error('usage: node e2e/reconnect.mjs path/to/switchboard');
const dataDir = mkdtempSync(join(tmpdir(), 'sb-reconnect-'));
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const base = `http://127.0.0.1:${port}`;
const api = client(base);

async function start() {
  const child = spawn(bin, ['serve', '--bind', `127.0.0.1:${port}`, '--data-dir', dataDir], { stdio: 'ignore' });
  for (let i = 0; i < 150; i++) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not start');
}

async function stop(child) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

let server = await start();
const browser = await launchBrowser();
let failed = false;
try {
  const tag = Date.now().toString(36);
  const admin = await api('/api/auth/register', { body: { companyName: 'Reconnect Ltd', companyEmail: `r-${tag}@e2e.example.com`,
    adminName: 'Ada', adminEmail: `ada-${tag}@e2e.example.com`, adminPassword: 'correct horse battery' } });
  const created = await api('/api/admin/agents', { token: admin.token, body: { name: 'Bo', email: `bo-${tag}@e2e.example.com` } });
  const first = await api('/api/auth/login', { body: { email: created.credentials.email, password: created.credentials.temporaryPassword } });
  await api('/api/auth/change-password', { token: first.token, body: { currentPassword: created.credentials.temporaryPassword, newPassword: 'a brand new secret' } });
  const agent = await api('/api/auth/login', { body: { email: created.credentials.email, password: 'a brand new secret' } });
  await api('/api/agent/status', { token: agent.token, body: { status: 'online' } });
  await api('/api/ai/tools', { token: admin.token, body: { name: 'cancel_order', description: 'Cancels an order.', type: 'function',
    parameters: { type: 'object', properties: {} }, config: { script: '"cancelled"' }, requiresApproval: true, enabled: true } });
  await api('/api/ai/workflows', { token: admin.token, body: { name: 'Cancel', description: '', enabled: true,
    trigger: { type: 'keyword', keywords: ['cancel'] }, steps: [{ type: 'tool', tool: 'cancel_order', arguments: {} }] } });

  const context = await browser.newContext();
  const session = { token: agent.token, companyId: agent.companyId, user: agent.user, mustChangePassword: false };
  await context.addInitScript((s) => localStorage.setItem('switchboard.session', JSON.stringify(s)), session);
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${base}/agent`);
  await page.locator('[data-live="open"]').waitFor();
  check(problems.length === 0, problems.join('\n'));

  await stop(server);
  await page.locator('[data-live="reconnecting"]').waitFor();
  server = await start();
  await page.locator('[data-live="open"]').waitFor({ timeout: 40_000 });
  // While the server was away, requests failed and the socket could not connect: expected.
  problems.length = 0;

  await api('/api/chat', { body: { companyId: admin.companyId, message: 'Please cancel my order' } });
  await page.getByRole('listitem').filter({ hasText: 'cancel_order' }).first().waitFor({ timeout: 15_000 });
  check(problems.length === 0, problems.join('\n'));
  console.log('ok   the agent console reconnects by itself after a server restart and shows new requests');
} catch (e) {
  failed = true;
  console.log(`FAIL the agent console reconnects after a server restart\n${e.stack || e}`);
} finally {
  await browser.close();
  await stop(server).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
}
if (failed) process.exit(1);

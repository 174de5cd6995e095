// Shared pieces of the browser tests: the server under test (started by run.sh), a fresh
// Chromium per test file, REST helpers for the "gateway" and for checking results.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = process.env.HOTLINE_URL;
export const TELEPHONY_KEY = process.env.HOTLINE_TELEPHONY_KEY || 'tel-key-1';
export const DEMO_PASSWORD = 'demo-pass-1';
export const SHOTS = process.env.E2E_SCREENSHOT_DIR || tmpdir();
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

if (!BASE) throw new Error('HOTLINE_URL is not set: run the tests through tests/e2e/run.sh');

/** A headless Chromium with a fresh profile; close() removes the profile. */
export async function launch() {
  const profile = mkdtempSync(path.join(tmpdir(), 'hotline-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** fetch against the server; JSON in and out. */
export async function call(method, urlPath, { token, apiKey, body, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (apiKey) h['X-Api-Key'] = apiKey;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(BASE + urlPath, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  return { status: res.status, data, headers: res.headers };
}

export async function login(username, password = DEMO_PASSWORD) {
  const r = await call('POST', '/api/v1/auth/login', { body: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.data)}`);
  return r.data.token;
}

/** The telephony gateway reports a new call. */
export async function gatewayCall(caller, skill = 'consult') {
  const r = await call('POST', '/api/v1/calls', { apiKey: TELEPHONY_KEY, body: { caller, called: '12320', skill } });
  if (r.status !== 201 && r.status !== 200) throw new Error(`POST /api/v1/calls: ${r.status} ${JSON.stringify(r.data)}`);
  return r.data;
}

export async function gatewayHangup(callId) {
  return call('POST', `/api/v1/calls/${callId}/hangup`, { apiKey: TELEPHONY_KEY, body: { by: 'caller' } });
}

export function shot(name) {
  return path.join(SHOTS, `hotline-e2e-${name}.png`);
}

/** Polls fn until it answers something truthy (and returns that), or throws naming `what`. */
export async function until(what, fn, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A browser for an agent's console test, with the agent's API token. The cleanup registered on
 * `t` hangs up the call the test puts in `calls` (`calls.current = id`), ends wrap-up, logs the
 * agent out and closes the browser, whatever the test left behind.
 */
export async function agentBrowser(t, username) {
  const browser = await launch();
  const token = await login(username);
  const calls = { current: null };
  t.after(async () => {
    if (calls.current) await gatewayHangup(calls.current).catch(() => {});
    await call('POST', '/api/v1/agents/wrap_done', { token }).catch(() => {});
    await call('POST', '/api/v1/agents/logout', { token }).catch(() => {});
    await browser.close();
  });
  return { browser, page: browser.page, token, calls };
}

/** Logs the agent in on the console, takes a seat and goes ready. */
export async function consoleReady(page, username) {
  await uiLogin(page, '/console/', username);
  await page.click('#seat-login-btn');
  await page.waitForSelector('#state-buttons [data-state="ready"]:not([hidden])');
  await page.click('#state-buttons [data-state="ready"]');
  await page.waitForSelector('#state-chip[data-state="ready"]');
}

/** Logs in on a page's login form and waits for the live socket. */
export async function uiLogin(page, pagePath, username) {
  await page.goto(BASE + pagePath);
  await page.fill('#login-username', username);
  await page.fill('#login-password', DEMO_PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#app-view:not([hidden])');
  await page.waitForSelector('#conn[data-state="open"]');
}

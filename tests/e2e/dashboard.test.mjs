// The wallboard follows the call center live: a call waiting in the queue appears, and an
// agent's change of state shows on the agent board without a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, uiLogin, gatewayCall, gatewayHangup, login, call, shot } from './lib/harness.mjs';

const CALLER = '13912345678';

test('wallboard: a waiting call and an agent state change show live', async (t) => {
  const browser = await launch();
  const { page } = browser;
  const agentToken = await login('agent2');
  let callId = null;
  t.after(async () => {
    if (callId) await gatewayHangup(callId).catch(() => {});
    await call('POST', '/api/v1/agents/logout', { token: agentToken }).catch(() => {});
    await browser.close();
  });

  // agent2 sits down but takes a break, so that a new call has to wait.
  const seated = await call('POST', '/api/v1/agents/login', { token: agentToken, body: {} });
  assert.equal(seated.status, 200, JSON.stringify(seated.data));
  const agentId = seated.data.agent_id;
  const onBreak = await call('POST', '/api/v1/agents/state', { token: agentToken, body: { state: 'not_ready', reason: 'break' } });
  assert.equal(onBreak.status, 200, JSON.stringify(onBreak.data));

  await t.test('the supervisor logs in and sees the agent board', async () => {
    await uiLogin(page, '/dashboard/', 'supervisor');
    const row = `#agents-table tr[data-agent="${agentId}"]`;
    await page.waitForSelector(`${row}[data-state="not_ready"]`, { timeout: 10000 });
    assert.match(await page.textContent(row), /小休/);
  });

  await t.test('a waiting call appears live', async () => {
    const c = await gatewayCall(CALLER);
    callId = c.call_id;
    assert.equal(c.state, 'queued');
    await page.waitForSelector(`#calls-table tr[data-call="${callId}"]`, { timeout: 10000 });
    assert.match(await page.textContent(`#calls-table tr[data-call="${callId}"]`), /139\*\*\*\*5678/);
    await page.waitForFunction(() => Number(document.querySelector('#t-waiting .v').textContent) >= 1);
    await page.waitForFunction(() => Number(document.querySelector('#t-offered .v').textContent) >= 1);
    await page.screenshot({ path: shot('dashboard-waiting') });
  });

  await t.test("an agent's state change shows live", async () => {
    const ready = await call('POST', '/api/v1/agents/state', { token: agentToken, body: { state: 'ready' } });
    assert.equal(ready.status, 200, JSON.stringify(ready.data));
    // Ready, the agent is offered the waiting call at once: the board shows it ringing.
    await page.waitForSelector(`#agents-table tr[data-agent="${agentId}"]:is([data-state="ready"], [data-state="ringing"])`,
      { timeout: 10000 });
    await page.waitForSelector(`#agents-table tr[data-agent="${agentId}"][data-state="ringing"]`, { timeout: 10000 });
    await page.waitForFunction((id) => !document.querySelector(`#calls-table tr[data-call="${id}"]`), callId);
    await page.screenshot({ path: shot('dashboard-ringing') });
  });

  await t.test('the page logged no errors', () => {
    assert.deepEqual(browser.problems, []);
  });
});

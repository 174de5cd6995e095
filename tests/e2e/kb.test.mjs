// The knowledge base on the agent console during a call: a query typed key by key shows
// results with the matched words highlighted; opening one sends kb.open with the call, and the
// supervisor then reads that use (GET /api/v1/kb/usage) and the entry's usage_count. A query
// that finds nothing, confirmed with Enter, becomes a gap the supervisor reads and dismisses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentBrowser, consoleReady, gatewayCall, login, call, shot, until } from './lib/harness.mjs';

const QUERY = '狂犬病疫苗';
const NOTHING = '量子纠缠理疗仪';

test('console: knowledge-base search during a call, usage and gaps', async (t) => {
  const { page, token: agentToken, calls } = await agentBrowser(t, 'agent2');
  const supToken = await login('supervisor');
  let callId = null;

  await t.test('the agent is on a call', async () => {
    await consoleReady(page, 'agent2');
    const c = await gatewayCall('13900139000');
    callId = calls.current = c.call_id;
    await page.waitForSelector('#call-banner[data-phase="ringing"]', { timeout: 10000 });
    await page.click('#accept-btn');
    await page.waitForSelector('#state-chip[data-state="talking"]');
  });

  let openedId = null;
  let usageBefore = 0;
  await t.test('typing a query shows results with highlighted snippets', async () => {
    await page.click('.tabs [data-tab="kb"]');
    await page.type('#kb-input', QUERY, { delay: 60 });
    await page.waitForSelector('#kb-results .kb-hit .kb-snippet mark', { timeout: 10000 });
    await until('the results of the whole query', async () =>
      /狂犬病疫苗/.test(await page.textContent('#kb-meta')));
    const marks = await page.$$eval('#kb-results .kb-hit .kb-snippet mark', (els) => els.map((e) => e.textContent));
    assert.ok(marks.length > 0, 'matches are marked');
    assert.ok(marks.some((m) => /狂犬|疫苗/.test(m)), `marked words come from the query: ${marks}`);
    // Snippets are text with <mark> elements, never raw markup.
    const html = await page.innerHTML('#kb-results .kb-hit .kb-snippet');
    assert.ok(!/&lt;mark&gt;/.test(html), 'the <mark> tags are rendered, not shown');
    const title = await page.textContent('#kb-results .kb-hit .kb-title');
    assert.match(title, /狂犬|疫苗/);
    openedId = Number(await page.getAttribute('#kb-results .kb-hit', 'data-id'));
    const before = await call('GET', `/api/v1/kb/${openedId}`, { token: supToken });
    usageBefore = before.data.usage_count;
    await page.screenshot({ path: shot('kb-results') });
  });

  await t.test('opening a result counts its use during the call', async () => {
    await page.click('#kb-results .kb-hit .kb-title');
    await page.waitForSelector('#kb-dialog[open] .kb-body');
    assert.ok((await page.textContent('#kb-dialog .kb-body')).length > 10, 'the entry opens with its body');
    await page.click('#kb-dialog [data-close]');
    const entry = await until('usage_count to grow', async () => {
      const r = await call('GET', `/api/v1/kb/${openedId}`, { token: supToken });
      return r.data.usage_count === usageBefore + 1 ? r.data : null;
    });
    assert.equal(entry.id, openedId);
    const usage = await call('GET', '/api/v1/kb/usage?days=1', { token: supToken });
    assert.equal(usage.status, 200);
    const row = usage.data.items.find((u) => u.entry_id === openedId);
    assert.ok(row, 'the supervisor sees the use');
    assert.ok(row.calls >= 1, 'counted with the call');
    // Agents do not read the usage list.
    assert.equal((await call('GET', '/api/v1/kb/usage', { token: agentToken })).status, 403);
  });

  await t.test('a query that finds nothing becomes a gap the supervisor dismisses', async () => {
    await page.fill('#kb-input', '');
    await page.type('#kb-input', NOTHING, { delay: 30 });
    await until('no results', async () => /没有找到/.test(await page.textContent('#kb-meta')));
    await page.press('#kb-input', 'Enter');
    const gap = await until('the gap', async () => {
      const r = await call('GET', '/api/v1/kb/gaps', { token: supToken });
      return r.data.items.find((g) => g.query === NOTHING);
    });
    assert.ok(gap.count >= 1);
    const d = await call('POST', '/api/v1/kb/gaps/dismiss', { token: supToken, body: { query: NOTHING } });
    assert.equal(d.status, 200);
    const after = await call('GET', '/api/v1/kb/gaps', { token: supToken });
    assert.ok(!after.data.items.some((g) => g.query === NOTHING), 'dismissed');
  });
});

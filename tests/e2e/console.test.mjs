// An agent's day on the console: log in, take a seat, go ready, a call rings, accept it, type a
// work order, reload the page in the middle of typing (the draft must survive), submit, and
// find the work order through the API — once, however often the button was clicked. Then a
// knowledge-base search as you type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentBrowser, consoleReady, gatewayCall, call, shot } from './lib/harness.mjs';

const CALLER = '13800138000';
const SUBJECT = '咨询流感疫苗接种地点';
const TYPED_BEFORE_RELOAD = '市民询问朝阳区哪里可以接种流感疫苗,';
const TYPED_AFTER_RELOAD = '已告知就近社区卫生服务中心。';

test('console: a call rings, is accepted, and its work order survives a reload', async (t) => {
  const { browser, page, token: agentToken, calls } = await agentBrowser(t, 'agent1');
  let callId = null;

  await t.test('the agent logs in, takes a seat and goes ready', async () => {
    await consoleReady(page, 'agent1');
    assert.match(await page.textContent('#seat-label'), /座席 \d+号/);
  });

  await t.test('a call from the gateway rings on the page with the number masked', async () => {
    const c = await gatewayCall(CALLER);
    callId = calls.current = c.call_id;
    assert.ok(callId, 'the gateway got a call id');
    await page.waitForSelector('#call-banner[data-phase="ringing"]', { timeout: 10000 });
    assert.equal((await page.textContent('#call-number')).trim(), '138****8000');
    await page.waitForSelector('#state-chip[data-state="ringing"]');
    await page.screenshot({ path: shot('console-ringing') });
  });

  await t.test('the agent accepts and the form is linked to the call', async () => {
    await page.click('#accept-btn');
    await page.waitForSelector('#call-banner[data-phase="talking"]');
    await page.waitForSelector('#state-chip[data-state="talking"]');
    assert.equal(await page.inputValue('#f-phone'), CALLER, 'the caller number is filled in');
    assert.match(await page.textContent('#linked-call'), new RegExp(`#${callId}`));
  });

  await t.test('the draft survives a reload in the middle of typing', async () => {
    await page.selectOption('#f-type', 'consult');
    await page.fill('#f-category', '疫苗接种');
    await page.fill('#f-name', '王先生');
    await page.type('#f-subject', SUBJECT, { delay: 10 });
    await page.click('#f-description');
    await page.keyboard.type(TYPED_BEFORE_RELOAD, { delay: 10 });
    await page.reload();  // no pause: every keystroke must already be saved
    await page.waitForSelector('#app-view:not([hidden])');
    assert.equal(await page.inputValue('#f-subject'), SUBJECT);
    assert.equal(await page.inputValue('#f-description'), TYPED_BEFORE_RELOAD);
    assert.equal(await page.inputValue('#f-category'), '疫苗接种');
    assert.equal(await page.inputValue('#f-name'), '王先生');
    assert.equal(await page.inputValue('#f-phone'), CALLER);
    // The server sends the call in talk again after the reconnect.
    await page.waitForSelector('#conn[data-state="open"]');
    await page.waitForSelector('#call-banner[data-phase="talking"]', { timeout: 10000 });
    await page.focus('#f-description');
    await page.keyboard.press('End');
    await page.keyboard.type(TYPED_AFTER_RELOAD, { delay: 10 });
    await page.screenshot({ path: shot('console-talking') });
  });

  await t.test('submitting (with a double click) creates exactly one work order', async () => {
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST',
      { timeout: 15000 });
    await page.dblclick('#ticket-submit');
    const res = await created;
    const key = res.request().headers()['idempotency-key'];
    assert.ok(key && key.length >= 16, 'the request carries an Idempotency-Key');
    assert.equal(res.status(), 201, `POST /api/v1/tickets answered ${res.status()}: ${await res.text()}`);
    const ticket = await res.json();
    assert.ok(ticket.id, 'the answer has the work order');

    // The draft is cleared only now, and a reload does not bring it back.
    await page.waitForFunction(() => document.querySelector('#f-subject').value === '');
    await page.reload();
    await page.waitForSelector('#app-view:not([hidden])');
    assert.equal(await page.inputValue('#f-subject'), '');
    assert.equal(await page.inputValue('#f-description'), '');

    const got = await call('GET', `/api/v1/tickets/${ticket.id}`, { token: agentToken });
    assert.equal(got.status, 200);
    assert.equal(got.data.subject, SUBJECT);
    assert.equal(got.data.description, TYPED_BEFORE_RELOAD + TYPED_AFTER_RELOAD);
    assert.equal(got.data.type, 'consult');
    assert.equal(got.data.category, '疫苗接种');
    assert.equal(got.data.caller.phone, CALLER);
    assert.equal(got.data.caller.name, '王先生');
    assert.equal(got.data.status, 'open');
    assert.ok((got.data.call_ids || []).includes(callId), 'the work order is linked to the call');

    const mine = await call('GET', `/api/v1/tickets?phone=${CALLER}`, { token: agentToken });
    assert.equal(mine.status, 200);
    const same = mine.data.items.filter((w) => w.subject === SUBJECT);
    assert.equal(same.length, 1, 'one work order, not two');

    // It shows in the agent's list.
    await page.click('.tabs [data-tab="tickets"]');
    await page.waitForSelector(`#ticket-list .ticket-row[data-id="${ticket.id}"]`, { timeout: 10000 });
    await page.screenshot({ path: shot('console-submitted') });
  });

  await t.test('the knowledge base answers as the agent types, matches highlighted', async () => {
    await page.click('.tabs [data-tab="kb"]');
    await page.type('#kb-input', '发烧', { delay: 40 });
    await page.waitForSelector('#kb-results .kb-hit mark', { timeout: 10000 });
    const first = await page.textContent('#kb-results .kb-hit .kb-title');
    assert.ok(first.length > 0);
    await page.click('#kb-results .kb-hit .kb-title');
    await page.waitForSelector('#kb-dialog[open] .kb-body');
    assert.ok((await page.textContent('#kb-dialog .kb-body')).length > 10, 'the entry opens with its body');
    await page.click('#kb-dialog [data-close]');
  });

  await t.test('the page logged no errors', () => {
    assert.deepEqual(browser.problems, []);
  });
});

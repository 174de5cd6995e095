// The agent console: login, the seat and its state, the live socket, and the parts of the page
// (call banner, work-order form, knowledge base, work orders) wired to pushes.

import { Api, Session, describeError } from './api.js';
import { LiveSocket } from './socket.js';
import { $, $$, fmtDuration, secondsSince, label, h, fill, LABELS } from './util.js';
import { CallBanner } from './call.js';
import { TicketForm } from './ticket_form.js';
import { KbSearch } from './kb.js';
import { TicketList } from './tickets.js';

const session = new Session('hotline.console.session');
const ctx = {
  session,
  api: null,
  socket: null,
  agent: { state: 'offline', reason: null, seat: null, since: null, call_id: null },
  queue: null,
  queueAt: 0,
  toast,
  command,
};
ctx.api = new Api(session, { onUnauthorized: () => signOut('登录已过期,请重新登录。草稿已保存。') });

let parts = null;

// ---------- toasts ----------

function toast(text, kind = 'info', { timeoutMs = 6000, action } = {}) {
  const el = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('span', {}, text));
  if (action) el.append(h('button', { class: 'btn small', type: 'button', onclick: () => { action.run(); el.remove(); } }, action.label));
  el.append(h('button', { class: 'x', type: 'button', title: '关闭', onclick: () => el.remove() }, '×'));
  const box = $('#toasts');
  box.append(el);
  raise(box);
  if (timeoutMs) setTimeout(() => el.remove(), timeoutMs);
  return el;
}

/** Shows the toast box above everything, a dialog opened since included; hides it when empty. */
function raise(box) {
  if (!box.showPopover) return;
  if (box.matches(':popover-open')) box.hidePopover();
  box.showPopover();
  if (!box.observer) {
    box.observer = new MutationObserver(() => {
      if (!box.children.length && box.matches(':popover-open')) box.hidePopover();
    });
    box.observer.observe(box, { childList: true });
  }
}

// The same commands over REST, for the moments the socket is reconnecting.
const REST_COMMANDS = {
  login: (f) => ['POST', '/api/v1/agents/login', f],
  logout: () => ['POST', '/api/v1/agents/logout', {}],
  set_state: (f) => ['POST', '/api/v1/agents/state', f],
  wrap_done: () => ['POST', '/api/v1/agents/wrap_done', {}],
  accept: (f) => ['POST', `/api/v1/calls/${f.call_id}/accept`, {}],
  hangup: (f) => ['POST', `/api/v1/calls/${f.call_id}/hangup`, { by: 'agent' }],
  queue: () => ['GET', '/api/v1/queue', undefined],
};

/** A console command: over the socket, over REST while it is down; a failure is shown. */
async function command(type, fields = {}) {
  try {
    try {
      return await ctx.socket.send(type, fields);
    } catch (e) {
      if (e.code !== 'disconnected' || !REST_COMMANDS[type]) throw e;
      const [method, path, body] = REST_COMMANDS[type](fields);
      return (await ctx.api.request(method, path, { body })).data;
    }
  } catch (e) {
    const detail = e.detail || e.message;
    toast(`${label('cmd', type)}失败:${detail}${e.code ? ` [${e.code}]` : ''}`, 'error');
    throw e;
  }
}

// ---------- login ----------

function showLogin(message = '') {
  $('#app-view').hidden = true;
  $('#login-view').hidden = false;
  $('#login-error').textContent = message;
  $('#login-username').focus();
}

async function onLoginSubmit(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const btn = $('#login-submit');
  btn.disabled = true;
  $('#login-error').textContent = '';
  try {
    const who = await ctx.api.login(form.username.value.trim(), form.password.value);
    if (who.role !== 'agent' && who.role !== 'supervisor') {
      await ctx.api.logout();
      throw new Error('此账号不是座席账号(需要 agent 角色)');
    }
    form.password.value = '';
    startConsole();
  } catch (e) {
    $('#login-error').textContent = e.status === 401 ? '用户名或密码错误' : describeError(e);
  } finally {
    btn.disabled = false;
  }
}

async function signOut(message) {
  parts?.form.dispose();
  ctx.socket?.stop();
  ctx.socket = null;
  await ctx.api.logout();
  parts = null;
  showLogin(message);
}

// ---------- console ----------

function startConsole() {
  $('#login-view').hidden = true;
  $('#app-view').hidden = false;
  $('#user-name').textContent = session.data.display_name || session.data.username || `#${session.data.user_id}`;

  parts = {
    banner: new CallBanner(ctx),
    form: new TicketForm(ctx, session.data.username || String(session.data.user_id)),
    kb: new KbSearch(ctx),
    tickets: new TicketList(ctx),
  };
  ctx.parts = parts;
  parts.banner.onCallKnown = (call) => parts.form.linkCall(call);

  ctx.socket = new LiveSocket('/ws/agent', () => session.token, {
    onStatus: showConnection,
    onOpen: onSocketOpen,
    onMessage,
    onRefused: async () => {
      try {
        await ctx.api.get('/api/v1/auth/me');
        return false;
      } catch (e) {
        return e.status === 401;
      }
    },
    onAuthLost: () => signOut('登录已失效,请重新登录。草稿已保存。'),
  });
  ctx.socket.start();
  refreshAgent();
  parts.tickets.refresh();
  ctx.api.get('/api/v1/auth/me').then((me) => {
    if (me?.display_name) $('#user-name').textContent = me.display_name;
  }).catch(() => {});
}

function showConnection({ state, attempt, retryInMs }) {
  const el = $('#conn');
  el.dataset.state = state;
  if (state === 'open') el.textContent = '已连接';
  else if (state === 'connecting') el.textContent = attempt ? `重连中…(第 ${attempt} 次)` : '连接中…';
  else el.textContent = `连接断开,${Math.ceil((retryInMs || 0) / 1000)} 秒后重连`;
}

async function onSocketOpen() {
  // The server re-sends the agent's state and current call itself; the queue we ask for.
  try {
    const q = await ctx.socket.send('queue');
    if (q) onQueue(q);
  } catch {
    // the next snapshot will do
  }
  refreshAgent();
  parts?.tickets.refreshSoon();
}

async function refreshAgent() {
  try {
    const me = await ctx.api.get('/api/v1/agents/me');
    setAgent(me, false);
    parts?.banner.verify(ctx.agent);
  } catch (e) {
    if (e.status !== 401) console.warn('agents/me', e);
  }
}

/** `live`: from a push or a command's answer (a REST read may be older than a push). */
function setAgent(a, live = true) {
  if (!a) return;
  const prev = ctx.agent.state;
  Object.assign(ctx.agent, {
    state: a.state || 'offline',
    reason: a.reason || null,
    seat: a.seat ?? null,
    extension: a.extension ?? null,
    since: a.since || a.at || ctx.agent.since,
    call_id: 'call_id' in a ? a.call_id : ctx.agent.call_id,
  });
  if (prev !== ctx.agent.state && !a.since && !a.at) ctx.agent.since = new Date().toISOString();
  renderAgent();
  if (live) parts?.banner.agentChanged(ctx.agent);
}

function renderAgent() {
  const a = ctx.agent;
  const chip = $('#state-chip');
  chip.dataset.state = a.state;
  // A reason matters while not ready (break, training, no_answer…); other states carry
  // the engine's own notes ("offered"), not worth the agent's attention.
  const why = a.state === 'not_ready' && a.reason ? a.reason : null;
  fill(chip, `${label('state', a.state)}${why ? `·${label('reason', why)}` : ''}`,
    h('small', { class: 'en' }, why ? `${a.state}/${why}` : a.state));
  $('#seat-label').textContent = a.seat ? `座席 ${a.seat}号` : '未签入';
  $('#seat-label').title = a.extension || '';
  const offline = a.state === 'offline';
  $('#seat-login').hidden = !offline;
  for (const b of $$('#state-buttons .btn.state')) {
    b.hidden = offline;
    const active = b.dataset.state === a.state && (b.dataset.state === 'ready' || b.dataset.reason === a.reason);
    b.classList.toggle('active', active);
    b.disabled = a.state === 'ringing' || a.state === 'talking';
  }
  $('#seat-logout-btn').hidden = offline;
  $('#wrap-done-btn').hidden = a.state !== 'wrap_up';
  tickClocks();
}

function tickClocks() {
  const a = ctx.agent;
  $('#state-since').textContent = a.state !== 'offline' && a.since ? fmtDuration(secondsSince(a.since)) : '';
  const q = ctx.queue;
  if (q) {
    const grow = q.waiting > 0 ? (Date.now() - ctx.queueAt) / 1000 : 0;
    $('#q-waiting').textContent = q.waiting ?? '—';
    $('#q-longest').textContent = q.waiting > 0 ? fmtDuration((q.longest_wait_s || 0) + grow) : '0:00';
    $('#queue-summary').classList.toggle('busy', q.waiting > 0);
  }
  parts?.banner.tick();
}

function onQueue(q) {
  ctx.queue = q;
  ctx.queueAt = Date.now();
  tickClocks();
}

function onMessage(msg) {
  switch (msg.type) {
    case 'hello':
      break;
    case 'agent.state':
      if (!msg.agent_id || msg.agent_id === session.data?.user_id) setAgent(msg);
      break;
    case 'queue.snapshot':
      onQueue(msg);
      break;
    case 'call.offered':
    case 'call.answered':
    case 'call.withdrawn':
    case 'call.ended':
      parts.banner.onMessage(msg);
      break;
    case 'ticket.updated':
    case 'ticket.created':
      parts.tickets.onUpdated(msg);
      break;
    case 'callback.due':
      parts.tickets.onCallbackDue(msg);
      break;
    case 'kb.results':
      parts.kb.onPushedResults(msg);
      break;
    default:
      break;
  }
}

// ---------- seat controls ----------

async function seatLogin() {
  const seat = Number($('#seat-input').value) || undefined;
  const btn = $('#seat-login-btn');
  btn.disabled = true;
  try {
    const a = await command('login', seat ? { seat } : {});
    setAgent(a);
    toast(`已签入 ${a.seat} 号座席`, 'ok');
  } catch {
    // shown by command()
  } finally {
    btn.disabled = false;
  }
}

async function setState(state, reason) {
  try {
    const a = await command('set_state', reason ? { state, reason } : { state });
    setAgent(a);
  } catch {
    // shown
  }
}

function wire() {
  $('#login-form').addEventListener('submit', onLoginSubmit);
  $('#logout-btn').addEventListener('click', async () => {
    if (ctx.agent.state === 'talking' && !confirm('通话尚未结束,确定退出登录吗?')) return;
    if (ctx.agent.state !== 'offline' && ctx.socket?.isOpen) {
      try {
        await ctx.socket.send('logout');
      } catch {
        // the seat is freed by the server's grace period anyway
      }
    }
    signOut('已退出登录。');
  });
  $('#seat-login-btn').addEventListener('click', seatLogin);
  $('#seat-input').addEventListener('keydown', (e) => { if (e.key === 'Enter') seatLogin(); });
  for (const b of $$('#state-buttons .btn.state')) {
    b.addEventListener('click', () => setState(b.dataset.state, b.dataset.reason));
  }
  $('#wrap-done-btn').addEventListener('click', async () => {
    try {
      setAgent(await command('wrap_done'));
    } catch {
      // shown
    }
  });
  $('#seat-logout-btn').addEventListener('click', async () => {
    try {
      setAgent(await command('logout'));
    } catch {
      // shown
    }
  });
  for (const d of $$('dialog')) {
    d.addEventListener('click', (e) => {
      if (e.target === d || e.target.closest('[data-close]')) d.close();
    });
  }
  for (const t of $$('.tabs .tab')) {
    t.addEventListener('click', () => {
      for (const o of $$('.tabs .tab')) o.classList.toggle('active', o === t);
      $('#tab-kb').hidden = t.dataset.tab !== 'kb';
      $('#tab-tickets').hidden = t.dataset.tab !== 'tickets';
      if (t.dataset.tab === 'tickets') ctx.parts?.tickets.refreshSoon();
    });
  }
  setInterval(tickClocks, 1000);
}

// Labels for command names in error messages.
LABELS.cmd = { login: '签入', logout: '签出', set_state: '切换状态', accept: '接听', hangup: '挂断', wrap_done: '结束话后处理', queue: '查询队列' };

wire();
if (session.token) startConsole();
else showLogin();

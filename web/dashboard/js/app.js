// The supervisor wallboard: live tiles from queue.snapshot, the agent board (refreshed on
// agent.state pushes), the waiting calls, incidents (open and close) and overdue work orders.

import { Api, Session, describeError } from '../../console/js/api.js';
import { LiveSocket } from '../../console/js/socket.js';
import {
  $, h, fill, debounce, fmtDuration, fmtPercent, fmtTime, label, maskPhone, secondsSince,
} from '../../console/js/util.js';

const session = new Session('hotline.dashboard.session');
const api = new Api(session, { onUnauthorized: () => signOut('登录已过期,请重新登录') });
let socket = null;
let timers = [];

const S = {
  queue: null,
  queueAt: 0,
  agents: new Map(),  // agent_id → agent
  incidents: [],
};

const STATES = ['ready', 'ringing', 'talking', 'wrap_up', 'not_ready', 'offline'];

// ---------- login ----------

function showLogin(message = '') {
  $('#app-view').hidden = true;
  $('#login-view').hidden = false;
  $('#login-error').textContent = message;
}

$('#login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.currentTarget;
  $('#login-submit').disabled = true;
  $('#login-error').textContent = '';
  try {
    const who = await api.login(f.username.value.trim(), f.password.value);
    if (who.role !== 'supervisor' && who.role !== 'admin') {
      await api.logout();
      throw new Error('监控大屏需要班长(supervisor)账号');
    }
    f.password.value = '';
    start();
  } catch (e) {
    $('#login-error').textContent = e.status === 401 ? '用户名或密码错误' : describeError(e);
  } finally {
    $('#login-submit').disabled = false;
  }
});

$('#logout-btn').addEventListener('click', () => signOut(''));

async function signOut(message) {
  socket?.stop();
  socket = null;
  timers.forEach(clearInterval);
  timers = [];
  await api.logout();
  showLogin(message);
}

// ---------- live data ----------

function start() {
  $('#login-view').hidden = true;
  $('#app-view').hidden = false;
  $('#user-name').textContent = session.data.display_name || session.data.username || '';
  api.get('/api/v1/auth/me').then((me) => {
    if (me?.display_name) $('#user-name').textContent = me.display_name;
  }).catch(() => {});
  socket = new LiveSocket('/ws/supervisor', () => session.token, {
    onStatus: ({ state, attempt, retryInMs }) => {
      const el = $('#conn');
      el.dataset.state = state;
      el.textContent = state === 'open' ? '实时' : state === 'connecting'
        ? (attempt ? `重连中(${attempt})` : '连接中…') : `断开,${Math.ceil((retryInMs || 0) / 1000)} 秒后重连`;
    },
    onOpen: () => refreshAll(),
    onMessage,
    onRefused: async () => {
      try {
        await api.get('/api/v1/auth/me');
        return false;
      } catch (e) {
        return e.status === 401;
      }
    },
    onAuthLost: () => signOut('登录已失效,请重新登录'),
  });
  socket.start();
  refreshAll();
  timers.push(setInterval(tick, 1000));
  timers.push(setInterval(() => { refreshQueue(); refreshAgents(); }, 30000));
  timers.push(setInterval(refreshOverdue, 60000));
}

function refreshAll() {
  refreshQueue();
  refreshAgents();
  refreshIncidents();
  refreshOverdue();
}

function onMessage(msg) {
  switch (msg.type) {
    case 'queue.snapshot':
      setQueue(msg);
      break;
    case 'agent.state': {
      const a = S.agents.get(msg.agent_id) || { agent_id: msg.agent_id };
      Object.assign(a, { state: msg.state, reason: msg.reason || null, seat: msg.seat ?? a.seat, since: msg.at || new Date().toISOString() });
      S.agents.set(msg.agent_id, a);
      renderAgents();
      refreshAgentsSoon();
      break;
    }
    case 'incident.opened':
    case 'incident.closed':
      refreshIncidents();
      break;
    case 'ticket.updated':
      refreshOverdueSoon();
      break;
    default:
      break;
  }
}

async function refreshQueue() {
  try {
    setQueue(await api.get('/api/v1/queue'));
  } catch (e) {
    console.warn('queue', e);
  }
}

async function refreshAgents() {
  try {
    const data = await api.get('/api/v1/agents');
    S.agents = new Map((data?.items || []).map((a) => [a.agent_id, a]));
    $('#agents-error').textContent = '';
  } catch (e) {
    $('#agents-error').textContent = `座席列表加载失败:${describeError(e)}`;
  }
  renderAgents();
}
const refreshAgentsSoon = debounce(refreshAgents, 300);

function setQueue(q) {
  if (!q) return;
  S.queue = q;
  S.queueAt = Date.now();
  renderQueue();
}

// ---------- rendering ----------

function tile(id, value, level = '') {
  const el = $(`#${id}`);
  el.querySelector('.v').textContent = value;
  el.dataset.level = level;
}

function renderQueue() {
  const q = S.queue;
  const t = q.today || {};
  tile('t-offered', t.offered ?? '—');
  tile('t-answered', t.answered ?? '—');
  tile('t-abandoned', t.abandoned ?? '—', t.abandoned > 0 ? 'warn' : '');
  $('#t-abandoned .k small').textContent = t.short_abandoned ? `abandoned · 短时 ${t.short_abandoned}` : 'abandoned';
  tile('t-answer-rate', fmtPercent(t.answer_rate), rateLevel(t.answer_rate, 0.95, 0.9));
  tile('t-sl', fmtPercent(t.service_level), rateLevel(t.service_level, 0.8, 0.6));
  tile('t-asa', t.asa_s == null ? '—' : fmtDuration(t.asa_s), t.asa_s > 20 ? 'warn' : '');
  tile('t-aht', t.aht_s == null ? '—' : fmtDuration(t.aht_s));
  renderStateCounts();
  renderCalls();
  tick();
}

function rateLevel(x, good, bad) {
  if (x == null) return '';
  if (x >= good) return 'good';
  return x < bad ? 'bad' : 'warn';
}

function stateCounts() {
  const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
  if (S.agents.size) {
    for (const a of S.agents.values()) counts[a.state] = (counts[a.state] || 0) + 1;
  } else if (S.queue?.agents) {
    Object.assign(counts, S.queue.agents);
  }
  return counts;
}

function renderStateCounts() {
  const counts = stateCounts();
  fill($('#agent-states'), ...STATES.filter((s) => s !== 'offline' || counts.offline).map((s) =>
    h('div', { class: `state-count s-${s}`, dataset: { state: s } },
      h('span', { class: 'n' }, counts[s] ?? 0),
      h('span', { class: 'k' }, label('state', s), h('small', {}, s)))));
}

function renderAgents() {
  const rows = [...S.agents.values()]
    .filter((a) => a.state !== 'offline' || a.seat)
    .sort((a, b) => (a.seat ?? 999) - (b.seat ?? 999) || a.agent_id - b.agent_id);
  fill($('#agents-table tbody'), ...rows.map((a) => h('tr', { class: `s-${a.state}`, dataset: { agent: a.agent_id, state: a.state } },
    h('td', { class: 'num' }, a.seat ?? '—', a.emergency_seat ? h('small', { class: 'em' }, ' 应急') : null),
    h('td', {}, a.display_name || a.username || `#${a.agent_id}`),
    h('td', {}, h('span', { class: `chip s-${a.state}` }, label('state', a.state)), h('small', { class: 'en' }, a.state)),
    h('td', {}, a.state === 'not_ready' && a.reason ? label('reason', a.reason) : ''),
    h('td', { class: 'num', 'data-since': a.since || '' }, fmtDuration(secondsSince(a.since))),
    h('td', { class: 'num' }, a.calls_answered ?? '—'),
    h('td', { class: 'num' }, a.occupancy == null ? '—' : fmtPercent(a.occupancy)))));
  $('#agents-empty').hidden = rows.length > 0;
  $('#agents-count').textContent = rows.length ? ` ${rows.length}` : '';
  renderStateCounts();
}

function renderCalls() {
  const calls = [...(S.queue?.calls || [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  fill($('#calls-table tbody'), ...calls.map((c) => h('tr', { class: c.priority > 0 || c.incident_id ? 'hot' : '', dataset: { call: c.call_id } },
    h('td', { class: 'num' }, c.position ?? ''),
    h('td', { class: 'phone' }, maskPhone(c.caller), c.incident_id ? h('small', { class: 'em' }, ` 事件#${c.incident_id}`) : null,
      c.callback ? h('small', { class: 'em' }, ' 留言回拨') : null),
    h('td', {}, label('skill', c.skill), c.any_agent ? h('small', { class: 'en' }, ' 溢出') : null),
    h('td', { class: 'num' }, c.priority ?? 0),
    h('td', { class: 'num', 'data-wait': c.wait_s ?? 0 }, fmtDuration(c.wait_s)),
    h('td', { class: 'num' }, c.ewt_s == null ? '—' : fmtDuration(c.ewt_s)))));
  $('#calls-empty').hidden = calls.length > 0;
  $('#calls-count').textContent = calls.length ? ` ${calls.length}` : '';
}

function tick() {
  const now = new Date();
  const p = (n) => String(n).padStart(2, '0');
  $('#clock').textContent = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
  const q = S.queue;
  if (q) {
    const grow = (Date.now() - S.queueAt) / 1000;
    const longest = q.waiting > 0 ? (q.longest_wait_s || 0) + grow : 0;
    tile('t-waiting', q.waiting ?? 0, q.waiting > 5 ? 'bad' : q.waiting > 0 ? 'warn' : 'good');
    tile('t-longest', fmtDuration(longest), longest > 60 ? 'bad' : longest > 20 ? 'warn' : 'good');
    for (const td of document.querySelectorAll('#calls-table td[data-wait]')) {
      td.textContent = fmtDuration(Number(td.dataset.wait) + grow);
    }
  }
  for (const td of document.querySelectorAll('#agents-table td[data-since]')) {
    td.textContent = td.dataset.since ? fmtDuration(secondsSince(td.dataset.since)) : '—';
  }
}

// ---------- incidents ----------

async function refreshIncidents() {
  try {
    const data = await api.get('/api/v1/incidents');
    S.incidents = data?.items || [];
  } catch (e) {
    fill($('#incidents'), h('li', { class: 'form-error' }, `加载失败:${describeError(e)}`));
    return;
  }
  const open = S.incidents.filter((i) => i.status === 'open');
  const recent = S.incidents.filter((i) => i.status !== 'open').slice(0, 3);
  fill($('#incidents'),
    ...open.map((i) => h('li', { class: 'incident open', dataset: { id: i.id } },
      h('div', { class: 'inc-title' }, h('span', { class: 'chip s-bad' }, '进行中'), ' ', i.title),
      h('div', { class: 'inc-meta' }, `关键词:${(i.keywords || []).join('、')} · 已标记来电 ${i.calls_tagged ?? 0} · 启动于 ${fmtTime(i.opened_at)}`),
      h('div', { class: 'inc-msg' }, i.ivr_message),
      h('button', { class: 'btn small', type: 'button', onclick: () => closeIncident(i) }, '结束事件'))),
    ...recent.map((i) => h('li', { class: 'incident closed' },
      h('div', { class: 'inc-title muted' }, i.title, ` · 已结束 ${fmtTime(i.closed_at)}`))),
    !S.incidents.length ? h('li', { class: 'muted' }, '无突发事件') : null);
  const alert = $('#incident-alert');
  alert.hidden = !open.length;
  alert.textContent = open.length ? `突发事件模式:${open.map((i) => i.title).join(';')}` : '';
}

async function closeIncident(i) {
  if (!confirm(`确定结束突发事件“${i.title}”?应急座席将在通话结束后退出。`)) return;
  try {
    await api.post(`/api/v1/incidents/${i.id}/close`, {});
  } catch (e) {
    alert(`结束失败:${describeError(e)}`);
  }
  refreshIncidents();
}

$('#incident-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.currentTarget;
  const keywords = f.keywords.value.split(/[,,、\s]+/).map((s) => s.trim()).filter(Boolean);
  $('#incident-error').textContent = '';
  try {
    await api.post('/api/v1/incidents', { title: f.title.value.trim(), keywords, ivr_message: f.ivr_message.value.trim() });
    f.reset();
    $('#incident-form-box').open = false;
    refreshIncidents();
  } catch (e) {
    $('#incident-error').textContent = describeError(e);
  }
});

// ---------- overdue work orders ----------

async function refreshOverdue() {
  try {
    const data = await api.get('/api/v1/tickets', { overdue: 'true', limit: 50 });
    const items = data?.items || [];
    fill($('#overdue'), ...items.map((t) => h('li', {},
      h('span', { class: 'tno' }, t.ticket_no || `#${t.id}`), ' ',
      h('span', { class: 'chip' }, label('status', t.status)), ' ',
      t.subject || '', ' ',
      h('span', { class: 'muted' }, `单位 #${t.unit_id ?? '—'} · 期限 ${fmtTime(t.due_at)}`))));
    $('#overdue-count').textContent = items.length ? ` ${items.length}${data.next_cursor ? '+' : ''}` : '';
    $('#overdue-meta').textContent = items.length ? '' : '无超期工单';
  } catch (e) {
    fill($('#overdue'));
    $('#overdue-meta').textContent = e.status === 404 || e.status === 405 ? '工单接口暂未开通' : `加载失败:${describeError(e)}`;
  }
}
const refreshOverdueSoon = debounce(refreshOverdue, 2000);

if (session.token) start();
else showLogin();

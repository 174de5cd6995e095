// Small helpers shared by the agent console and the wallboard: DOM building, formatting,
// Chinese labels for the API's English values, ids.

/** Builds an element: h('div', {class: 'x', onclick: fn}, 'text', child, …). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces every child of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

/** 13800138000 → 138****8000; short numbers keep their ends. */
export function maskPhone(phone) {
  const s = String(phone ?? '');
  if (s.length >= 7) return s.slice(0, 3) + '****' + s.slice(-4);
  if (s.length > 4) return s.slice(0, 2) + '*'.repeat(s.length - 4) + s.slice(-2);
  return s;
}

/** A v4 UUID; works outside secure contexts too (crypto.randomUUID does not). */
export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function debounce(fn, ms) {
  let t = null;
  const d = (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(t);
  return d;
}

/** Seconds → "m:ss" or "h:mm:ss"; "—" for nothing. */
export function fmtDuration(sec) {
  if (sec === null || sec === undefined || !Number.isFinite(Number(sec))) return '—';
  let s = Math.max(0, Math.round(Number(sec)));
  const hh = Math.floor(s / 3600);
  s -= hh * 3600;
  const mm = Math.floor(s / 60);
  const ss = String(s - mm * 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** A fraction 0–1 → "95.2%"; "—" while it has no denominator. */
export function fmtPercent(x) {
  if (x === null || x === undefined || !Number.isFinite(Number(x))) return '—';
  return (Number(x) * 100).toFixed(1) + '%';
}

/** ISO time → "11-24 09:05" (today: "09:05:12"). */
export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, '0');
  const now = new Date();
  if (d.toDateString() === now.toDateString()) return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Seconds since an ISO time (0 when unknown). */
export function secondsSince(iso, now = Date.now()) {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : Math.max(0, (now - t) / 1000);
}

/** A local date-time from <input type=datetime-local> as ISO 8601 with this browser's offset. */
export function localInputToIso(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const p = (n) => String(Math.abs(n)).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:00` +
    `${sign}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
}

/**
 * A search snippet as DOM: the server sends HTML-escaped text with matches in <mark>…</mark>.
 * Only text and <mark> survive, whatever the snippet holds.
 */
export function snippetNodes(html) {
  const tpl = document.createElement('template');
  tpl.innerHTML = String(html ?? '');
  const out = document.createDocumentFragment();
  const walk = (node, into) => {
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) into.append(c.textContent);
      else if (c.nodeType === Node.ELEMENT_NODE && c.tagName === 'MARK') {
        const m = document.createElement('mark');
        walk(c, m);
        into.append(m);
      } else if (c.nodeType === Node.ELEMENT_NODE) walk(c, into);
    }
  };
  walk(tpl.content, out);
  return out;
}

// Chinese labels for the SPEC's fixed English values; the value itself is shown underneath.
export const LABELS = {
  state: {
    offline: '离线', ready: '就绪', ringing: '振铃', talking: '通话中', wrap_up: '话后处理', not_ready: '示忙',
  },
  reason: {
    break: '小休', training: '培训', meeting: '会议', no_answer: '未接超时', disconnected: '断线',
  },
  type: { consult: '咨询', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬' },
  status: {
    open: '待办理', pending_answer: '待答复', transferred: '已转办', acknowledged: '已签收',
    replied: '已回复', callback_due: '待回访', closed: '已办结',
  },
  skill: { consult: '咨询', complaint: '投诉', report: '举报' },
  callState: {
    queued: '排队中', ringing: '振铃', talking: '通话中', ended: '已接听', abandoned: '放弃',
    after_hours: '非工作时间', overflow: '溢出', voicemail: '语音留言',
  },
  action: {
    create: '受理', answer: '答复', defer: '延后答复', escalate: '升级', mediate: '化解', transfer: '转办',
    acknowledge: '签收', return: '退回', reply: '回复', extend: '延期', remind: '催办', callback: '回访',
    reopen: '重启', note: '备注', merge: '合并', assist_done: '协办完成', link_call: '关联通话',
  },
  channel: { phone: '电话', voicemail: '语音留言', web: '网站', email: '邮件', sms: '短信' },
  unitKind: { hospital: '医院', district_bureau: '区卫健委', inspection: '卫生监督所', cdc: '疾控中心', other: '其他' },
};

/** "就绪" with the English value as a small second line. */
export function labelled(group, value) {
  const zh = LABELS[group]?.[value];
  if (!zh) return h('span', { class: 'lbl' }, value ?? '—');
  return h('span', { class: 'lbl' }, zh, h('small', { class: 'en' }, value));
}

export function label(group, value) {
  return LABELS[group]?.[value] ?? (value ?? '—');
}

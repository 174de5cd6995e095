// Knowledge-base search as the agent types: `kb.search` over the socket when the server has it,
// GET /api/v1/kb/search otherwise; highlighted snippets; an entry opens in a dialog through
// `kb.open {entry_id, call_id}` (GET /api/v1/kb/{id}?from=search otherwise), which counts its
// use during the agent's call. Enter on a query that found nothing searches it once more as a
// whole question (prefix: false), so that the server records it as a gap.

import { $, h, fill, debounce, fmtTime, snippetNodes } from './util.js';
import { describeError } from './api.js';

const LIMIT = 10;

export class KbSearch {
  constructor(ctx) {
    this.ctx = ctx;
    this.input = $('#kb-input');
    this.list = $('#kb-results');
    this.meta = $('#kb-meta');
    this.seq = 0;
    this.shown = 0;
    this.wsUnsupported = false;
    this.results = [];
    this.active = -1;
    this.lastCall = null;  // {id, at}: the call the agent was on most recently
    const run = debounce(() => this.search(this.input.value.trim()), 150);
    this.input.oninput = run;
    this.input.onkeydown = (e) => this.onKey(e);
    fill(this.list);
    this.meta.textContent = '输入关键词即时检索(如 发烧、挂号、疫苗)';
  }

  async search(q, { final = false } = {}) {
    this.callId();  // remember the current call, for entries opened after it ended
    const seq = ++this.seq;
    if (!q) {
      this.results = [];
      fill(this.list);
      this.meta.textContent = '输入关键词即时检索(如 发烧、挂号、疫苗)';
      return;
    }
    const started = performance.now();
    this.meta.textContent = '搜索中…';
    try {
      const results = await this.fetch(q, final);
      if (seq < this.shown) return;  // a newer query has answered already
      this.shown = seq;
      if (results === undefined) return;  // results will be pushed as kb.results
      this.show(q, results, performance.now() - started);
    } catch (e) {
      if (seq !== this.seq) return;
      this.results = [];
      fill(this.list);
      this.meta.textContent = e.missingRoute ? '知识库检索接口暂未开通(404)' : `检索失败:${describeError(e)}`;
    }
  }

  async fetch(q, final = false) {
    const socket = this.ctx.socket;
    if (socket?.isOpen && !this.wsUnsupported) {
      try {
        const r = await socket.send('kb.search', { q, limit: LIMIT, prefix: !final }, 3000);
        const list = pickResults(r);
        if (list) return list;
      } catch (e) {
        if (e.code === 'validation_failed' && /unknown command/i.test(e.message)) this.wsUnsupported = true;
        else if (e.code !== 'disconnected' && e.code !== 'timeout') throw e;
      }
    }
    const data = await this.ctx.api.get('/api/v1/kb/search', { q, limit: LIMIT, prefix: final ? 'false' : 'true' });
    return pickResults(data) || [];
  }

  /** A `kb.results` push (a server that answers searches by push rather than in the ack). */
  onPushedResults(msg) {
    const q = this.input.value.trim();
    if (msg.q !== undefined && msg.q !== q) return;
    this.show(q, pickResults(msg) || [], null);
  }

  show(q, results, ms) {
    this.results = results;
    this.active = -1;
    const items = results.map((r, i) => h('li', { class: 'kb-hit', dataset: { id: r.id } },
      h('button', { class: 'kb-title', type: 'button', onclick: () => this.open(r.id) }, r.title || `#${r.id}`),
      h('div', { class: 'kb-snippet' }, snippetNodes(r.snippet)),
      h('div', { class: 'kb-score muted' }, `#${r.id}`, r.score !== undefined ? ` · 相关度 ${Number(r.score).toFixed(2)}` : '')));
    fill(this.list, ...items);
    const took = ms === null ? '' : ` · ${Math.round(ms)} 毫秒`;
    this.meta.textContent = results.length ? `“${q}” ${results.length} 条结果${took}` : `“${q}” 没有找到条目(已记录,供知识库补充)`;
  }

  onKey(e) {
    const n = this.results.length;
    if (!n) {
      if (e.key === 'Enter' && this.input.value.trim()) {
        e.preventDefault();
        this.search(this.input.value.trim(), { final: true });
      }
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      [...this.list.children].forEach((li, i) => li.classList.toggle('active', i === this.active));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      this.open(this.results[Math.max(0, this.active)].id);
    }
  }

  async open(id) {
    const dlg = $('#kb-dialog');
    $('#kb-d-title').textContent = '加载中…';
    fill($('#kb-d-body'));
    if (!dlg.open) dlg.showModal();
    try {
      const e = await this.fetchEntry(id);
      $('#kb-d-title').textContent = e.title || `#${id}`;
      const kw = Array.isArray(e.keywords) ? e.keywords : String(e.keywords || '').split(/[,,\s]+/).filter(Boolean);
      fill($('#kb-d-body'),
        h('div', { class: 'kb-facts' },
          e.category ? h('span', { class: 'tag' }, e.category) : null,
          ...kw.map((k) => h('span', { class: 'tag light' }, k)),
          e.voice ? h('span', { class: 'tag' }, '可语音播报') : null,
          h('span', { class: 'muted' }, `#${e.id ?? id} · 更新于 ${fmtTime(e.updated_at)}`)),
        h('div', { class: 'kb-body' }, e.body || ''),
        h('div', { class: 'form-actions' },
          h('button', { class: 'btn', type: 'button', onclick: () => this.cite(e) }, '引用到工单描述')));
    } catch (err) {
      $('#kb-d-title').textContent = '无法打开条目';
      fill($('#kb-d-body'), h('p', { class: 'form-error' }, err.missingRoute && err.status === 405 ? '知识库接口暂未开通' : describeError(err)));
    }
  }

  /** The agent's current call, or the one just ended (the server checks it: 30 minutes). */
  callId() {
    const now = Date.now();
    const banner = this.ctx.parts?.banner?.call;  // the call on the banner (also just after it ended)
    const current = this.ctx.agent?.call_id || (banner ? (banner.call_id ?? banner.id) : null);
    if (current) {
      this.lastCall = { id: current, at: now };
      return current;
    }
    if (this.lastCall && now - this.lastCall.at < 25 * 60 * 1000) return this.lastCall.id;
    return null;
  }

  /** The entry, its use counted: kb.open over the socket, else the REST read from a search. */
  async fetchEntry(id) {
    const entryId = Number(id);
    const callId = this.callId();
    const socket = this.ctx.socket;
    if (socket?.isOpen && !this.wsUnsupported) {
      try {
        return await socket.send('kb.open', callId ? { entry_id: entryId, call_id: callId } : { entry_id: entryId }, 3000);
      } catch (e) {
        if (callId && e.code === 'validation_failed' && /call_id/.test(e.message)) {
          this.lastCall = null;  // that call is over for the server: count the use without it
          return socket.send('kb.open', { entry_id: entryId }, 3000);
        }
        if (!(e.code === 'disconnected' || e.code === 'timeout' || /unknown command/i.test(e.message))) throw e;
      }
    }
    const path = `/api/v1/kb/${encodeURIComponent(id)}`;
    try {
      return await this.ctx.api.get(path, callId ? { from: 'search', call_id: callId } : { from: 'search' });
    } catch (e) {
      if (callId && e.status === 400) return this.ctx.api.get(path, { from: 'search' });
      throw e;
    }
  }

  cite(entry) {
    const ta = $('#f-description');
    const line = `【参考知识库 #${entry.id}《${entry.title}》】`;
    ta.value = ta.value ? `${ta.value.replace(/\s+$/, '')}\n${line}` : line;
    ta.dispatchEvent(new Event('input', { bubbles: true }));  // saved to the draft like a keystroke
    $('#kb-dialog').close();
  }
}

function pickResults(r) {
  if (!r) return null;
  if (Array.isArray(r)) return r;
  if (Array.isArray(r.results)) return r.results;
  if (Array.isArray(r.items)) return r.items;
  return null;
}

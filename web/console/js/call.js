// The call banner: a ringing call (masked number, the caller's history, Accept), the call in
// talk (timer, hang up), and the wrap-up after it.

import { $, h, fill, maskPhone, fmtDuration, fmtTime, secondsSince, label, labelled } from './util.js';
import { describeError } from './api.js';

const TITLE = document.title;

export class CallBanner {
  constructor(ctx) {
    this.ctx = ctx;
    this.el = $('#call-banner');
    this.call = null;        // the call object of the latest message
    this.phase = null;       // 'ringing' | 'talking' | 'ended'
    this.history = null;     // {calls: [], tickets: []} or null while loading
    this.historyFor = null;  // the phone the history belongs to
    this.onCallKnown = null;
    this.accepting = false;
    this.render();
  }

  onMessage(msg) {
    switch (msg.type) {
      case 'call.offered': {
        const call = msg.call || {};
        const sameCall = this.call && (this.call.call_id ?? this.call.id) === (call.call_id ?? call.id);
        this.call = call;
        this.phase = call.state === 'talking' ? 'talking' : 'ringing';
        if (!sameCall || msg.caller_history) this.setHistory(call.caller, msg.caller_history);
        this.onCallKnown?.(call);
        break;
      }
      case 'call.answered':
        this.call = { ...(this.call || {}), ...(msg.call || {}) };
        this.phase = 'talking';
        this.onCallKnown?.(this.call);
        break;
      case 'call.withdrawn':
        if (this.isCall(msg.call_id)) {
          this.ctx.toast(msg.reason === 'ring_timeout' ? '来电超时未接,已转回队列' : `来电已撤回(${msg.reason || ''})`, 'warn');
          this.clear();
        }
        break;
      case 'call.ended':
        if (!this.isCall(msg.call_id)) break;
        if (msg.abandoned || this.phase === 'ringing') {
          this.ctx.toast('来电者已挂断', 'warn');
          this.clear();
        } else {
          this.phase = 'ended';
          this.call = { ...this.call, ended_at: new Date().toISOString(), ended_by: msg.by };
        }
        break;
      default:
        return;
    }
    this.render();
  }

  isCall(id) {
    return this.call && (this.call.call_id ?? this.call.id) === id;
  }

  clear() {
    this.call = null;
    this.phase = null;
    this.render();
  }

  /** Keeps the banner in step with the agent's state (wrap-up over, a new login, …). */
  agentChanged(agent) {
    if (this.phase === 'ended' && agent.state !== 'wrap_up') this.clear();
    else if (this.phase && (agent.state === 'ready' || agent.state === 'not_ready' || agent.state === 'offline')) this.clear();
    else if (this.phase === 'talking' && agent.state === 'wrap_up') {
      this.phase = 'ended';
      this.render();
    }
  }

  /**
   * After a REST read of the agent (a reconnect, a server restart): a call on the banner that
   * the agent no longer has is asked about, and dropped when it is over or someone else's.
   */
  async verify(agent) {
    if (!this.call || this.phase === 'ended') return;
    const id = this.call.call_id ?? this.call.id;
    if (agent.call_id === id) return;
    let current = null;
    try {
      current = await this.ctx.api.get(`/api/v1/calls/${id}`);
    } catch (e) {
      if (e.status === 0 || e.status >= 500) return;  // cannot tell: keep it
    }
    if (!this.isCall(id)) return;
    const mine = current && current.agent_id === this.ctx.session.data?.user_id;
    if (mine && (current.state === 'ringing' || current.state === 'talking')) return;
    if (mine && current.state === 'ended' && this.ctx.agent.state === 'wrap_up') {
      this.phase = 'ended';
      this.render();
      return;
    }
    this.clear();
  }

  async setHistory(phone, pushed) {
    this.historyFor = phone;
    this.history = normalizeHistory(pushed);
    this.historyError = null;
    if (!phone) return;
    try {
      const data = await this.ctx.api.get(`/api/v1/callers/${encodeURIComponent(phone)}/history`, { limit: 10 });
      if (this.historyFor !== phone) return;
      this.history = mergeHistory(this.history, normalizeHistory(data));
    } catch (e) {
      if (this.historyFor !== phone) return;
      if (!this.history) this.history = { calls: [], tickets: [] };
      if (!e.missingRoute) this.historyError = describeError(e);
    }
    this.render();
  }

  async accept() {
    if (!this.call || this.accepting) return;
    this.accepting = true;
    this.render();
    try {
      const call = await this.ctx.command('accept', { call_id: this.call.call_id ?? this.call.id });
      if (call) this.call = { ...this.call, ...call };
      this.phase = 'talking';
      $('#f-subject')?.focus();
    } catch {
      // shown by command()
    } finally {
      this.accepting = false;
      this.render();
    }
  }

  async hangup() {
    if (!this.call || !confirm('确定挂断当前通话?')) return;
    try {
      await this.ctx.command('hangup', { call_id: this.call.call_id ?? this.call.id });
    } catch {
      // shown
    }
  }

  async wrapDone() {
    try {
      await this.ctx.command('wrap_done');
      this.clear();
    } catch {
      // shown
    }
  }

  tick() {
    const t = this.el.querySelector('[data-timer]');
    if (!t || !this.call) return;
    const c = this.call;
    const since = this.phase === 'ringing' ? (c.offered_at || c.enqueued_at) : (c.answered_at || c.offered_at);
    if (this.phase === 'ended') t.textContent = '';
    else t.textContent = fmtDuration(secondsSince(since));
    document.title = this.phase === 'ringing' && Math.floor(Date.now() / 1000) % 2 ? '📞 来电振铃 — 12320' : TITLE;
  }

  render() {
    const el = this.el;
    if (!this.call || !this.phase) {
      el.hidden = true;
      delete el.dataset.phase;
      el.replaceChildren();
      document.title = TITLE;
      return;
    }
    const c = this.call;
    el.hidden = false;
    el.dataset.phase = this.phase;
    // A callback request (virtual hold): the caller left a message and kept their place; the
    // gateway dials them when the agent accepts.
    const title = c.callback
      ? { ringing: '回拨请求 · 来电人已留言,轮到回拨', talking: '回拨通话中', ended: '回拨已结束 · 话后处理' }[this.phase]
      : { ringing: '来电振铃', talking: '通话中', ended: '通话已结束 · 话后处理' }[this.phase];
    const facts = h('div', { class: 'call-facts' },
      h('div', { class: 'call-number', id: 'call-number' }, maskPhone(c.caller)),
      h('div', { class: 'call-tags' },
        h('span', { class: 'tag' }, '业务 ', labelled('skill', c.skill)),
        c.callback ? h('span', { class: 'tag hot' }, '留言回拨') : null,
        c.priority ? h('span', { class: 'tag hot' }, `优先级 ${c.priority}`) : null,
        c.incident_id ? h('span', { class: 'tag hot' }, `突发事件 #${c.incident_id}`) : null,
        c.ivr_choice ? h('span', { class: 'tag' }, `按键 ${c.ivr_choice}`) : null,
        h('span', { class: 'tag' }, `通话 #${c.call_id ?? c.id}`)));
    const actions = h('div', { class: 'call-actions' },
      h('span', { class: 'call-timer', 'data-timer': '' }),
      this.phase === 'ringing'
        ? h('button', { class: 'btn accept big', id: 'accept-btn', type: 'button', disabled: this.accepting, onclick: () => this.accept() },
          this.accepting ? '接听中…' : (c.callback ? '回拨' : '接听'), h('small', {}, c.callback ? 'call back' : 'accept'))
        : null,
      this.phase === 'talking'
        ? h('button', { class: 'btn danger', id: 'hangup-btn', type: 'button', onclick: () => this.hangup() }, '挂断', h('small', {}, 'hang up'))
        : null,
      this.phase === 'ended'
        ? h('button', { class: 'btn warn', type: 'button', onclick: () => this.wrapDone() }, '话后处理完成', h('small', {}, 'wrap-up done'))
        : null);
    fill(el,
      h('div', { class: 'call-main' },
        h('div', { class: 'call-title' }, title),
        facts,
        actions),
      this.renderHistory());
    this.tick();
  }

  renderHistory() {
    const hist = this.history;
    const box = h('div', { class: 'caller-history' }, h('h4', {}, '来电人历史 ', h('small', { class: 'en' }, 'caller history')));
    if (!hist) {
      box.append(h('p', { class: 'muted' }, '加载中…'));
      return box;
    }
    const open = hist.tickets.filter((t) => t.status !== 'closed');
    if (!hist.calls.length && !hist.tickets.length) box.append(h('p', { class: 'muted' }, '无历史记录'));
    if (hist.tickets.length) {
      box.append(h('div', { class: 'hist-sub' }, `工单 ${hist.tickets.length} 件,未办结 ${open.length} 件`));
      const ul = h('ul', { class: 'hist-list' });
      for (const t of hist.tickets.slice(0, 6)) {
        ul.append(h('li', { class: t.status !== 'closed' ? 'open' : '' },
          h('a', { href: '#', onclick: (e) => { e.preventDefault(); this.ctx.parts?.tickets.open(t.id); } },
            t.ticket_no || `#${t.id}`),
          ' ', h('span', { class: `st st-${t.status}` }, label('status', t.status)),
          ' ', label('type', t.type), ' · ', t.subject || '', ' ',
          h('span', { class: 'muted' }, fmtTime(t.accepted_at || t.created_at))));
      }
      box.append(ul);
    }
    if (hist.calls.length) {
      box.append(h('div', { class: 'hist-sub' }, `近期来电 ${hist.calls.length} 次`));
      const ul = h('ul', { class: 'hist-list' });
      for (const k of hist.calls.slice(0, 5)) {
        ul.append(h('li', {}, fmtTime(k.enqueued_at || k.started_at || k.at), ' ',
          k.skill ? `${label('skill', k.skill)} ` : '', h('span', { class: 'muted' }, label('callState', k.state))));
      }
      box.append(ul);
    }
    if (this.historyError) box.append(h('p', { class: 'form-error' }, this.historyError));
    return box;
  }
}

/** The caller's history in whatever shape it came: {calls, tickets}. */
function normalizeHistory(raw) {
  if (!raw) return null;
  if (Array.isArray(raw)) return { calls: [], tickets: raw };
  // GET /callers/{phone}/history: one newest-first list of {kind, call | ticket}.
  if (Array.isArray(raw.items) && raw.items.some((e) => e && e.kind)) {
    return {
      calls: raw.items.filter((e) => e.kind === 'call').map((e) => e.call),
      tickets: raw.items.filter((e) => e.kind === 'ticket').map((e) => e.ticket),
    };
  }
  const calls = raw.calls || raw.recent_calls || [];
  const tickets = raw.tickets || raw.work_orders || raw.open_tickets || raw.items || [];
  return { calls: Array.isArray(calls) ? calls : [], tickets: Array.isArray(tickets) ? tickets : [] };
}

function mergeHistory(a, b) {
  if (!a) return b;
  if (!b) return a;
  const seen = new Set(a.tickets.map((t) => t.id));
  return {
    calls: a.calls.length ? a.calls : b.calls,
    tickets: [...a.tickets, ...b.tickets.filter((t) => !seen.has(t.id))],
  };
}

// The work-order form for the current call. Nothing the agent types is ever lost: every
// keystroke goes to localStorage, a reload or reconnect restores it, and only a 201 clears it.

import { $, $$, h, fill, fmtTime, maskPhone, uuid } from './util.js';
import { describeError } from './api.js';
import { DraftStore, DRAFT_FIELDS } from './draft.js';

const TYPES = ['consult', 'complaint', 'report', 'suggestion', 'praise'];

export class TicketForm {
  constructor(ctx, username) {
    this.ctx = ctx;
    this.form = $('#ticket-form');
    this.store = new DraftStore(username);
    this.draft = this.store.load();
    this.submitting = false;
    this.currentCall = null;
    this.writeFields();
    const restored = !DraftStore.isEmpty(this.draft);
    this.status(restored ? `已恢复草稿(${fmtTime(this.draft.saved_at)} 保存)` : '', restored ? 'restored' : '');
    if (restored) ctx.toast('已恢复未提交的工单草稿', 'info');
    this.renderLinkedCall();

    // Assigned, not added: a new login builds a new TicketForm on the same elements.
    this.form.oninput = () => this.onEdit();
    this.form.onchange = () => this.onEdit();
    this.form.onsubmit = (e) => {
      e.preventDefault();
      this.submit();
    };
    $('#ticket-clear').onclick = () => this.clearByAgent();
    this.flushOnHide = () => this.flush();
    window.addEventListener('pagehide', this.flushOnHide);
  }

  /** Reads the inputs into the draft. */
  readFields() {
    for (const k of DRAFT_FIELDS) this.draft.fields[k] = this.form.elements[k].value;
  }

  writeFields() {
    for (const k of DRAFT_FIELDS) {
      const el = this.form.elements[k];
      const v = this.draft.fields[k] ?? '';
      if (k === 'type' && !TYPES.includes(v)) el.value = 'consult';
      else el.value = v;
    }
    for (const el of $$('.invalid', this.form)) el.classList.remove('invalid');
    $('#ticket-error').textContent = '';
  }

  onEdit() {
    this.readFields();
    this.flush();
  }

  /** Saves now (every keystroke, and before the page goes away). */
  flush() {
    if (!this.form.isConnected) return;
    this.readFields();
    if (this.store.save(this.draft)) this.status(`草稿已自动保存 ${fmtTime(this.draft.saved_at)}`, 'saved');
    else this.status('浏览器无法保存草稿(存储已满或被禁用),请勿刷新页面', 'error');
  }

  status(text, kind = '') {
    const el = $('#draft-status');
    el.textContent = text;
    el.dataset.kind = kind;
  }

  /** A call rang or is in talk: link it to the draft without overwriting what was typed. */
  linkCall(call) {
    if (!call) return;
    const id = call.call_id ?? call.id;
    this.currentCall = call;
    const empty = DraftStore.isEmpty(this.draft);
    if (this.draft.call_id == null || empty || this.draft.call_id === id) {
      this.draft.call_id = id;
      const f = this.draft.fields;
      if (!f.phone && call.caller) f.phone = call.caller;
      if (empty && TYPES.includes(call.skill)) f.type = call.skill;
      this.writeFields();
      this.flush();
    }
    this.renderLinkedCall();
  }

  renderLinkedCall() {
    const el = $('#linked-call');
    const id = this.draft.call_id;
    const cur = this.currentCall ? (this.currentCall.call_id ?? this.currentCall.id) : null;
    if (id == null && cur == null) {
      el.hidden = true;
      return;
    }
    el.hidden = false;
    const parts = [];
    if (id != null) {
      parts.push(h('span', {}, `关联通话 #${id}`));
      parts.push(h('button', { class: 'btn small ghost', type: 'button', onclick: () => this.unlinkCall() }, '取消关联'));
    }
    if (cur != null && cur !== id) {
      parts.push(h('span', { class: 'muted' }, `当前通话 #${cur}(${maskPhone(this.currentCall.caller)})`));
      parts.push(h('button', { class: 'btn small', type: 'button', onclick: () => this.relink() }, '关联当前通话'));
    }
    fill(el, ...parts);
  }

  unlinkCall() {
    this.draft.call_id = null;
    this.flush();
    this.renderLinkedCall();
  }

  relink() {
    this.draft.call_id = this.currentCall.call_id ?? this.currentCall.id;
    this.flush();
    this.renderLinkedCall();
  }

  clearByAgent() {
    if (!DraftStore.isEmpty(this.draft) && !confirm('确定清空当前工单草稿?清空后无法恢复。')) return;
    this.reset();
  }

  /** A fresh draft (new idempotency key), keeping the current call linked. */
  reset() {
    this.store.clear();
    this.draft = this.store.fresh();
    if (this.currentCall && this.ctx.parts?.banner.call) {
      this.draft.call_id = this.currentCall.call_id ?? this.currentCall.id;
      this.draft.fields.phone = this.currentCall.caller || '';
    }
    this.writeFields();
    this.store.save(this.draft);
    this.status('');
    this.renderLinkedCall();
  }

  validate() {
    const f = this.draft.fields;
    const bad = [];
    if (!f.subject.trim()) bad.push(['subject', '请填写主题']);
    if (!f.phone.trim()) bad.push(['phone', '请填写来电号码']);
    else if (!/^[+0-9][0-9\- ]{2,30}$/.test(f.phone.trim())) bad.push(['phone', '来电号码格式不正确']);
    return bad;
  }

  markInvalid(field) {
    const name = String(field || '').replace(/^caller\./, '');
    const el = this.form.elements[name];
    if (el) {
      el.classList.add('invalid');
      el.focus();
    }
  }

  async submit() {
    if (this.submitting) return;  // a double click sends once; the key guards retries
    this.readFields();
    this.flush();
    for (const el of $$('.invalid', this.form)) el.classList.remove('invalid');
    const bad = this.validate();
    if (bad.length) {
      $('#ticket-error').textContent = bad.map((b) => b[1]).join(';');
      for (const [f] of bad) this.markInvalid(f);
      return;
    }
    const f = this.draft.fields;
    const body = {
      type: f.type,
      channel: 'phone',
      caller: { phone: f.phone.trim() },
      subject: f.subject.trim(),
      description: f.description,
    };
    if (f.name.trim()) body.caller.name = f.name.trim();
    if (f.category.trim()) body.category = f.category.trim();
    if (this.draft.call_id != null) body.call_id = this.draft.call_id;

    this.submitting = true;
    const btn = $('#ticket-submit');
    btn.disabled = true;
    btn.textContent = '提交中…';
    $('#ticket-error').textContent = '';
    try {
      const res = await this.ctx.api.request('POST', '/api/v1/tickets', {
        body,
        headers: { 'Idempotency-Key': this.draft.idempotency_key },
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`unexpected ${res.status}`);
      const t = res.data || {};
      this.reset();
      this.ctx.toast(`工单 ${t.ticket_no || '#' + t.id} 已创建`, 'ok', {
        action: t.id ? { label: '查看', run: () => this.ctx.parts?.tickets.open(t.id) } : undefined,
      });
      this.status(`工单 ${t.ticket_no || '#' + t.id} 已提交`, 'saved');
      this.ctx.parts?.tickets.refreshSoon();
    } catch (e) {
      this.failed(e);
    } finally {
      this.submitting = false;
      btn.disabled = false;
      btn.textContent = '提交工单';
    }
  }

  failed(e) {
    let msg;
    if (!e.status || e.status >= 500) {
      // The outcome is unknown: keep the key, so a retry cannot make a second work order.
      msg = `提交未完成:${describeError(e)}。草稿已保存,可直接重试。`;
    } else {
      // A 4xx created nothing, and the server remembers that answer for this key: a corrected
      // retry needs a new key.
      this.draft.idempotency_key = uuid();
      this.flush();
      if (e.status === 404 && !e.field) msg = `工单服务暂不可用(404:${e.detail})。草稿已保存,稍后再提交。`;
      else msg = `提交失败:${describeError(e)}`;
      if (e.field) this.markInvalid(e.field);
    }
    $('#ticket-error').textContent = msg;
    this.ctx.toast(msg, 'error');
  }

  dispose() {
    this.flush();
    window.removeEventListener('pagehide', this.flushOnHide);
  }
}

// My work orders: the list, one work order with its history, and the actions an agent may take
// (answer, defer, escalate, mediate, transfer, callback, note) as POST …/actions.

import { $, h, fill, fmtTime, maskPhone, label, labelled, localInputToIso, uuid, debounce } from './util.js';
import { describeError } from './api.js';

const ALL = ['open', 'pending_answer', 'transferred', 'acknowledged', 'replied', 'callback_due', 'closed'];

// The agent's actions (SPEC §3): the states each is allowed from, and its fields.
const ACTIONS = {
  answer: { from: ['open', 'pending_answer'], fields: [{ name: 'answer', label: '答复内容', kind: 'textarea', required: true }] },
  defer: { from: ['open'], fields: [{ name: 'reply_due_at', label: '承诺答复时间', kind: 'datetime', required: true }] },
  escalate: {
    from: ['open', 'pending_answer'],
    fields: [
      { name: 'type', label: '升级为', kind: 'select', required: true, options: [['complaint', '投诉 complaint'], ['report', '举报 report']] },
      { name: 'reason', label: '升级原因', kind: 'textarea', required: true },
    ],
  },
  mediate: { from: ['open'], fields: [{ name: 'outcome', label: '化解结果', kind: 'textarea', required: true }] },
  transfer: {
    from: ['open'],
    fields: [
      { name: 'unit_id', label: '主办单位', kind: 'unit', required: true },
      { name: 'assist_unit_ids', label: '协办单位(可多选)', kind: 'units' },
    ],
  },
  callback: {
    from: ['callback_due'],
    fields: [
      { name: 'reached', label: '是否接通', kind: 'select', required: true, options: [['true', '已接通 reached'], ['false', '未接通 not reached']] },
      { name: 'satisfaction', label: '满意度(接通时必填)', kind: 'select', options: [['', '—'], ['5', '5 非常满意'], ['4', '4 满意'], ['3', '3 基本满意'], ['2', '2 不满意'], ['1', '1 非常不满意']] },
      { name: 'reopen', label: '不满意,重办(satisfied: false, reopen: true)', kind: 'check' },
      { name: 'text', label: '回访记录', kind: 'textarea' },
    ],
  },
  note: { from: ALL, fields: [{ name: 'text', label: '备注', kind: 'textarea', required: true }] },
};

export class TicketList {
  constructor(ctx) {
    this.ctx = ctx;
    this.items = [];
    this.cursor = null;
    this.openId = null;
    this.callbacksDue = new Set();
    this.units = null;
    this.refreshSoon = debounce(() => this.refresh(), 400);
    $('#tl-status').onchange = () => this.refresh();
    $('#tl-mine').onchange = () => this.render();
    $('#tl-q').oninput = debounce(() => this.refresh(), 300);
    $('#tl-refresh').onclick = () => this.refresh();
    $('#tl-more').onclick = () => this.refresh(true);
  }

  get me() {
    return this.ctx.session.data?.user_id;
  }

  async refresh(more = false) {
    const query = {
      limit: 50,
      status: $('#tl-status').value,
      q: $('#tl-q').value.trim(),
      cursor: more ? this.cursor : undefined,
    };
    try {
      const data = await this.ctx.api.get('/api/v1/tickets', query);
      const items = data?.items || [];
      this.items = more ? [...this.items, ...items] : items;
      this.cursor = data?.next_cursor || null;
      this.error = null;
    } catch (e) {
      this.items = more ? this.items : [];
      this.cursor = null;
      this.error = e.status === 404 || e.status === 405 ? '工单接口暂未开通(404)' : `加载失败:${describeError(e)}`;
    }
    this.render();
  }

  render() {
    const mine = $('#tl-mine').checked;
    const list = mine ? this.items.filter((t) => t.owner == null || t.owner === this.me) : this.items;
    $('#tl-meta').textContent = this.error || `共 ${list.length} 件${mine ? '(我受理的)' : ''}${this.cursor ? ',还有更多' : ''}`;
    $('#tl-meta').classList.toggle('form-error', !!this.error);
    $('#tl-more').hidden = !this.cursor;
    fill($('#ticket-list'), ...list.map((t) => h('li', {
      class: `ticket-row${t.overdue ? ' overdue' : ''}${this.callbacksDue.has(t.id) ? ' due' : ''}`,
      dataset: { id: t.id },
      tabindex: 0,
      onclick: () => this.open(t.id),
      onkeydown: (e) => { if (e.key === 'Enter') this.open(t.id); },
    },
    h('div', { class: 'tr-top' },
      h('span', { class: 'tno' }, t.ticket_no || `#${t.id}`),
      h('span', { class: `st st-${t.status}` }, label('status', t.status)),
      h('span', { class: 'ttype' }, label('type', t.type)),
      t.overdue ? h('span', { class: 'tag hot' }, '超期') : null),
    h('div', { class: 'tr-subject' }, t.subject || '(无主题)'),
    h('div', { class: 'tr-meta muted' }, maskPhone(t.caller?.phone), ' · 受理 ', fmtTime(t.accepted_at),
      t.due_at ? ` · 期限 ${fmtTime(t.due_at)}` : ''))));
    const badge = $('#callback-badge');
    badge.hidden = !this.callbacksDue.size;
    badge.textContent = String(this.callbacksDue.size);
  }

  onUpdated(msg) {
    const t = msg.ticket || msg.work_order || null;
    const id = t?.id ?? msg.ticket_id ?? msg.id;
    if (t && t.status !== 'callback_due') this.callbacksDue.delete(t.id);
    this.refreshSoon();
    if (id != null && id === this.openId && !this.acting) this.load(id);
  }

  onCallbackDue(msg) {
    const t = msg.ticket || msg.work_order || {};
    const id = t.id ?? msg.ticket_id ?? msg.id;
    if (id != null) this.callbacksDue.add(id);
    this.render();
    this.ctx.toast(`工单 ${t.ticket_no || msg.ticket_no || '#' + id} 需要回访`, 'warn', {
      timeoutMs: 15000,
      action: id != null ? { label: '打开', run: () => this.open(id) } : undefined,
    });
  }

  async open(id) {
    this.openId = id;
    const dlg = $('#ticket-dialog');
    $('#td-title').textContent = '加载中…';
    fill($('#td-body'));
    if (!dlg.open) dlg.showModal();
    dlg.onclose = () => { this.openId = null; };
    await this.load(id);
  }

  async load(id) {
    let t;
    try {
      t = await this.ctx.api.get(`/api/v1/tickets/${id}`);
    } catch (e) {
      $('#td-title').textContent = '无法打开工单';
      fill($('#td-body'), h('p', { class: 'form-error' }, describeError(e)));
      return;
    }
    if (this.openId !== id) return;
    if (t.status !== 'callback_due' && this.callbacksDue.delete(t.id)) this.render();
    fill($('#td-title'), `工单 ${t.ticket_no || '#' + t.id} `, h('span', { class: `st st-${t.status}` }, label('status', t.status)),
      h('small', { class: 'en' }, ` ${t.status}`));
    const history = h('ol', { class: 'history' }, h('li', { class: 'muted' }, '加载历史…'));
    fill($('#td-body'), this.facts(t), this.actions(t), h('h4', {}, '办理历史 ', h('small', { class: 'en' }, 'history')), history);
    try {
      const data = await this.ctx.api.get(`/api/v1/tickets/${id}/history`);
      const items = data?.items || [];
      fill(history, ...items.map((e) => h('li', {},
        h('span', { class: 'h-at' }, fmtTime(e.at)), ' ',
        h('b', {}, label('action', e.action)), h('small', { class: 'en' }, ` ${e.action}`), ' ',
        e.from_status ? `${label('status', e.from_status)} → ` : '', label('status', e.to_status),
        h('span', { class: 'muted' }, ` · ${e.actor_role || ''}${e.actor != null ? ' #' + e.actor : ''}`),
        fieldsText(e.fields) ? h('div', { class: 'h-fields' }, fieldsText(e.fields)) : null)));
      if (!items.length) fill(history, h('li', { class: 'muted' }, '暂无历史'));
    } catch (e) {
      fill(history, h('li', { class: 'form-error' }, `历史加载失败:${describeError(e)}`));
    }
  }

  facts(t) {
    const row = (k, v) => [h('dt', {}, k), h('dd', {}, v ?? '—')];
    return h('div', {},
      h('dl', { class: 'facts' },
        row('类型', labelled('type', t.type)),
        row('分类', t.category || '—'),
        row('渠道', labelled('channel', t.channel)),
        row('来电号码', t.caller?.phone || '—'),
        row('来电人', t.caller?.name || '—'),
        row('受理人', t.owner != null ? `#${t.owner}${t.owner === this.me ? '(我)' : ''}` : '—'),
        row('承办单位', t.unit_id != null ? this.unitName(t.unit_id) : '—'),
        row('受理时间', fmtTime(t.accepted_at)),
        row('办理期限', h('span', { class: t.overdue ? 'hot' : '' }, fmtTime(t.due_at), t.overdue ? '(已超期)' : '')),
        row('承诺答复', fmtTime(t.reply_due_at)),
        row('满意度', t.satisfaction ?? '—'),
        row('关联通话', (t.call_ids || []).map((c) => `#${c}`).join(' ') || '—')),
      h('div', { class: 'ticket-subject' }, t.subject),
      h('div', { class: 'ticket-desc' }, t.description || ''),
      t.resolution ? h('div', { class: 'ticket-resolution' }, h('b', {}, '办理结果:'), t.resolution) : null);
  }

  unitName(id) {
    const u = this.units?.find((x) => x.id === id);
    return u ? `${u.name}` : `单位 #${id}`;
  }

  async loadUnits() {
    if (this.units) return this.units;
    try {
      const data = await this.ctx.api.get('/api/v1/units', { limit: 200 });
      this.units = data?.items || [];
    } catch {
      this.units = [];
    }
    return this.units;
  }

  actions(t) {
    const box = h('div', { class: 'actions' });
    const bar = h('div', { class: 'action-bar' });
    const formBox = h('div', { class: 'action-form-box' });
    for (const [name, def] of Object.entries(ACTIONS)) {
      if (!def.from.includes(t.status)) continue;
      bar.append(h('button', {
        class: 'btn small', type: 'button', dataset: { action: name },
        onclick: async () => {
          for (const b of bar.children) b.classList.toggle('active', b.dataset.action === name);
          fill(formBox, await this.actionForm(t, name, def));
        },
      }, label('action', name), h('small', {}, name)));
    }
    if (!bar.children.length) bar.append(h('span', { class: 'muted' }, '当前状态下座席无可执行操作'));
    box.append(h('h4', {}, '办理 ', h('small', { class: 'en' }, 'actions')), bar, formBox);
    return box;
  }

  async actionForm(t, name, def) {
    if (def.fields.some((f) => f.kind === 'unit' || f.kind === 'units')) await this.loadUnits();
    const saveKey = `hotline.console.action.${t.id}.${name}`;
    let saved = {};
    try {
      saved = JSON.parse(localStorage.getItem(saveKey) || '{}');
    } catch {
      saved = {};
    }
    let key = uuid();
    const err = h('p', { class: 'form-error', role: 'alert' });
    const form = h('form', { class: 'action-form', dataset: { action: name } });
    for (const f of def.fields) form.append(this.fieldInput(f, saved[f.name]));
    const submit = h('button', { class: 'btn primary', type: 'submit' }, `确认${label('action', name)}`);
    form.append(h('div', { class: 'form-actions' }, submit, err));
    form.oninput = form.onchange = () => {
      try {
        localStorage.setItem(saveKey, JSON.stringify(readForm(form, def)));
      } catch {
        // best effort
      }
    };
    form.onsubmit = async (e) => {
      e.preventDefault();
      const values = readForm(form, def);
      const body = buildAction(name, values);
      if (typeof body === 'string') {
        err.textContent = body;
        return;
      }
      submit.disabled = true;
      err.textContent = '';
      this.acting = true;
      try {
        await this.ctx.api.post(`/api/v1/tickets/${t.id}/actions`, body, { headers: { 'Idempotency-Key': key } });
        localStorage.removeItem(saveKey);
        this.ctx.toast(`已${label('action', name)}:工单 ${t.ticket_no || '#' + t.id}`, 'ok');
        this.refreshSoon();
        await this.load(t.id);
      } catch (ex) {
        if (ex.status && ex.status < 500) key = uuid();  // a 4xx did nothing; it is remembered for the key
        err.textContent = describeError(ex);
      } finally {
        this.acting = false;
        submit.disabled = false;
      }
    };
    return form;
  }

  fieldInput(f, value) {
    const req = f.required ? h('span', { class: 'req' }, '*') : null;
    let input;
    if (f.kind === 'textarea') input = h('textarea', { name: f.name, rows: 3 });
    else if (f.kind === 'datetime') input = h('input', { name: f.name, type: 'datetime-local' });
    else if (f.kind === 'check') {
      input = h('input', { name: f.name, type: 'checkbox' });
      input.checked = !!value;
      return h('label', { class: 'check' }, input, ' ', f.label);
    } else if (f.kind === 'select') {
      input = h('select', { name: f.name }, ...f.options.map(([v, t]) => h('option', { value: v }, t)));
    } else if (f.kind === 'unit' || f.kind === 'units') {
      const opts = (this.units || []).map((u) => h('option', { value: u.id }, `${u.name}(${label('unitKind', u.kind)})`));
      input = f.kind === 'unit'
        ? h('select', { name: f.name }, h('option', { value: '' }, '请选择单位'), ...opts)
        : h('select', { name: f.name, multiple: true, size: Math.min(5, Math.max(2, opts.length)) }, ...opts);
      if (!opts.length) return h('label', {}, h('span', {}, f.label, req), h('p', { class: 'form-error' }, '无法加载单位列表(GET /api/v1/units)'));
    } else input = h('input', { name: f.name });
    if (value !== undefined) {
      if (input.multiple && Array.isArray(value)) {
        for (const o of input.options) o.selected = value.includes(o.value);
      } else input.value = value;
    }
    return h('label', {}, h('span', {}, f.label, req, h('small', { class: 'en' }, f.name)), input);
  }
}

function readForm(form, def) {
  const out = {};
  for (const f of def.fields) {
    const el = form.elements[f.name];
    if (!el) continue;
    if (f.kind === 'check') out[f.name] = el.checked;
    else if (el.multiple) out[f.name] = Array.from(el.selectedOptions, (o) => o.value);
    else out[f.name] = el.value;
  }
  return out;
}

/** The action's body, or a sentence saying what is missing. */
function buildAction(name, v) {
  const body = { action: name };
  const need = (k, msg) => {
    if (!String(v[k] ?? '').trim()) throw msg;
    return String(v[k]).trim();
  };
  try {
    switch (name) {
      case 'answer': body.answer = need('answer', '请填写答复内容'); break;
      case 'defer': {
        const iso = localInputToIso(need('reply_due_at', '请选择承诺答复时间'));
        if (!iso || Date.parse(iso) <= Date.now()) throw '承诺答复时间必须晚于现在';
        body.reply_due_at = iso;
        break;
      }
      case 'escalate': body.type = need('type', '请选择升级类型'); body.reason = need('reason', '请填写升级原因'); break;
      case 'mediate': body.outcome = need('outcome', '请填写化解结果'); break;
      case 'transfer':
        body.unit_id = Number(need('unit_id', '请选择主办单位'));
        if (v.assist_unit_ids?.length) {
          body.assist_unit_ids = v.assist_unit_ids.map(Number).filter((u) => u !== body.unit_id);
        }
        break;
      case 'callback':
        body.reached = v.reached === 'true';
        if (body.reached) body.satisfaction = Number(need('satisfaction', '接通时请选择满意度'));
        if (v.reopen) {
          body.satisfied = false;
          body.reopen = true;
        }
        if (v.text?.trim()) body.text = v.text.trim();
        break;
      case 'note': body.text = need('text', '请填写备注'); break;
      default: break;
    }
  } catch (msg) {
    return String(msg);
  }
  return body;
}

function fieldsText(fields) {
  if (!fields || typeof fields !== 'object') return '';
  return Object.entries(fields)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(' · ');
}

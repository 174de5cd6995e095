// The work-order draft: written to localStorage on every keystroke, read back after a reload,
// a reconnect or a new login, and removed only once the server has answered 201.
//
// The draft carries the Idempotency-Key made when the form was opened, so a retry after a
// lost answer (or a reload in the middle of a submit) can never create a second work order.

import { uuid } from './util.js';

export const DRAFT_FIELDS = ['type', 'category', 'phone', 'name', 'subject', 'description'];

export class DraftStore {
  constructor(username) {
    this.key = `hotline.console.draft.${username}`;
  }

  /** The stored draft, or a fresh one with a new idempotency key. */
  load() {
    let d = null;
    try {
      d = JSON.parse(localStorage.getItem(this.key) || 'null');
    } catch {
      d = null;
    }
    if (!d || typeof d !== 'object' || !d.idempotency_key) return this.fresh();
    d.fields = { ...this.fresh().fields, ...(d.fields || {}) };
    return d;
  }

  fresh() {
    return {
      v: 1,
      idempotency_key: uuid(),
      opened_at: new Date().toISOString(),
      call_id: null,
      fields: { type: 'consult', category: '', phone: '', name: '', subject: '', description: '' },
    };
  }

  /** Writes the draft now; false when the browser refused (storage full or disabled). */
  save(draft) {
    draft.saved_at = new Date().toISOString();
    try {
      localStorage.setItem(this.key, JSON.stringify(draft));
      return true;
    } catch {
      return false;
    }
  }

  /** After a 201 only. */
  clear() {
    try {
      localStorage.removeItem(this.key);
    } catch {
      // nothing stored
    }
  }

  static isEmpty(draft) {
    const f = draft.fields || {};
    return !['category', 'phone', 'name', 'subject', 'description'].some((k) => String(f[k] || '').trim());
  }
}

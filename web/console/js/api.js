// The REST API: bearer token, JSON in and out, RFC 7807 problem bodies turned into ApiError.

/** A failed request: `status` 0 means the network failed (the request may or may not have run). */
export class ApiError extends Error {
  constructor(status, problem = {}) {
    const detail = problem.detail || problem.title || (status ? `HTTP ${status}` : '网络错误');
    super(detail);
    this.status = status;
    this.code = problem.code || (status === 0 ? 'network' : `http_${status}`);
    this.detail = detail;
    this.field = problem.field;
    this.problem = problem;
  }

  /** The route is not there (yet): a 404 that is not about a missing object. */
  get missingRoute() {
    return this.status === 404 || this.status === 405;
  }
}

/** A user-facing sentence for an error: the problem's `detail`, with its code. */
export function describeError(err) {
  if (!(err instanceof ApiError)) return String(err?.message || err);
  if (err.status === 0) return '网络错误,请检查连接后重试';
  const where = err.field ? `(${err.field})` : '';
  return `${err.detail}${where} [${err.code}]`;
}

/** Keeps the login in sessionStorage under `storageKey`. */
export class Session {
  constructor(storageKey) {
    this.key = storageKey;
    this.data = null;
    try {
      this.data = JSON.parse(sessionStorage.getItem(storageKey) || 'null');
    } catch {
      this.data = null;
    }
    if (this.data?.expires_at && Date.parse(this.data.expires_at) < Date.now()) this.clear();
  }
  get token() {
    return this.data?.token || null;
  }
  set(data) {
    this.data = data;
    sessionStorage.setItem(this.key, JSON.stringify(data));
  }
  clear() {
    this.data = null;
    sessionStorage.removeItem(this.key);
  }
}

export class Api {
  /** `onUnauthorized` runs when a request with a token answers 401 (expired or revoked). */
  constructor(session, { onUnauthorized } = {}) {
    this.session = session;
    this.onUnauthorized = onUnauthorized;
  }

  async request(method, path, { body, query, headers = {}, timeoutMs = 15000 } = {}) {
    let url = path;
    if (query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
      }
      const s = qs.toString();
      if (s) url += (url.includes('?') ? '&' : '?') + s;
    }
    const h = { Accept: 'application/json', ...headers };
    if (this.session.token) h.Authorization = `Bearer ${this.session.token}`;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    let res;
    try {
      res = await fetch(url, {
        method,
        headers: h,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: ctl.signal,
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, { detail: e?.name === 'AbortError' ? '请求超时' : '网络错误' });
    } finally {
      clearTimeout(timer);
    }
    const text = await res.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = { detail: text.slice(0, 200) };
      }
    }
    if (!res.ok) {
      const err = new ApiError(res.status, data || {});
      if (res.status === 401 && this.session.token && this.onUnauthorized) this.onUnauthorized(err);
      throw err;
    }
    return { status: res.status, data, headers: res.headers };
  }

  async get(path, query) {
    return (await this.request('GET', path, { query })).data;
  }
  async post(path, body = {}, opts = {}) {
    return (await this.request('POST', path, { body, ...opts })).data;
  }

  /** POST /api/v1/auth/login; keeps the answer in the session. */
  async login(username, password) {
    const { data } = await this.request('POST', '/api/v1/auth/login', { body: { username, password } });
    this.session.set({ ...data, username: data.username || username });
    return data;
  }

  async logout() {
    try {
      if (this.session.token) await this.request('POST', '/api/v1/auth/logout', { body: {}, timeoutMs: 3000 });
    } catch {
      // The token is dropped here whatever the server says.
    }
    this.session.clear();
  }
}

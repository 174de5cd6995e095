// A WebSocket that stays up: reconnects with backoff, says hello after every connect,
// answers each command's promise from its `ack`, and notices a silent connection.

const PING_EVERY_MS = 20000;
const SILENT_AFTER_MS = 50000;

export class CommandError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

export class LiveSocket {
  /**
   * path: '/ws/agent'; getToken(): the bearer token; handlers:
   *   onMessage(msg) for every pushed message (not acks),
   *   onStatus({state: 'connecting'|'open'|'closed', attempt, retryInMs}),
   *   onOpen() after the hello, onAuthLost() when the token no longer opens the socket.
   */
  constructor(path, getToken, handlers = {}) {
    this.path = path;
    this.getToken = getToken;
    this.h = handlers;
    this.ws = null;
    this.nextId = 1;
    this.pending = new Map();
    this.attempt = 0;
    this.stopped = true;
    this.retryTimer = null;
    this.pingTimer = null;
    this.lastHeard = 0;
    this.everOpened = false;
    this.wake = () => {
      if (!this.stopped && (!this.ws || this.ws.readyState > 1)) this.connectSoon(0);
    };
  }

  get isOpen() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.wake);
    document.addEventListener('visibilitychange', this.wake);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.wake);
    document.removeEventListener('visibilitychange', this.wake);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000, 'bye');
    this.failPending('disconnected', '连接已关闭');
  }

  url() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}${this.path}?access_token=${encodeURIComponent(this.getToken() || '')}`;
  }

  connect() {
    clearTimeout(this.retryTimer);
    if (this.stopped) return;
    this.status('connecting');
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.everOpened = true;
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.status('open');
      this.send('hello').catch(() => {});
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.keepAlive(), PING_EVERY_MS);
      this.h.onOpen?.();
    };
    ws.onmessage = (ev) => {
      this.lastHeard = Date.now();
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      this.dispatch(msg);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearInterval(this.pingTimer);
      this.failPending('disconnected', '连接已断开');
      if (this.stopped) return;
      // A socket that never opened may have been refused for its token: let the page check.
      if (!opened && this.h.onRefused) {
        Promise.resolve(this.h.onRefused()).then((authLost) => {
          if (authLost) {
            this.stop();
            this.h.onAuthLost?.();
          } else this.scheduleRetry();
        }, () => this.scheduleRetry());
      } else this.scheduleRetry();
    };
    ws.onerror = () => {};
  }

  scheduleRetry() {
    if (this.stopped) return;
    this.attempt += 1;
    const base = Math.min(15000, 500 * 2 ** Math.min(this.attempt - 1, 5));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.status('closed', delay);
    this.connectSoon(delay);
  }

  connectSoon(delay) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  keepAlive() {
    if (!this.isOpen) return;
    if (Date.now() - this.lastHeard > SILENT_AFTER_MS) {
      this.ws.close(4000, 'silent');  // onclose reconnects
      return;
    }
    try {
      this.ws.send(JSON.stringify({ type: 'ping', id: `p${this.nextId++}` }));
    } catch {
      // onclose follows
    }
  }

  status(state, retryInMs) {
    this.h.onStatus?.({ state, attempt: this.attempt, retryInMs });
  }

  dispatch(msg) {
    const id = msg?.id;
    if (id !== undefined && id !== null && this.pending.has(id) &&
        (msg.type === 'ack' || msg.type === 'hello' || msg.type === 'pong')) {
      const p = this.pending.get(id);
      this.pending.delete(id);
      clearTimeout(p.timer);
      if (msg.type !== 'ack' || msg.ok) p.resolve(msg.type === 'ack' ? msg.result : msg);
      else p.reject(new CommandError(msg.error?.code || 'error', msg.error?.message || '命令失败'));
      return;
    }
    if (msg?.type === 'ack' || msg?.type === 'pong') return;
    this.h.onMessage?.(msg);
  }

  /** Sends a command; resolves with its ack's `result`, rejects with a CommandError. */
  send(type, fields = {}, timeoutMs = 10000) {
    if (!this.isOpen) return Promise.reject(new CommandError('disconnected', '未连接到服务器,正在重连'));
    const id = `c${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CommandError('timeout', '服务器没有应答'));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.ws.send(JSON.stringify({ ...fields, type, id }));
      } catch {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new CommandError('disconnected', '发送失败'));
      }
    });
  }

  failPending(code, message) {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new CommandError(code, message));
    }
    this.pending.clear();
  }
}

"""Integration-test harness: boots the real `hotline` binary on an ephemeral port with a
temporary database and talks HTTP and WebSocket to it. Python standard library only."""
import base64
import copy
import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

ROOT = os.environ.get("HOTLINE_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXE = os.environ.get("HOTLINE_EXE") or os.path.join(ROOT, "build", "src", "app", "hotline")
ADMIN_PW = "it-admin-pass-1"
TEL_KEY = "it-telephony-key-1"
LISTEN_RE = re.compile(rb"listening on http://[^:]+:(\d+)")


def merge(a, b):
    out = copy.deepcopy(a)
    for k, v in b.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


class Server:
    """One server process. start() waits until it logs its port; restart keeps the database."""

    def __init__(self, overrides=None, env=None):
        self.tmp = tempfile.mkdtemp(prefix="hotline-it-")
        with open(os.path.join(ROOT, "config", "hotline.json")) as f:
            base = json.load(f)
        cfg = merge(base, {"server": {"address": "127.0.0.1", "port": 0, "static_root": os.path.join(ROOT, "web")},
                           "db": {"path": os.path.join(self.tmp, "hotline.db")},
                           "auth": {"telephony_key": TEL_KEY}})
        self.config = merge(cfg, overrides or {})
        self.config_path = os.path.join(self.tmp, "config.json")
        with open(self.config_path, "w") as f:
            json.dump(self.config, f, ensure_ascii=False)
        self.env = dict(os.environ, HOTLINE_ADMIN_PASSWORD=ADMIN_PW)
        self.env.update(env or {})
        self.env.pop("HOTLINE_TELEPHONY_KEY", None)
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.tmp, "server.log")

    def start(self, args=(), timeout=20):
        with open(self.log_path, "ab") as log:
            offset = log.tell()
            self.proc = subprocess.Popen([EXE, "serve", "--config", self.config_path, *args], cwd=ROOT,
                                         stdout=log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                m = LISTEN_RE.search(f.read())
            if m:
                self.port = int(m.group(1))
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %s:\n%s" % (self.proc.returncode, self.log()))
            time.sleep(0.02)
        self.kill9()
        raise RuntimeError("server did not start:\n" + self.log())

    def log(self):
        try:
            return open(self.log_path, "rb").read().decode("utf-8", "replace")
        except OSError:
            return ""

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                return self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill9()
                raise
        return self.proc.returncode if self.proc else None

    def close(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # --- HTTP -------------------------------------------------------------
    def req(self, method, path, body=None, token=None, key=None, headers=None, raw=None, timeout=15):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        if key:
            h["X-Api-Key"] = key
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            h.setdefault("Content-Type", "application/json")
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        txt = r.read()
        ctype = r.getheader("Content-Type", "")
        c.close()
        if "json" in ctype and txt:
            return r.status, json.loads(txt)
        return r.status, txt.decode("utf-8", "replace")

    def login(self, user, pw):
        st, b = self.req("POST", "/api/v1/auth/login", {"username": user, "password": pw})
        assert st == 200, (st, b)
        return b["token"]

    def admin(self):
        return self.login("admin", ADMIN_PW)

    def user(self, admin_token, username, role, **extra):
        body = dict(username=username, password="pw-%s-123" % username, role=role, **extra)
        st, b = self.req("POST", "/api/v1/users", body, token=admin_token)
        assert st == 201, (st, b)
        return b, self.login(username, body["password"])


class WS:
    """Minimal RFC 6455 client: text frames, masked."""

    def __init__(self, port, path, token=None, headers=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        hdr = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n") % (path, port, key)
        if token:
            hdr += "Authorization: Bearer %s\r\n" % token
        for k, v in (headers or {}).items():
            hdr += "%s: %s\r\n" % (k, v)
        self.sock.sendall((hdr + "\r\n").encode())
        resp = b""
        while b"\r\n\r\n" not in resp:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise OSError("closed during handshake")
            resp += chunk
        head, self.buf = resp.split(b"\r\n\r\n", 1)
        self.backlog = []
        self.status = int(head.split(b" ")[1])
        if self.status != 101:
            raise OSError("handshake refused: %d" % self.status)

    def send(self, obj):
        data = json.dumps(obj, ensure_ascii=False).encode()
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            h = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 65536:
            h = struct.pack("!BBH", 0x81, 0xFE, n)
        else:
            h = struct.pack("!BBQ", 0x81, 0xFF, n)
        self.sock.sendall(h + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self, timeout=10):
        self.sock.settimeout(timeout)
        message = None
        while True:
            b1, b2 = self._read(2)
            n = b2 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(n)
            op = b1 & 0x0F
            if op == 8:
                raise OSError("closed by server")
            if op == 1:
                message = payload
            elif op == 0 and message is not None:
                message += payload  # a continuation frame
            else:
                continue  # ping, pong
            if b1 & 0x80:
                return json.loads(message)

    def wait_for(self, pred, timeout=10):
        """The first message, already received or still to come, that `pred` accepts; the
        others stay in the backlog for later calls."""
        for i, m in enumerate(self.backlog):
            if pred(m):
                return self.backlog.pop(i)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                m = self.recv(max(0.05, deadline - time.time()))
            except socket.timeout:
                return None
            if pred(m):
                return m
            self.backlog.append(m)
        return None

    def command(self, msg_id, type_, timeout=10, **fields):
        self.send(dict(id=msg_id, type=type_, **fields))
        return self.wait_for(lambda m: m.get("type") == "ack" and m.get("id") == msg_id, timeout)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def wait_until(pred, timeout=10, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return None

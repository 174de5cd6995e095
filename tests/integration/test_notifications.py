"""Work-order notifications through the real binary: WebSocket pushes of work-order changes
(a voice message's callback reaches the agents and the wallboard), and the outbox delivered to
a real webhook receiver (retried after a failure, still delivered after a restart)."""
import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import TEL_KEY, WS, Server

# A Wednesday evening: outside the default hours (08:00–18:00), so a call gets the voice menu.
EVENING = "2026-11-25T19:00:00+08:00"


class PushTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server().start(args=("--clock", EVENING))
        adm = cls.s.admin()
        cls.agent = cls.s.user(adm, "agent1", "agent")[1]
        cls.sup = cls.s.user(adm, "sup1", "supervisor")[1]

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def voicemail(self, phone):
        st, call = self.s.req("POST", "/api/v1/calls", {"caller": phone, "called": "12320"}, key=TEL_KEY)
        self.assertEqual((st, call["state"]), (201, "after_hours"))
        cid = call["call_id"]
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "3"}, key=TEL_KEY)
        self.assertEqual((st, b["action"]), (200, "record"))
        st, b = self.s.req("POST", "/api/v1/ivr/%d/recording" % cid, {"url": "file:///m.wav", "duration_s": 9},
                           key=TEL_KEY)
        self.assertEqual(st, 201, b)
        return b["ticket"]

    def test_a_voice_messages_callback_reaches_the_agents_and_the_wallboard(self):
        console = WS(self.s.port, "/ws/agent", self.agent)
        wallboard = WS(self.s.port, "/ws/supervisor", self.sup)
        try:
            t = self.voicemail("13611112222")
            self.assertEqual((t["channel"], t["status"], t["owner"]), ("voicemail", "callback_due", None))
            is_due = lambda m: m.get("type") == "callback.due" and m["ticket"]["id"] == t["id"]
            self.assertIsNotNone(console.wait_for(is_due), "the agents hear of a callback nobody owns")
            self.assertIsNotNone(wallboard.wait_for(is_due))
            # The wallboard also hears of ordinary changes; an agent's note is one.
            st, b = self.s.req("POST", "/api/v1/tickets/%d/actions" % t["id"], {"action": "note", "text": "已听留言"},
                               token=self.agent)
            self.assertEqual(st, 200, b)
            noted = wallboard.wait_for(lambda m: m.get("type") == "ticket.updated" and m["ticket"]["id"] == t["id"]
                                       and m["event"] == "ticket.updated")
            self.assertIsNotNone(noted)
        finally:
            console.close()
            wallboard.close()


class Receiver:
    """A webhook receiver on 127.0.0.1, port 0: answers `status` and records every POST."""

    def __init__(self):
        self.status = 204
        self.got = []  # (status answered, notification)
        self.cond = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                with outer.cond:
                    status = outer.status
                    outer.got.append((status, body))
                    outer.cond.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait_for(self, pred, timeout=20):
        with self.cond:
            ok = self.cond.wait_for(lambda: any(pred(st, n) for st, n in self.got), timeout)
        return ok

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class WebhookTest(unittest.TestCase):
    def setUp(self):
        self.rx = Receiver()
        self.s = Server({"notify": {"webhook_url": self.rx.url}}).start(args=("--clock", EVENING))
        adm = self.s.admin()
        self.agent = self.s.user(adm, "agent1", "agent")[1]

    def tearDown(self):
        self.s.close()
        self.rx.close()

    def create(self, phone):
        st, t = self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": phone},
                                                      "subject": "回执", "description": "x"}, token=self.agent)
        self.assertEqual(st, 201, t)
        return t

    def receipt_of(self, t, answered):
        return lambda st, n: st == answered and n["kind"] == "receipt" and n["ticket_no"] == t["ticket_no"]

    def test_receipts_reach_the_receiver_and_failures_are_retried_across_a_restart(self):
        t = self.create("13700001111")
        self.assertTrue(self.rx.wait_for(self.receipt_of(t, 204)), self.rx.got)
        sent = [n for _, n in self.rx.got if n["ticket_no"] == t["ticket_no"]][0]
        self.assertEqual((sent["type"], sent["to"], sent["ticket_id"]), ("receipt", "13700001111", t["id"]))
        self.assertGreater(sent["notification_id"], 0)

        # A failing receiver: refused now, sent again once its backoff (10 s) has passed.
        self.rx.status = 500
        t2 = self.create("13700002222")
        self.assertTrue(self.rx.wait_for(self.receipt_of(t2, 500)))
        self.rx.status = 204
        adm = self.s.admin()
        self.assertEqual(self.s.req("POST", "/api/v1/test/clock", {"advance_s": 60}, token=adm)[0], 200)
        self.assertTrue(self.rx.wait_for(self.receipt_of(t2, 204)), self.rx.got)

        # Refused, then the server dies: the receipt waits in the database for the next start.
        self.rx.status = 500
        t3 = self.create("13700003333")
        self.assertTrue(self.rx.wait_for(self.receipt_of(t3, 500)))
        self.s.kill9()
        self.rx.status = 204
        self.s.start(args=("--clock", "2026-11-25T21:00:00+08:00"))
        self.assertTrue(self.rx.wait_for(self.receipt_of(t3, 204)), self.rx.got)
        ids = [n["notification_id"] for st, n in self.rx.got if n["ticket_no"] == t3["ticket_no"]]
        self.assertEqual(len(set(ids)), 1, "the same notification, for the receiver to dedupe")


class WebhookConfigTest(unittest.TestCase):
    def test_an_https_webhook_stops_start_up_naming_the_key(self):
        s = Server({"notify": {"webhook_url": "https://hooks.example.com/hotline"}})
        try:
            with self.assertRaises(RuntimeError) as e:
                s.start()
            self.assertIn("notify.webhook_url", str(e.exception))
            self.assertIn("https:// is not supported", str(e.exception))
        finally:
            s.close()


if __name__ == "__main__":
    unittest.main()

"""The agent console over /ws/agent through the real binary: sessions counted per agent (closing
one of two consoles starts no grace period), a reconnect within the grace period re-sends the
current call, and the caller history of `call.offered`."""
import time
import unittest

from acd_case import AcdCase, acd_config
from harness import TEL_KEY, WS, wait_until

CFG = acd_config(seats={"regular": 2, "emergency": 1}, ring_timeout_s=30, wrap_up_s=0, reconnect_grace_s=1)


class ConsoleTest(AcdCase):
    config = CFG

    def setUp(self):
        super().setUp()
        self.ag, self.tok = self.s.user(self.adm, "ag", "agent")

    def me(self):
        return self.s.req("GET", "/api/v1/agents/me", token=self.tok)[1]

    def call(self, phone):
        return super().call(phone)["call_id"]

    def console(self):
        ws = WS(self.s.port, "/ws/agent", self.tok)
        ws.send({"type": "hello", "id": "h"})
        self.assertIsNotNone(ws.wait_for(lambda m: m.get("type") == "hello"))
        return ws

    def test_closing_one_of_two_consoles_starts_no_grace_period(self):
        first, second = self.console(), self.console()
        self.assertTrue(first.command(1, "login")["ok"])
        first.close()
        time.sleep(2.5)  # past reconnect_grace_s = 1
        self.assertEqual(self.me()["state"], "ready")
        second.close()
        self.assertTrue(wait_until(lambda: self.me()["state"] == "not_ready", timeout=5))
        self.assertEqual(self.me()["reason"], "disconnected")

    def test_a_reconnect_within_the_grace_period_resends_the_call_and_cancels_it(self):
        ws = self.console()
        self.assertTrue(ws.command(1, "login")["ok"])
        cid = self.call("13900001111")
        self.assertIsNotNone(ws.wait_for(lambda m: m.get("type") == "call.offered"))
        ws.close()
        time.sleep(0.3)
        again = self.console()
        offer = again.wait_for(lambda m: m.get("type") == "call.offered")
        self.assertIsNotNone(offer)
        self.assertEqual((offer["call"]["call_id"], offer["call"]["state"]), (cid, "ringing"))
        time.sleep(2)  # past the grace period of the first console: nothing happens
        self.assertEqual((self.me()["state"], self.me()["call_id"]), ("ringing", cid))
        ack = again.command(2, "accept", call_id=cid)
        self.assertTrue(ack["ok"], ack)
        again.close()

    def test_call_offered_carries_the_callers_history(self):
        phone = "13900002222"
        earlier = []
        for _ in range(2):
            cid = self.call(phone)
            self.s.req("POST", "/api/v1/calls/%d/hangup" % cid, {}, key=TEL_KEY)
            earlier.append(cid)
        tickets = []
        for i in range(5):
            st, t = self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": phone},
                                                          "subject": "咨询%d" % i, "description": "疫苗"}, token=self.tok)
            self.assertEqual(st, 201, t)
            tickets.append(t["id"])
        for tid in tickets[:4]:
            st, t = self.s.req("POST", "/api/v1/tickets/%d/actions" % tid, {"action": "answer", "answer": "已答复"},
                               token=self.tok)
            self.assertEqual((st, t["status"]), (200, "closed"), t)
        ws = self.console()
        self.assertTrue(ws.command(1, "login")["ok"])
        cid = self.call(phone)
        offer = ws.wait_for(lambda m: m.get("type") == "call.offered")
        self.assertIsNotNone(offer)
        h = offer["caller_history"]
        self.assertEqual(h["phone"], phone)
        self.assertNotIn(cid, [c["call_id"] for c in h["calls"]])
        self.assertEqual(sorted(c["call_id"] for c in h["calls"]), sorted(earlier))
        self.assertEqual([t["id"] for t in h["open_tickets"]], [tickets[4]])
        self.assertEqual(len(h["closed_tickets"]), 3)  # the last 3 of the 4 closed
        self.assertTrue(set(t["id"] for t in h["closed_tickets"]) <= set(tickets[:4]))
        self.assertTrue(all(t["status"] == "closed" for t in h["closed_tickets"]))
        self.s.req("POST", "/api/v1/calls/%d/hangup" % cid, {}, key=TEL_KEY)
        ws.wait_for(lambda m: m.get("type") == "agent.state" and m.get("state") == "ready")
        # A withheld number: nothing about anyone.
        self.call("anonymous")
        cid_anon = self.call("anonymous")
        offer = ws.wait_for(lambda m: m.get("type") == "call.offered")
        self.assertIsNotNone(offer)
        self.assertNotEqual(offer["call"]["call_id"], cid_anon)  # the first one rings
        h = offer["caller_history"]
        self.assertEqual((h["calls"], h["open_tickets"], h["closed_tickets"]), ([], [], []))
        ws.close()


if __name__ == "__main__":
    unittest.main()

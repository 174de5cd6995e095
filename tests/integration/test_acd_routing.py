"""ACD routing rules through the real binary: the sticky agent (the owner of the caller's open
work order is offered the call first) and the acd.max_waiting boundary."""
import sqlite3
import time
import unittest

from acd_case import AcdCase, acd_config
from harness import TEL_KEY, wait_until


class RoutingTest(AcdCase):
    def setUp(self):
        pass  # each test starts its own server with the settings it needs

    def start(self, **kw):
        super().start(acd_config(**dict({"seats": {"regular": 3, "emergency": 1}, "ring_timeout_s": 30,
                                         "wrap_up_s": 0}, **kw)))

    def test_the_owner_of_an_open_work_order_is_offered_the_callers_next_call(self):
        self.start()
        a, tok_a = self.s.user(self.adm, "ag_a", "agent")
        b, tok_b = self.s.user(self.adm, "ag_b", "agent")
        # Agent B writes a work order for the caller: B owns it, and it stays open.
        st, t = self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": "13912345678"},
                                                      "subject": "疫苗接种", "description": "询问接种点"}, token=tok_b)
        self.assertEqual(st, 201, t)
        self.assertEqual(t["owner"], b["id"])
        # A logs in first and so has been idle longer: longest_idle would pick A.
        self.assertEqual(self.s.req("POST", "/api/v1/agents/login", {}, token=tok_a)[0], 200)
        time.sleep(0.3)
        self.assertEqual(self.s.req("POST", "/api/v1/agents/login", {}, token=tok_b)[0], 200)
        # The caller of B's work order calls again (in another format): B first, though A idled longer.
        c = self.call("+86 139-1234-5678")
        call = self.get_call(c["call_id"])
        self.assertEqual((call["state"], call["agent_id"]), ("ringing", b["id"]))
        # B busy: the caller's next call is not kept waiting for B but goes to A at once.
        again = self.call("13912345678")
        call = self.get_call(again["call_id"])
        self.assertEqual((call["state"], call["agent_id"]), ("ringing", a["id"]))
        self.s.stop()
        db = sqlite3.connect(self.s.config["db"]["path"])
        reasons = [r[0] for r in db.execute("SELECT reason FROM call_events WHERE kind='call_routed' AND call_id=?",
                                            (c["call_id"],))]
        db_reasons = [r[0] for r in db.execute("SELECT reason FROM call_events WHERE kind='call_routed' AND call_id=?",
                                               (again["call_id"],))]
        db.close()
        self.assertEqual(reasons, ["sticky"])
        self.assertEqual(db_reasons, [None])

    def test_max_waiting_boundary(self):
        self.start(max_waiting=2)
        waiting = [self.call("1370000100%d" % i) for i in range(3)]
        # Two wait (not more than 2): the third still queues; now three wait, more than 2.
        self.assertEqual([w["state"] for w in waiting], ["queued"] * 3)
        self.assertEqual([w["position"] for w in waiting], [1, 2, 3])
        over = self.call("13700001009")
        self.assertEqual(over["state"], "overflow")
        self.assertNotIn("position", over)
        self.assertEqual(self.get_call(over["call_id"])["state"], "overflow")
        # A ready agent who can take a call at once: no overflow, however many wait.
        _, tok = self.s.user(self.adm, "ag_c", "agent", skills={"complaint": 1})
        self.assertEqual(self.s.req("POST", "/api/v1/agents/login", {}, token=tok)[0], 200)
        comp = self.call("13700001010", skill="complaint")
        self.assertEqual((comp["state"], comp["offered"]), ("queued", True))
        self.assertEqual(self.get_call(comp["call_id"])["state"], "ringing")
        still = self.call("13700001011")
        self.assertEqual(still["state"], "overflow")
        q = self.s.req("GET", "/api/v1/queue", token=self.sup)[1]
        self.assertEqual((q["waiting"], q["today"]["offered"], q["today"]["overflowed"]), (3, 6, 2))


if __name__ == "__main__":
    unittest.main()

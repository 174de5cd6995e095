"""Today's measures (SPEC §2) through the real binary on the test clock: a small scripted day
whose every figure is computed by hand below, read from GET /api/v1/queue and /api/v1/agents."""
import unittest

from acd_case import AcdCase, acd_config
from harness import TEL_KEY, wait_until

CFG = acd_config(seats={"regular": 2, "emergency": 1}, ring_timeout_s=60, wrap_up_s=10, short_abandon_s=5,
                 service_level_s=20, overflow_after_s=600)


class ScriptedDayTest(AcdCase):
    config = CFG
    server_args = ("--clock", "2026-12-01T10:00:00+08:00")

    def setUp(self):
        super().setUp()
        self.ag, self.tok = self.s.user(self.adm, "ag", "agent")

    def advance(self, s):
        st, b = self.s.req("POST", "/api/v1/test/clock", {"advance_s": s}, token=self.adm)
        self.assertEqual(st, 200, b)

    def call(self, phone):
        return super().call(phone)["call_id"]

    def state(self, cid):
        return self.s.req("GET", "/api/v1/calls/%d" % cid, token=self.sup)[1]["state"]

    def accept(self, cid):
        st, b = self.s.req("POST", "/api/v1/calls/%d/accept" % cid, {}, token=self.tok)
        self.assertEqual(st, 200, b)

    def hangup(self, cid, by):
        st, b = self.s.req("POST", "/api/v1/calls/%d/hangup" % cid, {"by": by}, key=TEL_KEY)
        self.assertEqual(st, 200, b)

    def test_every_measure_of_a_scripted_day(self):
        self.assertEqual(self.s.req("POST", "/api/v1/agents/login", {}, token=self.tok)[0], 200)
        # t=0: call 1 rings the agent at once, picked up after 4 s, 60 s of talk, 10 s of wrap-up.
        c1 = self.call("13900000001")
        self.assertEqual(self.state(c1), "ringing")
        self.advance(4)
        self.accept(c1)  # wait 4 s: within service level
        self.advance(60)
        self.hangup(c1, "agent")  # t=64
        # t=64: call 2 waits for the wrap-up to end (t=74), rings, picked up at t=100.
        c2 = self.call("13900000002")
        self.assertEqual(self.state(c2), "queued")
        self.advance(10)
        self.assertTrue(wait_until(lambda: self.state(c2) == "ringing"))
        self.advance(26)
        self.accept(c2)  # wait 36 s: beyond service level
        self.advance(30)
        self.hangup(c2, "caller")  # t=130, talk 30 s
        self.assertEqual(self.s.req("POST", "/api/v1/agents/wrap_done", {}, token=self.tok)[0], 200)
        self.s.req("POST", "/api/v1/agents/state", {"state": "not_ready", "reason": "break"}, token=self.tok)
        # t=130: call 3 hangs up after 3 s (a short abandon); call 4 after 12 s (an abandon).
        c3 = self.call("13900000003")
        self.advance(3)
        self.hangup(c3, "caller")
        c4 = self.call("13900000004")
        self.advance(12)
        self.hangup(c4, "caller")
        # t=145: call 5 is still waiting 50 s later (t=195).
        c5 = self.call("13900000005")
        self.advance(50)
        q = self.s.req("GET", "/api/v1/queue", token=self.sup)[1]
        t = q["today"]
        self.assertEqual(t["date"], "2026-12-01")
        self.assertEqual((t["offered"], t["answered"], t["abandoned"], t["short_abandoned"], t["overflowed"]),
                         (5, 2, 2, 1, 0))
        self.assertAlmostEqual(t["answer_rate"], 2 / (5 - 1))  # answered / (offered − short)
        # answered within 20 s / (answered + abandons not short + overflowed)
        self.assertAlmostEqual(t["service_level"], 1 / 3)
        self.assertAlmostEqual(t["asa_s"], (4 + 36) / 2, delta=0.5)
        self.assertAlmostEqual(t["aht_s"], ((60 + 10) + (30 + 0)) / 2, delta=0.5)
        self.assertEqual((q["longest_wait_s"], t["longest_wait_s"]), (50, 50))
        agents = self.s.req("GET", "/api/v1/agents", token=self.sup)[1]["items"]
        me = [a for a in agents if a["agent_id"] == self.ag["id"]][0]
        self.assertEqual((me["calls_answered"], me["talk_s"]), (2, 90))
        # Ringing 4 + talk 60 + wrap 10 + ringing 26 + talk 30 = 130 s busy of 195 s logged in.
        self.assertAlmostEqual(me["occupancy"], 130 / 195, delta=0.01)
        # Call 5 gives up after 50 s: nobody waits now, but the day keeps its longest wait.
        self.hangup(c5, "caller")
        self.advance(5)
        q = self.s.req("GET", "/api/v1/queue", token=self.sup)[1]
        self.assertEqual((q["waiting"], q["longest_wait_s"]), (0, 0))
        self.assertEqual(q["today"]["longest_wait_s"], 50)
        self.assertEqual(q["today"]["abandoned"], 3)
        self.assertAlmostEqual(q["today"]["service_level"], 1 / 4)
        # The day's figures, longest wait included, are rebuilt from the records after a restart.
        self.s.kill9()
        self.s.start(args=("--clock", "2026-12-01T10:05:00+08:00"))
        sup = self.s.login("sup", "pw-sup-123")
        after = self.s.req("GET", "/api/v1/queue", token=sup)[1]["today"]
        for k in ("offered", "answered", "abandoned", "short_abandoned", "answer_rate", "service_level",
                  "longest_wait_s"):
            self.assertEqual(after[k], q["today"][k], k)
        self.assertAlmostEqual(after["asa_s"], q["today"]["asa_s"], places=3)


if __name__ == "__main__":
    unittest.main()

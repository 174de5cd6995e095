"""Work-order notifications through the real binary: WebSocket pushes of work-order changes
(a voice message's callback reaches the agents and the wallboard)."""
import unittest

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


if __name__ == "__main__":
    unittest.main()

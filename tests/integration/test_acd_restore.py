"""Restart through the real binary: waiting calls come back in order with an event row each; a
call that cannot be restored is ended with a `restore_failed` event row and does not stop the
others from coming back."""
import sqlite3
import time
import unittest

from acd_case import AcdCase, acd_config
from harness import wait_until


class RestoreTest(AcdCase):
    config = acd_config(seats={"regular": 2, "emergency": 1}, ring_timeout_s=30, wrap_up_s=0)

    def call(self, phone, **kw):
        return super().call(phone, **kw)["call_id"]

    def test_a_call_that_cannot_be_restored_does_not_stop_the_others(self):
        ids = [self.call("1390000%04d" % i, priority=p) for i, p in enumerate([0, 4, 0, 4])]
        self.s.kill9()
        # A waiting call whose skill is no longer configured (say the configuration changed), and
        # one that was ringing an agent.
        db = sqlite3.connect(self.s.config["db"]["path"])
        now = int(time.time() * 1000)
        cur = db.execute("INSERT INTO calls(caller, called, skill, priority, state, enqueued_at) "
                         "VALUES ('13900009999', '12320', 'juggling', 9, 'queued', ?)", (now - 5000,))
        bad = cur.lastrowid
        db.execute("UPDATE calls SET state='ringing', agent_id=99, seat=1, offers=1, first_offered_at=?, offered_at=? "
                   "WHERE id=?", (now - 1000, now - 1000, ids[2]))
        db.commit()
        db.close()
        self.s.start()
        sup = self.s.login("sup", "pw-sup-123")
        q = self.s.req("GET", "/api/v1/queue", token=sup)[1]
        self.assertEqual([c["call_id"] for c in q["calls"]], [ids[1], ids[3], ids[0], ids[2]])
        st, c = self.s.req("GET", "/api/v1/calls/%d" % bad, token=sup)
        self.assertEqual((st, c["state"], c["ended_by"]), (200, "ended", "restore_failed"))
        # The once-ringing call keeps what happened to it before the restart.
        c2 = self.s.req("GET", "/api/v1/calls/%d" % ids[2], token=sup)[1]
        self.assertEqual((c2["state"], c2["offers"], c2["agent_id"]), ("queued", 1, None))
        self.assertIsNotNone(c2["first_offered_at"])
        # Restored calls are routed as usual.
        _, tok = self.s.user(self.s.admin(), "ag", "agent")
        self.s.req("POST", "/api/v1/agents/login", {}, token=tok)
        self.assertTrue(wait_until(
            lambda: self.s.req("GET", "/api/v1/calls/%d" % ids[1], token=sup)[1]["state"] == "ringing"))
        self.s.stop()
        db = sqlite3.connect(self.s.config["db"]["path"])
        failed = db.execute("SELECT call_id, reason FROM call_events WHERE kind='restore_failed'").fetchall()
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0][0], bad)
        self.assertIn("juggling", failed[0][1])
        restored = db.execute("SELECT call_id, json_extract(data, '$.position') FROM call_events "
                              "WHERE kind='call_queued' AND reason='restored' ORDER BY id").fetchall()
        self.assertEqual(restored, [(ids[1], 1), (ids[3], 2), (ids[0], 3), (ids[2], 4)])
        db.close()


if __name__ == "__main__":
    unittest.main()

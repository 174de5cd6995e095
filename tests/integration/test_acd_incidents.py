"""Incident mode through the real binary: matching by keyword, skill and voice-menu choice;
calls already waiting tagged when an incident opens; calls_tagged counted from the call
records; open incidents (and their live emergency seats) back after a restart; the incident
and agent lists paged like every list."""
import time
import unittest

from acd_case import AcdCase, acd_config
from harness import TEL_KEY, WS, Server, wait_until

CFG = acd_config(seats={"regular": 2, "emergency": 2}, ring_timeout_s=30, wrap_up_s=0)


class IncidentTest(AcdCase):
    config = CFG

    def open_incident(self, **body):
        body.setdefault("ivr_message", "疫情咨询请按1")
        st, inc = self.s.req("POST", "/api/v1/incidents", body, token=self.sup)
        self.assertEqual(st, 201, inc)
        return inc

    def test_waiting_calls_are_tagged_and_matching_uses_skills_and_choices(self):
        waiting_kw = self.call("13900000001", ivr_choice="手足口病")
        waiting_skill = self.call("13900000002", skill="report")
        waiting_choice = self.call("13900000003", ivr_choice="3")
        waiting_other = self.call("13900000004", ivr_choice="31")
        inc = self.open_incident(title="手足口病聚集", keywords=["手足口"], skills=["report"], ivr_choices=["3"])
        self.assertEqual((inc["skills"], inc["ivr_choices"]), (["report"], ["3"]))
        self.assertEqual(inc["calls_tagged"], 3)
        for c in (waiting_kw, waiting_skill, waiting_choice):
            self.assertEqual(self.get_call(c["call_id"])["incident_id"], inc["id"])
        self.assertIsNone(self.get_call(waiting_other["call_id"])["incident_id"])
        q = self.s.req("GET", "/api/v1/queue", token=self.sup)[1]
        tagged = {c["call_id"]: c["incident_id"] for c in q["calls"]}
        self.assertEqual(tagged[waiting_skill["call_id"]], inc["id"])
        # New calls: by skill, by exact choice; "31" is not "3".
        new_skill = self.call("13900000005", skill="report")
        self.assertEqual(new_skill.get("incident_id"), inc["id"])
        new_choice = self.call("13900000006", ivr_choice="3")
        self.assertEqual(new_choice.get("incident_id"), inc["id"])
        self.assertIsNone(self.call("13900000007", ivr_choice="31").get("incident_id"))
        # calls_tagged is what the call records say, in the list and on closing.
        lst = self.s.req("GET", "/api/v1/incidents", token=self.sup)[1]
        self.assertEqual(lst["items"][0]["calls_tagged"], 5)
        st, closed = self.s.req("POST", "/api/v1/incidents/%d/close" % inc["id"], {}, token=self.sup)
        self.assertEqual((st, closed["status"], closed["calls_tagged"]), (200, "closed", 5))
        # Bad input changes nothing.
        for body in ({"title": "x", "keywords": ["k"], "ivr_message": "m", "skills": ["juggling"]},
                     {"title": "x", "keywords": ["k"], "ivr_message": "m", "skills": "report"},
                     {"title": "x", "keywords": ["k"], "ivr_message": "m", "ivr_choices": [3]},
                     {"title": "x", "keywords": [], "ivr_message": "m"},
                     {"title": "x", "ivr_message": "m", "skills": ["report"]}):
            st, b = self.s.req("POST", "/api/v1/incidents", body, token=self.sup)
            self.assertEqual((st, b["code"]), (400, "validation_failed"), body)
        self.assertEqual(len(self.s.req("GET", "/api/v1/incidents", token=self.sup)[1]["items"]), 1)
        # keywords may be empty when skills are given.
        only_skill = self.open_incident(title="仅技能", keywords=[], skills=["complaint"])
        self.assertEqual(only_skill["keywords"], [])

    def test_open_incidents_survive_a_restart_with_live_emergency_seats(self):
        inc = self.open_incident(title="食物中毒", keywords=["中毒"])
        tagged = self.call("13900001001", ivr_choice="食物中毒")
        self.assertEqual(tagged.get("incident_id"), inc["id"])
        self.s.kill9()
        self.s.start()
        sup = self.s.login("sup", "pw-sup-123")
        lst = self.s.req("GET", "/api/v1/incidents", token=sup)[1]
        self.assertEqual((lst["items"][0]["id"], lst["items"][0]["status"], lst["items"][0]["calls_tagged"]),
                         (inc["id"], "open", 1))
        # An agent on an emergency seat (3) gets calls: the seat is live again.
        _, tok = self.s.user(self.s.admin(), "ag_e", "agent")
        st, me = self.s.req("POST", "/api/v1/agents/login", {"seat": 3}, token=tok)
        self.assertEqual((st, me["seat"], me["emergency"], me["seat_live"]), (200, 3, True, True))
        self.assertTrue(wait_until(lambda: self.get_call(tagged["call_id"], sup)["state"] == "ringing"))
        # New matching calls are still tagged after the restart.
        self.assertEqual(self.call("13900001002", ivr_choice="中毒").get("incident_id"), inc["id"])
        # Closing retires the seat, and the wallboard is told.
        wall = WS(self.s.port, "/ws/supervisor", sup)
        st, _ = self.s.req("POST", "/api/v1/incidents/%d/close" % inc["id"], {}, token=sup)
        self.assertEqual(st, 200)
        status = wall.wait_for(lambda m: m.get("type") == "seat.status")
        self.assertIsNotNone(status)
        self.assertFalse(status["emergency_live"])
        seat3 = [x for x in status["seats"] if x["seat"] == 3][0]
        self.assertEqual((seat3["live"], seat3["state"]), (False, "ringing"))
        st, me = self.s.req("GET", "/api/v1/agents/me", token=tok)
        self.assertFalse(me["seat_live"])
        # The retiring seat finishes its call; then it is retired, and the wallboard is told.
        self.assertEqual(self.s.req("POST", "/api/v1/calls/%d/accept" % tagged["call_id"], {}, token=tok)[0], 200)
        self.assertEqual(self.s.req("POST", "/api/v1/calls/%d/hangup" % tagged["call_id"], {}, key=TEL_KEY)[0], 200)
        retired = wall.wait_for(lambda m: m.get("type") == "seat.status" and m.get("reason") == "seat_retired")
        self.assertIsNotNone(retired)
        self.assertEqual([(x["seat"], x["live"], x["state"]) for x in retired["seats"]], [(3, False, "ready")])
        # The waiting call is not offered to the retired seat.
        time.sleep(0.3)
        self.assertEqual(self.s.req("GET", "/api/v1/queue", token=sup)[1]["waiting"], 1)
        wall.close()

    def test_opening_an_incident_pushes_seat_status(self):
        wall = WS(self.s.port, "/ws/supervisor", self.sup)
        inc = self.open_incident(title="a", keywords=["a"])
        status = wall.wait_for(lambda m: m.get("type") == "seat.status")
        self.assertIsNotNone(status)
        self.assertTrue(status["emergency_live"])
        self.assertEqual([x["seat"] for x in status["seats"]], [3, 4])
        self.assertTrue(all(x["live"] for x in status["seats"]))
        # A second incident changes nothing about the seats: no second push.
        self.open_incident(title="b", keywords=["b"])
        self.assertIsNone(wall.wait_for(lambda m: m.get("type") == "seat.status", timeout=1))
        self.s.req("POST", "/api/v1/incidents/%d/close" % inc["id"], {}, token=self.sup)
        self.assertIsNone(wall.wait_for(lambda m: m.get("type") == "seat.status", timeout=1))
        wall.close()

    def test_incidents_and_agents_lists_are_paged(self):
        ids = [self.open_incident(title="事件%d" % i, keywords=["k%d" % i])["id"] for i in range(5)]
        st, p1 = self.s.req("GET", "/api/v1/incidents?limit=2", token=self.sup)
        self.assertEqual(st, 200)
        self.assertEqual([i["id"] for i in p1["items"]], [ids[4], ids[3]])
        self.assertIsNotNone(p1["next_cursor"])
        p2 = self.s.req("GET", "/api/v1/incidents?limit=2&cursor=" + p1["next_cursor"], token=self.sup)[1]
        self.assertEqual([i["id"] for i in p2["items"]], [ids[2], ids[1]])
        p3 = self.s.req("GET", "/api/v1/incidents?limit=2&cursor=" + p2["next_cursor"], token=self.sup)[1]
        self.assertEqual([i["id"] for i in p3["items"]], [ids[0]])
        self.assertIsNone(p3["next_cursor"])
        all_ = self.s.req("GET", "/api/v1/incidents", token=self.sup)[1]
        self.assertEqual((len(all_["items"]), all_["next_cursor"]), (5, None))
        for q in ("limit=0", "limit=201", "limit=x", "cursor=garbage"):
            st, b = self.s.req("GET", "/api/v1/incidents?" + q, token=self.sup)
            self.assertEqual((st, b["code"]), (400, "validation_failed"), q)
        # Agents: three logged in, paged two at a time, by seat.
        toks = [self.s.user(self.adm, "ag%d" % i, "agent")[1] for i in range(3)]
        for t in toks:
            self.assertEqual(self.s.req("POST", "/api/v1/agents/login", {}, token=t)[0], 200)
        a1 = self.s.req("GET", "/api/v1/agents?limit=2", token=self.sup)[1]
        self.assertEqual([a["seat"] for a in a1["items"]], [1, 2])
        a2 = self.s.req("GET", "/api/v1/agents?limit=2&cursor=" + a1["next_cursor"], token=self.sup)[1]
        self.assertEqual([a["seat"] for a in a2["items"]], [3])
        self.assertIsNone(a2["next_cursor"])
        self.assertEqual(self.s.req("GET", "/api/v1/agents?limit=500", token=self.sup)[0], 400)
        self.assertEqual(self.s.req("GET", "/api/v1/agents?cursor=bm9wZQ", token=self.sup)[0], 400)


if __name__ == "__main__":
    unittest.main()

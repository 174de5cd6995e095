"""The gateway's side through the real binary: post-call surveys only for answered calls, and
Zammad's Generic CTI (agents named by user or answeringNumber, E.164 numbers with or without
"+", Zammad-style `error` bodies)."""
import unittest

from acd_case import AcdCase, acd_config
from harness import TEL_KEY, wait_until

CFG = acd_config(seats={"regular": 2, "emergency": 1}, ring_timeout_s=30, wrap_up_s=0)
CTI = "/api/v1/cti/" + TEL_KEY


class GatewayTest(AcdCase):
    config = CFG

    def call(self, phone):
        return super().call(phone)["call_id"]

    def survey(self, cid, score):
        return self.s.req("POST", "/api/v1/calls/%d/survey" % cid, {"score": score}, key=TEL_KEY)

    def test_a_survey_needs_an_answered_call_and_a_score_of_1_to_5(self):
        queued = self.call("13900000001")
        st, b = self.survey(queued, 5)
        self.assertEqual((st, b["code"]), (409, "invalid_transition"))
        _, tok = self.s.user(self.adm, "ag", "agent")
        self.s.req("POST", "/api/v1/agents/login", {}, token=tok)
        self.assertTrue(wait_until(lambda: self.get_call(queued)["state"] == "ringing"))
        st, b = self.survey(queued, 5)
        self.assertEqual((st, b["code"]), (409, "invalid_transition"))  # ringing
        self.s.req("POST", "/api/v1/calls/%d/accept" % queued, {}, token=tok)
        self.s.req("POST", "/api/v1/calls/%d/hangup" % queued, {"by": "agent"}, key=TEL_KEY)
        self.s.req("POST", "/api/v1/agents/state", {"state": "not_ready"}, token=tok)
        gone = self.call("13900000002")
        self.s.req("POST", "/api/v1/calls/%d/hangup" % gone, {}, key=TEL_KEY)
        st, b = self.survey(gone, 3)
        self.assertEqual((st, b["code"]), (409, "invalid_transition"))  # abandoned
        for bad in (0, 6, "5", 4.5, None):
            st, b = self.survey(queued, bad)
            self.assertEqual((st, b["code"]), (400, "validation_failed"), bad)
        self.assertIsNone(self.get_call(queued)["survey_score"])
        self.assertIsNone(self.get_call(gone)["survey_score"])
        st, b = self.survey(queued, 1)
        self.assertEqual((st, b), (200, {"call_id": queued, "score": 1}))
        self.assertEqual(self.survey(999999, 3)[0], 404)

    def cti(self, **body):
        return self.s.req("POST", CTI, body)

    def test_cti_answer_names_the_agent_by_user_or_extension(self):
        a, tok_a = self.s.user(self.adm, "ag_a", "agent", display_name="Emma Taylor")
        b, tok_b = self.s.user(self.adm, "ag_b", "agent")
        self.s.req("POST", "/api/v1/agents/login", {}, token=tok_a)  # seat 1
        # E.164 without "+": the caller is stored in its national form.
        st, r = self.cti(event="newCall", direction="in", callId="z-1", **{"from": "8613800138000", "to": "12320"})
        self.assertEqual((st, r), (200, {}))
        c1 = self.s.req("GET", "/api/v1/agents/me", token=tok_a)[1]["call_id"]
        self.assertEqual(self.get_call(c1)["caller"], "13800138000")
        st, r = self.cti(event="answer", direction="in", callId="z-1", user="Emma Taylor",
                         **{"from": "8613800138000", "to": "12320"})
        self.assertEqual((st, r), (200, {}))
        self.assertEqual((self.get_call(c1)["state"], self.get_call(c1)["agent_id"]), ("talking", a["id"]))
        # Agent B at seat 2, named by the seat's extension.
        self.s.req("POST", "/api/v1/agents/login", {}, token=tok_b)
        st, r = self.cti(event="newCall", direction="in", callId="z-2", **{"from": "+8613900139000", "to": "12320"})
        self.assertEqual(st, 200)
        c2 = self.s.req("GET", "/api/v1/agents/me", token=tok_b)[1]["call_id"]
        self.assertEqual(self.get_call(c2)["caller"], "13900139000")
        st, r = self.cti(event="answer", direction="in", callId="z-2", answeringNumber="sip:seat2@pbx.local")
        self.assertEqual(st, 200)
        self.assertEqual((self.get_call(c2)["state"], self.get_call(c2)["agent_id"]), ("talking", b["id"]))
        st, r = self.cti(event="hangup", direction="in", callId="z-2", cause="normalClearing")
        self.assertEqual((st, r), (200, {}))
        self.assertEqual(self.get_call(c2)["state"], "ended")
        # A withheld number.
        st, r = self.cti(event="newCall", direction="in", callId="z-3", **{"from": "anonymous", "to": "12320"})
        self.assertEqual(st, 200)

    def test_cti_errors_look_like_zammads(self):
        st, b = self.cti(event="answer", direction="in", callId="nope")
        self.assertEqual((st, b["code"]), (404, "not_found"))
        self.assertIn("error", b)
        st, b = self.cti(event="hangup", direction="in", callId="nope")
        self.assertEqual(st, 404)
        self.assertIn("error", b)
        for body in ({"event": "newCall", "callId": 42, "from": "13800138000"},
                     {"event": 7, "callId": "x"},
                     {"event": "newCall", "callId": "x", "from": 13800138000},
                     {"event": "answer", "callId": "x", "answeringNumber": {"a": 1}},
                     {"event": "newCall", "callId": "x", "direction": "sideways"},
                     {"event": "ring", "callId": "x"},
                     {"event": "newCall", "callId": "x", "from": "not-a-number"}):
            st, b = self.cti(**body)
            self.assertEqual(st, 422, body)
            self.assertIsInstance(b.get("error"), str, body)
            self.assertEqual(b["code"], "validation_failed")
        st, b = self.s.req("POST", "/api/v1/cti/wrong-token", {"event": "newCall", "callId": "x"})
        self.assertEqual(st, 401)
        self.assertIn("error", b)
        # None of it made a call.
        self.assertEqual(self.s.req("GET", "/api/v1/queue", token=self.sup)[1]["today"]["offered"], 0)


if __name__ == "__main__":
    unittest.main()

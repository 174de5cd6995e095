"""Work orders checked from outside against SPEC §3, §6 and §7 through the real binary: the
fields and their names, the action table's refusals (400 / 403 / 404 / 409), callers'
phone numbers, text bounds in characters, list parameters, and the deadline clocks."""
import re
import unittest

from harness import TEL_KEY, Server

FIELDS = ["id", "ticket_no", "status", "type", "category", "channel", "caller", "subject", "description",
          "call_ids", "owner", "unit_id", "accepted_at", "due_at", "reply_due_at", "completed_at",
          "closed_at", "satisfaction", "incident_id", "overdue"]


class WorkOrderAuditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server({"hours": {"open": "00:00", "close": "24:00"}}).start()
        adm = cls.adm = cls.s.admin()
        cls.u1 = cls.s.req("POST", "/api/v1/units", {"name": "某医院", "kind": "hospital"}, token=adm)[1]["id"]
        cls.u2 = cls.s.req("POST", "/api/v1/units", {"name": "某监督所", "kind": "inspection"}, token=adm)[1]["id"]
        cls.unit1 = cls.s.user(adm, "unit1", "unit", unit_id=cls.u1)[1]
        cls.unit2 = cls.s.user(adm, "unit2", "unit", unit_id=cls.u2)[1]
        cls.agent_user, cls.agent = cls.s.user(adm, "agent1", "agent")
        cls.sup = cls.s.user(adm, "sup1", "supervisor")[1]

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def create(self, expect=201, **fields):
        body = {"type": "consult", "caller": {"phone": "13800138000"}, "subject": "挂号咨询"}
        body.update(fields)
        st, b = self.s.req("POST", "/api/v1/tickets", body, token=self.agent)
        self.assertEqual(st, expect, b)
        return b

    def act(self, tok, tid, **body):
        return self.s.req("POST", "/api/v1/tickets/%d/actions" % tid, body, token=tok)

    def assertProblem(self, answer, status, code, field=None):
        st, b = answer
        self.assertEqual(st, status, b)
        self.assertIsInstance(b, dict, b)
        self.assertEqual(b.get("code"), code, b)
        for key in ("status", "title", "detail"):
            self.assertIn(key, b)
        if field:
            self.assertEqual(b.get("field"), field, b)

    def in_state(self, state, type_="complaint"):
        """A fresh work order brought to `state` the ordinary way."""
        t = self.create(type=type_)["id"]
        steps = {"open": [],
                 "pending_answer": [(self.agent, dict(action="defer", reply_due_at="2099-01-01T10:00:00+08:00"))],
                 "transferred": [(self.agent, dict(action="transfer", unit_id=self.u1))],
                 "acknowledged": [(self.agent, dict(action="transfer", unit_id=self.u1)),
                                  (self.unit1, dict(action="acknowledge"))],
                 "callback_due": [(self.agent, dict(action="mediate", outcome="已解释"))],
                 "closed": [(self.agent, dict(action="mediate", outcome="已解释")),
                            (self.agent, dict(action="callback", reached=True, satisfaction=4))]}[state]
        for tok, body in steps:
            st, b = self.act(tok, t, **body)
            self.assertEqual(st, 200, b)
        self.assertEqual(self.s.req("GET", "/api/v1/tickets/%d" % t, token=self.sup)[1]["status"], state)
        return t

    def test_every_field_has_its_spec_name(self):
        t = self.create(caller={"phone": "13800138000", "name": "李女士"}, description="孩子发烧")
        for f in FIELDS:
            self.assertIn(f, t)
        self.assertEqual(set(t["caller"]), {"phone", "name"})
        self.assertRegex(t["ticket_no"], r"^\d{8}-\d{5,}$")
        self.assertEqual((t["status"], t["channel"], t["category"], t["owner"]),
                         ("open", "phone", None, self.agent_user["id"]))
        self.assertIs(t["overdue"], False)
        self.assertRegex(t["accepted_at"], r"[+-]\d\d:\d\d$")

    def test_callers_are_mobiles_or_landlines_with_their_area_code(self):
        for raw, stored in [("+86 138-0013-8000", "13800138000"), ("0086 13800138000", "13800138000"),
                            ("010-65612345", "01065612345"), ("(0755) 1234 5678", "075512345678"),
                            ("+86 10 6561 2345", "01065612345")]:
            self.assertEqual(self.create(caller={"phone": raw})["caller"]["phone"], stored, raw)
        for bad in ["abc", "123", "110", "12345", "65612345", "1380013800", "138001380001", "+1 202 555 0100",
                    "010-6561-2345-88", "", "   "]:
            st, b = self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": bad},
                                                          "subject": "x"}, token=self.agent)
            self.assertProblem((st, b), 400, "validation_failed", "caller.phone")
        # The lists take the same forms.
        st, l = self.s.req("GET", "/api/v1/tickets?phone=%2B86%20138-0013-8000", token=self.agent)
        self.assertEqual(st, 200)
        self.assertTrue(l["items"])
        self.assertTrue(all(x["caller"]["phone"] == "13800138000" for x in l["items"]))
        self.assertProblem(self.s.req("GET", "/api/v1/tickets?phone=abc", token=self.agent), 400,
                           "validation_failed")

    def test_texts_are_bounded_in_characters_not_bytes(self):
        self.assertEqual(len(self.create(subject="发" * 200)["subject"]), 200)
        self.assertProblem(self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": "13800138000"},
                                                                 "subject": "发" * 201}, token=self.agent),
                           400, "validation_failed", "subject")
        t = self.create()["id"]
        self.assertEqual(self.act(self.agent, t, action="note", text="记" * 10000)[0], 200)
        self.assertProblem(self.act(self.agent, t, action="note", text="记" * 10001), 400, "validation_failed", "text")
        self.assertProblem(self.act(self.agent, t, action="escalate", type="complaint", reason="因" * 2001), 400,
                           "validation_failed", "reason")

    def test_a_promised_answer_lies_ahead_on_creation_too(self):
        st, b = self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": "13800138000"},
                                                      "subject": "x", "reply_due_at": "2020-01-01T09:00:00+08:00"},
                           token=self.agent)
        self.assertProblem((st, b), 400, "validation_failed", "reply_due_at")
        t = self.create(reply_due_at="2099-01-01T09:00:00+08:00")
        self.assertTrue(t["reply_due_at"].startswith("2099-01-01T09:00:00"))

    def test_the_action_table_refuses_with_the_right_code(self):
        # (state, actor, body, status, code): wrong state 409, wrong role 403, missing or bad field
        # 400, another unit's work order 404.
        a, s, u1, u2 = self.agent, self.sup, self.unit1, self.unit2
        cases = [
            ("open", a, dict(action="acknowledge"), 409, "invalid_transition"),
            ("open", a, dict(action="callback", reached=True, satisfaction=5), 409, "invalid_transition"),
            ("open", s, dict(action="reopen", reason="r"), 409, "invalid_transition"),
            ("pending_answer", a, dict(action="mediate", outcome="o"), 409, "invalid_transition"),
            ("pending_answer", a, dict(action="transfer", unit_id=self.u1), 409, "invalid_transition"),
            ("transferred", a, dict(action="answer", answer="x"), 409, "invalid_transition"),
            ("acknowledged", u1, dict(action="acknowledge"), 409, "invalid_transition"),
            ("callback_due", s, dict(action="extend", reason="r", consent=True), 409, "invalid_transition"),
            ("closed", a, dict(action="answer", answer="x"), 409, "invalid_transition"),
            ("open", s, dict(action="answer", answer="x"), 403, "forbidden"),
            ("open", self.adm, dict(action="transfer", unit_id=self.u1), 403, "forbidden"),
            ("transferred", a, dict(action="acknowledge"), 403, "forbidden"),
            ("transferred", a, dict(action="extend", reason="r", consent=True), 403, "forbidden"),
            ("transferred", a, dict(action="remind"), 403, "forbidden"),
            ("callback_due", s, dict(action="callback", reached=True, satisfaction=5), 403, "forbidden"),
            ("closed", a, dict(action="reopen", reason="r"), 403, "forbidden"),
            ("open", a, dict(action="answer"), 400, "validation_failed"),
            ("open", a, dict(action="answer", answer=7), 400, "validation_failed"),
            ("open", a, dict(action="defer", reply_due_at="2020-01-01T00:00:00+08:00"), 400, "validation_failed"),
            ("open", a, dict(action="escalate", type="praise", reason="r"), 400, "validation_failed"),
            ("open", a, dict(action="escalate", type="gossip", reason="r"), 400, "validation_failed"),
            ("open", a, dict(action="transfer", unit_id=99999), 400, "validation_failed"),
            ("open", a, dict(action="merge", into=99999), 400, "validation_failed"),
            ("open", a, dict(action="frobnicate"), 400, "validation_failed"),
            ("transferred", s, dict(action="extend", reason="r"), 400, "validation_failed"),
            ("transferred", s, dict(action="extend", reason="r", consent=False), 400, "validation_failed"),
            ("transferred", u1, dict(action="reply"), 400, "validation_failed"),
            ("acknowledged", u1, dict(action="return"), 400, "validation_failed"),
            ("callback_due", a, dict(action="callback"), 400, "validation_failed"),
            ("callback_due", a, dict(action="callback", reached=True), 400, "validation_failed"),
            ("callback_due", a, dict(action="callback", reached=True, satisfaction=6), 400, "validation_failed"),
            ("closed", s, dict(action="reopen"), 400, "validation_failed"),
            ("open", u1, dict(action="note", text="x"), 404, "not_found"),
            ("transferred", u2, dict(action="acknowledge"), 404, "not_found"),
            ("transferred", u2, dict(action="reply"), 404, "not_found"),
            ("acknowledged", u2, dict(action="note", text="x"), 404, "not_found"),
        ]
        for state, tok, body, status, code in cases:
            with self.subTest(state=state, body=body):
                t = self.in_state(state)
                before = self.s.req("GET", "/api/v1/tickets/%d/history" % t, token=self.sup)[1]["items"]
                self.assertProblem(self.act(tok, t, **body), status, code)
                after = self.s.req("GET", "/api/v1/tickets/%d/history" % t, token=self.sup)[1]["items"]
                self.assertEqual(len(after), len(before), "a refusal changes nothing")

    def test_every_allowed_row_lands_in_its_state(self):
        a, s, u1 = self.agent, self.sup, self.unit1
        rows = [
            ("open", "consult", a, dict(action="answer", answer="x"), "closed"),
            ("open", "complaint", a, dict(action="answer", answer="x"), "callback_due"),
            ("pending_answer", "consult", a, dict(action="answer", answer="x"), "callback_due"),  # deferred
            ("pending_answer", "consult", a, dict(action="escalate", type="report", reason="r"), "open"),
            ("open", "consult", a, dict(action="mediate", outcome="o"), "closed"),
            ("open", "complaint", s, dict(action="transfer", unit_id=self.u1), "transferred"),
            ("transferred", "complaint", u1, dict(action="return", reason="非本单位"), "open"),
            ("acknowledged", "complaint", u1, dict(action="reply", result="已处理"), "callback_due"),
            ("acknowledged", "complaint", s, dict(action="remind"), "acknowledged"),
            ("callback_due", "complaint", a, dict(action="callback", reached=False), "callback_due"),
            ("callback_due", "complaint", a, dict(action="callback", reached=True, satisfaction=2,
                                                  satisfied=False, reopen=True), "open"),
            ("closed", "complaint", s, dict(action="reopen", reason="r"), "open"),
        ]
        for state, type_, tok, body, to in rows:
            with self.subTest(state=state, body=body):
                t = self.in_state(state, type_)
                st, b = self.act(tok, t, **body)
                self.assertEqual((st, b.get("status")), (200, to), b)
                h = self.s.req("GET", "/api/v1/tickets/%d/history" % t, token=self.sup)[1]["items"][-1]
                self.assertEqual((h["action"], h["from_status"], h["to_status"]), (body["action"], state, to))

    def test_q_with_a_ticket_number_finds_that_work_order(self):
        t = self.create(subject="疫苗接种")
        self.create(description="参见工单 " + t["ticket_no"])
        st, l = self.s.req("GET", "/api/v1/tickets?q=" + t["ticket_no"], token=self.agent)
        self.assertEqual((st, [x["id"] for x in l["items"]]), (200, [t["id"]]))

    def test_linked_calls_must_exist(self):
        self.assertProblem(self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": "13800138000"},
                                                                 "subject": "x", "call_ids": [987654]}, token=self.agent),
                           400, "validation_failed", "call_ids")
        st, call = self.s.req("POST", "/api/v1/calls", {"caller": "13800138000", "called": "12320"}, key=TEL_KEY)
        self.assertEqual(st, 201, call)
        t = self.create(call_ids=[call["call_id"]])
        self.assertEqual(t["call_ids"], [call["call_id"]])
        self.assertProblem(self.act(self.agent, t["id"], action="link_call", call_id=987654), 400, "validation_failed",
                           "call_id")

    def test_list_parameters(self):
        self.create()
        st, l = self.s.req("GET", "/api/v1/tickets", token=self.sup)
        self.assertEqual(st, 200)
        self.assertEqual(set(l), {"items", "next_cursor"})
        self.assertEqual(self.s.req("GET", "/api/v1/tickets?limit=200", token=self.sup)[0], 200)
        for q in ["limit=201", "limit=0", "limit=x", "status=done", "type=gossip", "overdue=maybe", "unit_id=x",
                  "from=yesterday", "cursor=zzz"]:
            self.assertProblem(self.s.req("GET", "/api/v1/tickets?" + q, token=self.sup), 400, "validation_failed")


if __name__ == "__main__":
    unittest.main()

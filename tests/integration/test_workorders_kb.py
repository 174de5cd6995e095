"""Work orders and the knowledge base through the real binary: the closed loop with its
history, unit isolation, pushes to the owner's console; Chinese search, gaps, import refusal."""
import concurrent.futures as cf
import unittest

from harness import TEL_KEY, WS, Server, wait_until


class WorkOrderLoopTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A 24-hour hotline: calls queue whatever the time of day the test runs.
        cls.s = Server({"workorder": {"callback_required": ["complaint", "report"]},
                        "hours": {"open": "00:00", "close": "24:00"}}).start()
        adm = cls.s.admin()
        cls.u1 = cls.s.req("POST", "/api/v1/units", {"name": "某医院", "kind": "hospital"}, token=adm)[1]["id"]
        cls.u2 = cls.s.req("POST", "/api/v1/units", {"name": "某监督所", "kind": "inspection"}, token=adm)[1]["id"]
        cls.unit1 = cls.s.user(adm, "unit1", "unit", unit_id=cls.u1)[1]
        cls.unit2 = cls.s.user(adm, "unit2", "unit", unit_id=cls.u2)[1]
        cls.agent_user, cls.agent = cls.s.user(adm, "agent1", "agent")
        cls.sup = cls.s.user(adm, "sup1", "supervisor")[1]

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def act(self, tok, tid, **body):
        return self.s.req("POST", "/api/v1/tickets/%d/actions" % tid, body, token=tok)

    def test_full_loop_with_history_and_pushes(self):
        ws = WS(self.s.port, "/ws/agent", self.agent)
        st, call = self.s.req("POST", "/api/v1/calls", {"caller": "13800138000", "called": "12320"}, key=TEL_KEY)
        self.assertEqual(st, 201, call)
        self.s.req("POST", "/api/v1/calls/%d/hangup" % call["call_id"], {}, key=TEL_KEY)
        st, t = self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": "+86 138-0013-8000"},
                                                      "subject": "急诊等候", "description": "孩子发烧急诊排队太久"},
                           token=self.agent)
        self.assertEqual(st, 201, t)
        self.assertEqual(t["caller"]["phone"], "13800138000")
        tid = t["id"]
        self.assertEqual(self.act(self.agent, tid, action="escalate", type="complaint", reason="投诉等候")[1]["type"],
                         "complaint")
        self.assertEqual(self.act(self.agent, tid, action="transfer", unit_id=self.u1)[1]["status"], "transferred")
        self.assertEqual(self.act(self.unit2, tid, action="acknowledge")[0], 404)
        self.assertEqual(self.s.req("GET", "/api/v1/tickets/%d" % tid, token=self.unit2)[0], 404)
        self.assertEqual(self.s.req("GET", "/api/v1/tickets/%d/history" % tid, token=self.unit2)[0], 404)
        self.assertEqual(self.s.req("GET", "/api/v1/tickets/%d/history" % tid, token=self.unit1)[0], 200)
        self.assertEqual(self.act(self.unit1, tid, action="acknowledge")[1]["status"], "acknowledged")
        st, b = self.act(self.unit1, tid, action="reply", result="已改进分诊")
        self.assertEqual(b["status"], "callback_due")
        due = ws.wait_for(lambda m: m.get("type") == "callback.due" and m["ticket"]["id"] == tid)
        self.assertIsNotNone(due)
        st, b = self.act(self.agent, tid, action="callback", reached=False)
        self.assertEqual(b["status"], "callback_due")
        st, b = self.act(self.agent, tid, action="callback", reached=True, satisfaction=5)
        self.assertEqual(b["status"], "closed")
        self.assertEqual(b["satisfaction"], 5)
        st, h = self.s.req("GET", "/api/v1/tickets/%d/history" % tid, token=self.sup)
        actions = [e["action"] for e in h["items"]]
        self.assertEqual(actions, ["create", "escalate", "transfer", "acknowledge", "reply", "callback", "callback"])
        self.assertEqual(h["items"][2]["from_status"], "open")
        self.assertEqual(h["items"][2]["to_status"], "transferred")
        # The unit sees only its own work; the caller's history lists it.
        st, mine = self.s.req("GET", "/api/v1/tickets", token=self.unit2)
        self.assertNotIn(tid, [x["id"] for x in mine["items"]])
        ws.close()

    def test_caller_history_merges_calls_and_work_orders_newest_first(self):
        phone = "13800138111"
        mk = lambda: self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": phone},
                                                            "subject": "历史", "description": "x"},
                                token=self.agent)[1]["id"]
        call = lambda: self.s.req("POST", "/api/v1/calls", {"caller": "+86 138-0013-8111", "called": "12320"},
                                  key=TEL_KEY)[1]["call_id"]
        c1 = call()
        t1 = mk()
        c2 = call()
        t2 = mk()
        for c in (c1, c2):
            self.s.req("POST", "/api/v1/calls/%d/hangup" % c, {}, key=TEL_KEY)
        seen, cursor = [], None
        while True:
            path = "/api/v1/callers/%s/history?limit=3" % phone + ("&cursor=" + cursor if cursor else "")
            st, page = self.s.req("GET", path, token=self.agent)
            self.assertEqual(st, 200, page)
            self.assertLessEqual(len(page["items"]), 3)
            seen += [(e["kind"], e[e["kind"]]["id"]) for e in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(seen, [("ticket", t2), ("call", c2), ("ticket", t1), ("call", c1)])
        st, page = self.s.req("GET", "/api/v1/callers/%s/history" % phone, token=self.sup)
        self.assertEqual(page["phone"], phone)
        self.assertEqual(page["items"][1]["call"]["state"], "abandoned")
        # A unit handles what is transferred to it, not the caller's calls.
        self.assertEqual(self.s.req("GET", "/api/v1/callers/%s/history" % phone, token=self.unit1)[0], 403)
        self.assertEqual(self.s.req("GET", "/api/v1/callers/12ab/history", token=self.agent)[0], 400)

    def test_refusals_change_nothing(self):
        st, t = self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": "13900139000"},
                                                      "subject": "咨询", "description": "x"}, token=self.agent)
        tid = t["id"]
        st, b = self.act(self.agent, tid, action="reply", result="x")
        self.assertEqual((st, b["code"]), (409, "invalid_transition"))
        st, b = self.act(self.agent, tid, action="defer", reply_due_at="2000-01-01T00:00:00+08:00")
        self.assertEqual(st, 400)
        st, b = self.act(self.agent, tid, action="transfer", unit_id=987654)
        self.assertEqual((st, b["code"], b.get("field")), (400, "validation_failed", "unit_id"))
        st, b = self.act(self.agent, tid, action="link_incident", incident_id=424242)
        self.assertEqual((st, b["code"], b.get("field")), (400, "validation_failed", "incident_id"))
        st, b = self.s.req("POST", "/api/v1/tickets", {"type": "report", "caller": {"phone": "13900139000"},
                                                      "subject": "聚集", "incident_id": 424242}, token=self.agent)
        self.assertEqual((st, b["code"]), (400, "validation_failed"))
        st, now = self.s.req("GET", "/api/v1/tickets/%d" % tid, token=self.agent)
        self.assertEqual(now["status"], "open")
        st, h = self.s.req("GET", "/api/v1/tickets/%d/history" % tid, token=self.agent)
        self.assertEqual(len(h["items"]), 1)
        self.assertEqual(self.s.req("POST", "/api/v1/tickets", {"type": "consult"}, token=self.unit1)[0], 403)

    def test_idempotency_key_on_creation_and_actions(self):
        body = {"type": "consult", "caller": {"phone": "13900139555"}, "subject": "幂等", "description": "x"}
        h = {"Idempotency-Key": "wo-create-1"}
        first = self.s.req("POST", "/api/v1/tickets", body, token=self.agent, headers=h)
        # The same object serialised again (other key order) is a retry.
        again = self.s.req("POST", "/api/v1/tickets", dict(reversed(list(body.items()))), token=self.agent, headers=h)
        self.assertEqual(first[0], 201, first)
        self.assertEqual(again, first)
        st, lst = self.s.req("GET", "/api/v1/tickets?phone=13900139555", token=self.agent)
        self.assertEqual(len(lst["items"]), 1)
        other = dict(body, subject="另一件事")
        st, b = self.s.req("POST", "/api/v1/tickets", other, token=self.agent, headers=h)
        self.assertEqual((st, b["code"]), (409, "conflict"))
        st, lst = self.s.req("GET", "/api/v1/tickets?phone=13900139555", token=self.agent)
        self.assertEqual(len(lst["items"]), 1)

        tid = first[1]["id"]
        h = {"Idempotency-Key": "wo-act-1"}
        note = self.s.req("POST", "/api/v1/tickets/%d/actions" % tid, {"action": "note", "text": "先记下"},
                          token=self.agent, headers=h)
        self.assertEqual(note[0], 200)
        self.assertEqual(self.s.req("POST", "/api/v1/tickets/%d/actions" % tid, {"action": "note", "text": "先记下"},
                                    token=self.agent, headers=h), note)
        # Another action under the note's key is refused, not answered with the note's result.
        st, b = self.s.req("POST", "/api/v1/tickets/%d/actions" % tid, {"action": "answer", "answer": "已解答"},
                           token=self.agent, headers=h)
        self.assertEqual((st, b["code"]), (409, "conflict"))
        st, h_items = self.s.req("GET", "/api/v1/tickets/%d/history" % tid, token=self.agent)
        self.assertEqual([e["action"] for e in h_items["items"]], ["create", "note"])
        st, now = self.s.req("GET", "/api/v1/tickets/%d" % tid, token=self.agent)
        self.assertEqual(now["status"], "open")
        # With a new key the answer goes through.
        st, b = self.s.req("POST", "/api/v1/tickets/%d/actions" % tid, {"action": "answer", "answer": "已解答"},
                           token=self.agent, headers={"Idempotency-Key": "wo-act-2"})
        self.assertEqual((st, b["status"]), (200, "closed"))

    def test_concurrent_creation_numbers_are_unique(self):
        def mk(i):
            return self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": "1370000%04d" % i},
                                                         "subject": "并发", "description": "x"}, token=self.agent)[1]
        with cf.ThreadPoolExecutor(16) as ex:
            made = list(ex.map(mk, range(120)))
        nos = [t["ticket_no"] for t in made]
        self.assertEqual(len(set(nos)), 120)
        for t in made:  # YYYYMMDD-NNNNN of the local day it was accepted
            self.assertRegex(t["ticket_no"], r"^\d{8}-\d{5,}$")
            self.assertEqual(t["ticket_no"][:8], t["accepted_at"][:10].replace("-", ""))


class KnowledgeBaseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server().start(args=["--demo"])
        cls.agent = cls.s.login("agent1", "demo-pass-1")
        cls.sup = cls.s.login("supervisor", "demo-pass-1")

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def search(self, q, tok=None):
        from urllib.parse import quote
        st, b = self.s.req("GET", "/api/v1/kb/search?q=%s&limit=5" % quote(q), token=tok or self.agent)
        self.assertEqual(st, 200, b)
        return b["results"]

    def test_two_character_words_and_colloquial_queries_find_the_right_entry(self):
        for q, word in (("挂号", "挂号"), ("狗咬", "狂犬"), ("HPV", "HPV"), ("食物中毒", "食物中毒")):
            results = self.search(q)
            self.assertTrue(results, q)
            self.assertTrue(any(word in r["title"] for r in results[:3]), (q, [r["title"] for r in results]))
            self.assertIn("snippet", results[0])

    def test_unanswered_queries_become_gaps(self):
        self.assertEqual(self.search("zqxjkvw"), [])
        # Gaps are written without making the search wait.
        gaps = wait_until(lambda: "zqxjkvw" in str(self.s.req("GET", "/api/v1/kb/gaps", token=self.sup)[1]), 5)
        self.assertTrue(gaps)

    def test_a_bad_row_refuses_the_whole_import(self):
        before = len(self.search("测试导入条目"))
        st, b = self.s.req("POST", "/api/v1/kb/import", [{"title": "测试导入条目", "body": "正文", "keywords": [],
                                                          "category": "other", "voice": False},
                                                         {"title": "", "body": ""}], token=self.sup)
        self.assertEqual(st, 400, b)
        self.assertIn("2", str(b))
        self.assertEqual(len(self.search("测试导入条目")), before)

    def test_search_over_the_agent_socket(self):
        ws = WS(self.s.port, "/ws/agent", self.agent)
        ack = ws.command(1, "kb.search", q="疫苗")
        self.assertTrue(ack and ack["ok"], ack)
        self.assertTrue(ack["result"]["results"])
        ws.close()


if __name__ == "__main__":
    unittest.main()

"""Reports through the real binary: the monthly report per unit adds up and its CSV says the
same; a unit reads only its own line; the daily report agrees with the live `today` of
GET /api/v1/queue; hot topics find a new topic against a seeded baseline; staffing by Erlang
C and A; bad parameters are 400 problems; agents are refused."""
import csv
import io
import sqlite3
import time
import unittest

from harness import TEL_KEY, Server, wait_until

ALWAYS_OPEN = {"hours": {"open": "00:00", "close": "24:00", "days": [1, 2, 3, 4, 5, 6, 7], "holidays": []},
               "acd": {"seats": {"regular": 3, "emergency": 1}, "ring_timeout_s": 5, "wrap_up_s": 1}}


class MonthlyReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(ALWAYS_OPEN).start()
        adm = cls.s.admin()
        cls.u1 = cls.s.req("POST", "/api/v1/units", {"name": "某医院", "kind": "hospital"}, token=adm)[1]["id"]
        cls.u2 = cls.s.req("POST", "/api/v1/units", {"name": "某区卫生局", "kind": "district_bureau"},
                           token=adm)[1]["id"]
        cls.unit1 = cls.s.user(adm, "unit1", "unit", unit_id=cls.u1)[1]
        cls.unit2 = cls.s.user(adm, "unit2", "unit", unit_id=cls.u2)[1]
        cls.agent = cls.s.user(adm, "agent1", "agent")[1]
        cls.sup = cls.s.user(adm, "sup1", "supervisor")[1]
        cls.month = cls.seed()

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    @classmethod
    def create(cls, type_, subject):
        st, t = cls.s.req("POST", "/api/v1/tickets", {"type": type_, "caller": {"phone": "13800138000"},
                                                     "subject": subject}, token=cls.agent)
        assert st == 201, (st, t)
        return t

    @classmethod
    def act(cls, tok, tid, **body):
        st, b = cls.s.req("POST", "/api/v1/tickets/%d/actions" % tid, body, token=tok)
        assert st == 200, (st, b, body)
        return b

    @classmethod
    def seed(cls):
        """Five work orders of today; returns their month (YYYY-MM, local)."""
        answered = cls.create("consult", "门诊时间")
        cls.act(cls.agent, answered["id"], action="answer", answer="八点开诊")
        # Unit 1 replies, the caller is satisfied.
        done = cls.create("complaint", "投诉服务态度")["id"]
        cls.act(cls.agent, done, action="transfer", unit_id=cls.u1)
        cls.act(cls.unit1, done, action="acknowledge")
        cls.act(cls.unit1, done, action="reply", result="已约谈")
        cls.act(cls.agent, done, action="callback", reached=True, satisfaction=5)
        # Unit 1 returns it, unit 2 has it, extended with the caller's consent.
        moved = cls.create("complaint", "投诉收费")["id"]
        cls.act(cls.agent, moved, action="transfer", unit_id=cls.u1)
        cls.act(cls.unit1, moved, action="return", reason="不属于本院")
        cls.act(cls.agent, moved, action="transfer", unit_id=cls.u2)
        cls.act(cls.sup, moved, action="extend", reason="需调查", consent=True)
        # Unit 2's reply is rejected (重办).
        redo = cls.create("complaint", "投诉检查结果")["id"]
        cls.act(cls.agent, redo, action="transfer", unit_id=cls.u2)
        cls.act(cls.unit2, redo, action="reply", result="已复查")
        cls.act(cls.agent, redo, action="callback", reached=True, satisfaction=2, satisfied=False, reopen=True)
        # Settled by explanation (化解), waiting for its callback.
        mediated = cls.create("complaint", "投诉挂号难")["id"]
        cls.act(cls.agent, mediated, action="mediate", outcome="解释放号规则")
        return answered["accepted_at"][:7]

    def monthly(self, tok=None, **query):
        q = "&".join("%s=%s" % kv for kv in dict({"month": self.month}, **query).items())
        return self.s.req("GET", "/api/v1/reports/monthly?" + q, token=tok or self.sup)

    def test_each_units_line_adds_up(self):
        st, r = self.monthly()
        self.assertEqual(st, 200, r)
        self.assertEqual(r["month"], self.month)
        lines = {u["unit_id"]: u for u in r["units"]}
        u1, u2 = lines[self.u1], lines[self.u2]
        self.assertEqual((u1["received"], u1["completed"], u1["completed_7d"], u1["returned"], u1["pending"]),
                         (2, 1, 1, 1, 0))
        self.assertEqual((u1["rated"], u1["satisfaction"], u1["satisfaction_rate"]), (1, 5, 1))
        self.assertEqual(u1["completion_rate_7d"], 0.5)
        self.assertEqual((u2["received"], u2["pending"], u2["extended"], u2["withdrawn"], u2["redo"]),
                         (2, 1, 1, 1, 1))
        self.assertEqual((u2["completed"], u2["overdue"], u2["rated"], u2["satisfaction_rate"]), (0, 0, 1, 0))
        for u in r["units"] + [r["totals"]]:
            self.assertEqual(u["received"], u["completed"] + u["pending"] + u["returned"] + u["withdrawn"], u)
        for key in ("received", "completed", "pending", "returned", "withdrawn", "redo", "extended", "rated"):
            self.assertEqual(r["totals"][key], sum(u[key] for u in r["units"]), key)
        w = r["work_orders"]
        self.assertEqual((w["accepted"], w["answered"], w["mediated"], w["transferred"]), (5, 1, 1, 3))
        self.assertEqual((w["by_type"]["complaint"], w["by_type"]["consult"]), (4, 1))
        self.assertEqual(w["accepted"], w["closed"] + w["open"])
        self.assertEqual((w["closed"], w["completed"], w["completed_7d"], w["redo"]), (2, 3, 3, 1))

    def test_csv_says_the_same_as_json(self):
        st, r = self.monthly()
        st, text = self.monthly(format="csv")
        self.assertEqual(st, 200)
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        self.assertEqual([row["unit_name"] for row in rows], [u["unit_name"] for u in r["units"]] + ["total"])
        for row, line in zip(rows, r["units"] + [r["totals"]]):
            for key in ("received", "completed", "completed_7d", "pending", "returned", "withdrawn", "redo"):
                self.assertEqual(int(row[key]), line[key], key)
            rate = line["completion_rate_7d"]
            self.assertEqual(row["completion_rate_7d"], "" if rate is None else row["completion_rate_7d"])
            if rate is not None:
                self.assertAlmostEqual(float(row["completion_rate_7d"]), rate)

    def test_a_unit_reads_its_own_line_and_agents_nothing(self):
        st, r = self.monthly(self.unit2)
        self.assertEqual(st, 200, r)
        self.assertEqual([u["unit_id"] for u in r["units"]], [self.u2])
        self.assertNotIn("work_orders", r)
        self.assertEqual(self.monthly(self.agent)[0], 403)
        self.assertEqual(self.s.req("GET", "/api/v1/reports/daily", token=self.unit1)[0], 403)
        self.assertEqual(self.s.req("GET", "/api/v1/reports/daily", token=self.agent)[0], 403)
        self.assertEqual(self.s.req("GET", "/api/v1/reports/hot-topics", token=self.agent)[0], 403)
        self.assertEqual(self.s.req("GET", "/api/v1/staffing?calls_per_hour=100&aht_s=180", token=self.agent)[0], 403)
        self.assertEqual(self.s.req("GET", "/api/v1/reports/daily")[0], 401)

    def test_bad_parameters_are_problems_and_change_nothing(self):
        before = self.monthly()[1]
        for path, field in (("/api/v1/reports/monthly?month=2026-13", "month"),
                            ("/api/v1/reports/monthly?month=%s&format=pdf" % self.month, "format"),
                            ("/api/v1/reports/daily?date=2026-02-30", "date"),
                            ("/api/v1/reports/hot-topics?days=0", "days"),
                            ("/api/v1/reports/hot-topics?days=abc", "days"),
                            ("/api/v1/staffing?aht_s=180", "calls_per_hour"),
                            ("/api/v1/staffing?calls_per_hour=100&aht_s=180&target_sl=95", "target_sl"),
                            ("/api/v1/staffing?calls_per_hour=100&aht_s=180&patience_s=0", "patience_s")):
            st, b = self.s.req("GET", path, token=self.sup)
            self.assertEqual(st, 400, path)
            self.assertEqual((b["code"], b["field"]), ("validation_failed", field), path)
        after = self.monthly()[1]
        before.pop("as_of"), after.pop("as_of")
        self.assertEqual(before, after)

    def test_staffing_by_erlang_c_and_a(self):
        st, c = self.s.req("GET", "/api/v1/staffing?calls_per_hour=200&aht_s=180&target_sl=0.8&target_s=20",
                           token=self.sup)
        self.assertEqual(st, 200, c)
        self.assertEqual(c["agents"], 14)
        self.assertAlmostEqual(c["service_level"], 0.8883500191794669, places=12)
        self.assertNotIn("p_abandon", c)
        st, a = self.s.req("GET", "/api/v1/staffing?calls_per_hour=200&aht_s=180&target_sl=0.8&target_s=20"
                                  "&patience_s=60", token=self.sup)
        self.assertEqual(st, 200, a)
        self.assertEqual(a["agents"], 12)
        self.assertAlmostEqual(a["p_abandon"], 0.07590179693345046, places=9)
        self.assertGreaterEqual(a["service_level"], 0.8)


class DailyReportTest(unittest.TestCase):
    def setUp(self):
        self.s = Server(ALWAYS_OPEN).start()
        adm = self.s.admin()
        self.sup = self.s.user(adm, "sup", "supervisor")[1]
        self.agent_user, self.agent = self.s.user(adm, "ag", "agent", display_name="王芳")

    def tearDown(self):
        self.s.close()

    def call(self, phone):
        st, b = self.s.req("POST", "/api/v1/calls", {"caller": phone, "called": "12320"}, key=TEL_KEY)
        self.assertEqual(st, 201, b)
        return b["call_id"]

    def get_call(self, cid):
        return self.s.req("GET", "/api/v1/calls/%d" % cid, token=self.sup)[1]

    def test_daily_agrees_with_the_live_measures(self):
        tok = self.agent
        self.assertEqual(self.s.req("POST", "/api/v1/agents/login", {}, token=tok)[0], 200)
        answered = self.call("13900001111")
        self.assertTrue(wait_until(lambda: self.get_call(answered)["state"] == "ringing"))
        self.assertEqual(self.s.req("POST", "/api/v1/calls/%d/accept" % answered, {}, token=tok)[0], 200)
        time.sleep(0.3)
        self.assertEqual(self.s.req("POST", "/api/v1/calls/%d/hangup" % answered, {"by": "agent"}, key=TEL_KEY)[0],
                         200)
        self.s.req("POST", "/api/v1/agents/wrap_done", {}, token=tok)
        self.s.req("POST", "/api/v1/agents/state", {"state": "not_ready", "reason": "break"}, token=tok)
        self.assertEqual(self.s.req("POST", "/api/v1/calls/%d/survey" % answered, {"score": 4}, key=TEL_KEY)[0], 200)
        gone = self.call("13900002222")  # nobody ready: it waits, and the caller hangs up at once
        self.assertEqual(self.s.req("POST", "/api/v1/calls/%d/hangup" % gone, {}, key=TEL_KEY)[0], 200)
        st, t = self.s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": "13900001111"},
                                                      "subject": "门诊时间"}, token=tok)
        self.assertEqual(st, 201, t)
        time.sleep(1.0)  # a whole second logged in, at least

        st, q = self.s.req("GET", "/api/v1/queue", token=self.sup)
        st, d = self.s.req("GET", "/api/v1/reports/daily", token=self.sup)
        self.assertEqual(st, 200, d)
        today = q["today"]
        self.assertEqual(d["date"], today["date"])
        for key in ("offered", "answered", "abandoned", "short_abandoned", "overflowed", "answer_rate",
                    "service_level", "asa_s", "aht_s"):
            self.assertEqual(d["calls"][key], today[key], key)
        self.assertEqual((d["calls"]["offered"], d["calls"]["answered"], d["calls"]["short_abandoned"]), (2, 1, 1))
        self.assertEqual(d["surveys"], {"count": 1, "mean": 4})
        self.assertEqual((d["work_orders"]["created"], d["work_orders"]["by_type"]["consult"]), (1, 1))
        agent = [a for a in d["agents"] if a["agent_id"] == self.agent_user["id"]][0]
        self.assertEqual((agent["name"], agent["calls_answered"], agent["surveys"], agent["work_orders"]),
                         ("王芳", 1, 1, 1))
        self.assertGreater(agent["logged_in_s"], 0)
        self.assertTrue(0 < agent["occupancy"] <= 1, agent)


class HotTopicsTest(unittest.TestCase):
    def test_a_new_topic_rises_against_a_seeded_baseline(self):
        s = Server(ALWAYS_OPEN).start()
        try:
            adm = s.admin()
            sup = s.user(adm, "sup", "supervisor")[1]
            agent = s.user(adm, "ag", "agent")[1]
            s.stop()
            # Four ordinary weeks before this one, written straight into the database.
            now_ms = int(time.time() * 1000)
            db = sqlite3.connect(s.config["db"]["path"])
            for i in range(12):
                at = now_ms - (8 + 2 * i) * 86_400_000
                db.execute("INSERT INTO tickets(ticket_no, status, type, category, channel, caller_phone, subject,"
                           " accepted_at, due_at, updated_at) VALUES (?, 'closed', 'consult', '挂号', 'phone',"
                           " '13800138000', '孩子发烧挂号', ?, ?, ?)", ("19990101-%05d" % i, at, at, at))
            db.commit()
            db.close()
            s.start()
            ids = []
            for subject in ("幼儿园诺如病毒腹泻", "诺如病毒怎么消毒", "学校诺如病毒呕吐", "孩子发烧挂号"):
                category = "挂号" if "挂号" in subject else "诺如病毒"
                st, t = s.req("POST", "/api/v1/tickets", {"type": "consult", "caller": {"phone": "13800138000"},
                                                         "subject": subject, "category": category}, token=agent)
                self.assertEqual(st, 201, t)
                ids.append(t["id"])
            st, r = s.req("GET", "/api/v1/reports/hot-topics?days=7", token=sup)
            self.assertEqual(st, 200, r)
            self.assertEqual((r["work_orders"], r["baseline_work_orders"]), (4, 12))
            self.assertEqual([c["category"] for c in r["categories"]], ["诺如病毒"])
            self.assertEqual(r["categories"][0]["sample_ticket_ids"], [ids[2], ids[1], ids[0]])
            self.assertEqual([k["keyword"] for k in r["keywords"]], ["诺如病毒"])
            self.assertEqual((r["keywords"][0]["count"], r["keywords"][0]["baseline_count"]), (3, 0))
        finally:
            s.close()


if __name__ == "__main__":
    unittest.main()

"""Knowledge base through the real binary: export -> import round trips of ~3,200 entries (JSON
and CSV), all-or-nothing imports with a per-row report, case-insensitive content types and
CSV headers, restore, topic-grouped gaps and their dismissal, and kb.open over the agent
socket counting usage only with the agent's own call."""
import csv
import io
import json
import unittest
from urllib.parse import quote

from harness import Server, WS, TEL_KEY, wait_until

N = 3200
CATEGORIES = ["rabies", "vaccination", "appointment", "food_safety", "maternal_child", ""]
CONTENT = ("title", "body", "keywords", "category", "voice")


def entries(n=N):
    out = []
    for i in range(n):
        out.append({
            "title": "条目%d号 发烧门诊" % i,
            "body": "第%d条：就诊请带身份证, \"医保卡\"\n周一至周五" % i,
            "keywords": ["发热%d" % (i % 50), "门诊"],
            "category": CATEGORIES[i % len(CATEGORIES)],
            "voice": i % 7 == 0,
        })
    return out


def content(items):
    return sorted(({k: e[k] for k in CONTENT} for e in items), key=lambda e: e["title"])


def chunks(items, max_bytes=60 << 20):
    """Arrays split to stay under the import's 64 MiB body limit (one part at this size)."""
    out, cur, size = [], [], 2
    for e in items:
        n = len(json.dumps(e, ensure_ascii=False).encode()) + 1
        if cur and size + n > max_bytes:
            out.append(cur)
            cur, size = [], 2
        cur.append(e)
        size += n
    if cur:
        out.append(cur)
    return out


class KbServer:
    def __init__(self):
        self.s = Server().start()
        adm = self.s.admin()
        _, self.sup = self.s.user(adm, "banzhang", "supervisor")

    def req(self, *a, **k):
        k.setdefault("token", self.sup)
        return self.s.req(*a, **k)

    def import_json(self, items):
        total = {"created": 0, "updated": 0, "unchanged": 0}
        for part in chunks(items):
            st, b = self.req("POST", "/api/v1/kb/import", part)
            assert st == 200, (st, str(b)[:500])
            for k in total:
                total[k] += b[k]
        return total

    def import_csv(self, text, ctype="text/csv"):
        return self.req("POST", "/api/v1/kb/import", raw=text.encode(), headers={"Content-Type": ctype})

    def export(self, fmt):
        st, b = self.req("GET", "/api/v1/kb/export?format=" + fmt)
        assert st == 200, (st, str(b)[:300])
        return b

    def close(self):
        self.s.close()


class KbRoundTripTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.a = KbServer()
        r = cls.a.import_json(entries())
        assert r["created"] == N, r
        cls.json_export = cls.a.export("json")
        cls.csv_export = cls.a.export("csv")

    @classmethod
    def tearDownClass(cls):
        cls.a.close()

    def test_export_holds_every_entry(self):
        self.assertEqual(len(self.json_export), N)
        self.assertEqual(content(self.json_export), content(entries()))
        self.assertTrue(self.csv_export.startswith("\ufeffid,title,body"))

    def test_json_export_imports_into_an_empty_knowledge_base_unchanged(self):
        b = KbServer()
        try:
            r = b.import_json(self.json_export)
            self.assertEqual(r["created"], N)
            self.assertEqual(content(b.export("json")), content(self.json_export))
            # The same file again changes nothing.
            self.assertEqual(b.import_json(b.export("json"))["unchanged"], N)
        finally:
            b.close()

    def test_csv_export_imports_into_an_empty_knowledge_base_unchanged(self):
        c = KbServer()
        try:
            st, r = c.import_csv(self.csv_export, "Text/CSV; Charset=UTF-8")  # any case
            self.assertEqual(st, 200, str(r)[:500])
            self.assertEqual(r["created"], N)
            self.assertEqual(content(c.export("json")), content(self.json_export))
            st, r = c.import_csv(c.export("csv"))
            self.assertEqual((st, r["unchanged"]), (200, N))
        finally:
            c.close()

    def test_a_bad_row_in_either_format_imports_nothing_and_is_reported(self):
        d = KbServer()
        try:
            # CSV: row 1601 of the data (spreadsheet row 1602) gets an unknown category, row 2001
            # an empty title; header names in capitals.
            rows = list(csv.reader(io.StringIO(self.csv_export.lstrip("\ufeff"), newline="")))
            header = [h.upper() for h in rows[0]]
            rows[1601][4] = "no_such_category"
            rows[2001][1] = ""
            out = io.StringIO()
            w = csv.writer(out, lineterminator="\r\n")
            w.writerow(header)
            w.writerows(rows[1:])
            st, b = d.import_csv(out.getvalue())
            self.assertEqual(st, 400, str(b)[:300])
            self.assertEqual(b["code"], "validation_failed")
            self.assertEqual([(e["row"], e["field"]) for e in b["errors"]], [(1602, "category"), (2002, "title")])
            self.assertEqual(d.export("json"), [])
            # JSON: one keyword holding the CSV separator.
            items = [{k: e[k] for k in CONTENT} for e in self.json_export[:2000]]
            items[1234]["keywords"] = ["发热;高烧"]
            st, b = d.req("POST", "/api/v1/kb/import", items)
            self.assertEqual(st, 400)
            self.assertEqual([(e["row"], e["field"]) for e in b["errors"]], [(1235, "keywords")])
            self.assertEqual(d.export("json"), [])
            # Not a JSON array, and not JSON at all.
            self.assertEqual(d.req("POST", "/api/v1/kb/import", {"title": "x"})[0], 400)
            self.assertEqual(d.req("POST", "/api/v1/kb/import", raw=b"[{", headers={"Content-Type": "application/json"})[0], 400)
            self.assertEqual(d.export("json"), [])
        finally:
            d.close()


class KbEditorialTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server().start(args=["--demo"])
        cls.agent = cls.s.login("agent1", "demo-pass-1")
        cls.sup = cls.s.login("supervisor", "demo-pass-1")

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def search(self, q, prefix=False):
        st, b = self.s.req("GET", "/api/v1/kb/search?q=%s&prefix=%s" % (quote(q), "true" if prefix else "false"),
                           token=self.agent)
        self.assertEqual(st, 200, b)
        return b["results"]

    def test_delete_restore_and_history(self):
        st, e = self.s.req("POST", "/api/v1/kb", {"title": "夜间犬伤门诊地址", "body": "市疾控中心一层",
                                                  "keywords": ["犬伤"], "category": "rabies"}, token=self.sup)
        self.assertEqual(st, 201, e)
        path = "/api/v1/kb/%d" % e["id"]
        self.assertEqual(self.s.req("DELETE", path, token=self.sup)[0], 200)
        self.assertFalse([r for r in self.search("夜间犬伤门诊") if r["id"] == e["id"]])
        self.assertEqual(self.s.req("POST", path + "/restore", {}, token=self.agent)[0], 403)
        st, back = self.s.req("POST", path + "/restore", {}, token=self.sup)
        self.assertEqual(st, 200, back)
        self.assertIsNone(back["deleted_at"])
        self.assertTrue([r for r in self.search("夜间犬伤门诊") if r["id"] == e["id"]])
        st, b = self.s.req("POST", path + "/restore", {}, token=self.sup)
        self.assertEqual((st, b["code"]), (409, "conflict"))
        st, v = self.s.req("GET", path + "/versions", token=self.agent)
        self.assertEqual([x["action"] for x in v["items"]], ["restore", "delete", "create"])
        self.assertTrue(all(x["actor_name"] == "supervisor" and x["at"] for x in v["items"]))

    def test_unknown_category_and_semicolon_keyword_are_refused(self):
        for body in ({"title": "某条目", "body": "正文", "category": "no_such"},
                     {"title": "某条目", "body": "正文", "keywords": ["a;b"]}):
            st, b = self.s.req("POST", "/api/v1/kb", body, token=self.sup)
            self.assertEqual((st, b["code"]), (400, "validation_failed"), b)
        st, b = self.s.req("GET", "/api/v1/kb/categories", token=self.agent)
        self.assertIn("rabies", b)

    def test_gaps_group_by_topic_and_are_dismissed(self):
        for q in ("量子波动速读", "量子波动速读？", "量子波动速读怎么办", "ＬＩＺＨＩ量子"):
            self.assertEqual(self.search(q), [], q)
        self.search("量子波动速", prefix=True)  # still typing: not counted

        def gap():
            items = self.s.req("GET", "/api/v1/kb/gaps?limit=200", token=self.sup)[1]["items"]
            return next((g for g in items if g["query"] == "量子波动速读" and g["count"] == 3), None)
        g = wait_until(gap, 5)
        self.assertTrue(g, self.s.req("GET", "/api/v1/kb/gaps?limit=200", token=self.sup)[1])
        self.assertEqual(g["last_query"], "量子波动速读怎么办")
        self.assertEqual(self.s.req("GET", "/api/v1/kb/gaps", token=self.agent)[0], 403)
        self.assertEqual(self.s.req("POST", "/api/v1/kb/gaps/dismiss", {"query": "量子波动速读"}, token=self.agent)[0], 403)
        st, b = self.s.req("POST", "/api/v1/kb/gaps/dismiss", {"query": "量子波动速读?"}, token=self.sup)
        self.assertEqual((st, b["dismissed"]), (200, 1), b)
        items = self.s.req("GET", "/api/v1/kb/gaps?limit=200", token=self.sup)[1]["items"]
        self.assertFalse([x for x in items if x["query"] == "量子波动速读"])
        self.assertEqual(self.s.req("POST", "/api/v1/kb/gaps/dismiss", {"query": "量子波动速读"}, token=self.sup)[0], 404)

    def test_kb_open_counts_use_with_the_agents_own_call(self):
        entry_id = self.search("狂犬病疫苗")[0]["id"]
        before = self.s.req("GET", "/api/v1/kb/%d" % entry_id, token=self.sup)[1]["usage_count"]
        self.s.req("POST", "/api/v1/agents/login", {}, token=self.agent)
        st, c = self.s.req("POST", "/api/v1/calls", {"caller": "13900003001", "called": "12320"}, key=TEL_KEY)
        self.assertIn(st, (200, 201), c)
        call_id = c["call_id"]
        self.assertTrue(wait_until(lambda: self.s.req("GET", "/api/v1/calls/%d" % call_id, token=self.sup)[1]
                                   .get("state") == "ringing", 10))
        self.assertEqual(self.s.req("POST", "/api/v1/calls/%d/accept" % call_id, {}, token=self.agent)[0], 200)
        agent_ws = WS(self.s.port, "/ws/agent", self.agent)
        try:
            ack = agent_ws.command(11, "kb.open", entry_id=entry_id, call_id=call_id)
            self.assertTrue(ack and ack["ok"], ack)
            self.assertEqual(ack["result"]["id"], entry_id)
            # Someone else's call: refused in the ack, nothing counted.
            other = self.s.login("agent2", "demo-pass-1")
            other_ws = WS(self.s.port, "/ws/agent", other)
            try:
                ack = other_ws.command(12, "kb.open", entry_id=entry_id, call_id=call_id)
                self.assertFalse(ack["ok"], ack)
                self.assertEqual(ack["error"]["code"], "validation_failed")
            finally:
                other_ws.close()
            ack = agent_ws.command(13, "kb.open", entry_id=999999)
            self.assertFalse(ack["ok"])
            self.assertEqual(ack["error"]["code"], "not_found")
        finally:
            agent_ws.close()
            self.s.req("POST", "/api/v1/calls/%d/hangup" % call_id, {"by": "caller"}, key=TEL_KEY)
            self.s.req("POST", "/api/v1/agents/wrap_done", {}, token=self.agent)
            self.s.req("POST", "/api/v1/agents/logout", {}, token=self.agent)
        e = wait_until(lambda: (lambda x: x if x["usage_count"] == before + 1 else None)(
            self.s.req("GET", "/api/v1/kb/%d" % entry_id, token=self.sup)[1]), 5)
        self.assertTrue(e)
        st, u = self.s.req("GET", "/api/v1/kb/usage?days=1", token=self.sup)
        self.assertEqual(st, 200, u)
        row = next(x for x in u["items"] if x["entry_id"] == entry_id)
        self.assertEqual(row["calls"], 1)
        # REST: a bad call_id is a 400 and counts nothing.
        st, b = self.s.req("GET", "/api/v1/kb/%d?from=search&call_id=99999" % entry_id, token=self.agent)
        self.assertEqual((st, b["code"]), (400, "validation_failed"))


if __name__ == "__main__":
    unittest.main()

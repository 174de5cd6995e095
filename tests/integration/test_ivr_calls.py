"""Voice menu gaps through the real binary: a VoiceXML walk at 19:00 from the main <menu> to a
full-length recording and one voicemail work order due 08:00 the next morning; bad keys and
silence re-prompting, then goodbye; error answers and ended calls as goodbye documents; JSON
steps without digits; every open incident's message; paged voice topics read from a list cached
for 15 s; key 0 after `overflow` readmitting the same call; transfers to a seat ringing
acd.ring_timeout_s; a 24-hour hotline's messages due at 08:00."""
import datetime as dt
import html
import re
import struct
import unittest
from zoneinfo import ZoneInfo

from harness import TEL_KEY, Server
from test_ivr import validate

ZONE = ZoneInfo("Asia/Shanghai")
TEXTS = {
    "invalid": "对不起，您的输入有误",
    "no_input": "没有收到您的按键",
    "too_many": "您多次输入有误",
    "goodbye": "感谢您的来电，再见。",
    "system_error": "系统暂时无法处理",
    "queue_full": "座席全忙",
}


def wav(seconds, rate=8000):
    """A silent 16-bit mono PCM WAV of `seconds`: what <record type="audio/x-wav"> uploads."""
    data = b"\0\0" * (rate * seconds)
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " +
            struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", len(data)) + data)


def multipart(audio, duration_s, boundary="hotline-rec-boundary"):
    body = (("--%s\r\nContent-Disposition: form-data; name=\"msg\"; filename=\"msg.wav\"\r\n"
             "Content-Type: audio/x-wav\r\n\r\n") % boundary).encode() + audio + (
        ("\r\n--%s\r\nContent-Disposition: form-data; name=\"duration_s\"\r\n\r\n%d\r\n--%s--\r\n")
        % (boundary, duration_s, boundary)).encode()
    return body, {"Content-Type": "multipart/form-data; boundary=" + boundary}


def choice_url(doc, digit):
    """The next URL of the <choice dtmf=digit> in a VoiceXML menu, unescaped."""
    m = re.search(r'<choice dtmf="%s" next="([^"]*)"' % re.escape(digit), doc)
    return html.unescape(m.group(1)) if m else None


class ClockedNightTest(unittest.TestCase):
    """19:00 on Wednesday 2026-11-25 (hours 08:00-18:00, Monday to Friday), on the test clock."""

    @classmethod
    def setUpClass(cls):
        hours = {"timezone": "Asia/Shanghai", "open": "08:00", "close": "18:00", "days": [1, 2, 3, 4, 5],
                 "holidays": [], "workdays": []}
        cls.s = Server({"hours": hours}).start(args=("--clock", "2026-11-25T19:00:00+08:00"))
        cls.adm = cls.s.admin()
        cls.sup = cls.s.user(cls.adm, "sup_ivr", "supervisor")[1]

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def new_call(self, phone):
        st, b = self.s.req("POST", "/api/v1/calls", {"caller": phone, "called": "12320"}, key=TEL_KEY)
        self.assertEqual((st, b["state"]), (201, "after_hours"), b)
        return b["call_id"]

    def doc(self, path, status=200, method="GET", **kw):
        st, doc = self.s.req(method, path, **kw)
        self.assertEqual(st, status, doc)
        ok, err = validate(doc)
        self.assertTrue(ok, "%s\n%s" % (err, doc))
        return doc

    def advance(self, seconds):
        st, b = self.s.req("POST", "/api/v1/test/clock", {"advance_s": seconds}, token=self.adm)
        self.assertEqual(st, 200, b)

    def test_a_vxml_walk_at_19_leaves_one_voicemail_due_at_8_next_morning(self):
        cid = self.new_call("13622220001")
        doc = self.doc("/ivr/vxml/%d" % cid, key=TEL_KEY)
        self.assertIn('<menu id="menu">', doc)
        self.assertNotIn("<field", doc)
        self.assertIn('<catch event="error">', doc)
        self.assertIsNone(choice_url(doc, "0"), "no agent at night")
        # Follow the signed link of key 3, as a voice browser without the key would.
        rec_doc = self.doc(choice_url(doc, "3"))
        self.assertIn("<record", rec_doc)
        self.assertIn('maxtime="120s"', rec_doc)
        submit = html.unescape(re.search(r'<submit next="([^"]*)"', rec_doc).group(1))
        self.assertIn("/recording?sig=", submit)
        # A full-length message (max_s = 120 s of 8 kHz audio), posted twice (the browser retried).
        body, headers = multipart(wav(120), 120)
        for _ in range(2):
            st, done = self.s.req("POST", submit, raw=body, headers=headers)
            self.assertEqual(st, 200, done)
            self.assertTrue(validate(done)[0], done)
            self.assertIn("<disconnect/>", done)
        st, lst = self.s.req("GET", "/api/v1/tickets?phone=13622220001", token=self.adm)
        vm = [t for t in lst["items"] if t["channel"] == "voicemail"]
        self.assertEqual(len(vm), 1, lst)
        self.assertEqual(vm[0]["status"], "callback_due")
        self.assertEqual(dt.datetime.fromisoformat(vm[0]["due_at"]), dt.datetime(2026, 11, 26, 8, 0, tzinfo=ZONE))
        self.assertIn("120 秒", vm[0]["description"])
        st, c = self.s.req("GET", "/api/v1/calls/%d" % cid, key=TEL_KEY)
        self.assertEqual((c["state"], c["voicemail_ticket_id"]), ("voicemail", vm[0]["id"]))
        # The session is over: any further fetch says goodbye and disconnects.
        for path in ("/ivr/vxml/%d" % cid, "/ivr/vxml/%d?digits=1" % cid):
            bye = self.doc(path, key=TEL_KEY)
            self.assertIn(TEXTS["goodbye"], bye)
            self.assertIn("<disconnect/>", bye)
            self.assertNotIn("<menu", bye)
        # A JSON retry of the same message, with a new key, finds the same work order.
        st, b = self.s.req("POST", "/api/v1/ivr/%d/recording" % cid, {"url": "file:///x.wav", "duration_s": 120},
                           key=TEL_KEY, headers={"Idempotency-Key": "another-key"})
        self.assertEqual((st, b["ticket"]["id"]), (201, vm[0]["id"]))

    def test_bad_keys_and_silence_reprompt_then_goodbye(self):
        cid = self.new_call("13622220002")
        self.doc("/ivr/vxml/%d" % cid, key=TEL_KEY)
        doc = self.doc("/ivr/vxml/%d?digits=nomatch" % cid, key=TEL_KEY)
        self.assertIn(TEXTS["invalid"], doc)
        self.assertIn('<menu id="menu">', doc)
        doc = self.doc("/ivr/vxml/%d?digits=" % cid, key=TEL_KEY)
        self.assertIn(TEXTS["no_input"], doc)
        self.assertIn('<menu id="menu">', doc)
        doc = self.doc("/ivr/vxml/%d?digits=7" % cid, key=TEL_KEY)
        self.assertIn(TEXTS["too_many"], doc)
        self.assertIn("<disconnect/>", doc)
        self.assertNotIn("<menu", doc)
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "1"}, key=TEL_KEY)
        self.assertEqual((st, b["action"]), (200, "hangup"), "the menu is over for this call")
        # The same through JSON: two bad keys re-prompt with the menu, a valid one resets the count.
        cid = self.new_call("13622220003")
        for digits, action in (("7", "menu"), ("", "menu"), ("9", "menu"), ("7", "menu"), ("", "menu"),
                               ("#", "hangup")):
            st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": digits}, key=TEL_KEY)
            self.assertEqual((st, b["action"]), (200, action), (digits, b))

    def test_error_answers_are_goodbye_documents(self):
        cid = self.new_call("13622220004")
        for path, status in (("/ivr/vxml/%d?sig=1.AAAA" % cid, 401), ("/ivr/vxml/%d" % cid, 401),
                             ("/ivr/vxml/%d/survey?sig=9999999999.AAAA" % cid, 401)):
            doc = self.doc(path, status)
            self.assertIn(TEXTS["system_error"], doc)
            self.assertIn("<disconnect/>", doc)
        for path, status in (("/ivr/vxml/99999999", 404), ("/ivr/vxml/%d?digits=12345678901234567" % cid, 400),
                             ("/ivr/vxml/99999999/survey", 404)):
            doc = self.doc(path, status, key=TEL_KEY)
            self.assertIn("<disconnect/>", doc)
        body, headers = multipart(wav(1), 1)
        doc = self.doc("/ivr/vxml/99999999/recording", 404, method="POST", raw=body, headers=headers, key=TEL_KEY)
        self.assertIn("<disconnect/>", doc)
        st, b = self.s.req("POST", "/ivr/vxml/%d/recording" % cid, raw=b"junk", key=TEL_KEY,
                           headers={"Content-Type": "multipart/form-data; boundary=zz"})
        self.assertEqual(st, 400)
        self.assertTrue(validate(b)[0], b)
        # A client asking for JSON gets the problem body.
        st, b = self.s.req("GET", "/ivr/vxml/99999999", key=TEL_KEY, headers={"Accept": "application/problem+json"})
        self.assertEqual((st, b["code"]), (404, "not_found"))
        # Nothing changed: the call still starts at the main menu.
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {}, key=TEL_KEY)
        self.assertEqual((st, b["node"], b["action"]), (200, "main", "menu"))

    def test_an_ended_call_hears_goodbye(self):
        cid = self.new_call("13622220005")
        self.assertEqual(self.s.req("POST", "/api/v1/calls/%d/hangup" % cid, {}, key=TEL_KEY)[0], 200)
        doc = self.doc("/ivr/vxml/%d?digits=2" % cid, key=TEL_KEY)
        self.assertIn(TEXTS["goodbye"], doc)
        self.assertIn("<disconnect/>", doc)
        self.assertNotIn("<menu", doc)
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "3"}, key=TEL_KEY)
        self.assertEqual((st, b["action"]), (200, "hangup"))
        # Goodbye said through the menu (three bad keys) ends it for good.
        cid = self.new_call("13622220006")
        for _ in range(3):
            self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "8"}, key=TEL_KEY)
        doc = self.doc("/ivr/vxml/%d" % cid, key=TEL_KEY)
        self.assertIn("<disconnect/>", doc)

    def test_json_without_digits_answers_the_current_step(self):
        cid = self.new_call("13622220007")
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "1"}, key=TEL_KEY)
        self.assertEqual((st, b["node"]), (200, "emergency"))
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {}, key=TEL_KEY)
        self.assertEqual((st, b["node"], b["action"]), (200, "emergency", "menu"))
        self.assertNotIn(TEXTS["no_input"], b["prompt"])
        self.assertIn("transfer", [o["action"] for o in b["options"]])
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": ""}, key=TEL_KEY)
        self.assertEqual((st, b["node"]), (200, "emergency"))
        self.assertIn(TEXTS["no_input"], b["prompt"])
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": 5}, key=TEL_KEY)
        self.assertEqual((st, b["code"]), (400, "validation_failed"))

    def test_every_open_incidents_message_plays_first(self):
        ids = []
        for title, msg in (("诺如病毒", "诺如病毒聚集性疫情提醒。"), ("食物中毒", "某餐馆食物中毒事件通报。")):
            st, inc = self.s.req("POST", "/api/v1/incidents", {"title": title, "keywords": [title],
                                                               "ivr_message": msg}, token=self.sup)
            self.assertEqual(st, 201, inc)
            ids.append(inc["id"])
        try:
            cid = self.new_call("13622220008")
            doc = self.doc("/ivr/vxml/%d" % cid, key=TEL_KEY)
            first, second = doc.find("诺如病毒聚集性疫情提醒。"), doc.find("某餐馆食物中毒事件通报。")
            self.assertTrue(0 < first < second < doc.find("欢迎致电"), doc)
            cid = self.new_call("13622220009")
            st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {}, key=TEL_KEY)
            self.assertTrue(b["prompt"].startswith("诺如病毒聚集性疫情提醒。某餐馆食物中毒事件通报。"), b["prompt"])
        finally:
            for i in ids:
                self.s.req("POST", "/api/v1/incidents/%d/close" % i, {}, token=self.sup)

    def test_voice_topics_page_through_and_come_from_a_list_cached_15_s(self):
        self.advance(16)  # whatever an earlier test cached is stale now
        entries = [{"title": "被狗咬伤怎么办", "body": "立即用肥皂水冲洗伤口十五分钟。", "category": "rabies"}]
        entries += [{"title": "疫苗问题%d" % i, "body": "答复%d。" % i, "category": "vaccination"} for i in range(1, 11)]
        for e in entries:
            st, b = self.s.req("POST", "/api/v1/kb", dict(e, keywords=["语音"], voice=True), token=self.adm)
            self.assertEqual(st, 201, b)
        st, b = self.s.req("POST", "/api/v1/kb", {"title": "不读出的条目", "body": "x", "keywords": ["x"],
                                                  "category": "rabies", "voice": False}, token=self.adm)
        self.assertEqual(st, 201)
        cid = self.new_call("13622220010")
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "2"}, key=TEL_KEY)
        self.assertEqual(b["node"], "consult")
        self.assertIn("狂犬病防治，请按1", b["prompt"])
        self.assertNotIn("rabies", b["prompt"])
        vaccine = next(o["digits"] for o in b["options"] if "预防接种" in o["label"])
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": vaccine}, key=TEL_KEY)
        self.assertEqual(b["node"], "consult_topic")
        self.assertIn("疫苗问题8，请按8", b["prompt"])
        self.assertNotIn("疫苗问题9", b["prompt"])
        self.assertIn("0", [o["digits"] for o in b["options"]])
        doc = self.doc("/ivr/vxml/%d" % cid, key=TEL_KEY)
        self.assertIsNotNone(choice_url(doc, "0"), doc)
        doc = self.doc(choice_url(doc, "0"))
        self.assertIn("疫苗问题9，请按1", doc)
        self.assertIn("疫苗问题10，请按2", doc)
        self.assertIsNone(choice_url(doc, "0"), "the last page has no next")
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "2"}, key=TEL_KEY)
        self.assertEqual(b["action"], "play")
        self.assertIn("答复10。", b["prompt"])
        # A renamed topic reaches the menu once the cached list is 15 s old, not per call.
        names = self.s.req("GET", "/api/v1/kb/categories", token=self.adm)[1]
        names["rabies"] = "狗咬伤与狂犬病"
        self.assertEqual(self.s.req("PUT", "/api/v1/kb/categories", names, token=self.adm)[0], 200)
        cid = self.new_call("13622220011")
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "2"}, key=TEL_KEY)
        self.assertIn("狂犬病防治", b["prompt"], "still the cached list")
        self.advance(16)
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "9"}, key=TEL_KEY)
        self.assertIn("狗咬伤与狂犬病", b["prompt"])


class OverflowReadmitTest(unittest.TestCase):
    """A 24-hour hotline with acd.max_waiting 0: one waiting call is already more than it, so the
    next is turned away (SPEC §2); key 0 after `overflow` rejoins the queue."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server({"hours": {"open": "00:00", "close": "24:00", "days": [1, 2, 3, 4, 5, 6, 7], "holidays": []},
                        "acd": {"max_waiting": 0, "ring_timeout_s": 12}}).start()
        cls.adm = cls.s.admin()

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def call(self, phone):
        st, b = self.s.req("POST", "/api/v1/calls", {"caller": phone, "called": "12320"}, key=TEL_KEY)
        self.assertEqual(st, 201, b)
        return b

    def test_zero_after_overflow_readmits_the_same_call_and_a_seat_rings_the_acd_timeout(self):
        before = self.s.req("GET", "/api/v1/queue", token=self.adm)[1]["today"]
        first = self.call("13633330001")
        self.assertEqual(first["state"], "queued")
        over = self.call("13633330002")
        self.assertEqual(over["state"], "overflow")
        cid = over["call_id"]
        # Still full: the caller hears so and is back at the main menu.
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "0"}, key=TEL_KEY)
        self.assertEqual((st, b["action"], b["node"]), (200, "menu", "main"), b)
        self.assertIn(TEXTS["queue_full"], b["prompt"])
        self.assertEqual(self.s.req("GET", "/api/v1/calls/%d" % cid, key=TEL_KEY)[1]["state"], "overflow")
        # The first caller hangs up: now 0 puts the same call in the queue, with its place and wait.
        self.assertEqual(self.s.req("POST", "/api/v1/calls/%d/hangup" % first["call_id"], {}, key=TEL_KEY)[0], 200)
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "0"}, key=TEL_KEY)
        self.assertEqual((st, b["action"], b["position"]), (200, "queue", 1), b)
        self.assertIsInstance(b["ewt_s"], int)
        st, c = self.s.req("GET", "/api/v1/calls/%d" % cid, key=TEL_KEY)
        self.assertEqual((c["call_id"], c["state"]), (cid, "queued"))
        today = self.s.req("GET", "/api/v1/queue", token=self.adm)[1]["today"]
        self.assertEqual((today["offered"] - before["offered"], today["overflowed"] - before["overflowed"]), (2, 0))
        # The in-queue document validates; a re-fetch without digits keeps the call where it is.
        st, doc = self.s.req("GET", "/ivr/vxml/%d" % cid, key=TEL_KEY)
        self.assertTrue(validate(doc)[0], doc)
        self.assertIn('<menu id="queue">', doc)
        self.assertIn("第1位", doc)
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {}, key=TEL_KEY)
        self.assertEqual((b["action"], b["position"]), ("queue", 1))
        # An agent logs in: the call rings the seat, and the transfer rings acd.ring_timeout_s.
        _, tok = self.s.user(self.adm, "ag_readmit", "agent")
        self.assertEqual(self.s.req("POST", "/api/v1/agents/login", {}, token=tok)[0], 200)
        st, doc = self.s.req("GET", "/ivr/vxml/%d" % cid, key=TEL_KEY)
        self.assertTrue(validate(doc)[0], doc)
        self.assertIn("<transfer", doc)
        self.assertIn('connecttimeout="12s"', doc)
        self.assertIn('dest="sip:seat1@pbx.local"', doc)

    def test_a_message_on_a_24_hour_hotline_is_due_at_8_not_midnight(self):
        filler = self.call("13633330003")
        over = self.call("13633330004")
        try:
            self.assertEqual(over["state"], "overflow")
            st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % over["call_id"], {"digits": "3"}, key=TEL_KEY)
            self.assertEqual((b["action"], b["max_s"]), ("record", 120))
            st, b = self.s.req("POST", "/api/v1/ivr/%d/recording" % over["call_id"],
                               {"url": "file:///full.wav", "duration_s": 120}, key=TEL_KEY)
            self.assertEqual(st, 201, b)
            due = dt.datetime.fromisoformat(b["ticket"]["due_at"]).astimezone(ZONE)
            now = dt.datetime.now(ZONE)
            day = now.date() if now.hour < 8 else now.date() + dt.timedelta(days=1)
            self.assertEqual((due.date(), due.hour, due.minute), (day, 8, 0))
        finally:
            self.s.req("POST", "/api/v1/calls/%d/hangup" % filler["call_id"], {}, key=TEL_KEY)


class VoicemailDueTimeTest(unittest.TestCase):
    def test_configured_morning_time_and_a_bad_one_refused_at_start(self):
        hours = {"timezone": "Asia/Shanghai", "open": "08:00", "close": "18:00", "days": [1, 2, 3, 4, 5],
                 "holidays": ["2026-11-26"], "workdays": []}
        s = Server({"hours": hours, "ivr": {"voicemail_due_time": "09:30"}})
        s.start(args=("--clock", "2026-11-25T19:00:00+08:00"))
        try:
            st, b = s.req("POST", "/api/v1/calls", {"caller": "13644440001", "called": "12320"}, key=TEL_KEY)
            cid = b["call_id"]
            s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "3"}, key=TEL_KEY)
            st, b = s.req("POST", "/api/v1/ivr/%d/recording" % cid, {"url": "file:///m.wav", "duration_s": 5},
                          key=TEL_KEY)
            self.assertEqual(st, 201, b)
            # Thursday is a holiday: Friday 09:30.
            self.assertEqual(dt.datetime.fromisoformat(b["ticket"]["due_at"]),
                             dt.datetime(2026, 11, 27, 9, 30, tzinfo=ZONE))
        finally:
            s.close()
        bad = Server({"ivr": {"voicemail_due_time": "25:00"}})
        try:
            with self.assertRaises(RuntimeError) as e:
                bad.start()
            self.assertIn("ivr.voicemail_due_time", str(e.exception))
        finally:
            bad.close()


if __name__ == "__main__":
    unittest.main()

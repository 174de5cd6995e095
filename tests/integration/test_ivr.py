"""Voice menu through the real binary: the night fallback (a holiday), VoiceXML documents that
validate against the W3C schema and carry signed URLs, JSON steps, a voice message that becomes
one `voicemail` work order due the next business morning, the survey, in-hours queueing."""
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from harness import ROOT, TEL_KEY, Server

ZONE = ZoneInfo("Asia/Shanghai")


def find_schema():
    """$HOTLINE_VXML_SCHEMA_DIR, else shared/schemas/voicexml21 in the source tree's folder or any
    folder above it (a worktree sits below the shared folder)."""
    if os.environ.get("HOTLINE_VXML_SCHEMA_DIR"):
        return os.environ["HOTLINE_VXML_SCHEMA_DIR"]
    d = os.path.abspath(ROOT)
    while True:
        cand = os.path.join(d, "shared", "schemas", "voicexml21")
        if os.path.isfile(os.path.join(cand, "vxml.xsd")):
            return cand
        if os.path.dirname(d) == d:
            return None
        d = os.path.dirname(d)


SCHEMA = find_schema()
if not SCHEMA and os.environ.get("HOTLINE_REQUIRE_VXML_SCHEMA") != "1":
    # The schema lives outside the repository (../shared): without it documents are only
    # checked for well-formedness, and this says so.
    print("test_ivr: no VoiceXML 2.1 schema found; validating well-formedness only", file=sys.stderr)


def validate(doc):
    """(valid, errors). Without xmllint or the schema this raises: a validation that quietly
    passes proves nothing."""
    if not shutil.which("xmllint"):
        raise AssertionError("xmllint is missing (Debian: libxml2-utils)")
    if not isinstance(doc, str) or not doc.startswith("<?xml"):
        return False, "not a VoiceXML document: %r" % (doc,)[:200]
    if not SCHEMA:
        if os.environ.get("HOTLINE_REQUIRE_VXML_SCHEMA") == "1":
            raise AssertionError("no VoiceXML 2.1 schema: set HOTLINE_VXML_SCHEMA_DIR")
        r = subprocess.run(["xmllint", "--noout", "-"], input=doc, capture_output=True, text=True)
        return r.returncode == 0, r.stderr[:300]
    with tempfile.NamedTemporaryFile("w", suffix=".vxml", delete=False) as f:
        f.write(doc)
    env = dict(os.environ, XML_CATALOG_FILES=os.path.join(SCHEMA, "catalog.xml"))
    r = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", os.path.join(SCHEMA, "vxml.xsd"), f.name],
                       capture_output=True, text=True, env=env)
    os.unlink(f.name)
    return r.returncode == 0, r.stderr[:300]


class NightMenuTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        today = dt.datetime.now(ZONE).date()
        cls.tomorrow = today + dt.timedelta(days=1)
        cls.s = Server({"hours": {"timezone": "Asia/Shanghai", "open": "08:00", "close": "18:00",
                                  "days": [1, 2, 3, 4, 5, 6, 7], "holidays": [today.isoformat()], "workdays": []}}).start()
        cls.adm = cls.s.admin()

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def new_call(self, phone):
        st, b = self.s.req("POST", "/api/v1/calls", {"caller": phone, "called": "12320"}, key=TEL_KEY)
        self.assertEqual((st, b["state"]), (201, "after_hours"))
        return b["call_id"]

    def test_documents_validate_and_links_are_signed(self):
        cid = self.new_call("13611110001")
        st, doc = self.s.req("GET", "/ivr/vxml/%d" % cid, key=TEL_KEY)
        self.assertEqual(st, 200)
        ok, err = validate(doc)
        self.assertTrue(ok, err)
        links = re.findall(r'(?:next|expr)="([^"]*?/ivr/vxml/[^"]*)"', doc)
        self.assertTrue(links, doc)
        link = links[0].replace("&amp;", "&")
        self.assertIn("sig=", link)
        # The signed link works without the key; a tampered one does not; no key at all is 401.
        path = link[link.index("/ivr/"):]
        st, _ = self.s.req("GET", path)
        self.assertEqual(st, 200)
        st, _ = self.s.req("GET", re.sub(r"sig=[^&]*", "sig=1.AAAA", path))
        self.assertEqual(st, 401)
        st, _ = self.s.req("GET", "/ivr/vxml/%d" % cid)
        self.assertEqual(st, 401)
        for digits in ("1", "2", "9", "7", ""):
            st, doc = self.s.req("GET", "/ivr/vxml/%d?digits=%s" % (cid, digits), key=TEL_KEY)
            ok, err = validate(doc)
            self.assertTrue(st == 200 and ok, (digits, err))
        st, doc = self.s.req("GET", "/ivr/vxml/%d/survey" % cid, key=TEL_KEY)
        self.assertTrue(st == 200 and validate(doc)[0])

    def test_zero_is_refused_at_night_and_three_bad_keys_hang_up(self):
        cid = self.new_call("13611110002")
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "0"}, key=TEL_KEY)
        self.assertEqual(st, 200)
        self.assertNotEqual(b["action"], "queue")
        actions = [self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "7"}, key=TEL_KEY)[1]["action"]
                   for _ in range(3)]
        self.assertEqual(actions[-1], "hangup")
        st, c = self.s.req("GET", "/api/v1/calls/%d" % cid, key=TEL_KEY)
        self.assertEqual(c["state"], "after_hours")

    def test_message_becomes_one_voicemail_work_order_due_next_morning(self):
        cid = self.new_call("13611110003")
        st, b = self.s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "3"}, key=TEL_KEY)
        self.assertEqual((st, b["action"]), (200, "record"))
        self.assertGreater(b["max_s"], 0)
        rec = {"url": "file:///var/spool/hotline/m.wav", "duration_s": 31}
        answers = [self.s.req("POST", "/api/v1/ivr/%d/recording" % cid, rec, key=TEL_KEY) for _ in range(2)]
        for k in ("rec-x", "rec-x", "rec-y"):
            answers.append(self.s.req("POST", "/api/v1/ivr/%d/recording" % cid, rec, key=TEL_KEY,
                                      headers={"Idempotency-Key": k}))
        self.assertTrue(all(st == 201 for st, _ in answers), answers)
        ids = {b["ticket"]["id"] for _, b in answers}
        self.assertEqual(len(ids), 1, answers)
        st, lst = self.s.req("GET", "/api/v1/tickets?phone=13611110003", token=self.adm)
        vm = [t for t in lst["items"] if t["channel"] == "voicemail"]
        self.assertEqual(len(vm), 1)
        self.assertEqual(vm[0]["status"], "callback_due")
        due = dt.datetime.fromisoformat(vm[0]["due_at"]).astimezone(ZONE)
        self.assertEqual((due.date(), due.hour, due.minute), (self.tomorrow, 8, 0))
        st, c = self.s.req("GET", "/api/v1/calls/%d" % cid, key=TEL_KEY)
        self.assertEqual(c["state"], "voicemail")
        st, b = self.s.req("POST", "/api/v1/ivr/%d/recording" % cid, {"url": "x"}, key=TEL_KEY)
        self.assertEqual(st, 400)
        st, b = self.s.req("POST", "/api/v1/ivr/999999/recording", rec, key=TEL_KEY)
        self.assertEqual(st, 404)

    def test_vxml_recording_upload_creates_the_work_order(self):
        cid = self.new_call("13611110004")
        boundary = "XyZ"
        body = ("--%s\r\nContent-Disposition: form-data; name=\"msg\"; filename=\"m.wav\"\r\n"
                "Content-Type: audio/wav\r\n\r\nRIFF....WAVE\r\n--%s\r\nContent-Disposition: form-data; "
                "name=\"duration_s\"\r\n\r\n12\r\n--%s--\r\n") % (boundary, boundary, boundary)
        st, doc = self.s.req("POST", "/ivr/vxml/%d/recording" % cid, raw=body.encode(), key=TEL_KEY,
                             headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
        self.assertEqual(st, 200, doc)
        self.assertTrue(validate(doc)[0])
        st, lst = self.s.req("GET", "/api/v1/tickets?phone=13611110004", token=self.adm)
        self.assertEqual([t["channel"] for t in lst["items"]], ["voicemail"])

    def test_survey_is_stored_on_the_call(self):
        cid = self.new_call("13611110005")
        st, doc = self.s.req("GET", "/ivr/vxml/%d/survey?score=4" % cid, key=TEL_KEY)
        self.assertEqual(st, 200)
        st, c = self.s.req("GET", "/api/v1/calls/%d" % cid, key=TEL_KEY)
        self.assertEqual(c.get("survey_score"), 4)


class ClockedDayTest(unittest.TestCase):
    """A server on a test clock: 19:00 on a Wednesday, then 10:00 the next day."""

    def test_a_call_at_19_leaves_a_message_due_next_morning_and_at_10_queues(self):
        hours = {"timezone": "Asia/Shanghai", "open": "08:00", "close": "18:00", "days": [1, 2, 3, 4, 5],
                 "holidays": [], "workdays": []}
        s = Server({"hours": hours}).start(args=("--clock", "2026-11-25T19:00:00+08:00"))
        try:
            adm = s.admin()
            st, b = s.req("POST", "/api/v1/calls", {"caller": "13611113001", "called": "12320"}, key=TEL_KEY)
            self.assertEqual((st, b["state"]), (201, "after_hours"))
            cid = b["call_id"]
            st, b = s.req("POST", "/api/v1/ivr/%d/input" % cid, {"digits": "3"}, key=TEL_KEY)
            self.assertEqual((st, b["action"]), (200, "record"))
            st, b = s.req("POST", "/api/v1/ivr/%d/recording" % cid, {"url": "file:///m.wav", "duration_s": 20},
                          key=TEL_KEY)
            self.assertEqual(st, 201)
            due = dt.datetime.fromisoformat(b["ticket"]["due_at"])
            self.assertEqual(due, dt.datetime(2026, 11, 26, 8, 0, tzinfo=ZONE))
            # Only an admin moves the clock; a body must say how.
            sup = s.user(adm, "sup_clock", "supervisor")[1]
            self.assertEqual(s.req("POST", "/api/v1/test/clock", {"advance_s": 60}, token=sup)[0], 403)
            self.assertEqual(s.req("POST", "/api/v1/test/clock", {}, token=adm)[0], 400)
            st, b = s.req("POST", "/api/v1/test/clock", {"at": "2026-11-26T10:00:00+08:00"}, token=adm)
            self.assertEqual(st, 200)
            self.assertTrue(b["now"].startswith("2026-11-26T10:00"), b)
            st, b = s.req("POST", "/api/v1/calls", {"caller": "13611113002", "called": "12320"}, key=TEL_KEY)
            self.assertEqual((st, b["state"], b["position"]), (201, "queued", 1))
        finally:
            s.close()

    def test_without_the_clock_option_there_is_no_clock_route(self):
        s = Server().start()
        try:
            self.assertEqual(s.req("GET", "/api/v1/test/clock", token=s.admin())[0], 404)
        finally:
            s.close()


class DayMenuTest(unittest.TestCase):
    def test_virtual_hold_keeps_the_callers_place_as_a_callback_request(self):
        s = Server({"hours": {"open": "00:00", "close": "24:00", "days": [1, 2, 3, 4, 5, 6, 7], "holidays": []}}).start()
        try:
            adm = s.admin()
            sup = s.user(adm, "sup_vh", "supervisor")[1]
            ids = [s.req("POST", "/api/v1/calls", {"caller": "1361112000%d" % i, "called": "12320"},
                         key=TEL_KEY)[1]["call_id"] for i in range(3)]
            # A call queued on arrival gets the in-queue announcement, with key 1 for a message.
            st, b = s.req("POST", "/api/v1/ivr/%d/input" % ids[1], {"digits": ""}, key=TEL_KEY)
            self.assertEqual((st, b["action"]), (200, "queue"))
            self.assertIn("2", b["prompt"])
            st, b = s.req("POST", "/api/v1/ivr/%d/input" % ids[1], {"digits": "1"}, key=TEL_KEY)
            self.assertEqual((st, b["action"]), (200, "record"))
            st, b = s.req("POST", "/api/v1/ivr/%d/recording" % ids[1], {"url": "file:///m.wav", "duration_s": 12},
                          key=TEL_KEY)
            self.assertEqual((st, b["callback"], b["action"]), (201, True, "hangup"))
            self.assertEqual((b["ticket"]["channel"], b["ticket"]["status"]), ("voicemail", "callback_due"))
            # The caller hangs up: not an abandon; the call keeps its place, second in line.
            self.assertEqual(s.req("POST", "/api/v1/calls/%d/hangup" % ids[1], {}, key=TEL_KEY)[0], 200)
            st, c = s.req("GET", "/api/v1/calls/%d" % ids[1], key=TEL_KEY)
            self.assertEqual((c["state"], c["callback"]), ("queued", True))
            q = s.req("GET", "/api/v1/queue", token=sup)[1]
            self.assertEqual([c["call_id"] for c in q["calls"]], ids)
            self.assertEqual((q["today"]["abandoned"], q["today"]["callback_requests"]), (0, 1))
            # Its turn comes after the first caller: an agent is offered it to call back.
            _, tok = s.user(adm, "ag_vh", "agent")
            s.req("POST", "/api/v1/agents/login", {}, token=tok)
            self.assertEqual(s.req("POST", "/api/v1/calls/%d/accept" % ids[0], {}, token=tok)[0], 200)
            s.req("POST", "/api/v1/calls/%d/hangup" % ids[0], {"by": "agent"}, key=TEL_KEY)
            s.req("POST", "/api/v1/agents/wrap_done", {}, token=tok)
            st, c = s.req("GET", "/api/v1/calls/%d" % ids[1], key=TEL_KEY)
            self.assertEqual((c["state"], c["callback"]), ("ringing", True))
        finally:
            s.close()

    def test_in_hours_calls_queue_and_zero_reaches_an_agent(self):
        s = Server({"hours": {"open": "00:00", "close": "24:00", "days": [1, 2, 3, 4, 5, 6, 7], "holidays": []}}).start()
        try:
            st, b = s.req("POST", "/api/v1/calls", {"caller": "13611110006", "called": "12320"}, key=TEL_KEY)
            self.assertEqual(b["state"], "queued")
            st, q = s.req("GET", "/api/v1/ivr/%d/queue" % b["call_id"], key=TEL_KEY)
            self.assertEqual((st, q["position"]), (200, 1))
            self.assertIsNotNone(q["ewt_s"])
            st, doc = s.req("GET", "/ivr/vxml/%d" % b["call_id"], key=TEL_KEY)
            self.assertTrue(st == 200 and validate(doc)[0])
        finally:
            s.close()


if __name__ == "__main__":
    unittest.main()

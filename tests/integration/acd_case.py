"""What the ACD's integration tests share: an always-open hotline, a fresh server per test with
an admin and a supervisor, and the gateway's call requests."""
import unittest

from harness import TEL_KEY, Server

ALWAYS_OPEN = {"hours": {"open": "00:00", "close": "24:00", "days": [1, 2, 3, 4, 5, 6, 7], "holidays": []}}


def acd_config(**acd):
    """The config of an always-open hotline with these `acd` settings."""
    return dict({"acd": acd}, **ALWAYS_OPEN)


class AcdCase(unittest.TestCase):
    config = acd_config()
    server_args = ()

    def setUp(self):
        self.start()

    def start(self, config=None):
        self.s = Server(config or self.config).start(args=self.server_args)
        self.adm = self.s.admin()
        self.sup = self.s.user(self.adm, "sup", "supervisor")[1]

    def tearDown(self):
        self.s.close()

    def call(self, phone, **kw):
        """POST /api/v1/calls from the gateway; the answer's body (201 asserted)."""
        st, b = self.s.req("POST", "/api/v1/calls", dict(caller=phone, called="12320", **kw), key=TEL_KEY)
        self.assertEqual(st, 201, b)
        return b

    def get_call(self, cid, tok=None):
        return self.s.req("GET", "/api/v1/calls/%d" % cid, token=tok or self.sup)[1]

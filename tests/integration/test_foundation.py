"""Foundation through the real binary: auth and roles, problem bodies and limits, lists,
idempotency, configuration errors, CLI, graceful shutdown and kill -9 durability."""
import concurrent.futures as cf
import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
import unittest

from harness import ADMIN_PW, EXE, TEL_KEY, Server, wait_until


def is_problem(test, st, body, status, code):
    test.assertEqual(st, status, body)
    test.assertIsInstance(body, dict, body)
    test.assertEqual(body.get("status"), status)
    test.assertEqual(body.get("code"), code)
    test.assertTrue(body.get("title"))


class FoundationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server().start()
        cls.adm = cls.s.admin()

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def test_health_and_metrics(self):
        st, b = self.s.req("GET", "/healthz")
        self.assertEqual(st, 200)
        self.assertEqual(b["status"], "ok")
        self.s.req("GET", "/api/v1/units", token=self.adm)
        st, m = self.s.req("GET", "/metrics")
        self.assertEqual(st, 200)
        self.assertIn("# TYPE hotline_http_requests_total counter", m)
        self.assertIn('route="/api/v1/units",status="200"', m)
        self.assertIn("hotline_db_commit_batch_size_bucket", m)
        self.assertIn("hotline_http_request_seconds_bucket", m)

    def test_login_answers_token_role_user_and_expiry(self):
        st, b = self.s.req("POST", "/api/v1/auth/login", {"username": "admin", "password": ADMIN_PW})
        self.assertEqual(st, 200)
        self.assertEqual(b["role"], "admin")
        self.assertIsInstance(b["user_id"], int)
        self.assertRegex(b["expires_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")
        self.assertGreater(len(b["token"]), 30)

    def test_wrong_password_and_missing_or_bad_token_are_401(self):
        st, b = self.s.req("POST", "/api/v1/auth/login", {"username": "admin", "password": "nope"})
        is_problem(self, st, b, 401, "unauthorized")
        st, b = self.s.req("POST", "/api/v1/auth/login", {"username": "ghost", "password": "nope-nope"})
        is_problem(self, st, b, 401, "unauthorized")
        st, b = self.s.req("GET", "/api/v1/units")
        is_problem(self, st, b, 401, "unauthorized")
        st, b = self.s.req("GET", "/api/v1/units", token="not-a-token")
        is_problem(self, st, b, 401, "unauthorized")
        st, b = self.s.req("GET", "/api/v1/units", key="wrong-key")
        is_problem(self, st, b, 401, "unauthorized")

    def test_logout_revokes_the_token_only(self):
        _, tok = self.s.user(self.adm, "agent_logout", "agent")
        other = self.s.login("agent_logout", "pw-agent_logout-123")
        st, _ = self.s.req("POST", "/api/v1/auth/logout", {}, token=tok)
        self.assertEqual(st, 200)
        st, _ = self.s.req("GET", "/api/v1/units", token=tok)
        self.assertEqual(st, 401)
        st, _ = self.s.req("GET", "/api/v1/units", token=other)
        self.assertEqual(st, 200)

    def test_each_role_is_refused_what_it_may_not_do(self):
        unit = self.s.req("POST", "/api/v1/units", {"name": "角色测试医院", "kind": "hospital"}, token=self.adm)[1]
        tokens = {
            "admin": self.adm,
            "supervisor": self.s.user(self.adm, "sup_roles", "supervisor")[1],
            "agent": self.s.user(self.adm, "agent_roles", "agent")[1],
            "unit": self.s.user(self.adm, "unit_roles", "unit", unit_id=unit["id"])[1],
        }
        new_unit = {"name": "x", "kind": "cdc"}
        new_user = lambda n: {"username": n, "password": "longenough1", "role": "agent"}
        cases = [  # (method, path, body, roles allowed)
            ("POST", "/api/v1/units", new_unit, {"admin"}),
            ("GET", "/api/v1/units", None, {"admin", "supervisor", "agent", "unit"}),
            ("GET", "/api/v1/users", None, {"admin", "supervisor"}),
        ]
        for method, path, body, allowed in cases:
            for role, tok in tokens.items():
                st, b = self.s.req(method, path, body, token=tok)
                if role in allowed:
                    self.assertIn(st, (200, 201), (method, path, role, b))
                else:
                    is_problem(self, st, b, 403, "forbidden")
        for role, tok in tokens.items():
            st, b = self.s.req("POST", "/api/v1/users", new_user("made_by_" + role), token=tok)
            if role == "admin":
                self.assertEqual(st, 201, b)
            else:
                is_problem(self, st, b, 403, "forbidden")
        # The gateway's key is a telephony identity: no admin work.
        st, b = self.s.req("GET", "/api/v1/users", key=TEL_KEY)
        is_problem(self, st, b, 403, "forbidden")

    def test_bad_input_gets_problem_bodies_and_changes_nothing(self):
        before = len(self.list_units())
        h = {"Content-Type": "application/json"}
        st, b = self.s.req("POST", "/api/v1/units", raw=b"{not json", token=self.adm, headers=h)
        is_problem(self, st, b, 400, "validation_failed")
        st, b = self.s.req("POST", "/api/v1/units", {"name": 42, "kind": "cdc"}, token=self.adm)
        is_problem(self, st, b, 400, "validation_failed")
        self.assertIn("name", b["detail"])
        st, b = self.s.req("POST", "/api/v1/units", {"name": "x", "kind": "bakery"}, token=self.adm)
        is_problem(self, st, b, 400, "validation_failed")
        st, b = self.s.req("POST", "/api/v1/units", {"name": "长" * 500, "kind": "cdc"}, token=self.adm)
        is_problem(self, st, b, 400, "validation_failed")
        st, b = self.s.req("POST", "/api/v1/units", {"name": "x", "kind": "cdc", "duty_phone": "12abc"}, token=self.adm)
        is_problem(self, st, b, 400, "validation_failed")
        deep = b'{"name":"x","kind":"cdc","n":' + b"[" * 40 + b"]" * 40 + b"}"
        st, b = self.s.req("POST", "/api/v1/units", raw=deep, token=self.adm, headers=h)
        is_problem(self, st, b, 400, "validation_failed")
        st, b = self.s.req("POST", "/api/v1/units", raw=b"[1,2]", token=self.adm, headers=h)
        is_problem(self, st, b, 400, "validation_failed")
        big = b'{"name":"' + b"x" * (1100 * 1024) + b'","kind":"cdc"}'
        st, b = self.s.req("POST", "/api/v1/units", raw=big, token=self.adm, headers=h)
        is_problem(self, st, b, 413, "payload_too_large")
        self.assertEqual(len(self.list_units()), before)
        st, _ = self.s.req("GET", "/healthz")
        self.assertEqual(st, 200)

    def test_oversized_headers_are_refused(self):
        st, _ = self.s.req("GET", "/healthz", headers={"X-Big": "a" * 9000})
        self.assertEqual(st, 431)

    def test_unknown_paths_and_methods(self):
        st, b = self.s.req("GET", "/api/v1/nothing-here", token=self.adm)
        is_problem(self, st, b, 404, "not_found")
        st, b = self.s.req("DELETE", "/api/v1/units", token=self.adm)
        self.assertEqual(st, 405)
        st, b = self.s.req("GET", "/api/v1/units/abc", token=self.adm)
        is_problem(self, st, b, 404, "not_found")
        st, b = self.s.req("GET", "/api/v1/units/999999", token=self.adm)
        is_problem(self, st, b, 404, "not_found")

    def test_duplicate_username_is_a_conflict(self):
        self.s.user(self.adm, "twin", "agent")
        st, b = self.s.req("POST", "/api/v1/users", {"username": "twin", "password": "longenough1", "role": "agent"},
                           token=self.adm)
        is_problem(self, st, b, 409, "conflict")

    def test_unit_user_needs_an_existing_unit_and_skills_are_checked(self):
        st, b = self.s.req("POST", "/api/v1/users", {"username": "u_nounit", "password": "longenough1", "role": "unit"},
                           token=self.adm)
        is_problem(self, st, b, 400, "validation_failed")
        st, b = self.s.req("POST", "/api/v1/users", {"username": "u_badunit", "password": "longenough1", "role": "unit",
                                                    "unit_id": 987654}, token=self.adm)
        is_problem(self, st, b, 400, "validation_failed")
        st, b = self.s.req("POST", "/api/v1/users", {"username": "a_skills", "password": "longenough1", "role": "agent",
                                                    "skills": {"juggling": 1}}, token=self.adm)
        is_problem(self, st, b, 400, "validation_failed")
        st, b = self.s.req("POST", "/api/v1/users", {"username": "a_skills2", "password": "longenough1", "role": "agent",
                                                    "skills": {"consult": 1, "complaint": 3}}, token=self.adm)
        self.assertEqual(st, 201, b)
        self.assertEqual(b["skills"], {"consult": 1, "complaint": 3})
        self.assertNotIn("password_hash", b)
        self.assertNotIn("password", b)

    def list_units(self, limit=200):
        out, cursor = [], None
        while True:
            path = "/api/v1/units?limit=%d" % limit + ("&cursor=" + cursor if cursor else "")
            st, b = self.s.req("GET", path, token=self.adm)
            self.assertEqual(st, 200, b)
            out += b["items"]
            cursor = b["next_cursor"]
            if not cursor:
                return out

    def test_cursor_pagination_returns_every_item_once(self):
        for i in range(23):
            self.s.req("POST", "/api/v1/units", {"name": "分页%02d" % i, "kind": "other"}, token=self.adm)
        all_units = self.list_units(limit=200)
        paged = self.list_units(limit=7)
        self.assertEqual([u["id"] for u in paged], [u["id"] for u in all_units])
        self.assertEqual(len({u["id"] for u in paged}), len(paged))
        for bad in ("limit=0", "limit=201", "limit=abc", "cursor=***", "cursor=bm90LWpzb24"):
            st, b = self.s.req("GET", "/api/v1/units?" + bad, token=self.adm)
            is_problem(self, st, b, 400, "validation_failed")

    def test_idempotency_key_replays_the_first_answer(self):
        h = {"Idempotency-Key": "unit-create-1"}
        st1, a = self.s.req("POST", "/api/v1/units", {"name": "幂等医院", "kind": "hospital"}, token=self.adm, headers=h)
        st2, b = self.s.req("POST", "/api/v1/units", {"name": "幂等医院", "kind": "hospital"}, token=self.adm, headers=h)
        self.assertEqual((st1, st2), (201, 201))
        self.assertEqual(a["id"], b["id"])
        self.assertEqual(sum(1 for u in self.list_units() if u["name"] == "幂等医院"), 1)
        # Concurrent retries with one key still make one unit.
        h = {"Idempotency-Key": "unit-create-2"}
        with cf.ThreadPoolExecutor(8) as ex:
            res = list(ex.map(lambda _: self.s.req("POST", "/api/v1/units", {"name": "并发幂等", "kind": "cdc"},
                                                     token=self.adm, headers=h), range(8)))
        self.assertEqual(len({b["id"] for _, b in res}), 1)
        # The same key on another path is refused.
        st, b = self.s.req("POST", "/api/v1/users", {"username": "idem", "password": "longenough1", "role": "agent"},
                           token=self.adm, headers=h)
        is_problem(self, st, b, 409, "conflict")

    def test_phone_numbers_are_masked_in_the_log(self):
        self.s.req("GET", "/api/v1/units?kind=13812345678", token=self.adm)
        log = self.s.log()
        self.assertNotIn("13812345678", log)
        self.assertIn("138****5678", log)


class IdempotencyClaimTest(unittest.TestCase):
    def setUp(self):
        self.s = Server().start()
        self.adm = self.s.admin()

    def tearDown(self):
        self.s.close()

    def units(self):
        st, b = self.s.req("GET", "/api/v1/units?limit=200", token=self.adm)
        return len(b["items"])

    def test_a_key_whose_change_committed_without_its_answer_is_not_applied_twice(self):
        h = {"Idempotency-Key": "unit-kept"}
        st, unit = self.s.req("POST", "/api/v1/units", {"name": "认领医院", "kind": "hospital"}, token=self.adm, headers=h)
        self.assertEqual(st, 201)
        self.s.stop()
        db = sqlite3.connect(self.s.config["db"]["path"])
        # The answer was kept over the claim made with the change.
        self.assertEqual(db.execute("SELECT status FROM idempotency WHERE key='unit-kept'").fetchone(), (201,))
        # As if the server had died between the change's commit and the answer's record.
        scope = db.execute("SELECT scope FROM idempotency WHERE key='unit-kept'").fetchone()[0]
        db.execute("INSERT INTO idempotency(scope, key, fingerprint, status, body, created_at) "
                   "VALUES (?, 'unit-lost', 'POST /api/v1/units', 0, '', ?)", (scope, int(time.time() * 1000)))
        db.commit()
        db.close()
        self.s.start()
        self.adm = self.s.admin()
        before = self.units()
        st, b = self.s.req("POST", "/api/v1/units", {"name": "丢失回答", "kind": "hospital"}, token=self.adm,
                           headers={"Idempotency-Key": "unit-lost"})
        is_problem(self, st, b, 409, "conflict")
        self.assertEqual(self.units(), before)


class LoginThrottleTest(unittest.TestCase):
    def test_repeated_failures_are_rate_limited_even_with_the_right_password(self):
        s = Server().start()
        try:
            codes = [s.req("POST", "/api/v1/auth/login", {"username": "admin", "password": "bad-%d" % i})[0]
                     for i in range(6)]
            self.assertEqual(codes[:5], [401] * 5)
            self.assertEqual(codes[5], 429)
            st, b = s.req("POST", "/api/v1/auth/login", {"username": "admin", "password": ADMIN_PW})
            self.assertEqual(st, 429)
            self.assertEqual(b["code"], "rate_limited")
        finally:
            s.close()


class TokenExpiryTest(unittest.TestCase):
    def test_tokens_expire_after_token_ttl(self):
        s = Server({"auth": {"token_ttl_s": 1}}).start()
        try:
            tok = s.admin()
            self.assertEqual(s.req("GET", "/api/v1/units", token=tok)[0], 200)
            time.sleep(1.3)
            self.assertEqual(s.req("GET", "/api/v1/units", token=tok)[0], 401)
        finally:
            s.close()


class StartupTest(unittest.TestCase):
    def run_with(self, overrides):
        s = Server(overrides)
        try:
            p = subprocess.run([EXE, "serve", "--config", s.config_path], capture_output=True, text=True,
                               timeout=20, env=s.env)
            return p.returncode, p.stdout + p.stderr
        finally:
            s.close()

    def test_unknown_key_stops_startup_naming_it(self):
        code, out = self.run_with({"acd": {"ring_timeout": 15}})
        self.assertNotEqual(code, 0)
        self.assertIn("acd.ring_timeout", out)

    def test_wrong_type_stops_startup_naming_it(self):
        code, out = self.run_with({"workorder": {"deadline_days": "thirty"}})
        self.assertNotEqual(code, 0)
        self.assertIn("workorder.deadline_days", out)

    def test_first_start_without_env_prints_a_generated_admin_password_once(self):
        s = Server(env={"HOTLINE_ADMIN_PASSWORD": ""})
        try:
            s.start()
            first = s.log()
            line = [l for l in first.splitlines() if "password:" in l]
            self.assertEqual(len(line), 1, first)
            password = line[0].split("password:")[1].strip()
            s.login("admin", password)
            s.stop()
            s.start()
            self.assertEqual(s.log().count("password:"), 1)
        finally:
            s.close()


class ProcessTest(unittest.TestCase):
    def test_sigterm_finishes_cleanly_and_keeps_data(self):
        s = Server().start()
        try:
            adm = s.admin()
            st, u = s.req("POST", "/api/v1/units", {"name": "关机前", "kind": "cdc"}, token=adm)
            self.assertEqual(st, 201)
            self.assertEqual(s.stop(signal.SIGTERM), 0)
            self.assertIn("shutting down", s.log())
            s.start()
            st, b = s.req("GET", "/api/v1/units/%d" % u["id"], token=s.admin())
            self.assertEqual(st, 200)
        finally:
            s.close()

    def test_kill9_loses_no_acknowledged_write(self):
        s = Server().start()
        try:
            adm = s.admin()
            acked = set()

            def mk(i):
                try:
                    st, b = s.req("POST", "/api/v1/units", {"name": "单位-%03d" % i, "kind": "hospital"}, token=adm)
                    return b["name"] if st == 201 else None
                except OSError:
                    return None

            with cf.ThreadPoolExecutor(16) as ex:
                futs = [ex.submit(mk, i) for i in range(400)]
                for i, f in enumerate(futs):
                    if f.result():
                        acked.add(f.result())
                    if i == 250:
                        s.kill9()
            self.assertGreater(len(acked), 200)
            s.start()
            adm = s.admin()
            have, cursor = set(), None
            while True:
                st, b = s.req("GET", "/api/v1/units?limit=200" + ("&cursor=" + cursor if cursor else ""), token=adm)
                have |= {u["name"] for u in b["items"]}
                cursor = b["next_cursor"]
                if not cursor:
                    break
            self.assertEqual(acked - have, set())
        finally:
            s.close()

    def test_cli_migrate_user_add_and_backup(self):
        s = Server()
        try:
            run = lambda *a: subprocess.run([EXE, *a, "--config", s.config_path], capture_output=True, text=True,
                                            timeout=30, env=s.env)
            p = run("migrate")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("schema version", p.stdout)
            p = run("user", "add", "--username", "cli_sup", "--password", "cli-pass-123", "--role", "supervisor")
            self.assertEqual(p.returncode, 0, p.stderr)
            backup = os.path.join(s.tmp, "backup.db")
            p = run("backup", backup)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(os.path.getsize(backup) > 0)
            # The backup is a working database: serve it and log in as the CLI user.
            s.config["db"]["path"] = backup
            json.dump(s.config, open(s.config_path, "w"))
            s.start()
            s.login("cli_sup", "cli-pass-123")
        finally:
            s.close()


if __name__ == "__main__":
    unittest.main()

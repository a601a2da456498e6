"""test_security.py - issue 14 items 3, 5, 6, 9: rate limits, strict booleans, personal data out of
logs and /api/health, idempotent creates."""
import os
import random
import stat
import unittest
import uuid

import kw

GOOD = "松花江上 the long river 2026"


def limit(name, default):
    """The limit the test instance runs with (scripts/test.sh exports it to the workers and to us)."""
    return int(os.environ.get(name, default))


def fresh_ip():
    """A loopback address of this test's own: nginx sees it as REMOTE_ADDR (no header trusted)."""
    return "127.%d.%d.%d" % (random.randint(20, 250), random.randint(0, 255), random.randint(2, 250))


class RateLimits(unittest.TestCase):
    """Item 3: registration, password-reset requests and the old-password check are limited per
    IP and per target, in real time, with 429 + Retry-After in the usual envelope."""

    def assert_429(self, r):
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.json()["error"]["code"], "rate_limited")
        self.assertGreater(int(r.header("retry-after")), 0)
        self.assertIn("过于频繁", r.json()["error"]["message"])

    def test_item3_registration_limited_per_ip(self):
        ip, n = fresh_ip(), limit("KAOWU_LIMIT_REGISTER", 20)
        for i in range(n):  # every attempt counts, successful or not
            r = kw.request("POST", "/api/candidates/register", body={"username": "x"}, source=ip)
            self.assertEqual(r.status, 422, (i, r))
        body = {"username": "cand_%s" % uuid.uuid4().hex[:8], "password": GOOD, "id_number": kw.id_number(),
                "real_name": "测试考生", "email": "rl@kaowu.example", "phone": "13912345678"}
        self.assert_429(kw.request("POST", "/api/candidates/register", body=body, source=ip))
        # another address is not affected
        self.assertEqual(kw.request("POST", "/api/candidates/register", body=body, source=fresh_ip()).status, 201)

    def test_item3_reset_request_limited_per_ip(self):
        ip, n = fresh_ip(), limit("KAOWU_LIMIT_RESET", 10)
        for i in range(n):
            r = kw.request("POST", "/api/auth/forgot", body={"kind": "candidate", "username": "ghost_%d" % i},
                           source=ip)
            self.assertEqual(r.status, 200, r)
        self.assert_429(kw.request("POST", "/api/auth/forgot", body={"kind": "candidate", "username": "ghost"},
                                   source=ip))

    def test_item3_old_password_check_limited_per_account(self):
        user, pw, _, r = kw.register_candidate(password=GOOD)
        self.assertEqual(r.status, 201, r)
        s = kw.Session(source=fresh_ip())  # the shared 127.0.0.1 keeps its per-IP budget
        s.login("candidate", user, pw)
        n = limit("KAOWU_LIMIT_PASSWORD", 10)
        for i in range(n):
            r = s.post("/api/auth/password", {"old_password": "wrong-%d-guess" % i, "new_password": GOOD + "!"})
            self.assertEqual(r.status, 422, r)
        # even the right old password is refused now: the guessing has stopped
        self.assert_429(s.post("/api/auth/password", {"old_password": pw, "new_password": GOOD + "!"}))

    def test_item3_windows_run_on_real_time_not_the_business_clock(self):
        self.assertEqual(kw.psql("SELECT count(*) FROM rate_hits WHERE at > clock_timestamp() + interval '1 minute'"),
                         "0")


class StrictBooleans(unittest.TestCase):
    """Item 5: true|false|1|0 only; anything else is a 422 naming the parameter."""

    def assert_bad(self, r, field):
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], field)

    def test_item5_dry_run_on_is_422_not_a_real_import(self):
        s = kw.org_account("benz")
        for v in ("True", "on", "yes", "2"):
            r = s.request("POST", "/api/bank/import?occupation_id=9&level=3&dry_run=%s" % v, body=b"x",
                          headers={"Content-Type": "application/octet-stream"})
            self.assert_bad(r, "dry_run")

    def test_item5_every_boolean_query_parameter(self):
        center = kw.center_staff()
        self.assert_bad(center.get("/api/messages?unread=on"), "unread")
        self.assertEqual(center.get("/api/messages?unread=true").status, 200)
        self.assertEqual(center.get("/api/messages?unread=0").status, 200)
        self.assert_bad(center.get("/api/batches?todo=yes"), "todo")
        self.assertEqual(center.get("/api/batches?todo=1").status, 200)
        self.assert_bad(center.get("/api/orgs?frozen=TRUE"), "frozen")
        self.assertEqual(center.get("/api/orgs?frozen=false").status, 200)
        self.assert_bad(kw.org_account("benz").get("/api/bank/questions?near=on"), "near")


class PersonalDataOutOfLogs(unittest.TestCase):
    """Item 6: log files 0640, ID numbers masked wherever logged, /api/health without the build."""

    def test_item6_log_files_are_not_world_readable(self):
        for name in ("kaowu.log", "nginx-access.log", "mailer.log"):
            mode = stat.S_IMODE(os.stat(os.path.join(kw.LOG, name)).st_mode)
            self.assertEqual(mode & 0o007, 0, "%s is %o" % (name, mode))

    def test_item6_id_numbers_masked_in_every_log(self):
        idn = kw.id_number()
        kw.request("GET", "/api/experts/%s?id_number=%s" % (idn, idn))
        kw.request("POST", "/api/candidates/register", body={"id_number": idn})
        masked = idn[:4] + "*" * 10 + idn[-4:]
        import time
        time.sleep(1.5)  # nginx flushes its buffered access log every second
        for name in ("kaowu.log", "nginx-access.log"):
            with open(os.path.join(kw.LOG, name), encoding="utf-8", errors="replace") as f:
                text = f.read()
            self.assertNotIn(idn, text, name)
        with open(os.path.join(kw.LOG, "kaowu.log"), encoding="utf-8", errors="replace") as f:
            self.assertIn(masked, f.read())

    def test_item6_health_public_part_is_db_and_schema_only(self):
        self.assertEqual(sorted(kw.get("/api/health").json()), ["db", "schema"])
        self.assertEqual(kw.get("/api/system/info").status, 401)
        info = kw.center_staff().get("/api/system/info").json()
        self.assertIn("version", info)
        self.assertNotIn("+", kw.get("/api/openapi.json").json()["info"]["version"])


class IdempotentCreates(unittest.TestCase):
    """Item 9: a creating POST with an Idempotency-Key creates once; a retry replays the first answer."""

    def test_item9_retry_with_the_same_key_creates_nothing(self):
        from test_org import fresh_code
        center = kw.center_staff()
        key = uuid.uuid4().hex
        code = fresh_code()
        body = org_body(code)
        first = center.post("/api/orgs", body, headers={"Idempotency-Key": key})
        self.assertEqual(first.status, 201, first)
        again = center.post("/api/orgs", body, headers={"Idempotency-Key": key})
        self.assertEqual(again.status, 201, again)
        self.assertEqual(again.json(), first.json())
        self.assertEqual(again.header("idempotent-replayed"), "true")
        self.assertEqual(kw.psql("SELECT count(*) FROM orgs WHERE code = '%s'" % code), "1")
        # without a key the same body is a second request: refused by the unique code, not replayed
        self.assertEqual(center.post("/api/orgs", body).status, 422)

    def test_item9_same_key_with_another_body_is_422(self):
        from test_org import fresh_code
        center = kw.center_staff()
        key = uuid.uuid4().hex
        self.assertEqual(center.post("/api/orgs", org_body(fresh_code()), headers={"Idempotency-Key": key}).status, 201)
        r = center.post("/api/orgs", org_body(fresh_code()), headers={"Idempotency-Key": key})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "Idempotency-Key")

    def test_item9_a_failed_create_releases_the_key(self):
        from test_org import fresh_code
        center = kw.center_staff()
        key = uuid.uuid4().hex
        body = org_body(fresh_code())
        bad = dict(body, postcode="x")
        self.assertEqual(center.post("/api/orgs", bad, headers={"Idempotency-Key": key}).status, 422)
        self.assertEqual(kw.psql("SELECT count(*) FROM idempotency_keys WHERE key = '%s'" % key), "0")

    def test_item9_keys_belong_to_their_account_and_routes_are_flagged(self):
        doc = kw.get("/api/openapi.json").json()
        for path in ("/api/orgs", "/api/experts", "/api/plans", "/api/batches", "/api/enrollments", "/api/bank/import"):
            names = [p.get("$ref", "") for p in doc["paths"][path]["post"].get("parameters", [])]
            self.assertIn("#/components/parameters/IdempotencyKey", names, path)
        self.assertEqual(kw.center_staff().post("/api/orgs", {}, headers={"Idempotency-Key": "x" * 201}).status, 422)


def org_body(code):
    from test_org import org_id
    return {"name": "测试鉴定站%s" % code, "code": code, "kind": "station", "parent_id": org_id("49003000"),
            "scopes": [{"category": "national", "occupation_id": 9}], "builder": "测试承建单位",
            "leader_name": "张三", "contact_name": "李四", "phone": "010-12345678",
            "email": "t%s@kaowu.example" % code, "postcode": "100176", "address": "北京市大兴区",
            "valid_until": "2031-06-30", "region_code": "110115"}


if __name__ == "__main__":
    unittest.main()

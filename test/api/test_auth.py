"""test_auth.py - logins, sessions, CSRF, throttling, initial passwords, registration, reset, roles."""
import datetime
import email
import glob
import os
import re
import subprocess
import time
import unittest
import uuid

import kw

DEMO = [
    ("org", "staff01", "center_staff"), ("org", "director01", "center_director"),
    ("org", kw.ORG["beiqi"], "org2"), ("org", kw.ORG["benz"], "station"),
    ("org", kw.ORG["baic"], "station"), ("org", kw.ORG["robot"], "station"),
    ("assessor", "422201199001176250", "assessor"), ("assessor", "422201199102176233", "assessor"),
    ("assessor", "422201198803156214", "assessor"), ("assessor", "110105198510203318", "assessor"),
    ("assessor", "11010519870722442X", "assessor"), ("assessor", "320583198309094519", "assessor"),
    ("supervisor", "110101197005120028", "supervisor"), ("supervisor", "110108196811030035", "supervisor"),
    ("candidate", "shentong", "candidate"),
]


def hash_password(pw):
    out = subprocess.run([os.path.join(kw.BUILD, "kaowu-admin"), "hash-password"], input=pw + "\n",
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def new_org_account(must_change=True):
    """An org account created directly in the database, as org creation does: password = code."""
    for _ in range(20):  # other tests name their orgs 测试鉴定站<code> too: a taken name or code is drawn again
        code = "49%06d" % (int(uuid.uuid4().int % 1000000))
        name = "测试鉴定站%s" % code
        if kw.psql("INSERT INTO orgs (kind, org_type, name, code, parent_id) SELECT 'station', '鉴定站', '%s', '%s', id "
                   "FROM orgs WHERE code = '49003000' ON CONFLICT DO NOTHING RETURNING id" % (name, code)):
            break
    else:
        raise AssertionError("no free org code after 20 draws")
    h = hash_password(code)
    kw.psql("INSERT INTO accounts (kind, username, role, display_name, org_id, password_hash, must_change_password) "
            "SELECT 'org', name, 'station', name, id, '%s', %s FROM orgs WHERE code = '%s'" % (h, "true" if must_change else "false", code))
    return name, code


class Login(kw.ClockedTest):
    def test_every_demo_account_logs_in(self):
        for kind, username, role in DEMO:
            s = kw.Session()
            r = s.login(kind, username)
            u = r.json()["user"]
            self.assertEqual(u["role"], role, username)
            self.assertFalse(u["must_change_password"], username)
            self.assertTrue(r.json()["csrf_token"])
            self.assertEqual(s.get("/api/auth/me").json()["user"]["id"], u["id"])

    def test_expert_id_number_login_ignores_the_case_of_x(self):
        s = kw.login("assessor", "11010519870722442x")  # 加加, stored with a capital X
        self.assertEqual(s.user["name"], "加加")

    def test_session_cookie_flags(self):
        r = kw.request("POST", "/api/auth/login", body={"kind": "org", "username": "staff01", "password": kw.DEMO_PASSWORD})
        cookie = r.header("set-cookie")
        self.assertRegex(cookie, r"^kaowu_session=[A-Za-z0-9_-]{43}; ")
        for flag in ("HttpOnly", "SameSite=Strict", "Path=/"):
            self.assertIn(flag, cookie)
        self.assertNotIn("Secure", cookie)  # plain HTTP here; HTTPS adds Secure

    def test_new_token_at_every_login_and_token_stored_hashed(self):
        a, b = kw.center_staff(), kw.center_staff()
        self.assertNotEqual(a.cookie, b.cookie)
        self.assertEqual(a.get("/api/auth/me").status, 200)
        self.assertEqual(b.get("/api/auth/me").status, 200)
        token = a.cookie.split("=", 1)[1]
        self.assertEqual(kw.psql("SELECT count(*) FROM sessions WHERE token_hash = '%s'::bytea" % token), "0")
        self.assertEqual(kw.psql("SELECT count(*) FROM sessions WHERE token_hash = sha256('%s'::bytea)" % token), "1")

    def test_login_rehashes_a_hash_made_under_other_limits(self):
        # demo/0002_identity.sql's hash of kaowu2019 at libsodium's interactive limits; the test
        # instance hashes at the minimum (KAOWU_TEST_HASH_COST=min), so a login replaces it
        demo_hash = "$argon2id$v=19$m=65536,t=2,p=1$2RZDlXgL67ptDlXRXp4J4g$vAfvcUxDso4EXsDtqLN0kNNBju6iafP74xdfEGU6lt0"
        user, _, _, r = kw.register_candidate()
        self.assertEqual(r.status, 201, r)
        kw.psql("UPDATE accounts SET password_hash = '%s' WHERE username = '%s'" % (demo_hash, user))
        self.assertEqual(kw.request("POST", "/api/auth/login", body={"kind": "candidate", "username": user,
                                                                     "password": "wrong-pass-1"}).status, 401)
        stored = lambda: kw.psql("SELECT password_hash FROM accounts WHERE username = '%s'" % user)
        self.assertEqual(stored(), demo_hash)  # a failed login changes nothing
        s = kw.login("candidate", user, kw.DEMO_PASSWORD)
        self.assertEqual(s.get("/api/auth/me").status, 200)
        self.assertTrue(stored().startswith("$argon2id$v=19$m=8,t=1,"), stored())
        kw.login("candidate", user, kw.DEMO_PASSWORD)  # the new hash verifies the same password

    def test_bad_pair_same_answer_whether_account_exists(self):
        s = kw.Session()
        wrong = s.login("org", "staff01", "not-the-password", expect=401)
        unknown = s.login("org", "no-such-org-%s" % uuid.uuid4().hex[:6], "whatever1", expect=401)
        self.assertEqual(wrong.json(), unknown.json())
        self.assertEqual(wrong.json()["error"]["message"], "用户名或密码错误")
        wrong_kind = s.login("assessor", "staff01", kw.DEMO_PASSWORD, expect=401)
        self.assertEqual(wrong_kind.json(), wrong.json())

    def test_malformed_login_is_422(self):
        r = kw.request("POST", "/api/auth/login", body={"kind": "admin", "username": "x", "password": "y"})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "kind")
        r = kw.request("POST", "/api/auth/login", body={"kind": "org"})
        self.assertEqual(r.status, 422)
        self.assertEqual({f["field"] for f in r.json()["error"]["fields"]}, {"username", "password"})

    def test_every_attempt_is_in_the_login_history_with_nginx_ip(self):
        user, pw, _, _ = kw.register_candidate()
        s = kw.Session(ip="203.0.113.9")  # X-Forwarded-For from the client is not trusted
        s.login("candidate", user, "wrong-password-1", expect=401)
        s.login("candidate", user, pw)
        rows = kw.psql("SELECT ip || ',' || ok FROM login_history WHERE username = '%s' ORDER BY id DESC" % user).split("\n")
        self.assertEqual(rows, ["127.0.0.1,true", "127.0.0.1,false"])
        hist = s.get("/api/auth/logins?per_page=2").json()
        self.assertEqual(hist["per_page"], 2)
        self.assertEqual(hist["total"], 2)
        self.assertEqual([i["ok"] for i in hist["items"]], [True, False])
        self.assertRegex(hist["items"][0]["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
        self.assertEqual(hist["items"][0]["ip"], "127.0.0.1")


class Csrf(kw.ClockedTest):
    def test_writes_need_the_session_csrf_token(self):
        s = kw.center_staff()
        good = s.csrf
        s.csrf = None
        r = s.post("/api/auth/logout")
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["code"], "csrf")
        s.csrf = "x" * len(good)
        self.assertEqual(s.post("/api/auth/logout").json()["error"]["code"], "csrf")
        other = kw.center_staff()  # another session's token does not fit this session
        s.csrf = other.csrf
        self.assertEqual(s.post("/api/auth/logout").status, 403)
        s.csrf = good
        self.assertEqual(s.get("/api/auth/me").status, 200)
        r = s.post("/api/auth/logout")
        self.assertEqual(r.status, 200)
        self.assertIn("Max-Age=0", r.header("set-cookie"))

    def test_logout_ends_the_session(self):
        s = kw.center_staff()
        cookie = s.cookie
        self.assertEqual(s.post("/api/auth/logout").status, 200)
        s.cookie = cookie
        r = s.get("/api/auth/me")
        self.assertEqual(r.status, 401)
        self.assertIn("过期", r.json()["error"]["message"])

    def test_not_logged_in_is_401(self):
        r = kw.get("/api/auth/me")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json()["error"]["code"], "unauthorized")
        self.assertEqual(kw.request("GET", "/api/auth/me", headers={"Cookie": "kaowu_session=garbage"}).status, 401)


class Expiry(kw.ClockedTest):
    def test_idle_timeout_30_minutes_by_the_clock_file(self):
        t = kw.Clock.base()
        kw.Clock.at(t)
        s = kw.center_staff()
        kw.Clock.at(t + datetime.timedelta(minutes=29))
        self.assertEqual(s.get("/api/auth/me").status, 200)  # touches the session
        kw.Clock.at(t + datetime.timedelta(minutes=58))
        self.assertEqual(s.get("/api/auth/me").status, 200)
        kw.Clock.at(t + datetime.timedelta(minutes=88, seconds=30))
        self.assertEqual(s.get("/api/auth/me").status, 401)

    def test_absolute_timeout_12_hours(self):
        t0 = kw.Clock.base()
        kw.Clock.at(t0)
        s = kw.center_staff()
        for minutes in range(20, 12 * 60, 20):
            kw.Clock.at(t0 + datetime.timedelta(minutes=minutes))
            self.assertEqual(s.get("/api/auth/me").status, 200, minutes)
        kw.Clock.at(t0 + datetime.timedelta(hours=12, seconds=30))
        self.assertEqual(s.get("/api/auth/me").status, 401)


class Throttle(kw.ClockedTest):
    def test_failed_logins_throttled_per_account(self):
        t = kw.Clock.base()
        kw.Clock.at(t)
        user, pw, _, r = kw.register_candidate()
        self.assertEqual(r.status, 201, r)
        s = kw.Session()
        for _ in range(5):
            s.login("candidate", user, "wrong-pass-1", expect=401)
        r = s.login("candidate", user, pw, expect=429)  # even the right password waits
        self.assertEqual(r.json()["error"]["code"], "rate_limited")
        self.assertTrue(900 - 5 <= int(r.header("retry-after")) <= 900, r.header("retry-after"))
        # The same for an account that does not exist: no way to tell them apart.
        ghost = "ghost_%s" % uuid.uuid4().hex[:6]
        for _ in range(5):
            s.login("candidate", ghost, "wrong-pass-1", expect=401)
        self.assertEqual(s.login("candidate", ghost, "wrong-pass-1", expect=429).status, 429)
        # Other accounts are not affected.
        kw.login("candidate", "shentong")
        kw.Clock.at(t + datetime.timedelta(minutes=15, seconds=30))
        s.login("candidate", user, pw)
        self.assertEqual(kw.psql("SELECT count(*) FROM login_history WHERE username = '%s' AND reason = 'throttled'" % user), "1")

    def test_failed_logins_throttled_per_ip(self):
        t = kw.Clock.base()
        kw.Clock.at(t)
        s = kw.Session()
        for i in range(100):  # AUTH_MAX_FAILS_IP
            s.login("org", "nobody-%d-%s" % (i, uuid.uuid4().hex[:4]), "wrong-pass-1", expect=401)
        r = kw.Session().login("org", "staff01", expect=429)
        self.assertGreater(int(r.header("retry-after")), 0)
        kw.Clock.at(t + datetime.timedelta(minutes=16))
        kw.center_staff()


class InitialPassword(kw.ClockedTest):
    def test_must_change_password_blocks_everything_else(self):
        name, code = new_org_account(must_change=True)
        s = kw.login("org", name, code)
        self.assertTrue(s.user["must_change_password"])
        r = s.get("/api/auth/logins")
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()["error"]["message"], "请先修改初始密码")
        self.assertEqual(r.json()["error"]["reason"], "password_change_required")
        self.assertEqual(s.get("/api/account").status, 403)
        self.assertEqual(s.get("/api/auth/me").status, 200)
        weak = s.post("/api/auth/password", {"old_password": code, "new_password": "short"})
        self.assertEqual(weak.status, 422)
        self.assertEqual(weak.json()["error"]["fields"][0]["field"], "new_password")
        wrong_old = s.post("/api/auth/password", {"old_password": "nope", "new_password": "NewPass123"})
        self.assertEqual(wrong_old.status, 422)
        self.assertEqual(wrong_old.json()["error"]["fields"][0]["field"], "old_password")
        ok = s.post("/api/auth/password", {"old_password": code, "new_password": "NewPass123"})
        self.assertEqual(ok.status, 200, ok)
        self.assertFalse(ok.json()["user"]["must_change_password"])
        self.assertEqual(s.get("/api/auth/logins").status, 200)
        kw.login("org", name, "NewPass123")
        kw.Session().login("org", name, code, expect=401)

    def test_password_change_ends_other_sessions(self):
        name, code = new_org_account(must_change=False)
        a, b = kw.login("org", name, code), kw.login("org", name, code)
        self.assertEqual(a.post("/api/auth/password", {"old_password": code, "new_password": "Another99"}).status, 200)
        self.assertEqual(a.get("/api/auth/me").status, 200)
        self.assertEqual(b.get("/api/auth/me").status, 401)
        self.assertEqual(kw.psql("SELECT count(*) FROM audit_log WHERE action = 'auth.password_change' "
                                 "AND actor_id = %d" % a.user["id"]), "1")

    def test_frozen_account_is_refused_with_a_clear_message(self):
        name, code = new_org_account(must_change=False)
        s = kw.login("org", name, code)
        kw.psql("UPDATE accounts SET frozen = true WHERE username = '%s'" % name)
        self.assertEqual(s.get("/api/auth/me").status, 401)
        r = kw.Session().login("org", name, code, expect=403)
        self.assertIn("冻结", r.json()["error"]["message"])
        r = kw.Session().login("org", name, "wrong-pw-1", expect=401)  # no hint without the password


class Registration(kw.ClockedTest):
    def test_register_then_log_in_and_manage_contacts(self):
        user, pw, idn, r = kw.register_candidate(real_name="王小明")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["username"], user)
        s = kw.login("candidate", user, pw)
        self.assertFalse(s.user["must_change_password"])
        acct = s.get("/api/account").json()
        self.assertEqual((acct["username"], acct["id_number"], acct["real_name"]), (user, idn, "王小明"))
        r = s.put("/api/account", {"email": "new@kaowu.example", "phone": "13700000000", "username": "hacked", "id_number": "1"})
        self.assertEqual(r.status, 200, r)
        acct = s.get("/api/account").json()
        self.assertEqual((acct["email"], acct["phone"], acct["username"], acct["id_number"]),
                         ("new@kaowu.example", "13700000000", user, idn))
        self.assertEqual(s.put("/api/account", {"email": "bad", "phone": "123"}).status, 422)
        self.assertEqual(kw.center_staff().put("/api/account", {"email": "a@b.cn", "phone": "13700000000"}).status, 403)

    def test_R29_registration_checks_every_field(self):
        r = kw.request("POST", "/api/candidates/register", body={
            "username": "abc", "password": "123456", "id_number": "110226198908051234",
            "real_name": "", "email": "not-an-email", "phone": "12345"})
        self.assertEqual(r.status, 422)
        fields = {f["field"]: f for f in r.json()["error"]["fields"]}
        self.assertEqual(set(fields), {"username", "password", "id_number", "real_name", "email", "phone"})
        self.assertEqual(fields["id_number"]["rule"], "R29")

    def test_username_and_id_number_unique(self):
        user, pw, idn, r = kw.register_candidate()
        self.assertEqual(r.status, 201)
        _, _, _, again = kw.register_candidate(username=user.upper())
        self.assertEqual(again.status, 422)
        self.assertEqual(again.json()["error"]["fields"][0]["rule"], "unique")
        _, _, _, again = kw.register_candidate(id_number=idn.lower())
        self.assertEqual(again.status, 422)
        self.assertEqual(again.json()["error"]["fields"][0]["field"], "id_number")


def wait_for_mail(to_addr, after, timeout=10):
    """The body of the newest .eml written to to_addr after `after` (mailer's local setup)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(glob.glob(os.path.join(kw.HOME, "mail", "*.eml")), reverse=True):
            if os.path.getmtime(path) < after:
                continue
            with open(path, "rb") as f:
                msg = email.message_from_bytes(f.read())
            if msg["To"] == "<%s>" % to_addr:
                return msg, msg.get_payload(decode=True).decode("utf-8")
        time.sleep(0.1)
    raise AssertionError("no mail to %s" % to_addr)


class Reset(kw.ClockedTest):
    def test_reset_through_the_outbox(self):
        user, pw, _, r = kw.register_candidate()
        old = kw.login("candidate", user, pw)
        t0 = time.time() - 1
        r = kw.request("POST", "/api/auth/forgot", body={"kind": "candidate", "username": user})
        ghost = kw.request("POST", "/api/auth/forgot", body={"kind": "candidate", "username": "ghost_%s" % uuid.uuid4().hex[:6]})
        self.assertEqual((r.status, ghost.status), (200, 200))
        self.assertEqual(r.json(), ghost.json())
        msg, body = wait_for_mail("%s@kaowu.example" % user, t0)
        self.assertIn("重设密码", email.header.make_header(email.header.decode_header(msg["Subject"])).__str__())
        token = re.search(r"/reset\?token=([A-Za-z0-9_-]{43})", body).group(1)
        self.assertTrue(body.startswith("测试考生，您好"))
        self.assertEqual(kw.psql("SELECT count(*) FROM password_resets WHERE token_hash = sha256('%s'::bytea)" % token), "1")
        weak = kw.request("POST", "/api/auth/reset", body={"token": token, "new_password": "weak"})
        self.assertEqual(weak.status, 422)
        ok = kw.request("POST", "/api/auth/reset", body={"token": token, "new_password": "Reset1234"})
        self.assertEqual(ok.status, 200, ok)
        self.assertEqual(old.get("/api/auth/me").status, 401)  # a reset ends the sessions
        kw.login("candidate", user, "Reset1234")
        again = kw.request("POST", "/api/auth/reset", body={"token": token, "new_password": "Reset5678"})
        self.assertEqual(again.status, 422)
        self.assertEqual(again.json()["error"]["fields"][0]["field"], "token")

    def test_reset_token_expires_after_30_minutes(self):
        t = kw.Clock.base()
        kw.Clock.at(t)
        user, pw, _, _ = kw.register_candidate()
        t0 = time.time() - 1
        kw.request("POST", "/api/auth/forgot", body={"kind": "candidate", "username": user})
        _, body = wait_for_mail("%s@kaowu.example" % user, t0)
        token = re.search(r"token=([A-Za-z0-9_-]{43})", body).group(1)
        kw.Clock.at(t + datetime.timedelta(minutes=30, seconds=30))
        r = kw.request("POST", "/api/auth/reset", body={"token": token, "new_password": "Reset1234"})
        self.assertEqual(r.status, 422)
        kw.login("candidate", user, pw)


class RoleMatrix(kw.ClockedTest):
    """Every route of /api/openapi.json for every role: allowed, 403, or 401 without a session."""

    ROLE_LOGINS = {
        "center_staff": ("org", "staff01"), "center_director": ("org", "director01"),
        "org2": ("org", kw.ORG["beiqi"]), "station": ("org", kw.ORG["benz"]),
        "assessor": ("assessor", "422201199001176250"), "supervisor": ("supervisor", "110101197005120028"),
        "candidate": ("candidate", "shentong"),
    }
    SESSION_ENDING = {("post", "/api/auth/logout"), ("post", "/api/auth/password")}

    def test_role_route_matrix(self):
        doc = kw.get("/api/openapi.json").json()
        sessions = {role: kw.login(*login) for role, login in self.ROLE_LOGINS.items()}
        checked = 0
        for path, item in doc["paths"].items():
            concrete = re.sub(r"{[^}]+}", "999999", path)
            for method, op in item.items():
                roles = op.get("x-roles")
                if roles is None:
                    continue  # public
                anon = kw.request(method.upper(), concrete, body={} if method != "get" else None)
                self.assertEqual(anon.status, 401, "%s %s without a session" % (method, path))
                for role, s in sessions.items():
                    allowed = role in roles or (role in ("org2", "station") and "org" in roles)
                    if not allowed:
                        r = s.request(method.upper(), concrete, body={} if method != "get" else None)
                        self.assertEqual(r.status, 403, "%s %s as %s" % (method, path, role))
                    elif method == "get" and (method, path) not in self.SESSION_ENDING:
                        r = s.request("GET", concrete)
                        self.assertNotIn(r.status, (401, 403, 405, 500), "%s %s as %s: %r" % (method, path, role, r))
                    checked += 1
        self.assertGreater(checked, 10)


if __name__ == "__main__":
    unittest.main()

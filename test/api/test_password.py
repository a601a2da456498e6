"""test_password.py - issue 14 items 1, 2, 4: password policy, initial passwords, reset links."""
import datetime
import re
import time
import unittest

import kw
from test_auth import wait_for_mail
from test_expert import new_expert_body, expert_id
from test_org import create_org, org_id

GOOD = "松花江上 the long river 2026"  # 24 characters, no digit rule needed


def register(password, **over):
    return kw.register_candidate(password=password, **over)


def field_messages(r, field):
    return [f["message"] for f in r.json()["error"].get("fields", []) if f["field"] == field]


class PasswordPolicy(kw.ClockedTest):
    """Item 2: NIST SP 800-63B - length in characters, no composition rule, a common-password list."""

    def test_item2_length_counts_unicode_characters(self):
        _, _, _, r = register("考务系统密码")  # 6 characters, 18 bytes
        self.assertEqual(r.status, 422, r)
        self.assertEqual(field_messages(r, "password"), ["密码至少 8 个字符"])
        _, _, _, r = register("考务系统的好密码")  # 8 characters
        self.assertEqual(r.status, 201, r)
        _, _, _, r = register("a" * 129)
        self.assertEqual(field_messages(r, "password"), ["密码不能超过 128 个字符"])
        _, _, _, r = register("b" * 120 + "考务系统的好密码")  # 128 characters, 144 bytes
        self.assertEqual(r.status, 201, r)

    def test_item2_no_composition_rule(self):
        user, pw, _, r = register("correct horse battery staple words")  # no digit
        self.assertEqual(r.status, 201, r)
        kw.login("candidate", user, pw)

    def test_item2_common_passwords_refused_case_insensitively(self):
        for pw in ("password1", "Passw0rd1", "woaini1314", "qq123456", "a1234567", "1qaz2wsx", "P@ssw0rd"):
            _, _, _, r = register(pw)
            self.assertEqual(r.status, 422, pw)
            self.assertEqual(field_messages(r, "password"), ["该密码过于常见，容易被猜中，请换一个"], pw)

    def test_item2_not_the_username_or_id_number_or_its_last_six(self):
        idn = kw.id_number(seq=123)
        while not idn.endswith("X"):
            idn = kw.id_number()
        _, _, _, r = register(idn.lower(), id_number=idn)
        self.assertEqual(field_messages(r, "password"), ["密码不能与身份证号或其后六位相同"])
        _, _, _, r = register("user_" + "abcdef", username="user_abcdef")
        self.assertEqual(field_messages(r, "password"), ["密码不能与用户名相同"])
        # the last six of an expert's ID number as the new password on 修改密码
        center = kw.center_staff()
        body = new_expert_body()
        self.assertEqual(center.post("/api/experts", body).status, 201)
        s = kw.login("assessor", body["id_number"], body["id_number"][-6:])
        r = s.post("/api/auth/password", {"old_password": body["id_number"][-6:],
                                          "new_password": "pre" + body["id_number"] + ""})
        self.assertEqual(r.status, 200, r)  # containing it is fine
        r = s.post("/api/auth/password", {"old_password": "pre" + body["id_number"],
                                          "new_password": body["id_number"]})
        self.assertEqual(r.status, 422)  # an expert's username is the ID number
        self.assertEqual(field_messages(r, "new_password"), ["密码不能与用户名相同"])

    def test_item2_nul_in_password_is_422_never_a_truncation(self):
        r = kw.request("POST", "/api/auth/login",
                       body={"kind": "org", "username": "staff01", "password": kw.DEMO_PASSWORD + "\u0000xyz"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "password")
        _, _, _, r = register("goodpassword\u0000tail")
        self.assertEqual(r.status, 422)
        self.assertEqual(field_messages(r, "password"), ["密码含有无效字符"])
        s = kw.center_staff()
        r = s.post("/api/auth/password", {"old_password": kw.DEMO_PASSWORD + "\u0000", "new_password": GOOD})
        self.assertEqual(r.status, 422)

    def test_item2_passwords_taken_as_typed(self):
        user, pw, _, r = register("  spaces around me  ")
        self.assertEqual(r.status, 201, r)
        kw.login("candidate", user, "  spaces around me  ")
        kw.Session().login("candidate", user, "spaces around me", expect=401)


class InitialPasswords(kw.ClockedTest):
    """Item 1: an initial password works until the first change and for 14 days after issue."""

    def test_item1_initial_password_expires_after_14_days(self):
        t = kw.Clock.base()
        kw.Clock.at(t)
        r, name, code = create_org(kw.center_staff())
        self.assertEqual(r.status, 201, r)
        self.assertNotIn("initial_password", r.json())  # the code is the initial password
        kw.Clock.at(t + datetime.timedelta(days=13, hours=23))
        kw.login("org", name, code)
        kw.Clock.at(t + datetime.timedelta(days=14, minutes=1))
        r = kw.Session().login("org", name, code, expect=403)
        self.assertEqual(r.json()["error"]["reason"], "initial_password_expired")
        self.assertEqual(r.json()["error"]["message"], "初始密码已过期，请联系所属二级机构重新发放初始密码")
        kw.Session().login("org", name, "wrong-password", expect=401)  # no hint without the password

    def test_item1_level2_reissues_for_its_station_with_audit_and_message(self):
        t = kw.Clock.base()
        kw.Clock.at(t)
        r, name, code = create_org(kw.center_staff())
        oid = r.json()["id"]
        kw.Clock.at(t + datetime.timedelta(days=20))
        kw.Session().login("org", name, code, expect=403)
        other_l2 = kw.center_staff()  # the center is not this station's issuer
        self.assertEqual(other_l2.post("/api/orgs/%d/initial-password" % oid).status, 403)
        self.assertEqual(kw.org_account("benz").post("/api/orgs/%d/initial-password" % oid).status, 403)
        l2 = kw.org_account("beiqi")
        r = l2.post("/api/orgs/%d/initial-password" % oid)
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json()["initial_password"])
        self.assertEqual(r.json()["rule"], "org_code")
        s = kw.login("org", name, code)
        self.assertTrue(s.user["must_change_password"])
        self.assertEqual(kw.psql("SELECT count(*) FROM audit_log WHERE action = 'org.initial_password' "
                                 "AND object_id = %d" % oid), "1")
        msgs = s.get("/api/auth/me")
        self.assertEqual(msgs.status, 200)
        self.assertEqual(kw.psql("SELECT count(*) FROM messages WHERE org_id = %d AND text LIKE '%%初始密码已重新发放%%'"
                                 % oid), "1")

    def test_item1_initial_password_ends_with_the_first_change(self):
        r, name, code = create_org(kw.center_staff())
        self.assertEqual(kw.psql("SELECT count(*) FROM messages WHERE org_id = %d AND text LIKE '本机构账号已开通%%'"
                                 % r.json()["id"]), "1")  # every issue tells the account's org
        s = kw.login("org", name, code)
        self.assertEqual(s.post("/api/auth/password", {"old_password": code, "new_password": GOOD}).status, 200)
        self.assertEqual(kw.psql("SELECT initial_password_expires IS NULL FROM accounts WHERE username = '%s'" % name), "t")
        kw.Session().login("org", name, code, expect=401)
        kw.login("org", name, GOOD)

    def test_item1_center_reissues_an_experts_password_x_or_X(self):
        idn = kw.id_number()
        while not idn.endswith("X"):
            idn = kw.id_number()
        center = kw.center_staff()
        r = center.post("/api/experts", new_expert_body(idn))
        self.assertEqual(r.status, 201, r)
        eid = r.json()["id"]
        s = kw.login("assessor", idn, idn[-6:].lower())  # x accepted for X
        self.assertEqual(s.post("/api/auth/password", {"old_password": idn[-6:], "new_password": GOOD}).status, 200)
        kw.Session().login("assessor", idn, idn[-6:], expect=401)
        self.assertEqual(kw.org_account("beiqi").post("/api/experts/%d/initial-password" % eid).status, 403)
        r = center.post("/api/experts/%d/initial-password" % eid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["rule"], "id_last6")
        kw.Session().login("assessor", idn, GOOD, expect=401)  # the changed password is void
        s = kw.login("assessor", idn, idn[-6:])
        self.assertTrue(s.user["must_change_password"])
        self.assertEqual(kw.psql("SELECT count(*) FROM audit_log WHERE action = 'expert.initial_password' "
                                 "AND object_id = %d" % eid), "1")

    def test_item1_random_initial_password_shown_once(self):
        """KAOWU_INITIAL_PASSWORD=random (the binary run as CGI with that setting)."""
        import json
        from test_org import fresh_code
        from test_security import org_body
        center = kw.center_staff()
        code = fresh_code()
        body = json.dumps(org_body(code)).encode()
        env = {"REQUEST_METHOD": "POST", "REQUEST_URI": "/api/orgs", "CONTENT_TYPE": "application/json",
               "HTTP_COOKIE": center.cookie, "HTTP_X_CSRF_TOKEN": center.csrf, "REMOTE_ADDR": "127.0.0.1",
               "KAOWU_INITIAL_PASSWORD": "random", "KAOWU_TEST_HASH_COST": "min", "KAOWU_CLOCK_FILE": kw.CLOCK_FILE}
        status, _, out = kw.cgi(env, body)
        self.assertEqual(status, 201, out)
        pw = json.loads(out)["initial_password"]
        self.assertEqual(len(pw), 12)
        name = json.loads(out)["name"]
        kw.Session().login("org", name, code, expect=401)  # the code is not the password now
        s = kw.login("org", name, pw)
        self.assertTrue(s.user["must_change_password"])
        oid = json.loads(out)["id"]
        l2 = kw.org_account("beiqi")  # the station's issuer is its level-2 org
        env.update(REQUEST_URI="/api/orgs/%d/initial-password" % oid, CONTENT_LENGTH="2",
                   HTTP_COOKIE=l2.cookie, HTTP_X_CSRF_TOKEN=l2.csrf)
        status, _, out = kw.cgi(env, b"{}")
        self.assertEqual(status, 200, out)
        again = json.loads(out)
        self.assertEqual(again["rule"], "random")
        self.assertNotEqual(again["initial_password"], pw)
        kw.login("org", name, again["initial_password"])
        kw.Session().login("org", name, pw, expect=401)

    def test_item1_demo_accounts_are_not_initial(self):
        self.assertEqual(kw.psql("SELECT count(*) FROM accounts WHERE NOT must_change_password "
                                 "AND initial_password_expires IS NOT NULL"), "0")
        kw.center_staff()


class ResetLinks(kw.ClockedTest):
    """Item 4: using one reset link or changing the password voids every other link."""

    def links(self, user, n):
        tokens = []
        for _ in range(n):
            t0 = time.time() - 1
            r = kw.request("POST", "/api/auth/forgot", body={"kind": "candidate", "username": user})
            self.assertEqual(r.status, 200)
            _, body = wait_for_mail("%s@kaowu.example" % user, t0)
            tok = re.search(r"token=([A-Za-z0-9_-]{43})", body).group(1)
            while tok in tokens:  # the newest mail may still be the previous one
                time.sleep(0.2)
                _, body = wait_for_mail("%s@kaowu.example" % user, t0)
                tok = re.search(r"token=([A-Za-z0-9_-]{43})", body).group(1)
            tokens.append(tok)
        return tokens

    def test_item4_using_one_link_voids_the_others(self):
        user, pw, _, _ = register(GOOD)
        a, b = self.links(user, 2)
        self.assertEqual(kw.request("POST", "/api/auth/reset", body={"token": b, "new_password": GOOD + "!"}).status, 200)
        r = kw.request("POST", "/api/auth/reset", body={"token": a, "new_password": GOOD + "?"})
        self.assertEqual(r.status, 422)
        kw.login("candidate", user, GOOD + "!")

    def test_item4_changing_the_password_voids_the_links(self):
        user, pw, _, _ = register(GOOD)
        (a,) = self.links(user, 1)
        s = kw.login("candidate", user, pw)
        self.assertEqual(s.post("/api/auth/password", {"old_password": pw, "new_password": GOOD + "#"}).status, 200)
        r = kw.request("POST", "/api/auth/reset", body={"token": a, "new_password": GOOD + "?"})
        self.assertEqual(r.status, 422)


if __name__ == "__main__":
    unittest.main()

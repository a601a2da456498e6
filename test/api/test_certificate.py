"""test_certificate.py - the certificate register (lib/certificate, fcgi/h_certificate.c): issuing on
the batch's 完成证书制作 (R22), the 19-digit numbers with their gap-free serials (R23), 证书数据管理 and
its scope (R26), the PDF, the candidates' certificates, the public query with its masks and rate limit,
and the Ed25519 signature of the QR code.

Each case builds its own batch of 奔驰站 up to 报名中 through the API (EnrollCase), enrolls fresh
candidates, then - fixture: until phase 4 (scores) lands - writes their scores and moves the batch to
证书制作中 with psql."""
import concurrent.futures
import datetime
import os
import subprocess
import tempfile
import unittest
import urllib.parse

import kw
from test_enroll import EnrollCase


def clear_rate_limit():
    """The public queries share one address (127.0.0.1) in the tests: start each case afresh."""
    kw.psql("DELETE FROM rate_hits WHERE bucket LIKE 'public_certificates.%'")


class CertCase(EnrollCase):
    def setUp(self):
        super().setUp()
        self.staff = kw.center_staff()
        clear_rate_limit()

    def tearDown(self):
        clear_rate_limit()
        super().tearDown()

    def enroll_in(self, item, name, national=False, dual=False):
        """A fresh candidate enrolled in item; returns (session, enrollment id, name)."""
        s, _, nm = self.candidate(name)
        if national:
            form = self.employed(s, item=item, condition="1", prior_cert=self.prior(s, level=4), dual_cert=dual)
        else:
            form = self.employed(s, item=item)
        return s, self.enroll(s, form)["id"], nm

    def certifying(self, batch_id, grades):
        """fixture: until phase 4 lands - scores {enrollment_id: grade} and the batch in 证书制作中."""
        rows = ",".join("(%d, (SELECT item_id FROM enrollments WHERE id = %d), 80.0, %s, %s, '%s', now())"
                        % (e, e, "NULL" if g == "absent" else "90.5", "true" if g == "absent" else "false", g)
                        for e, g in grades.items())
        kw.psql("INSERT INTO scores (enrollment_id, item_id, theory_score, practical_score, absent, grade,"
                " updated_at) VALUES %s; UPDATE batches SET status = 'certifying' WHERE id = %d" % (rows, batch_id))

    def issue(self, batch_id, s=None, expect=200):
        r = (s or self.staff).post("/api/batches/%d/actions/issue_certificates" % batch_id, {})
        self.assertEqual(r.status, expect, r)
        return r.json()

    def certs(self, batch_id, s=None):
        r = (s or self.staff).get("/api/certificates?batch_id=%d&per_page=100" % batch_id)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def pdftext(self, body):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(body)
            f.flush()
            return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True,
                                  check=True).stdout.decode()


class SharedCase(unittest.TestCase):
    """One batch issued once per class (build() fills the class); the cases only read it. The business
    clock stays at the fixture's day until the class ends."""

    @classmethod
    def setUpClass(cls):
        # a CertCase used only for its setUp/tearDown (made here so discovery does not run it)
        fx = type("CertFixture", (CertCase,), {"runTest": lambda self: None})()
        fx.setUp()
        cls.fx = fx
        cls.build(fx)

    @classmethod
    def tearDownClass(cls):
        cls.fx.tearDown()

    def setUp(self):
        clear_rate_limit()
        self.staff, self.benz, self.beiqi, self.today = self.fx.staff, self.fx.benz, self.fx.beiqi, self.fx.today

    def tearDown(self):
        clear_rate_limit()


class IssueR22(CertCase):
    def test_R22_a_certificate_per_pass_none_for_fail_or_absent_and_the_industry_one_for_dual(self):
        bid = self.batch["id"]
        _, a, name_a = self.enroll_in(self.item4, "甲合格")
        _, b, _ = self.enroll_in(self.item4, "乙不合格")
        _, c, _ = self.enroll_in(self.item4, "丙缺考")
        d_s, d, name_d = self.enroll_in(self.item3, "丁双证", national=True, dual=True)
        _, e, name_e = self.enroll_in(self.item3, "戊单证", national=True, dual=False)
        self.certifying(bid, {a: "pass", b: "fail", c: "absent", d: "good", e: "excellent"})
        # only the center issues
        self.assertEqual(self.benz.post("/api/batches/%d/actions/issue_certificates" % bid, {}).status, 403)
        batch = self.issue(bid)
        self.assertEqual(batch["status"], "certified")
        self.assertEqual(batch["status_text"], "证书制作完成")
        self.assertIn("证书制作完成", self.texts(batch))
        got = sorted((c_["holder_name"], c_["category"], c_["level"]) for c_ in self.certs(bid)["items"])
        self.assertEqual(got, sorted([(name_a, "industry", 4), (name_d, "national", 3), (name_d, "industry", 3),
                                      (name_e, "national", 3)]))
        for c_ in self.certs(bid)["items"]:
            self.assertRegex(c_["cert_no"], r"^\d{19}$")
            self.assertEqual(c_["issued_on"], self.today.isoformat(), "颁证日期 is the business date")
            self.assertEqual(c_["org"]["name"], kw.ORG["benz"])
        # 站内信: the candidate and the station
        msgs = d_s.get("/api/messages").json()["items"]
        self.assertTrue(any("证书已制作完成" in m["text"] for m in msgs), msgs)
        self.assertTrue(any("证书制作完成" in m["text"] for m in self.benz.get("/api/messages?per_page=50").json()["items"]))
        # a repeat is refused and issues nothing more
        r = self.staff.post("/api/batches/%d/actions/issue_certificates" % bid, {})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(self.certs(bid)["total"], 4)


class NumberR23(CertCase):
    def test_R23_manual_example_1949009031300000005(self):
        """org 49003031, 2019, industry, 高级 (3), serial 5 -> 1949009031300000005 (and the national
        certificate of the same dual candidate 1949003031300000006, as in the manual's table)."""
        bid = self.batch["id"]
        _, d, name = self.enroll_in(self.item3, "嘿嘿", national=True, dual=True)
        self.certifying(bid, {d: "pass"})
        benz = kw.psql("SELECT id FROM orgs WHERE code = '49003031'")
        kw.psql("DELETE FROM certificates WHERE cert_no IN ('1949009031300000005', '1949003031300000006');"
                "INSERT INTO cert_counters (year, category, org_id, n) VALUES (2019, 'industry', %s, 4),"
                " (2019, 'national', %s, 5) ON CONFLICT (year, category, org_id) DO UPDATE SET n = EXCLUDED.n"
                % (benz, benz))
        self.set_day(datetime.date(2019, 4, 10))
        self.staff = kw.center_staff()
        self.issue(bid)
        nos = {c["category"]: c["cert_no"] for c in self.certs(bid)["items"]}
        self.assertEqual(nos, {"industry": "1949009031300000005", "national": "1949003031300000006"})

    def test_R23_two_batches_issued_at_the_same_moment_no_gap_no_duplicate(self):
        first = self.batch["id"]
        second = self.approved_batch()
        people = [self.enroll_in(self.item4, "并发" + n) for n in "甲乙丙"]  # a real name has no digits
        grades = {p[1]: "pass" for p in people}
        items2 = {it["level"]: it["id"] for it in second["items"]}
        grades2 = {}
        for s, _, _ in people:
            grades2[self.enroll(s, self.employed(s, item=items2[4]))["id"]] = "pass"
        self.certifying(first, grades)
        self.certifying(second["id"], grades2)
        staff2 = kw.center_staff()
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            futs = [pool.submit(s.post, "/api/batches/%d/actions/issue_certificates" % b, {})
                    for s, b in ((self.staff, first), (staff2, second["id"]))]
            for f in futs:
                self.assertEqual(f.result().status, 200, f.result())
        nos = [c["cert_no"] for b in (first, second["id"]) for c in self.certs(b)["items"]]
        self.assertEqual(len(nos), 6)
        self.assertEqual(len(set(nos)), 6, "no duplicate")
        prefix = {n[:11] for n in nos}
        self.assertEqual(len(prefix), 1, "same year, category, org and level: %s" % prefix)
        serials = sorted(int(n[11:]) for n in nos)
        self.assertEqual(serials, list(range(serials[0], serials[0] + 6)), "no gap: %s" % serials)
        top = kw.psql("SELECT n FROM cert_counters c JOIN orgs o ON o.id = c.org_id WHERE o.code = '49003031'"
                      " AND c.category = 'industry' AND c.year = %d" % self.today.year)
        self.assertEqual(int(top), serials[-1], "the counter stands at the last serial")

    def approved_batch(self):
        # the next day: the case's first batch has the same people (a person serves one batch a day)
        b = self.submitted([self.industry(exam_date=self.exam(41)), self.national(exam_date=self.exam(41))])
        self.act(self.beiqi, b["id"], "approve", "同意")
        self.act(self.staff, b["id"], "approve", "同意")
        return self.act(self.director, b["id"], "approve")


class RegisterR26(SharedCase):
    @classmethod
    def build(cls, fx):
        cls.bid = fx.batch["id"]
        cls.cand_s, e, cls.holder = fx.enroll_in(fx.item4, "证书甲")
        _, f, _ = fx.enroll_in(fx.item3, "证书乙", national=True, dual=True)
        fx.certifying(cls.bid, {e: "pass", f: "good"})
        fx.issue(cls.bid)
        cls.mine = next(c for c in fx.certs(cls.bid)["items"] if c["holder_name"] == cls.holder)

    def certs(self, batch_id, s=None):
        return self.fx.certs(batch_id, s)

    def test_R26_filters_and_the_totals_line(self):
        page = self.certs(self.bid)
        self.assertEqual(page["total"], 3)
        self.assertEqual(page["totals_text"], "高级技师：0人，技师0人，高级2人，中级1人，初级0人")
        self.assertEqual([t["count"] for t in page["totals_by_level"]], [0, 0, 2, 1, 0])
        one = self.staff.get("/api/certificates?cert_no=%s" % self.mine["cert_no"]).json()
        self.assertEqual([c["id"] for c in one["items"]], [self.mine["id"]])
        by_name = self.staff.get("/api/certificates?batch_id=%d&name=%s" % (self.bid, urllib.parse.quote(self.holder))).json()
        self.assertEqual(by_name["total"], 1)
        lvl = self.staff.get("/api/certificates?batch_id=%d&level=3" % self.bid).json()
        self.assertEqual(lvl["total"], 2)
        day = self.today.isoformat()
        self.assertEqual(self.staff.get("/api/certificates?batch_id=%d&from=%s&to=%s" % (self.bid, day, day)).json()["total"], 3)
        nxt = (self.today + datetime.timedelta(days=1)).isoformat()
        self.assertEqual(self.staff.get("/api/certificates?batch_id=%d&from=%s" % (self.bid, nxt)).json()["total"], 0)
        r = self.staff.get("/api/certificates?level=9&from=2019-13-01&cert_no=12")
        self.assertEqual(r.status, 422, r)
        self.assertEqual({f["field"] for f in r.json()["error"]["fields"]}, {"level", "from", "cert_no"})

    def test_R26_scope_station_level2_center_and_another_station(self):
        self.assertEqual(self.certs(self.bid, self.benz)["total"], 3)
        self.assertEqual(self.certs(self.bid, kw.org_account("beiqi"))["total"], 3)
        robot = kw.org_account("robot")
        self.assertEqual(self.certs(self.bid, robot)["total"], 0)
        self.assertEqual(robot.get("/api/certificates/%d" % self.mine["id"]).status, 404)
        self.assertEqual(robot.get("/api/certificates/%d/certificate.pdf" % self.mine["id"]).status, 404)
        self.assertEqual(self.benz.get("/api/certificates/%d" % self.mine["id"]).status, 200)

    def test_R26_export_csv_and_xlsx_and_stats(self):
        r = self.staff.get("/api/certificates?batch_id=%d&format=csv" % self.bid)
        self.assertEqual(r.status, 200, r)
        text = r.body.decode("utf-8-sig")
        self.assertIn("证书号", text)
        self.assertIn(self.mine["cert_no"], text)
        x = self.staff.get("/api/certificates?batch_id=%d&format=xlsx" % self.bid)
        self.assertEqual(x.status, 200)
        self.assertEqual(x.body[:2], b"PK")
        st = self.staff.get("/api/certificates/stats?by=level").json()
        self.assertEqual(st["by"], "level")
        self.assertTrue(any(i["label"] == "高级" and i["count"] >= 2 for i in st["items"]), st)
        self.assertEqual(self.staff.get("/api/certificates/stats?by=year").json()["by"], "year")
        self.assertEqual(self.staff.get("/api/certificates/stats?by=color").status, 422)

    def test_R22_pdf_for_the_holder_and_the_station_mine_lists_it(self):
        mine = self.cand_s.get("/api/certificates/mine").json()["items"]
        self.assertEqual([c["cert_no"] for c in mine], [self.mine["cert_no"]])
        r = self.cand_s.get("/api/certificates/%d/certificate.pdf" % self.mine["id"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        text = self.fx.pdftext(r.body)
        for want in ("职业能力水平评价证书", self.holder, self.mine["cert_no"], "汽车焊装生产线操作工", "中级",
                     kw.ORG["benz"], "扫码验证"):
            self.assertIn(want, text)
        self.assertEqual(self.benz.get("/api/certificates/%d/certificate.pdf" % self.mine["id"]).status, 200)
        other, _, _ = self.fx.candidate("别人")
        self.assertEqual(other.get("/api/certificates/%d/certificate.pdf" % self.mine["id"]).status, 404)
        self.assertEqual(other.get("/api/certificates/mine").json()["items"], [])


class PublicQuery(SharedCase):
    @classmethod
    def build(cls, fx):
        _, e, cls.holder = fx.enroll_in(fx.item4, "欧阳公开")
        fx.certifying(fx.batch["id"], {e: "pass"})
        fx.issue(fx.batch["id"])
        cls.cert = fx.certs(fx.batch["id"])["items"][0]

    def test_public_query_masks_the_name_and_needs_both_keys(self):
        anon = kw.Session()
        r = anon.get("/api/public/certificates?cert_no=%s&name=%s" % (self.cert["cert_no"], urllib.parse.quote(self.holder)))
        self.assertEqual(r.status, 200, r)
        [item] = r.json()["items"]
        self.assertEqual(item["name"], "欧**开")
        self.assertEqual(item["occupation"], "汽车焊装生产线操作工")
        self.assertEqual(item["level_text"], "中级")
        self.assertEqual(item["org"], kw.ORG["benz"])
        self.assertTrue(item["valid"])
        self.assertNotIn("id_number", item)
        # the ID-number form, with the category
        r = anon.get("/api/public/certificates?id_number=%s&name=%s&category=industry"
                     % (self.cert["id_number"], urllib.parse.quote(self.holder)))
        self.assertEqual([i["cert_no"] for i in r.json()["items"]], [self.cert["cert_no"]])
        # a wrong name finds nothing; one key alone is refused (no listing)
        self.assertEqual(anon.get("/api/public/certificates?cert_no=%s&name=%s" % (self.cert["cert_no"], urllib.parse.quote("别人"))).json()["items"], [])
        r = anon.get("/api/public/certificates?cert_no=%s" % self.cert["cert_no"])
        self.assertEqual(r.status, 422, r)
        r = anon.get("/api/public/certificates?name=%s" % urllib.parse.quote(self.holder))
        self.assertEqual(r.status, 422, r)

    def test_public_expert_certificate_with_validity(self):
        no, name = kw.psql("SELECT ec.cert_no || '|' || x.name FROM expert_certificates ec JOIN experts x"
                           " ON x.id = ec.expert_id ORDER BY ec.id LIMIT 1").split("|")
        r = kw.Session().get("/api/public/expert-certificates?cert_no=%s&name=%s" % (urllib.parse.quote(no), urllib.parse.quote(name)))
        self.assertEqual(r.status, 200, r)
        [item] = r.json()["items"]
        self.assertEqual(item["cert_no"], no)
        self.assertNotEqual(item["name"], name)
        self.assertEqual(item["name"][0], name[0])
        self.assertIn(item["valid_text"], ("有效", "已过期"))

    def test_public_query_429_after_the_limit_with_retry_after(self):
        anon = kw.Session()
        url = "/api/public/certificates?cert_no=%s&name=%s" % (self.cert["cert_no"], urllib.parse.quote(self.holder))
        limit = 30  # KAOWU_LIMIT_PUBLIC's default; the test instance does not set it
        statuses = [anon.get(url).status for _ in range(limit)]
        self.assertEqual(statuses, [200] * limit)
        r = anon.get(url)
        self.assertEqual(r.status, 429, r)
        self.assertGreaterEqual(int(r.header("Retry-After")), 1)
        self.assertIn("频繁", r.json()["error"]["message"])
        # the verification of a QR payload counts against the same address
        self.assertEqual(anon.get("/api/public/certificates/verify?data=x").status, 429)


class Signature(SharedCase):
    @classmethod
    def build(cls, fx):
        _, e, cls.holder = fx.enroll_in(fx.item4, "签名人")
        fx.certifying(fx.batch["id"], {e: "excellent"})
        fx.issue(fx.batch["id"])
        cls.cert = fx.staff.get("/api/certificates/%d" % fx.certs(fx.batch["id"])["items"][0]["id"]).json()

    def verify(self, data):
        r = kw.Session().get("/api/public/certificates/verify?data=%s" % urllib.parse.quote(data, safe=""))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_signature_verifies_and_a_tampered_payload_is_refused(self):
        url = self.cert["verify_url"]
        self.assertIn("/verify?", url)
        ok = self.verify(url)
        self.assertTrue(ok["valid"] and ok["signature_valid"] and ok["registered"], ok)
        self.assertEqual(ok["certificate"]["cert_no"], self.cert["cert_no"])
        self.assertEqual(ok["certificate"]["name"], "签*人")
        # the query string alone works too (a scanner app may hand out only that)
        self.assertTrue(self.verify(url.split("?", 1)[1])["valid"])
        # another name, level or number: the signature fails
        forged = url.replace("name=%s" % urllib.parse.quote(self.holder), "name=%s" % urllib.parse.quote("冒名人"))
        self.assertNotEqual(forged, url)
        bad = self.verify(forged)
        self.assertFalse(bad["valid"])
        self.assertFalse(bad["signature_valid"])
        self.assertFalse(self.verify(url.replace("lvl=4", "lvl=3"))["signature_valid"])
        self.assertFalse(self.verify("https://example.com/verify?no=1")["valid"])

    def test_public_keys_publish_the_kid_and_the_private_key_is_a_0600_file(self):
        keys = kw.Session().get("/api/public/certificate-keys").json()
        self.assertEqual(keys["algorithm"], "Ed25519")
        kids = {k["kid"]: k for k in keys["keys"]}
        self.assertIn(self.cert["kid"], kids)
        self.assertRegex(kids[self.cert["kid"]]["public_key"], r"^[0-9a-f]{64}$")
        path = os.path.join(kw.HOME, "keys", "cert-%s.key" % self.cert["kid"])
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        # the public key really verifies the signature (offline, as a phone app would)
        try:
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        except ImportError:
            self.skipTest("python3-cryptography not installed")
        import base64
        q = urllib.parse.parse_qs(self.cert["verify_url"].split("?", 1)[1])
        text = "|".join([q["no"][0], q["name"][0], q["occ"][0], q["lvl"][0], q["date"][0], q["kid"][0]])
        sig = base64.urlsafe_b64decode(q["sig"][0] + "==")
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(kids[self.cert["kid"]]["public_key"])).verify(sig, text.encode())

    def test_key_rotation_keeps_old_certificates_verifiable(self):
        """kaowu-admin keygen makes a new current key; the old kid stays published and its certificates verify."""
        out = subprocess.run(kw.as_kaowu(["env", "KAOWU_DB=" + kw.conninfo(), "KAOWU_HOME=" + kw.HOME,
                                          os.path.join(kw.BUILD, "kaowu-admin"), "keygen"]),
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        new_kid = out.stdout.split()[-1]
        keys = {k["kid"]: k for k in kw.Session().get("/api/public/certificate-keys").json()["keys"]}
        self.assertTrue(keys[new_kid]["current"])
        self.assertIn(self.cert["kid"], keys)
        r = kw.Session().get("/api/public/certificates/verify?data=%s" % urllib.parse.quote(self.cert["verify_url"], safe=""))
        self.assertTrue(r.json()["valid"], r.json())

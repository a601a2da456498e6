"""test_expert.py - 考评员/督导员管理, 我的证书 and R9 (lib/expert, fcgi/h_expert.c)."""
import io
import random
import unittest
import zipfile

import kw

QIANBI = "422201199001176250"   # 铅笔, 高级考评员 of the 奔驰站, 汽车装调工 (national + industry)
WANGQIANG = "320583198309094519"  # 王强, the 工业机器人站's assessor
BENZ_NAMES = {"铅笔", "笔尖", "胜利", "军军", "加加"}
OCC_AUTO = 9          # 汽车装调工
OCC_AUTO_ENGINE = 10  # 汽车发动机装调工, a direction of 汽车装调工
OCC_WELD = 45         # 汽车焊装生产线操作工
OCC_ROBOT = 50        # 工业机器人装调维修工


def org_id(code):
    return int(kw.psql("SELECT id FROM orgs WHERE code = '%s'" % code))


def expert_id(id_number):
    return int(kw.psql("SELECT id FROM experts WHERE id_number = '%s'" % id_number))


def make_id_number(sex="M"):
    """A fresh ID number with a valid GB 11643 checksum (R29), not yet in the database."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    while True:
        body = "110105%04d%02d%02d%02d%d" % (random.randint(1960, 1999), random.randint(1, 12),
                                            random.randint(1, 28), random.randint(0, 99),
                                            random.choice([1, 3, 5, 7, 9] if sex == "M" else [0, 2, 4, 6, 8]))
        idn = body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
        if kw.psql("SELECT count(*) FROM experts WHERE id_number = '%s'" % idn) == "0":
            return idn


def cert_no():
    return "19%013d" % random.randint(0, 10 ** 13 - 1)


def names(resp):
    """The names in a list answer, leaving out the experts these tests create (测试专家, 改名专家),
    so the assertions about the demo data hold however often the file runs on one instance."""
    return {e["name"] for e in resp.json()["items"] if not e["name"].startswith(("测试", "改名"))}


class Scope(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.benz, cls.robot = kw.org_account("benz"), kw.org_account("robot")
        cls.beiqi, cls.center = kw.org_account("beiqi"), kw.center_staff()
        cls.benz_id, cls.robot_id = org_id("49003031"), org_id("49011001")

    def test_unauthenticated_is_401(self):
        self.assertEqual(kw.get("/api/experts").status, 401)
        self.assertEqual(kw.get("/api/experts/%d" % expert_id(QIANBI)).status, 401)
        self.assertEqual(kw.get("/api/expert/certificates").status, 401)

    def test_station_sees_only_its_experts(self):
        r = self.benz.get("/api/experts?per_page=100")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(names(r), BENZ_NAMES)
        self.assertTrue(all(e["org_id"] == self.benz_id for e in r.json()["items"]))

    def test_level2_sees_its_stations_experts(self):
        r = self.beiqi.get("/api/experts?per_page=100")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(BENZ_NAMES <= names(r), names(r))
        self.assertNotIn("王强", names(r))
        self.assertNotIn("张玉霞", names(r))  # the center's supervisors are not the 分中心's
        self.assertEqual(self.beiqi.get("/api/experts/%d" % expert_id(QIANBI)).status, 200)

    def test_other_station_does_not_see_them(self):
        r = self.robot.get("/api/experts?per_page=100")
        self.assertEqual(names(r), {"王强"})
        self.assertEqual(self.robot.get("/api/experts/%d" % expert_id(QIANBI)).status, 404)
        self.assertEqual(self.benz.get("/api/experts/%d" % expert_id(WANGQIANG)).status, 404)
        # Filtering by another org's id gives nothing rather than its experts.
        r = self.robot.get("/api/experts?org_id=%d" % self.benz_id)
        self.assertEqual(r.json()["total"], 0)

    def test_center_sees_all(self):
        r = self.center.get("/api/experts?per_page=100")
        self.assertTrue(BENZ_NAMES | {"王强", "张玉霞", "臧真刚"} <= names(r))

    def test_an_expert_sees_only_itself(self):
        s = kw.login("assessor", QIANBI)
        r = s.get("/api/experts")
        self.assertEqual(names(r), {"铅笔"})
        self.assertEqual(s.get("/api/experts/%d" % expert_id("422201199102176233")).status, 404)
        self.assertEqual(s.get("/api/experts/%d" % expert_id(QIANBI)).status, 200)

    def test_unknown_id_is_404(self):
        self.assertEqual(self.center.get("/api/experts/99999999").status, 404)
        self.assertEqual(self.center.get("/api/experts/abc").status, 404)


class Shape(unittest.TestCase):
    def test_api_md_shape(self):
        s = kw.org_account("benz")
        r = s.get("/api/experts?role=assessor&per_page=100")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        for k in ("items", "total", "page", "per_page"):
            self.assertIn(k, body)
        q = [e for e in body["items"] if e["id_number"] == QIANBI][0]
        for k in ("id", "name", "id_number", "role", "org_id", "certificates"):
            self.assertIn(k, q)
        self.assertEqual((q["name"], q["role"], q["role_text"]), ("铅笔", "assessor", "考评员"))
        self.assertEqual(q["org"]["name"], kw.ORG["benz"])
        self.assertEqual((q["sex"], q["birth_date"]), ("M", "1990-01-17"))  # R29 derived
        certs = {c["cert_no"]: c for c in q["certificates"]}
        self.assertEqual(set(certs), {"18490010099", "194900903110099"})
        c = certs["18490010099"]
        self.assertEqual((c["category"], c["category_text"]), ("national", "国家职业技能鉴定"))
        self.assertEqual((c["type"], c["type_text"]), ("senior_assessor", "高级考评员"))
        self.assertEqual(c["occupations"], [{"id": OCC_AUTO, "name": "汽车装调工"}])
        self.assertEqual((c["issued_on"], c["valid_until"]), ("2019-03-26", "2030-12-31"))
        self.assertEqual(certs["194900903110099"]["category_text"], "行业能力水平评价")

    def test_sorted_by_org_then_name_and_paged(self):
        s = kw.org_account("benz")
        all_ = s.get("/api/experts?per_page=100").json()["items"]
        # Pinyin order: 笔尖 (bi) 加加 (jia) 军军 (jun) 铅笔 (qian) 胜利 (sheng).
        self.assertEqual([e["name"] for e in all_ if e["name"] in BENZ_NAMES], ["笔尖", "加加", "军军", "铅笔", "胜利"])
        p2 = s.get("/api/experts?per_page=2&page=2").json()
        self.assertEqual((p2["total"], p2["page"], p2["per_page"]), (len(all_), 2, 2))
        self.assertEqual([e["id"] for e in p2["items"]], [e["id"] for e in all_[2:4]])
        self.assertEqual(s.get("/api/experts?per_page=2&page=999").json()["items"], [])
        # Across orgs: by org code (center 49000000, 奔驰站 49003031, 工业机器人站 49011001).
        codes = [kw.psql("SELECT code FROM orgs WHERE id = %d" % e["org_id"])
                 for e in kw.center_staff().get("/api/experts?per_page=100").json()["items"]]
        self.assertEqual(codes, sorted(codes))
        self.assertEqual(s.get("/api/experts?per_page=1000").status, 422)


class Search(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = kw.org_account("benz")
        cls.center = kw.center_staff()

    def test_cert_no(self):
        self.assertEqual(names(self.s.get("/api/experts?cert_no=18490010099&per_page=100")), {"铅笔"})
        self.assertEqual(names(self.s.get("/api/experts?cert_no=903110099&per_page=100")), {"铅笔"})
        self.assertEqual(self.s.get("/api/experts?cert_no=000000000000&per_page=100").json()["total"], 0)

    def test_keyword_matches_name_id_number_and_cert_no(self):
        self.assertEqual(names(self.s.get("/api/experts?q=%E9%93%85%E7%AC%94&per_page=100")), {"铅笔"})  # 铅笔
        self.assertEqual(names(self.s.get("/api/experts?q=199001176250&per_page=100")), {"铅笔"})
        self.assertEqual(names(self.s.get("/api/experts?q=18490010101&per_page=100")), {"笔尖"})
        self.assertEqual(names(self.s.get("/api/experts?q=%E7%AC%94&per_page=100")), {"铅笔", "笔尖"})  # 笔
        self.assertEqual(names(self.s.get("/api/experts?q=11010519870722442x&per_page=100")), {"加加"})

    def test_type_role_category_occupation(self):
        self.assertEqual(names(self.s.get("/api/experts?type=senior_assessor&per_page=100")), {"铅笔"})
        self.assertEqual(names(self.s.get("/api/experts?type=assessor&per_page=100")), BENZ_NAMES - {"铅笔"})
        self.assertEqual(names(self.center.get("/api/experts?role=supervisor&per_page=100")), {"张玉霞", "臧真刚"})
        # Only the others' industry certificates list 汽车焊装生产线操作工.
        self.assertEqual(names(self.s.get("/api/experts?occupation_id=%d&per_page=100" % OCC_WELD)), BENZ_NAMES - {"铅笔"})
        self.assertEqual(names(self.s.get("/api/experts?occupation_id=%d&category=national&per_page=100" % OCC_WELD)), set())
        # A certificate for 汽车装调工 covers its direction 汽车发动机装调工.
        self.assertEqual(names(self.s.get("/api/experts?occupation_id=%d&per_page=100" % OCC_AUTO_ENGINE)), BENZ_NAMES)
        self.assertEqual(names(self.s.get("/api/experts?occupation_id=%d&per_page=100" % OCC_ROBOT)), set())
        self.assertEqual(names(self.center.get("/api/experts?occupation_id=%d&per_page=100" % OCC_ROBOT)), {"王强"})

    def test_bad_filters_are_422(self):
        for q, field in (("type=chief", "type"), ("role=boss", "role"), ("category=x", "category"),
                         ("org_id=abc", "org_id"), ("format=pdf", "format")):
            r = self.s.get("/api/experts?" + q)
            self.assertEqual(r.status, 422, q)
            self.assertEqual(r.json()["error"]["fields"][0]["field"], field)


class Export(unittest.TestCase):
    HEAD = ["姓名", "身份证号", "证书号码", "评价类别", "类型", "职业工种", "所属机构"]

    def test_xlsx(self):
        r = kw.org_account("benz").get("/api/experts?format=xlsx")
        self.assertEqual(r.status, 200, r)
        self.assertIn("spreadsheetml", r.header("content-type"))
        self.assertIn("attachment", r.header("content-disposition"))
        z = zipfile.ZipFile(io.BytesIO(r.body))
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        for h in self.HEAD:
            self.assertIn(h, sheet)
        self.assertIn("18490010099", sheet)
        self.assertIn("高级考评员", sheet)
        self.assertNotIn("王强", sheet)

    def test_csv_one_row_per_certificate(self):
        r = kw.org_account("benz").get("/api/experts?format=csv&q=%E9%93%85%E7%AC%94")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"))
        lines = r.body.decode("utf-8-sig").strip().split("\r\n")
        self.assertEqual(lines[0].split(","), self.HEAD)
        self.assertEqual(len(lines), 3)
        self.assertEqual(lines[1].split(","), ["铅笔", QIANBI, "18490010099", "国家职业技能鉴定",
                                               "高级考评员", "汽车装调工", kw.ORG["benz"]])


def new_expert_body(idn=None, role="assessor", org=None, **over):
    body = {"name": "测试专家", "id_number": idn or make_id_number(), "role": role,
            "org_id": org or org_id("49003031"), "phone": "13800000001", "email": "t@kaowu.example",
            "certificates": [{"category": "national", "cert_no": cert_no(),
                              "type": "supervisor" if role == "supervisor" else "assessor",
                              "occupation_ids": [OCC_AUTO, OCC_WELD],
                              "issued_on": "2020-01-01", "valid_until": "2030-12-31"}]}
    body.update(over)
    return body


class Create(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.center = kw.center_staff()

    def test_create_opens_an_account_with_the_last_six_characters(self):
        body = new_expert_body()
        r = self.center.post("/api/experts", body)
        self.assertEqual(r.status, 201, r)
        e = r.json()
        self.assertEqual((e["name"], e["id_number"], e["role"]), ("测试专家", body["id_number"], "assessor"))
        self.assertEqual(e["account"], {"username": body["id_number"], "must_change_password": True})
        self.assertEqual(len(e["certificates"]), 1)
        self.assertEqual([o["id"] for o in e["certificates"][0]["occupations"]], [OCC_AUTO, OCC_WELD])
        s = kw.Session()
        lr = s.login("assessor", body["id_number"], body["id_number"][-6:])
        self.assertTrue(lr.json()["user"]["must_change_password"])
        s2 = kw.Session()
        s2.login("assessor", body["id_number"], "kaowu2019", expect=401)
        self.assertEqual(kw.psql("SELECT count(*) FROM audit_log WHERE action = 'expert.create'"
                                 " AND object_id = %d" % e["id"]), "1")
        # The station now sees its new expert.
        self.assertIn(body["id_number"], [x["id_number"] for x in
                                          kw.org_account("benz").get("/api/experts?per_page=100").json()["items"]])

    def test_lowercase_x_is_normalised(self):
        idn = make_id_number()
        while not idn.endswith("X"):
            idn = make_id_number()
        r = self.center.post("/api/experts", new_expert_body(idn[:-1] + "x"))
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["id_number"], idn)

    def test_R29_invalid_id_number(self):
        good = make_id_number()
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        for idn in (bad, "12345", "110105199002301234"):
            r = self.center.post("/api/experts", new_expert_body(idn))
            self.assertEqual(r.status, 422, r)
            f = r.json()["error"]["fields"]
            self.assertIn(("id_number", "R29"), [(x["field"], x["rule"]) for x in f])

    def test_duplicate_id_number(self):
        r = self.center.post("/api/experts", new_expert_body(QIANBI))
        self.assertIn(r.status, (409, 422), r)
        self.assertIn("id_number", [x["field"] for x in r.json()["error"]["fields"]])
        self.assertEqual(kw.psql("SELECT count(*) FROM experts WHERE id_number = '%s'" % QIANBI), "1")

    def test_field_errors_name_the_certificate(self):
        body = new_expert_body()
        c2 = dict(body["certificates"][0], cert_no=cert_no(), issued_on="2022-05-01", valid_until="2021-01-01")
        c3 = dict(body["certificates"][0], cert_no="18490010099", occupation_ids=[])
        body["certificates"] += [c2, c3]
        r = self.center.post("/api/experts", body)
        self.assertEqual(r.status, 422, r)
        fields = {x["field"] for x in r.json()["error"]["fields"]}
        self.assertIn("certificates[1].valid_until", fields)
        self.assertIn("certificates[2].occupation_ids", fields)
        self.assertEqual(kw.psql("SELECT count(*) FROM experts WHERE id_number = '%s'" % body["id_number"]), "0")
        # A taken certificate number is reported once the rest is right.
        body["certificates"] = [dict(body["certificates"][0], cert_no="18490010099")]
        r = self.center.post("/api/experts", body)
        self.assertEqual(r.status, 422, r)
        self.assertEqual([(x["field"], x["rule"]) for x in r.json()["error"]["fields"]],
                         [("certificates[0].cert_no", "unique")])

    def test_required_fields_and_role_type(self):
        r = self.center.post("/api/experts", {})
        self.assertEqual(r.status, 422)
        fields = {x["field"] for x in r.json()["error"]["fields"]}
        self.assertTrue({"name", "id_number", "role", "org_id", "certificates"} <= fields, fields)
        body = new_expert_body(role="supervisor")
        body["certificates"][0]["type"] = "senior_assessor"
        r = self.center.post("/api/experts", body)
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "certificates[0].type")
        r = self.center.post("/api/experts", new_expert_body(org=99999999))
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "org_id")

    def test_supervisor(self):
        body = new_expert_body(role="supervisor", org=org_id("49000000"))
        r = self.center.post("/api/experts", body)
        self.assertEqual(r.status, 201, r)
        kw.Session().login("supervisor", body["id_number"], body["id_number"][-6:])

    def test_only_the_center_creates(self):
        for s in (kw.org_account("benz"), kw.org_account("beiqi"), kw.login("assessor", QIANBI)):
            r = s.post("/api/experts", new_expert_body())
            self.assertEqual(r.status, 403, r)
        self.assertEqual(kw.request("POST", "/api/experts", body=new_expert_body()).status, 401)
        r = kw.org_account("benz").put("/api/experts/%d" % expert_id(QIANBI), {"name": "x"})
        self.assertEqual(r.status, 403)

    def test_without_csrf_is_403(self):
        r = self.center.post("/api/experts", new_expert_body(), headers={"X-CSRF-Token": "nope"})
        self.assertEqual(r.status, 403)


class Update(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.center = kw.center_staff()

    def create(self, **kw_):
        r = self.center.post("/api/experts", new_expert_body(**kw_))
        self.assertEqual(r.status, 201, r)
        return r.json()

    def test_update_person_and_login_name(self):
        e = self.create()
        new_id = make_id_number(sex="F")
        r = self.center.put("/api/experts/%d" % e["id"], {"name": "改名专家", "id_number": new_id,
                                                           "org_id": org_id("49003032"), "phone": "010-1234567"})
        self.assertEqual(r.status, 200, r)
        u = r.json()
        self.assertEqual((u["name"], u["id_number"], u["sex"], u["phone"], u["email"]),
                         ("改名专家", new_id, "F", "010-1234567", None))
        self.assertEqual(u["org"]["name"], kw.ORG["baic"])
        self.assertEqual(u["account"]["username"], new_id)
        kw.Session().login("assessor", new_id, e["id_number"][-6:])
        # Now the 北汽站's, no longer the 奔驰站's.
        self.assertEqual(kw.org_account("benz").get("/api/experts/%d" % e["id"]).status, 404)
        self.assertEqual(kw.org_account("baic").get("/api/experts/%d" % e["id"]).status, 200)
        self.assertEqual(kw.psql("SELECT count(*) FROM audit_log WHERE action = 'expert.update'"
                                 " AND object_id = %d" % e["id"]), "1")

    def test_update_checks(self):
        e = self.create()
        r = self.center.put("/api/experts/%d" % e["id"], {"name": "x", "id_number": QIANBI, "org_id": e["org_id"],
                                                           "role": "supervisor"})
        self.assertEqual(r.status, 422)
        self.assertEqual({x["field"] for x in r.json()["error"]["fields"]}, {"id_number", "role"})
        r = self.center.put("/api/experts/99999999", {"name": "x", "id_number": make_id_number(), "org_id": 1})
        self.assertEqual(r.status, 404)

    def test_certificates_add_update_remove(self):
        e = self.create()
        base = "/api/experts/%d/certificates" % e["id"]
        c = {"category": "industry", "cert_no": cert_no(), "type": "senior_assessor",
             "occupation_ids": [OCC_WELD], "issued_on": "2021-01-01", "valid_until": "2024-01-01"}
        r = self.center.post(base, c)
        self.assertEqual(r.status, 201, r)
        added = [x for x in r.json()["certificates"] if x["cert_no"] == c["cert_no"]][0]
        self.assertEqual((added["type_text"], added["occupations_text"]), ("高级考评员", "汽车焊装生产线操作工"))
        r = self.center.put("%s/%d" % (base, added["id"]), dict(c, valid_until="2027-01-01", occupation_ids=[OCC_AUTO, OCC_WELD]))
        self.assertEqual(r.status, 200, r)
        upd = [x for x in r.json()["certificates"] if x["id"] == added["id"]][0]
        self.assertEqual((upd["valid_until"], len(upd["occupations"])), ("2027-01-01", 2))
        r = self.center.post(base, dict(c, valid_until="2020-01-01"))
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "valid_until")
        # A certificate is reached only through its own expert.
        other = "/api/experts/%d/certificates/%d" % (expert_id(QIANBI), added["id"])
        self.assertEqual(self.center.delete(other).status, 404)
        r = self.center.delete("%s/%d" % (base, added["id"]))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json()["certificates"]), 1)
        last = r.json()["certificates"][0]["id"]
        r = self.center.delete("%s/%d" % (base, last))
        self.assertEqual(r.status, 409, r)
        self.assertEqual(kw.psql("SELECT count(*) FROM expert_certificates WHERE id = %d" % last), "1")
        acts = kw.psql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE object_type = 'expert'"
                       " AND object_id = %d" % e["id"])
        self.assertEqual(acts, "expert.create,expert.certificate_add,expert.certificate_update,"
                               "expert.certificate_remove")
        self.assertEqual(kw.org_account("benz").post(base, c).status, 403)


class MyCertificates(unittest.TestCase):
    def test_qianbi_has_both(self):
        r = kw.login("assessor", QIANBI).get("/api/expert/certificates")
        self.assertEqual(r.status, 200, r)
        items = r.json()["items"]
        self.assertEqual({c["cert_no"] for c in items}, {"18490010099", "194900903110099"})
        for c in items:
            self.assertEqual(c["type_text"], "高级考评员")
            self.assertEqual(c["occupations_text"], "汽车装调工")
            self.assertEqual((c["issued_on"], c["valid_until"]), ("2019-03-26", "2030-12-31"))
        self.assertEqual({c["category_text"] for c in items}, {"国家职业技能鉴定", "行业能力水平评价"})

    def test_supervisor_and_others(self):
        r = kw.login("supervisor", "110101197005120028").get("/api/expert/certificates")
        self.assertEqual([c["type_text"] for c in r.json()["items"]], ["督导员"])
        self.assertEqual(kw.org_account("benz").get("/api/expert/certificates").status, 403)


class R9Eligibility(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.benz, cls.center = kw.org_account("benz"), kw.center_staff()
        cls.benz_id, cls.robot_id = org_id("49003031"), org_id("49011001")

    def eligible(self, s, occ, date, org=None):
        q = "/api/experts/eligible?occupation_id=%d&exam_date=%s" % (occ, date)
        if org:
            q += "&org_id=%d" % org
        r = s.get(q)
        self.assertEqual(r.status, 200, r)
        return {e["id_number"] for e in r.json()["items"]}

    def test_R9_qianbi_for_the_occupation_and_its_direction(self):
        self.assertIn(QIANBI, self.eligible(self.benz, OCC_AUTO, "2030-06-01"))
        self.assertIn(QIANBI, self.eligible(self.benz, OCC_AUTO_ENGINE, "2030-06-01"))
        r = self.benz.get("/api/experts/eligible?occupation_id=%d&exam_date=2030-06-01" % OCC_AUTO).json()
        q = [e for e in r["items"] if e["id_number"] == QIANBI][0]
        self.assertEqual((q["type"], q["type_text"]), ("senior_assessor", "高级考评员"))

    def test_R9_not_for_another_occupation(self):
        self.assertNotIn(QIANBI, self.eligible(self.benz, OCC_ROBOT, "2030-06-01"))
        self.assertNotIn(QIANBI, self.eligible(self.benz, OCC_WELD, "2030-06-01"))

    def test_R9_a_direction_certificate_covers_only_the_direction(self):
        body = new_expert_body()
        body["certificates"][0]["occupation_ids"] = [OCC_AUTO_ENGINE]
        self.assertEqual(self.center.post("/api/experts", body).status, 201)
        self.assertIn(body["id_number"], self.eligible(self.benz, OCC_AUTO_ENGINE, "2030-06-01"))
        self.assertNotIn(body["id_number"], self.eligible(self.benz, OCC_AUTO, "2030-06-01"))
        self.assertNotIn(body["id_number"], self.eligible(self.benz, 11, "2030-06-01"))  # 汽车变速器装调工

    def test_R9_not_after_the_certificate_expired(self):
        self.assertIn(QIANBI, self.eligible(self.benz, OCC_AUTO, "2030-12-31"))
        self.assertNotIn(QIANBI, self.eligible(self.benz, OCC_AUTO, "2031-01-01"))
        self.assertNotIn(QIANBI, self.eligible(self.benz, OCC_AUTO, "2019-03-25"))  # before issue

    def test_R9_only_the_stations_own_assessors(self):
        at_benz = self.eligible(self.center, OCC_ROBOT, "2030-06-01", self.benz_id)
        self.assertNotIn(WANGQIANG, at_benz)
        self.assertNotIn(WANGQIANG, self.eligible(self.center, OCC_AUTO, "2030-06-01", self.benz_id))
        self.assertEqual(self.eligible(self.center, OCC_ROBOT, "2030-06-01", self.robot_id), {WANGQIANG})
        # Supervisors are never assessors.
        self.assertNotIn("110101197005120028", self.eligible(self.center, OCC_AUTO, "2030-06-01", org_id("49000000")))

    def test_R9_scope_and_input(self):
        self.assertEqual(self.benz.get("/api/experts/eligible?org_id=%d&occupation_id=9&exam_date=2030-06-01"
                                       % self.robot_id).status, 404)
        self.assertIn(QIANBI, self.eligible(kw.org_account("beiqi"), OCC_AUTO, "2030-06-01", self.benz_id))
        self.assertEqual(kw.org_account("robot").get("/api/experts/eligible?org_id=%d&occupation_id=9&exam_date=2030-06-01"
                                                     % self.benz_id).status, 404)
        r = self.benz.get("/api/experts/eligible?occupation_id=9&exam_date=2030-02-30")
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "exam_date")
        self.assertEqual(self.center.get("/api/experts/eligible?occupation_id=9&exam_date=2030-06-01").status, 422)
        self.assertEqual(kw.login("assessor", QIANBI).get("/api/experts/eligible?occupation_id=9&exam_date=2030-06-01").status, 403)


if __name__ == "__main__":
    unittest.main()

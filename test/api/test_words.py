"""test_words.py - issue 15's rules and words (items 1, 3, 5, 6, 7): the optional 职业方向 (R4), an
editable 真实姓名, status and refusal texts, the expert's title, and what a login or a lost session
tells the user. Each test names its item."""
import datetime
import io
import json
import urllib.parse
import zipfile

import kw
import test_batch
import test_org
import test_plan

QIANBI_ID_NUMBER = "422201199001176250"  # 铅笔: an assessor of the 奔驰站 with two 高级考评员 certificates
REAL_NAME_RULE = "真实姓名应为 2–30 个字，只能包含汉字、字母、间隔号“·”和空格"


def word_document():
    """A .docx as Word writes it: the package relationship names word/document.xml."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/'
                   'vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml"'
                   ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                   'document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
                   'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
                   ' Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
                   '.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>题库</w:t></w:r></w:p>'
                   '</w:body></w:document>')
    return b.getvalue()


def fields(r):
    return {f.get("field"): f for f in r.json()["error"].get("fields", [])}


class Item1Direction(test_batch.BatchCase):
    def test_issue15_item1_direction_optional_for_national(self):
        # 汽车装调工 has directions; an item without one is the whole occupation (manual: 可以选择)
        b = self.create([self.national(direction_id=None, dual_cert=False)])
        self.assertIsNone(b["items"][0]["direction"])
        self.assertEqual(b["items"][0]["occupation"]["id"], test_batch.OCC_AUTO)
        # one given must belong to the occupation: 422 naming the field
        r = self.create([self.national(direction_id=26)], expect=422)
        f = fields(r)["items[0].direction_id"]
        self.assertEqual(f["rule"], "R4")
        self.assertIn("不属于汽车装调工", f["message"])
        # a direction of its own occupation is still taken
        b = self.create([self.national(direction_id=test_batch.DIR_GEARBOX)])
        self.assertEqual(b["items"][0]["direction"]["id"], test_batch.DIR_GEARBOX)


class Item3RealName(kw.ClockedTest):
    def candidate(self):
        username, password, _, r = kw.register_candidate()
        self.assertEqual(r.status, 201, r)
        return kw.login("candidate", username, password)

    def test_issue15_item3_real_name_editable(self):
        s = self.candidate()
        body = {"email": "words@kaowu.example", "phone": "13900001111", "real_name": "阿依古丽·买买提"}
        r = s.put("/api/account", body)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["real_name"], "阿依古丽·买买提")
        self.assertEqual(s.get("/api/account").json()["real_name"], "阿依古丽·买买提")
        self.assertEqual(s.get("/api/auth/me").json()["user"]["name"], "阿依古丽·买买提")
        # audited with the old and the new name, and the 操作日志 has words for it
        row = kw.psql("SELECT detail FROM audit_log WHERE action = 'account.update_real_name'"
                      " AND object_id = %d ORDER BY id DESC LIMIT 1" % s.user["id"])
        self.assertEqual(json.loads(row), {"old": "测试考生", "new": "阿依古丽·买买提"})
        log = kw.center_staff().get("/api/audit?action=account.update_real_name").json()["items"]
        self.assertTrue(log and log[0]["action_text"] == "修改真实姓名", log[:1])
        # the same name again changes nothing and writes no second row
        self.assertEqual(s.put("/api/account", body).status, 200)
        self.assertEqual(kw.psql("SELECT count(*) FROM audit_log WHERE action = 'account.update_real_name'"
                                 " AND object_id = %d" % s.user["id"]), "1")

    def test_issue15_item3_real_name_rule_on_account_and_register(self):
        s = self.candidate()
        for bad in ("<b>x</b>", "张", "张" * 31, "张三3", "Li_Lei"):
            r = s.put("/api/account", {"email": "w@kaowu.example", "phone": "13900001111", "real_name": bad})
            self.assertEqual(r.status, 422, (bad, r))
            self.assertEqual(fields(r)["real_name"]["message"], REAL_NAME_RULE)
        self.assertEqual(s.get("/api/account").json()["real_name"], "测试考生")
        for good in ("Li Lei", "王小明", "玛丽·居里"):
            self.assertEqual(s.put("/api/account", {"email": "w@kaowu.example", "phone": "13900001111",
                                                    "real_name": good}).status, 200, good)
        _, _, _, r = kw.register_candidate(real_name="<b>x</b>")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r)["real_name"]["message"], REAL_NAME_RULE)


class Item5Words(test_batch.BatchCase):
    def test_issue15_item5_refusal_names_the_action(self):
        b = self.submitted()
        r = kw.center_staff().post("/api/batches/%d/actions/issue_certificates" % b["id"], {})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["message"],
                         "批次当前状态为“%s”，不能制作证书" % b["status_text"])

    def test_issue15_item5_batch_status_has_no_spaces(self):
        b = self.submitted()
        self.assertEqual(b["status_text"], "等待%s审核资质" % test_batch.BEIQI_NAME)

    def test_issue15_item5_another_stations_assessor(self):
        other = int(kw.psql("SELECT id FROM experts WHERE role = 'assessor' AND org_id <>"
                            " (SELECT org_id FROM experts WHERE name = '铅笔') ORDER BY id LIMIT 1"))
        r = self.create([self.industry(assessor_ids=[test_batch.BIJIAN, other])], expect=422)
        f = fields(r)["items[0].assessor_ids[1]"]
        self.assertEqual((f["rule"], f["message"]), ("R9", "所选人员不是本机构的考评员"))
        # an id nobody has reads the same (no other station's names, no enumeration)
        r = self.create([self.industry(assessor_ids=[test_batch.BIJIAN, 987654321])], expect=422)
        self.assertEqual(fields(r)["items[0].assessor_ids[1]"]["message"], "所选人员不是本机构的考评员")


class Item5Plan(test_plan.PlanTest):
    def test_issue15_item5_plan_status_has_no_spaces(self):
        benz = kw.org_account("benz")
        p = self.create(benz)
        p = self.act(benz, p["id"], "submit")
        self.assertEqual(p["status_text"], "等待%s审核" % test_plan.L2_NAME)


class Item5Bank(kw.ClockedTest):
    def test_issue15_item5_docx_bank_is_not_xlsx(self):
        benz = kw.org_account("benz")
        q = urllib.parse.urlencode({"occupation_id": test_batch.OCC_AUTO, "level": 3, "dry_run": 1})
        for data in (word_document(), "不是题库\n".encode()):
            r = benz.request("POST", "/api/bank/import?" + q, body=data,
                             headers={"Content-Type": "application/vnd.openxmlformats-officedocument"
                                                      ".spreadsheetml.sheet"})
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.json()["error"]["message"], "文件不是有效的 xlsx 文件")


class Item6ExpertTitle(kw.ClockedTest):
    def test_issue15_item6_expert_title_is_the_highest_type(self):
        staff = kw.center_staff()
        eid = int(kw.psql("SELECT id FROM experts WHERE id_number = '%s'" % QIANBI_ID_NUMBER))
        e = staff.get("/api/experts/%d" % eid).json()
        self.assertEqual({c["type"] for c in e["certificates"]}, {"senior_assessor"})
        self.assertEqual((e["role_text"], e["title_text"]), ("考评员", "高级考评员"))


class Item7Login(kw.ClockedTest):
    def test_issue15_item7_wrong_portal_says_which(self):
        r = kw.Session().login("supervisor", QIANBI_ID_NUMBER, expect=401)
        self.assertEqual(r.json()["error"]["message"], "该账号不是督导员账号，请从考评员入口登录")
        self.assertEqual(r.json()["error"].get("reason"), "wrong_portal")
        # a wrong password reveals nothing more than before
        r = kw.Session().login("supervisor", QIANBI_ID_NUMBER, "not-the-password", expect=401)
        self.assertEqual(r.json()["error"]["message"], "用户名或密码错误")
        r = kw.Session().login("candidate", kw.ORG["benz"], expect=401)
        self.assertEqual(r.json()["error"]["message"], "该账号不是考生账号，请从管理登录入口登录")

    def test_issue15_item7_idle_timeout_says_so(self):
        s = kw.org_account("benz")
        self.assertEqual(s.get("/api/account").status, 200)
        kw.Clock.at(self.t0 + datetime.timedelta(minutes=31))
        r = s.get("/api/account")
        self.assertEqual(r.status, 401, r)
        self.assertEqual(r.json()["error"]["message"], "登录已超时，请重新登录")
        self.assertEqual(r.json()["error"].get("reason"), "idle_timeout")
        # an unknown cookie is still just 登录已过期
        r = kw.request("GET", "/api/account", headers={"Cookie": "kaowu_session=" + "A" * 43})
        self.assertEqual(r.json()["error"]["message"], "登录已过期，请重新登录")

    def test_issue15_item7_frozen_org_session_says_frozen(self):
        staff, beiqi = kw.center_staff(), kw.org_account("beiqi")
        oid, _, s = test_org.ready_org(staff)
        self.assertEqual(s.get("/api/auth/me").status, 200)
        self.assertEqual(beiqi.post("/api/orgs/%d/actions/freeze" % oid, {}).status, 200)
        r = s.get("/api/auth/me")
        self.assertEqual(r.status, 401, r)
        self.assertEqual(r.json()["error"]["message"], "账号已被冻结，请联系上级管理机构")
        self.assertEqual(r.json()["error"].get("reason"), "account_frozen")

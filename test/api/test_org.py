"""test_org.py - institutions: scope, 机构管理 (create/edit), 信息变更 requests, freezing."""
import random
import unittest
import urllib.parse

import kw

NEW_PASSWORD = "Kaowu2040x"


def org_id(code):
    return int(kw.psql("SELECT id FROM orgs WHERE code = '%s'" % code))


def fresh_code():
    while True:
        code = "48%06d" % random.randint(0, 999999)
        if kw.psql("SELECT count(*) FROM orgs WHERE code = '%s'" % code) == "0":
            return code


def audit_count(action, object_id=None, object_type=None):
    sql = "SELECT count(*) FROM audit_log WHERE action = '%s'" % action
    if object_id is not None:
        sql += " AND object_id = %d" % object_id
    if object_type:
        sql += " AND object_type = '%s'" % object_type
    return int(kw.psql(sql))


def create_org(center, kind="station", parent="49003000", **over):
    """Create an org through the API as the center; returns (response, name, code)."""
    code = over.pop("code", None) or fresh_code()
    name = over.pop("name", None) or "测试%s%s" % ("鉴定站" if kind == "station" else "分中心", code)
    body = {"name": name, "code": code, "kind": kind, "parent_id": org_id(parent),
            "scopes": [{"category": "national", "occupation_id": 9}, {"category": "industry", "occupation_id": 45}],
            "builder": "测试承建单位", "leader_name": "张三", "contact_name": "李四", "phone": "010-12345678",
            "email": "t%s@kaowu.example" % code, "postcode": "100176", "address": "北京市大兴区",
            "valid_until": "2031-06-30", "region_code": "110115"}
    body.update(over)
    r = center.post("/api/orgs", body)
    return r, name, code


def ready_org(center, **over):
    """A new station under the 北汽分中心 whose first password has been changed; (id, name, session)."""
    r, name, code = create_org(center, **over)
    assert r.status == 201, r
    s = kw.login("org", name, code)
    ok = s.post("/api/auth/password", {"old_password": code, "new_password": NEW_PASSWORD})
    assert ok.status == 200, ok
    return r.json()["id"], name, s


def fields(r):
    return {f["field"]: f for f in r.json()["error"]["fields"]}


class Scope(kw.ClockedTest):
    def test_unauthenticated_is_401(self):
        self.assertEqual(kw.get("/api/orgs").status, 401)
        self.assertEqual(kw.get("/api/orgs/1").status, 401)
        self.assertEqual(kw.get("/api/org-change-requests").status, 401)

    def test_station_sees_only_itself(self):
        benz = kw.org_account("benz")
        items = benz.get("/api/orgs").json()["items"]
        self.assertEqual([o["code"] for o in items], ["49003031"])
        self.assertEqual(benz.get("/api/orgs/%d" % org_id("49003031")).status, 200)
        for other in ("49011001", "49003032", "49003000", "49000000"):
            r = benz.get("/api/orgs/%d" % org_id(other))
            self.assertEqual(r.status, 404, other)  # another org is 404, not 403
        self.assertEqual(benz.get("/api/orgs/999999999").status, 404)

    def test_level2_sees_itself_and_its_children_not_the_robot_station(self):
        beiqi = kw.org_account("beiqi")
        # Demo codes start with 490; the stations tests create (47…, 48…) do not.
        codes = [o["code"] for o in beiqi.get("/api/orgs?q=490&per_page=100").json()["items"]]
        self.assertIn("49003000", codes)
        self.assertIn("49003031", codes)
        self.assertIn("49003032", codes)
        self.assertNotIn("49011001", codes)  # hangs directly under the center
        self.assertNotIn("49000000", codes)
        self.assertEqual(beiqi.get("/api/orgs/%d" % org_id("49003031")).status, 200)
        self.assertEqual(beiqi.get("/api/orgs/%d" % org_id("49011001")).status, 404)
        self.assertEqual(beiqi.get("/api/orgs/%d" % org_id("49000000")).status, 404)

    def test_center_sees_all_with_filters_and_paging(self):
        staff = kw.center_staff()
        body = staff.get("/api/orgs?per_page=100").json()
        codes = [o["code"] for o in body["items"]]
        self.assertEqual(body["total"], int(kw.psql("SELECT count(*) FROM orgs")))
        self.assertEqual(codes, sorted(codes))
        demo = [o["code"] for o in staff.get("/api/orgs?q=490&per_page=100").json()["items"]]
        for code in ("49000000", "49003000", "49003031", "49003032", "49011001"):
            self.assertIn(code, demo)
        stations = staff.get("/api/orgs?kind=station&per_page=100").json()["items"]
        self.assertTrue(stations and all(o["kind"] == "station" for o in stations))
        under = staff.get("/api/orgs?q=490&parent_id=%d&per_page=100" % org_id("49003000")).json()["items"]
        self.assertTrue({"49003031", "49003032"} <= {o["code"] for o in under})
        self.assertTrue(all(o["parent"]["id"] == org_id("49003000") for o in under))
        q = staff.get("/api/orgs?q=" + urllib.parse.quote("奔驰")).json()
        self.assertEqual([o["code"] for o in q["items"]], ["49003031"])
        self.assertEqual(staff.get("/api/orgs?q=49011001").json()["items"][0]["name"], kw.ORG["robot"])
        page = staff.get("/api/orgs?per_page=2&page=2").json()
        self.assertEqual((len(page["items"]), page["page"], page["per_page"]), (2, 2, 2))
        self.assertEqual(page["items"][0]["code"], codes[2])
        self.assertEqual(staff.get("/api/orgs?kind=planet").status, 422)
        self.assertEqual(staff.get("/api/orgs?parent_id=x").status, 422)
        self.assertEqual(kw.center_director().get("/api/orgs").status, 200)

    def test_export_xlsx_and_csv_of_the_callers_scope(self):
        staff = kw.center_staff()
        r = staff.get("/api/orgs?format=xlsx&q=490")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("content-type").startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"))
        self.assertIn("attachment", r.header("content-disposition"))
        self.assertEqual(r.body[:2], b"PK")
        import io
        import zipfile
        sheet = zipfile.ZipFile(io.BytesIO(r.body)).read("xl/worksheets/sheet1.xml").decode("utf-8")
        self.assertIn("机构代码", sheet)
        self.assertIn(kw.ORG["robot"], sheet)
        csv = kw.org_account("benz").get("/api/orgs?format=csv")
        self.assertEqual(csv.status, 200, csv)
        self.assertTrue(csv.body.startswith(b"\xef\xbb\xbf"))  # UTF-8 BOM for Excel
        lines = csv.body.decode("utf-8-sig").strip().split("\r\n")
        self.assertTrue(lines[0].startswith("机构类别,机构名称,机构代码,上级主管机构"))
        self.assertEqual(len(lines), 2)  # a station exports itself only
        self.assertIn("49003031", lines[1])
        self.assertEqual(staff.get("/api/orgs?format=pdf").status, 422)

    def test_expert_sees_its_org_and_candidate_none(self):
        a = kw.login("assessor", "422201199001176250")  # 铅笔 of the 奔驰站
        self.assertEqual([o["code"] for o in a.get("/api/orgs").json()["items"]], ["49003031"])
        self.assertEqual(a.get("/api/orgs/%d" % org_id("49011001")).status, 404)
        self.assertEqual(kw.login("candidate", "shentong").get("/api/orgs").status, 403)

    def test_detail_has_every_field_of_the_manual_page(self):
        benz = kw.org_account("benz")
        o = benz.get("/api/orgs/%d" % org_id("49003031")).json()
        self.assertEqual(o["name"], kw.ORG["benz"])
        self.assertEqual(o["username"], kw.ORG["benz"])
        self.assertEqual(o["code"], "49003031")
        self.assertEqual((o["kind"], o["kind_text"], o["org_type"]), ("station", "鉴定站", "鉴定站"))
        self.assertEqual(o["parent"], {"id": org_id("49003000"), "name": kw.ORG["beiqi"]})
        self.assertEqual(o["builder"], "北京奔驰汽车有限公司")
        self.assertEqual((o["postcode"], o["address"]), ("100176", "北京经济技术开发区博兴路8号"))
        self.assertEqual(o["valid_until"], "2030-12-31")
        for key in ("leader_name", "contact_name", "phone", "email", "frozen", "status_text", "created_at"):
            self.assertIn(key, o)
        self.assertEqual(o["region"]["code"], "110115")
        self.assertEqual(o["region"]["full_name"], "北京市 大兴区")
        self.assertEqual([s["name"] for s in o["scopes"]["national"]], ["汽车装调工", "机动车检测工"])
        self.assertEqual([s["name"] for s in o["scopes"]["industry"]], ["汽车装调工", "汽车焊装生产线操作工"])


class Create(kw.ClockedTest):
    def test_create_station_then_it_logs_in_with_name_and_code(self):
        staff = kw.center_staff()
        before = audit_count("org.create")
        r, name, code = create_org(staff)
        self.assertEqual(r.status, 201, r)
        o = r.json()
        self.assertEqual((o["name"], o["code"], o["kind"], o["org_type"]), (name, code, "station", "鉴定站"))
        self.assertEqual(o["parent"]["id"], org_id("49003000"))
        self.assertEqual(o["region"]["full_name"], "北京市 大兴区")
        self.assertEqual(o["valid_until"], "2031-06-30")
        self.assertEqual([s["id"] for s in o["scopes"]["national"]], [9])
        self.assertEqual([s["id"] for s in o["scopes"]["industry"]], [45])
        self.assertEqual(audit_count("org.create", o["id"], "org"), 1)
        self.assertEqual(audit_count("org.create"), before + 1)
        # 第一部分 一 登录: username = the full name, first password = the code.
        s = kw.Session()
        body = s.login("org", name, code).json()
        self.assertTrue(body["user"]["must_change_password"])
        self.assertEqual(body["user"]["role"], "station")
        self.assertEqual(body["user"]["org_id"], o["id"])
        stored = kw.psql("SELECT password_hash FROM accounts WHERE username = '%s'" % name)
        self.assertTrue(stored.startswith("$argon2id$"))
        self.assertNotIn(code, stored)
        self.assertEqual(s.get("/api/orgs").status, 403)  # the first password must be changed first

    def test_create_level2_org_gets_role_org2_and_may_host_stations(self):
        staff = kw.center_staff()
        r, name, code = create_org(staff, kind="level2", parent="49000000", org_type="管理站", scopes=[])
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["org_type"], "管理站")
        self.assertEqual(kw.Session().login("org", name, code).json()["user"]["role"], "org2")
        child, _, _ = create_org(staff, parent=code)
        self.assertEqual(child.status, 201, child)
        self.assertEqual(child.json()["parent"]["name"], name)

    def test_validation_names_each_broken_field(self):
        staff = kw.center_staff()
        orgs, audits = kw.psql("SELECT count(*) FROM orgs"), audit_count("org.create")
        r, _, _ = create_org(staff, code="1234", email="not-an-email", postcode="10017",
                             phone="call me", valid_until="2031-02-30", region_code="999999",
                             scopes=[{"category": "national", "occupation_id": 10},
                                     {"category": "planet", "occupation_id": 9},
                                     {"category": "industry", "occupation_id": 45},
                                     {"category": "industry", "occupation_id": 45},
                                     {"category": "national", "occupation_id": 99999}])
        self.assertEqual(r.status, 422, r)
        f = fields(r)
        self.assertEqual(f["code"]["message"], "机构代码应为 8 位数字")
        self.assertIn("邮箱", f["email"]["message"])
        self.assertEqual(f["postcode"]["message"], "邮编应为 6 位数字")
        self.assertIn("电话", f["phone"]["message"])
        self.assertIn("valid_until", f)
        self.assertEqual(f["region_code"]["message"], "区域范围不存在")
        self.assertIn("职业方向", f["scopes[0].occupation_id"]["message"])  # a direction, not an occupation
        self.assertIn("scopes[1].category", f)
        self.assertEqual(f["scopes[3].occupation_id"]["rule"], "duplicate")
        self.assertEqual(f["scopes[4].occupation_id"]["message"], "职业不存在")
        self.assertNotIn("scopes[2].occupation_id", f)
        self.assertEqual(kw.psql("SELECT count(*) FROM orgs"), orgs)
        self.assertEqual(audit_count("org.create"), audits)  # a failed change writes no audit row

    def test_unique_name_and_code(self):
        staff = kw.center_staff()
        r, _, _ = create_org(staff, code="49003031")
        self.assertEqual(r.status, 422)
        self.assertEqual(fields(r)["code"]["message"], "机构代码已被使用")
        r, _, _ = create_org(staff, name=kw.ORG["benz"])
        self.assertEqual(r.status, 422)
        self.assertIn("机构名称已被使用", fields(r)["name"]["message"])
        r, _, _ = create_org(staff, name="staff01")  # an existing login name
        self.assertEqual(fields(r)["name"]["rule"], "unique")

    def test_required_fields_and_parent_rules(self):
        staff = kw.center_staff()
        r = staff.post("/api/orgs", {})
        self.assertEqual(r.status, 422)
        self.assertTrue({"name", "code", "kind", "parent_id"} <= set(fields(r)))
        r, _, _ = create_org(staff, kind="level2", parent="49003000")
        self.assertEqual(fields(r)["parent_id"]["message"], "二级机构的上级主管机构应为中心")
        r, _, _ = create_org(staff, parent="49003031")
        self.assertEqual(fields(r)["parent_id"]["message"], "鉴定站的上级主管机构应为中心或二级机构")
        r, _, _ = create_org(staff, parent_id=999999999)
        self.assertEqual(fields(r)["parent_id"]["message"], "上级主管机构不存在")
        r, _, _ = create_org(staff, kind="center")
        self.assertIn("kind", fields(r))
        r, _, _ = create_org(staff, org_type="分中心")
        self.assertIn("org_type", fields(r))
        self.assertEqual(staff.post("/api/orgs", [1, 2]).status, 400)

    def test_only_the_center_creates_and_edits(self):
        for s in (kw.org_account("beiqi"), kw.org_account("benz"), kw.login("assessor", "422201199001176250")):
            r, _, _ = create_org(s)
            self.assertEqual(r.status, 403, r)
            self.assertEqual(s.put("/api/orgs/%d" % org_id("49003031"), {"phone": "010-1"}).status, 403)
        self.assertEqual(create_org(kw.center_director())[0].status, 201)


class Update(kw.ClockedTest):
    def test_center_edits_fields_scopes_and_renames_the_login(self):
        staff = kw.center_staff()
        r, name, code = create_org(staff)
        oid = r.json()["id"]
        new_name = name + "（更名）"
        r = staff.put("/api/orgs/%d" % oid, {"name": new_name, "leader_name": "王五", "address": None,
                                              "region_code": "440106", "parent_id": org_id("49000000"),
                                              "scopes": [{"category": "national", "occupation_id": 50}]})
        self.assertEqual(r.status, 200, r)
        o = r.json()
        self.assertEqual((o["name"], o["leader_name"], o["address"]), (new_name, "王五", None))
        self.assertEqual(o["region"]["full_name"], "广东省 广州市 天河区")
        self.assertEqual(o["parent"]["id"], org_id("49000000"))
        self.assertEqual(o["scopes"], {"national": [{"id": 50, "name": "工业机器人装调维修工"}], "industry": []})
        self.assertEqual(o["phone"], "010-12345678")  # absent members stay
        kw.Session().login("org", new_name, code)
        kw.Session().login("org", name, code, expect=401)
        detail = kw.psql("SELECT detail->'changes'->'name'->>'new' FROM audit_log WHERE action = 'org.update' "
                         "AND object_id = %d" % oid)
        self.assertEqual(detail, new_name)

    def test_update_validation(self):
        staff = kw.center_staff()
        oid = create_org(staff)[0].json()["id"]
        r = staff.put("/api/orgs/%d" % oid, {"kind": "level2", "code": "49003031", "name": "", "parent_id": oid})
        self.assertEqual(r.status, 422)
        f = fields(r)
        self.assertEqual(f["kind"]["message"], "机构类型不能修改")
        self.assertEqual(f["code"]["message"], "机构代码已被使用")
        self.assertIn("name", f)
        self.assertIn("parent_id", f)
        self.assertEqual(audit_count("org.update", oid), 0)
        self.assertEqual(staff.put("/api/orgs/999999999", {"phone": "010-12345678"}).status, 404)
        r = staff.put("/api/orgs/%d" % org_id("49000000"), {"parent_id": org_id("49003000")})
        self.assertEqual(fields(r)["parent_id"]["message"], "中心没有上级主管机构")


class ChangeRequests(kw.ClockedTest):
    def test_request_approve_applies_and_repeat_is_409(self):
        staff = kw.center_staff()
        oid, name, s = ready_org(staff)
        r = s.post("/api/orgs/%d/change-requests" % oid,
                   {"phone": "010-87654321", "address": "北京市亦庄", "reason": "搬迁"})
        self.assertEqual(r.status, 201, r)
        cr = r.json()
        self.assertEqual((cr["status"], cr["status_text"]), ("pending", "待审核"))
        self.assertEqual(cr["changes"], {"phone": "010-87654321", "address": "北京市亦庄"})
        self.assertEqual(cr["previous"], {"phone": "010-12345678", "address": "北京市大兴区"})
        self.assertEqual(cr["org"]["id"], oid)
        self.assertEqual(cr["requested_by"]["name"], name)
        # 注意事项 ①: nothing changes before the center approves.
        o = s.get("/api/orgs/%d" % oid).json()
        self.assertEqual(o["phone"], "010-12345678")
        self.assertEqual(o["pending_change_request"]["id"], cr["id"])
        # The center staff get a 站内信 that something waits for them.
        texts = [m["text"] for m in staff.get("/api/messages?unread=1&per_page=100").json()["items"]]
        self.assertIn("%s提交了机构信息变更申请，等待您审核，请查看" % name, texts)
        # One pending request at a time.
        again = s.post("/api/orgs/%d/change-requests" % oid, {"phone": "010-11111111", "reason": "再改"})
        self.assertEqual(again.status, 409)
        # The org sees its own requests, the center all of them.
        mine = s.get("/api/org-change-requests").json()["items"]
        self.assertEqual([x["id"] for x in mine], [cr["id"]])
        self.assertEqual(kw.org_account("benz").get("/api/org-change-requests/%d" % cr["id"]).status, 404)
        pending = staff.get("/api/org-change-requests?status=pending&per_page=100").json()["items"]
        self.assertIn(cr["id"], [x["id"] for x in pending])
        # Only the center decides.
        self.assertEqual(s.post("/api/org-change-requests/%d/actions/approve" % cr["id"], {}).status, 403)
        self.assertEqual(kw.org_account("beiqi").post("/api/org-change-requests/%d/actions/approve" % cr["id"],
                                                      {}).status, 403)
        ok = staff.post("/api/org-change-requests/%d/actions/approve" % cr["id"], {"comment": "同意"})
        self.assertEqual(ok.status, 200, ok)
        self.assertEqual((ok.json()["status"], ok.json()["comment"]), ("approved", "同意"))
        self.assertEqual(ok.json()["decided_by"]["name"], "中心工作人员")
        o = s.get("/api/orgs/%d" % oid).json()
        self.assertEqual((o["phone"], o["address"]), ("010-87654321", "北京市亦庄"))
        self.assertIsNone(o["pending_change_request"])
        self.assertEqual(audit_count("org.change_request.approve", cr["id"]), 1)
        decided = s.get("/api/messages?per_page=100").json()["items"]
        self.assertIn(("您的机构信息变更申请已通过审核，请查看", "/app/org-info"),
                      [(m["text"], m["link"]) for m in decided])
        # Repeating the decision is 409 and writes nothing.
        for action in ("approve", "reject"):
            r = staff.post("/api/org-change-requests/%d/actions/%s" % (cr["id"], action), {"comment": "再次"})
            self.assertEqual(r.status, 409, r)
        self.assertEqual(audit_count("org.change_request.approve", cr["id"]), 1)
        self.assertEqual(audit_count("org.change_request.reject", cr["id"]), 0)
        self.assertEqual(staff.post("/api/org-change-requests/%d/actions/cancel" % cr["id"], {}).status, 404)

    def test_reject_needs_a_comment_and_changes_nothing(self):
        staff = kw.center_staff()
        oid, _, s = ready_org(staff)
        cr = s.post("/api/orgs/%d/change-requests" % oid, {"email": "new@kaowu.example", "reason": "换邮箱"}).json()
        r = staff.post("/api/org-change-requests/%d/actions/reject" % cr["id"], {})
        self.assertEqual(r.status, 422)
        self.assertEqual(fields(r)["comment"]["message"], "请填写驳回理由")
        r = staff.post("/api/org-change-requests/%d/actions/reject" % cr["id"], {"comment": "邮箱无法验证"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status_text"], "已驳回")
        self.assertNotEqual(s.get("/api/orgs/%d" % oid).json()["email"], "new@kaowu.example")
        self.assertEqual(audit_count("org.change_request.reject", cr["id"]), 1)
        # After a decision a new request may be filed.
        again = s.post("/api/orgs/%d/change-requests" % oid, {"email": "new2@kaowu.example", "reason": "再次申请"})
        self.assertEqual(again.status, 201, again)
        staff.post("/api/org-change-requests/%d/actions/approve" % again.json()["id"], {})
        # The account's reset address follows the org's email.
        self.assertEqual(kw.psql("SELECT email FROM accounts WHERE org_id = %d" % oid), "new2@kaowu.example")

    def test_only_the_free_text_fields_with_reason_and_resume(self):
        staff = kw.center_staff()
        oid, _, s = ready_org(staff)
        path = "/api/orgs/%d/change-requests" % oid
        # 注意事项 ②: other fields are the center's.
        r = s.post(path, {"name": "新名称", "code": "12345678", "valid_until": "2040-01-01", "phone": "010-22222222",
                          "reason": "想改名"})
        self.assertEqual(r.status, 422)
        f = fields(r)
        self.assertEqual(f["name"]["message"], "机构名称由中心维护，不能申请修改")
        self.assertIn("code", f)
        self.assertIn("valid_until", f)
        r = s.post(path, {"phone": "010-22222222"})
        self.assertEqual(fields(r)["reason"]["rule"], "required")
        r = s.post(path, {"phone": "010-12345678", "reason": "没改"})  # same as now
        self.assertIn("changes", fields(r))
        r = s.post(path, {"postcode": "12", "reason": "邮编"})
        self.assertEqual(fields(r)["postcode"]["message"], "邮编应为 6 位数字")
        # 注意事项 ③: a new leader needs a résumé.
        r = s.post(path, {"leader_name": "赵六", "reason": "换负责人"})
        self.assertEqual(r.status, 422)
        self.assertEqual(fields(r)["leader_resume"]["message"], "更换负责人须填写新任负责人简历")
        self.assertEqual(s.get("/api/org-change-requests").json()["total"], 0)
        r = s.post(path, {"leader_name": "赵六", "reason": "换负责人", "leader_resume": "1990 年起任职……"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["leader_resume"], "1990 年起任职……")

    def test_only_the_org_itself_files(self):
        staff = kw.center_staff()
        oid, _, _ = ready_org(staff)
        body = {"phone": "010-33333333", "reason": "代为申请"}
        self.assertEqual(kw.org_account("benz").post("/api/orgs/%d/change-requests" % oid, body).status, 404)
        self.assertEqual(kw.org_account("beiqi").post("/api/orgs/%d/change-requests" % oid, body).status, 403)
        self.assertEqual(staff.post("/api/orgs/%d/change-requests" % oid, body).status, 403)  # the center edits
        self.assertEqual(kw.center_staff().get("/api/org-change-requests?status=bogus").status, 422)


class Freeze(kw.ClockedTest):
    def test_level2_freezes_its_station_sessions_end_and_login_is_refused(self):
        staff, beiqi = kw.center_staff(), kw.org_account("beiqi")
        oid, name, s = ready_org(staff)
        other = kw.login("org", name, NEW_PASSWORD)
        self.assertEqual(s.get("/api/orgs/%d" % oid).status, 200)
        r = beiqi.post("/api/orgs/%d/actions/freeze" % oid, {})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["frozen"])
        self.assertEqual(r.json()["status_text"], "已冻结")
        # Its sessions are gone: the old cookies answer 401.
        self.assertEqual(s.get("/api/auth/me").status, 401)
        self.assertEqual(other.get("/api/orgs/%d" % oid).status, 401)
        self.assertEqual(kw.psql("SELECT count(*) FROM sessions s JOIN accounts a ON a.id = s.account_id "
                                 "WHERE a.org_id = %d" % oid), "0")
        self.assertEqual(kw.psql("SELECT bool_and(frozen) FROM accounts WHERE org_id = %d" % oid), "t")
        refused = kw.Session().login("org", name, NEW_PASSWORD, expect=403)
        self.assertIn("冻结", refused.json()["error"]["message"])
        # Repeating is 409 and writes no second audit row.
        self.assertEqual(beiqi.post("/api/orgs/%d/actions/freeze" % oid, {}).status, 409)
        self.assertEqual(audit_count("org.freeze", oid), 1)
        self.assertEqual(beiqi.get("/api/orgs?frozen=true").json()["items"][0]["frozen"], True)
        # Unfreeze restores the login.
        r = beiqi.post("/api/orgs/%d/actions/unfreeze" % oid, {})
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["frozen"])
        kw.login("org", name, NEW_PASSWORD)
        self.assertEqual(beiqi.post("/api/orgs/%d/actions/unfreeze" % oid, {}).status, 409)
        self.assertEqual(audit_count("org.unfreeze", oid), 1)

    def test_who_may_freeze_whom(self):
        staff, beiqi = kw.center_staff(), kw.org_account("beiqi")
        self.assertEqual(beiqi.post("/api/orgs/%d/actions/freeze" % org_id("49011001"), {}).status, 404)
        self.assertEqual(beiqi.post("/api/orgs/%d/actions/freeze" % org_id("49003000"), {}).status, 403)
        self.assertEqual(kw.org_account("benz").post("/api/orgs/%d/actions/freeze" % org_id("49003032"),
                                                     {}).status, 403)
        self.assertEqual(staff.post("/api/orgs/%d/actions/freeze" % org_id("49000000"), {}).status, 403)
        self.assertEqual(staff.post("/api/orgs/%d/actions/melt" % org_id("49003032"), {}).status, 404)
        # The center freezes any other org, e.g. a station directly under it.
        r, _, _ = create_org(staff, parent="49000000")
        oid = r.json()["id"]
        self.assertEqual(staff.post("/api/orgs/%d/actions/freeze" % oid, {}).status, 200)
        self.assertEqual(staff.post("/api/orgs/%d/actions/unfreeze" % oid, {}).status, 200)


class OpenAPI(unittest.TestCase):
    def test_routes_are_described(self):
        paths = kw.get("/api/openapi.json").json()["paths"]
        for p in ("/api/orgs", "/api/orgs/{id}", "/api/orgs/{id}/change-requests",
                  "/api/org-change-requests/{id}/actions/{action}", "/api/ref/occupations", "/api/audit"):
            self.assertIn(p, paths)


if __name__ == "__main__":
    unittest.main()

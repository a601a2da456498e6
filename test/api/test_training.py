"""test_training.py - 考评管理人员培训 (trainings): the application's checks, the review chain on the
workflow engine (station → its level-2 org → center, or straight to the center), the trail, the 站内信,
the 409 of a repeated decision, scope, the center's schedule and the XLSX export."""
import json
import os
import subprocess
import tempfile

import kw

CHECK_XLSX = os.path.join(kw.ROOT, "test", "office", "check_xlsx.py")


def occupation_ids(*names):
    return [int(kw.psql("SELECT id FROM occupations WHERE name = '%s'" % n)) for n in names]


def form(**over):
    body = {"kind": "考评员培训班", "train_time": "2019年5月上旬", "occupation_ids": occupation_ids("汽车装调工", "机动车检测工"),
            "category": "assessor", "place": "北京亦庄", "headcount": 30, "source": "本站及周边企业",
            "refresh_percent": 20, "other": "需要安排住宿"}
    body.update(over)
    return body


def links(s, tid):
    return [m["text"] for m in s.get("/api/messages?per_page=100").json()["items"] if m["link"] == "/app/trainings/%d" % tid]


class TrainingTest(kw.ClockedTest):
    def apply(self, s, expect=201, **over):
        r = s.post("/api/trainings", form(**over))
        self.assertEqual(r.status, expect, r)
        return r.json()

    def act(self, s, tid, action, expect=200, **body):
        r = s.post("/api/trainings/%d/actions/%s" % (tid, action), body)
        self.assertEqual(r.status, expect, r)
        return r.json()

    def test_chain_station_level2_center_with_trail_messages_and_409_repeat(self):
        benz, beiqi, staff = kw.org_account("benz"), kw.org_account("beiqi"), kw.center_staff()
        t = self.apply(benz)
        self.assertEqual(t["status"], "level2_review")
        self.assertEqual(t["status_text"], "等待%s审核" % kw.ORG["beiqi"])
        self.assertEqual([o["name"] for o in t["occupations"]], ["汽车装调工", "机动车检测工"])
        self.assertTrue(any("等待您审核" in m for m in links(beiqi, t["id"])))
        # the center cannot decide before the level-2 org
        self.act(staff, t["id"], "approve", expect=409)
        t = self.act(beiqi, t["id"], "approve", comment="同意")
        self.assertEqual(t["status"], "center_review")
        self.act(beiqi, t["id"], "approve", expect=409)  # a repeated decision
        t = self.act(staff, t["id"], "approve")
        self.assertEqual(t["status"], "approved")
        self.act(staff, t["id"], "approve", expect=409)
        r = staff.post("/api/trainings/%d/actions/schedule" % t["id"], {"date": "2019-05-08"})
        self.assertEqual(r.status, 422, r)
        t = self.act(staff, t["id"], "schedule", date="2019-05-08", place="北京亦庄培训中心")
        self.assertEqual((t["status"], t["scheduled_date"], t["scheduled_place"]), ("scheduled", "2019-05-08", "北京亦庄培训中心"))
        trail = [(x["actor"], x["action"]) for x in t["trail"]]
        self.assertEqual(trail, [(kw.ORG["benz"], "提交培训申请"), (kw.ORG["beiqi"], "审核通过"),
                                 ("中心工作人员", "审核通过"), ("中心工作人员", "安排培训：2019-05-08，北京亦庄培训中心")])
        self.assertEqual(t["trail"][1]["comment"], "同意")
        msgs = links(benz, t["id"])
        self.assertTrue(any("审核通过" in m for m in msgs), msgs)
        self.assertTrue(any("北京亦庄培训中心" in m for m in msgs), msgs)

    def test_reject_needs_comment_and_resubmit(self):
        robot, staff = kw.org_account("robot"), kw.center_staff()
        t = self.apply(robot, occupation_ids=occupation_ids("工业机器人装调维修工"))
        self.assertEqual(t["status"], "center_review")  # no level-2 parent
        r = staff.post("/api/trainings/%d/actions/reject" % t["id"], {})
        self.assertEqual(r.status, 422, r)
        t = self.act(staff, t["id"], "reject", comment="人数偏多")
        self.assertEqual((t["status"], t["status_text"]), ("rejected", "被中心工作人员拒绝"))
        self.assertEqual(t["actions"], [])
        t = self.act(robot, t["id"], "submit")
        self.assertEqual(t["status"], "center_review")

    def test_scope_other_station_404_and_level2_sees_its_stations(self):
        t = self.apply(kw.org_account("benz"))
        self.assertEqual(kw.org_account("robot").get("/api/trainings/%d" % t["id"]).status, 404)
        self.assertEqual(kw.org_account("baic").get("/api/trainings/%d" % t["id"]).status, 404)
        self.assertEqual(kw.org_account("robot").post("/api/trainings/%d/actions/approve" % t["id"], {}).status, 403)
        ids = [x["id"] for x in kw.org_account("beiqi").get("/api/trainings?status=pending&per_page=100").json()["items"]]
        self.assertIn(t["id"], ids)

    def test_form_422_in_chinese(self):
        r = kw.org_account("benz").post("/api/trainings", form(category="boss", headcount=0, occupation_ids=[],
                                                               refresh_percent=101, place=""))
        self.assertEqual(r.status, 422, r)
        f = {x["field"]: x["message"] for x in r.json()["error"]["fields"]}
        for k in ("category", "headcount", "occupation_ids", "refresh_percent", "place"):
            self.assertIn(k, f)
        self.assertIn("职业/工种", f["occupation_ids"])
        self.assertEqual(kw.center_staff().post("/api/trainings", form()).status, 403)

    def test_export_xlsx_lists_the_application(self):
        benz = kw.org_account("benz")
        t = self.apply(benz, other="导出测试%s" % kw.uuid_hex(6))
        r = kw.center_staff().get("/api/trainings?format=xlsx&org_id=%d" % t["org"]["id"])
        self.assertEqual(r.status, 200, r)
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
            f.write(r.body)
            f.flush()
            out = subprocess.run(["/usr/bin/python3", CHECK_XLSX, f.name], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        rows = json.loads(out.stdout)["sheets"][0]["rows"]
        self.assertEqual([c["value"] for c in rows[0]][:4], ["申请机构", "类型", "培训时间", "职业/工种"])
        mine = [{c["ref"].rstrip("0123456789"): c["value"] for c in r} for r in rows[1:]
                if any(c["value"] == t["other"] for c in r)]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["D"], "汽车装调工、机动车检测工")
        self.assertEqual(mine[0]["A"], kw.ORG["benz"])


class DashboardTest(kw.ClockedTest):
    def test_center_home_counts_link_to_lists(self):
        t = kw.org_account("robot").post("/api/trainings", form(occupation_ids=occupation_ids("工业机器人操作调整工")))
        self.assertEqual(t.status, 201, t)
        d = kw.center_staff().get("/api/dashboard").json()
        step = {p["step"]: p for p in d["pending"]}
        self.assertGreaterEqual(step["training.center_review"]["count"], 1)
        self.assertEqual(step["training.center_review"]["link"], "/app/trainings?status=center_review")
        self.assertIn("batch.app_staff", step)
        self.assertEqual(len(d["certificates"]), 12)
        self.assertEqual(kw.org_account("benz").get("/api/dashboard").status, 403)


class DocumentedLimits(kw.ClockedTest):
    """The limits /api/openapi.json documents for training applications are the ones the server enforces."""

    def test_occupations_and_headcount_as_documented(self):
        props = kw.Session().get("/api/openapi.json").json()["components"]["schemas"]["TrainingForm"]["properties"]
        top = props["occupation_ids"]["maxItems"]
        r = kw.org_account("benz").post("/api/trainings", form(occupation_ids=occupation_ids("汽车装调工") * (top + 1),
                                                               headcount=props["headcount"]["maximum"] + 1))
        self.assertEqual(r.status, 422, r)
        f = {x["field"]: x["message"] for x in r.json()["error"]["fields"]}
        self.assertEqual(set(f), {"occupation_ids", "headcount"})
        self.assertIn("%d" % top, f["occupation_ids"])

"""test_grading.py - batch phases 3-4 (lib/grading, lib/report, fcgi/h_grading.c): scores and grades
(R19), the three reports and their confirmations (R20), 提交成绩 and its review (R21), the expert's
task list and who may see an item.

Each case creates its own batch of 奔驰站 with one industry item (汽车焊装生产线操作工 中级: chief assessor
笔尖, assessors 笔尖 胜利; chief supervisor 张玉霞, supervisor 臧真刚) at a random day of 2020-2025, has it
approved, enrolls two fresh candidates and then moves it to 考试及成绩录入 (fixture below)."""
import datetime

import kw
from test_batch import BIJIAN, SHENGLI, ZANGZHENGANG, ZHANGYUXIA, fields
from test_enroll import EnrollCase

ID = {"笔尖": "422201199102176233", "胜利": "422201198803156214", "张玉霞": "110101197005120028",
      "臧真刚": "110108196811030035", "王强": "320583198309094519", "军军": "110105198510203318"}


def expert_login(name, kind="assessor"):
    return kw.login(kind, ID[name])


class GradingCase(EnrollCase):
    """An examining batch with one item and two enrolled candidates."""

    def setUp(self):
        kw_base = super(EnrollCase, self)
        kw_base.setUp()
        self.beiqi, self.staff, self.director = kw.org_account("beiqi"), kw.center_staff(), kw.center_director()
        b = self.submitted([self.industry()])
        self.bid, self.b_name = b["id"], b["name"]
        self.act(self.beiqi, self.bid, "approve", "同意")
        self.item4 = b["items"][0]["id"]
        r = self.staff.put("/api/batches/%d/items/%d/supervisors" % (self.bid, self.item4),
                           {"chief_supervisor_id": ZHANGYUXIA, "supervisor_ids": [ZANGZHENGANG]})
        self.assertEqual(r.status, 200, r)
        self.act(self.staff, self.bid, "approve", "同意")
        self.assertEqual(self.act(self.director, self.bid, "approve")["status"], "registering")
        self.cand, self.cand_id, _ = self.candidate("申通")
        self.cand2, _, _ = self.candidate("李考生")
        self.e1 = self.enroll(self.cand, self.employed(self.cand))["id"]
        self.e2 = self.enroll(self.cand2, self.employed(self.cand2))["id"]
        self.examining()
        self.base = "/api/batches/%d/items/%d" % (self.bid, self.item4)

    def candidate(self, name="张考生"):
        user, pw, idn, r = kw.register_candidate(real_name=name, phone="13800001111")
        self.assertIn(r.status, (200, 201), r)
        s = kw.Session()
        s.login("candidate", user, pw)
        s.creds = (user, pw)
        return s, idn, name

    def examining(self):
        """fixture: until phase 2 lands (提交报名 and its review), the batch reaches 考试及成绩录入 here, and
        its exam day is today (moving the clock 40 days on would end every session of the cast)."""
        kw.psql("UPDATE batches SET status = 'examining', status_param = NULL WHERE id = %d" % self.bid)
        self.exam_on(self.today)

    def exam_on(self, day):
        kw.psql("UPDATE batch_items SET exam_date = '%s' WHERE id = %d" % (day.isoformat(), self.item4))

    def scores(self, rows, expect=200, s=None):
        r = (s or self.benz).put(self.base + "/scores", {"scores": rows})
        self.assertEqual(r.status, expect, r)
        return r.json() if expect == 200 else r

    def row(self, data, eid):
        return next(x for x in data["items"] if x["enrollment_id"] == eid)

    def all_scored(self):
        self.scores([{"enrollment_id": self.e1, "theory_score": 80, "practical_score": 70},
                     {"enrollment_id": self.e2, "absent": True}])

    def appraisal(self):
        r = self.benz.put(self.base + "/appraisal-report", {"theory_date": self.today.isoformat(), "practical_date": self.today.isoformat(),
                                                             "text": "考试过程无异常情况发生。"})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def assessment(self, s):
        r = s.put(self.base + "/assessment-report", {"date": self.today.isoformat(), "place": "北京", "absent_ids": [self.e2],
                                                      "text": "考评过程正常。"})
        self.assertEqual(r.status, 200, r)
        return r.json()

    def supervision(self, s):
        r = s.put(self.base + "/supervision-report", {"date": self.today.isoformat(), "place": "北京", "order": "正常",
                                                       "assessor_work": "符合要求", "paper_use": "符合要求",
                                                       "text": "考试过程正常，无考试事故发生"})
        self.assertEqual(r.status, 200, r)
        return r.json()


class ScoresR19(GradingCase):
    def test_R19_before_the_exam_date_refused_tickets_values_and_who(self):
        self.exam_on(self.today + datetime.timedelta(days=1))
        r = self.scores([{"enrollment_id": self.e1, "theory_score": 80, "practical_score": 70}], expect=422)
        self.assertIn(("scores", "R19"), fields(r))
        self.assertFalse(self.benz.get(self.base + "/scores").json()["editable"])
        self.exam_on(self.today)
        self.assertTrue(self.benz.get(self.base + "/scores").json()["editable"])
        # 准考证号: item id in 6 digits + place among the item's enrollments in 3, given once
        a = self.benz.get(self.base + "/scores").json()
        tickets = sorted(x["ticket_no"] for x in a["items"])
        self.assertEqual(tickets, ["%06d001" % self.item4, "%06d002" % self.item4])
        self.assertEqual(self.benz.get(self.base + "/scores").json()["items"], a["items"])
        self.values_0_to_100_one_decimal()
        # only the station enters scores
        self.assertEqual(self.beiqi.put(self.base + "/scores", {"scores": []}).status, 403)

    def test_R19_grade_from_the_lower_score_every_band_edge(self):
        cases = [(59.9, 100, "fail", "不合格"), (60, 100, "pass", "合格"), (79.9, 95, "pass", "合格"),
                 (80, 80, "good", "良好"), (100, 89.9, "good", "良好"), (90, 90, "excellent", "优秀"),
                 (100, 100, "excellent", "优秀"), (0, 100, "fail", "不合格")]
        for i, (t, p, grade, text) in enumerate(cases):
            row = {"enrollment_id": self.e1, "theory_score": t, "practical_score": p}
            if i:
                row["reason"] = "复核更正"
            x = self.row(self.scores([row]), self.e1)
            self.assertEqual((x["grade"], x["grade_text"]), (grade, text), (t, p))
        x = self.row(self.scores([{"enrollment_id": self.e2, "absent": True}]), self.e2)
        self.assertEqual((x["grade"], x["grade_text"], x["theory_score"]), ("absent", "缺考", None))

    def values_0_to_100_one_decimal(self):
        for bad in (100.1, -1, 80.55, "80"):
            r = self.scores([{"enrollment_id": self.e1, "theory_score": bad, "practical_score": 70}], expect=422)
            self.assertIn(("scores[0].theory_score", "R19"), fields(r), bad)
        r = self.scores([{"enrollment_id": 999999999, "theory_score": 80, "practical_score": 70}], expect=422)
        self.assertIn(("scores[0].enrollment_id", "R19"), fields(r))

    def test_R19_change_without_reason_422_and_the_trail_keeps_it(self):
        self.scores([{"enrollment_id": self.e1, "theory_score": 80, "practical_score": 70}])
        r = self.scores([{"enrollment_id": self.e1, "theory_score": 85, "practical_score": 70}], expect=422)
        self.assertIn(("scores[0].reason", "R19"), fields(r))
        self.assertNotIn("R19", r.json()["error"]["message"])
        a = self.scores([{"enrollment_id": self.e1, "theory_score": 85, "practical_score": 70, "reason": "登记错误"}])
        ch = [c for c in a["changes"] if c["enrollment_id"] == self.e1]
        self.assertEqual(len(ch), 1)
        self.assertEqual((ch[0]["old"]["theory_score"], ch[0]["new"]["theory_score"], ch[0]["reason"]),
                         (80, 85, "登记错误"))
        self.assertTrue(ch[0]["actor"])
        # the reviewers see the same trail
        self.assertEqual(len(self.beiqi.get(self.base + "/scores").json()["changes"]), 1)
        # the xlsx template carries the roster and the scores; importing it unchanged changes nothing
        t = self.benz.get(self.base + "/scores/template.xlsx")
        self.assertEqual(t.status, 200, t)
        self.assertTrue(t.body.startswith(b"PK"))
        xl = {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        r = self.benz.request("POST", self.base + "/scores/import", body=t.body, headers=xl)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["rows"], r.json()["changed"]), (1, 0))
        r = self.benz.request("POST", self.base + "/scores/import", body=b"not a workbook", headers=xl)
        self.assertEqual(r.status, 422, r)


class ReportsR20(GradingCase):
    def test_R20_order_appraisal_then_chief_counts_computed(self):
        chief = expert_login("笔尖")
        r = chief.put(self.base + "/assessment-report", {"date": self.today.isoformat(), "place": "北京", "text": "正常"})
        self.assertEqual(r.status, 409, r)
        r = self.benz.put(self.base + "/appraisal-report", {"theory_date": self.today.isoformat(), "practical_date": self.today.isoformat(),
                                                             "text": "正常"})
        self.assertEqual(r.status, 422, r)
        self.assertIn(("scores", "R20"), fields(r))
        self.all_scored()
        a = self.appraisal()
        self.assertEqual(a["appraisal"]["summary"], "报考2人，参加考试1人，通过率100%")
        self.assertEqual(a["appraisal"]["passed_count"], 1)
        # the chief assessor files after the appraisal; the counts come from the roster
        a = self.assessment(chief)["assessment"]
        self.assertEqual((a["expected"], a["actual"], a["absent_count"]), (2, 1, 1))
        self.assertEqual([p["enrollment_id"] for p in a["absent"]], [self.e2])
        r = chief.put(self.base + "/assessment-report", {"date": self.today.isoformat(), "place": "北京", "absent_ids": [self.e1],
                                                          "text": "x"})
        self.assertIn(("absent_ids", "R20"), fields(r))
        # an assessor who is not the chief cannot file
        self.assertEqual(expert_login("胜利").put(self.base + "/assessment-report",
                                                 {"date": self.today.isoformat(), "place": "北京", "text": "x"}).status, 403)

    def test_R20_remind_then_each_assessor_confirms_once(self):
        self.all_scored()
        self.appraisal()
        self.remind()
        chief, other = expert_login("笔尖"), expert_login("胜利")
        self.assertEqual(other.post(self.base + "/assessment-report/confirm", {"comment": "同意"}).status, 409)
        a = self.assessment(chief)
        self.assertFalse(a["all_assessors_confirmed"])
        self.assertIn("confirm_assessment", other.get(self.base + "/reports").json()["can"])
        r = other.post(self.base + "/assessment-report/confirm", {"comment": "考生某某损坏工件一个。"})
        self.assertEqual(r.status, 200, r)
        a = r.json()
        self.assertTrue(a["all_assessors_confirmed"])
        self.assertEqual({m["name"]: m["comment"] for m in a["assessors"]}["胜利"], "考生某某损坏工件一个。")
        self.assertEqual(other.post(self.base + "/assessment-report/confirm", {}).status, 409)

    def remind(self):
        # 笔尖 serves many tests' batches on many clock days, so read his inbox clean first and
        # look for the reminder among what is new rather than in a page ordered by clock time
        chief = expert_login("笔尖")
        self.assertEqual(chief.post("/api/messages/read-all", {}).status, 200)
        r = self.benz.post(self.base + "/reports/remind", {})
        self.assertEqual(r.status, 200, r)
        self.assertIn("笔尖", r.json()["reminded"])
        self.assertIn("张玉霞", r.json()["reminded"])
        msgs = chief.get("/api/messages?unread=1&per_page=50").json()["items"]
        self.assertTrue(any("督促" in m["text"] and self.b_name in m["text"] for m in msgs), msgs[:3])


class SubmitR21(GradingCase):
    def test_R21_submit_refused_naming_the_missing_confirmation_then_the_chain_to_certifying(self):
        self.all_scored()
        self.appraisal()
        self.assessment(expert_login("笔尖"))
        self.supervision(expert_login("张玉霞", "supervisor"))
        r = expert_login("臧真刚", "supervisor").post(self.base + "/supervision-report/confirm", {"comment": "同意"})
        self.assertEqual(r.status, 200, r)
        r = self.benz.post("/api/batches/%d/actions/submit_scores" % self.bid, {})
        self.assertEqual(r.status, 422, r)
        msgs = [f["message"] for f in r.json()["error"]["fields"]]
        self.assertEqual(len(msgs), 1, msgs)
        self.assertIn("胜利", msgs[0])
        self.assertEqual({f["rule"] for f in r.json()["error"]["fields"]}, {"R21"})
        check = self.benz.get("/api/batches/%d/score-check" % self.bid).json()
        self.assertFalse(check["ready"])
        expert_login("胜利").post(self.base + "/assessment-report/confirm", {})
        self.assertTrue(self.benz.get("/api/batches/%d/score-check" % self.bid).json()["ready"])
        b = self.act(self.benz, self.bid, "submit_scores")
        self.assertEqual(b["status"], "score_org2")
        # the reviewers see scores and reports; the station can no longer change them
        self.assertEqual(self.beiqi.get(self.base + "/reports").status, 200)
        self.assertEqual(self.scores([{"enrollment_id": self.e1, "theory_score": 90, "practical_score": 90,
                                       "reason": "x"}], expect=409).status, 409)
        self.assertIsNone(self.cand.get("/api/enrollments/mine").json()["items"][0]["score"])
        self.act(self.beiqi, self.bid, "approve", "同意")
        self.act(self.staff, self.bid, "approve", "同意")
        b = self.act(self.director, self.bid, "approve", "同意")
        self.assertEqual(b["status"], "certifying")
        sc = self.cand.get("/api/enrollments/mine").json()["items"][0]["score"]
        self.assertEqual((sc["grade"], sc["grade_text"], sc["theory_score"]), ("pass", "合格", 80))

    def test_R21_reject_returns_to_the_station_which_may_change_again(self):
        self.all_scored()
        self.appraisal()
        self.assessment(expert_login("笔尖"))
        expert_login("胜利").post(self.base + "/assessment-report/confirm", {})
        self.supervision(expert_login("张玉霞", "supervisor"))
        expert_login("臧真刚", "supervisor").post(self.base + "/supervision-report/confirm", {})
        self.act(self.benz, self.bid, "submit_scores")
        b = self.act(self.beiqi, self.bid, "reject", "理论成绩有误")
        self.assertEqual(b["status"], "score_rejected")
        self.scores([{"enrollment_id": self.e1, "theory_score": 82, "practical_score": 70, "reason": "复核"}])
        self.assertEqual(self.act(self.benz, self.bid, "submit_scores")["status"], "score_org2")


class ExpertAccess(GradingCase):
    def test_expert_sees_the_items_they_serve_others_get_404(self):
        tasks = expert_login("笔尖").get("/api/expert/tasks").json()["items"]
        t = [x for x in tasks if x["item_id"] == self.item4]
        self.assertEqual(len(t), 1)
        self.assertEqual((t[0]["role"], t[0]["role_text"], t[0]["enrolled"]), ("chief_assessor", "考评组长", 2))
        self.assertEqual(t[0]["pending"], "等待申请机构登记成绩、填写鉴定报告")
        sup = expert_login("臧真刚", "supervisor").get("/api/expert/tasks").json()["items"]
        self.assertEqual([x["role"] for x in sup if x["item_id"] == self.item4], ["supervisor"])
        self.assertEqual(expert_login("笔尖").get(self.base + "/scores").status, 200)
        # assignment is news: the approval told each of them, with the batch, the role and the exam date
        msgs = [m["text"] for m in expert_login("张玉霞", "supervisor").get("/api/messages?per_page=100").json()["items"]]
        self.assertTrue(any(self.b_name in t and "督导组长" in t and "考试日期" in t for t in msgs), msgs[:3])
        # 专家管理 → 考评记录 lists the item with the role
        rec = self.staff.get("/api/experts/%d" % BIJIAN).json()["records"]
        self.assertIn(("chief_assessor", "考评组长"), [(x["role"], x["role_text"]) for x in rec if x["item_id"] == self.item4])
        # an expert of another batch or item: 404
        for name in ("王强", "军军"):
            s = expert_login(name)
            self.assertEqual(s.get(self.base + "/reports").status, 404, name)
            self.assertEqual(s.get(self.base + "/scores").status, 404, name)
            self.assertEqual(s.post(self.base + "/assessment-report/confirm", {}).status, 404, name)
        self.assertEqual(kw.org_account("robot").get(self.base + "/scores").status, 404)

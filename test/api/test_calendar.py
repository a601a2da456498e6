"""test_calendar.py - never a double booking and the 考试日历 (issue 11 item 1; lib/batch_people.c,
lib/batch_calendar.c): an assessor or supervisor already serving another batch on an exam date is
refused on the application form, on 调配 and on 安排督导, naming that batch and the date; the pickers
mark who is busy; people hear of their assignment (站内信); the calendar lists batches by exam date
with their people, by org and occupation, inside the caller's scope.

Each case picks its own free day (free_today) and creates its own batches of 奔驰站."""
import kw
from test_batch import (BIJIAN, DIR_ENGINE, JIAJIA, JUNJUN, OCC_AUTO, OCC_WELD, QIANBI, SHENGLI, ZANGZHENGANG,
                        ZHANGYUXIA, BatchCase, fields)
from test_grading import expert_login

ID_JUNJUN = "110105198510203318"


def errors(r):
    return {f["field"]: f for f in r.json()["error"].get("fields", [])}


class DoubleBooking(BatchCase):
    def setUp(self):
        super().setUp()
        self.beiqi, self.staff = kw.org_account("beiqi"), kw.center_staff()
        self.day = self.exam()

    def national_of(self, chief, people, **over):
        return self.national(chief_assessor_id=chief, assessor_ids=people, **over)

    def test_double_booking_refused_on_the_application_naming_the_batch_and_date(self):
        # a draft does not hold anyone: two drafts may name the same people
        draft = self.create([self.industry()])
        a = self.submitted([self.industry()])
        r = self.benz.post("/api/batches/%d/actions/submit" % draft["id"], {})
        self.assertEqual(r.status, 422, r)
        e = errors(r)
        self.assertEqual(e["items[0].chief_assessor_id"]["rule"], "double_booking")
        self.assertEqual(e["items[0].assessor_ids[1]"]["rule"], "double_booking")  # 胜利 (笔尖 is the chief)
        msg = e["items[0].chief_assessor_id"]["message"]
        self.assertIn(a["name"], msg)
        self.assertIn(self.day, msg)
        self.assertIn("笔尖", msg)
        self.assertNotIn("double", msg)
        # saving a form is refused the same way; another day is fine
        r = self.benz.put("/api/batches/%d" % draft["id"], {"items": [self.industry()]})
        self.assertEqual(r.status, 422, r)
        self.assertIn(("items[0].chief_assessor_id", "double_booking"), fields(r))
        r = self.benz.post("/api/batches", {"items": [self.industry()]})
        self.assertEqual(r.status, 422, r)
        self.assertIn(("items[0].assessor_ids[1]", "double_booking"), fields(r))
        self.assertEqual(self.benz.put("/api/batches/%d" % draft["id"],
                                       {"items": [self.industry(exam_date=self.exam(41))]}).status, 200)
        self.act(self.benz, draft["id"], "submit")
        # the batch itself does not count: its own form can be saved again after a rejection
        self.act(self.beiqi, a["id"], "reject", "不同意")
        self.assertEqual(self.benz.put("/api/batches/%d" % a["id"], {"items": [self.industry()]}).status, 200)

    def test_double_booking_refused_on_reassign_and_the_picker_marks_the_busy(self):
        a = self.submitted([self.national_of(QIANBI, [QIANBI])])
        b = self.submitted([self.national_of(JIAJIA, [JIAJIA])])
        item = b["items"][0]["id"]
        url = "/api/batches/%d/items/%d/assessors" % (b["id"], item)
        # the picker of 调配: 铅笔 serves a on that day, 军军 is free; b's own people are not busy for b
        q = "/api/experts/eligible?org_id=%d&occupation_id=%d&exam_date=%s&batch_id=%d" % (
            b["org"]["id"], DIR_ENGINE, self.day, b["id"])
        people = {p["id"]: p for p in self.beiqi.get(q).json()["items"]}
        self.assertEqual(people[QIANBI]["busy"]["batch_name"], a["name"])
        self.assertEqual(people[QIANBI]["busy"]["role_text"], "考评组长")
        self.assertIsNone(people[JUNJUN]["busy"])
        self.assertIsNone(people[JIAJIA]["busy"])
        # 调配 to someone busy: 422 on the field, naming a and the date; nothing changes
        r = self.beiqi.put(url, {"chief_assessor_id": JIAJIA, "assessor_ids": [JIAJIA, QIANBI]})
        self.assertEqual(r.status, 422, r)
        e = errors(r)
        self.assertEqual(e["assessor_ids[1]"]["rule"], "double_booking")
        self.assertIn(a["name"], e["assessor_ids[1]"]["message"])
        self.assertIn(self.day, e["assessor_ids[1]"]["message"])
        r = self.beiqi.put(url, {"chief_assessor_id": QIANBI, "assessor_ids": [JIAJIA]})
        self.assertIn(("chief_assessor_id", "double_booking"), fields(r))
        self.assertEqual([p["id"] for p in self.beiqi.get("/api/batches/%d" % b["id"]).json()["items"][0]["assessors"]],
                         [JIAJIA])
        # a free person is taken, and hears of it; removed again, hears that too
        junjun = kw.login("assessor", ID_JUNJUN)
        junjun.post("/api/messages/read-all", {})
        self.assertEqual(self.beiqi.put(url, {"chief_assessor_id": JIAJIA, "assessor_ids": [JIAJIA, JUNJUN]}).status, 200)
        self.assertEqual(self.beiqi.put(url, {"chief_assessor_id": JIAJIA, "assessor_ids": [JIAJIA]}).status, 200)
        texts = [m["text"] for m in junjun.get("/api/messages?unread=1&per_page=50").json()["items"]]
        self.assertTrue(any(t.startswith("您被安排为" + b["name"]) and t.endswith("的考评员") and self.day in t
                            for t in texts), texts)
        self.assertTrue(any(t.startswith("您已不再担任") and b["name"] in t for t in texts), texts)

    def test_double_booking_refused_on_supervisors_and_the_list_marks_the_busy(self):
        a = self.submitted([self.industry()])
        b = self.submitted([self.national()])
        for x in (a, b):
            self.act(self.beiqi, x["id"], "approve", "同意")
        sup = "/api/batches/%d/items/%d/supervisors"
        r = self.staff.put(sup % (a["id"], a["items"][0]["id"]),
                           {"chief_supervisor_id": ZHANGYUXIA, "supervisor_ids": [ZANGZHENGANG]})
        self.assertEqual(r.status, 200, r)
        # the picker: 张玉霞 and 臧真刚 serve a that day
        lst = self.staff.get("/api/experts?role=supervisor&per_page=100&busy_on=%s&batch_id=%d" % (self.day, b["id"])).json()
        busy = {p["id"]: p["busy"] for p in lst["items"]}
        self.assertEqual(busy[ZHANGYUXIA]["batch_name"], a["name"])
        self.assertEqual(busy[ZANGZHENGANG]["role_text"], "督导员")
        own = self.staff.get("/api/experts?role=supervisor&per_page=100&busy_on=%s&batch_id=%d" % (self.day, a["id"]))
        self.assertIsNone({p["id"]: p["busy"] for p in own.json()["items"]}[ZHANGYUXIA])
        self.assertEqual(self.staff.get("/api/experts?busy_on=2025-02-30").status, 422)
        r = self.staff.put(sup % (b["id"], b["items"][0]["id"]), {"chief_supervisor_id": ZHANGYUXIA, "supervisor_ids": []})
        self.assertEqual(r.status, 422, r)
        e = errors(r)["chief_supervisor_id"]
        self.assertEqual(e["rule"], "double_booking")
        self.assertIn(a["name"], e["message"])
        self.assertIn("督导组长", e["message"])
        # the next day is free
        c = self.submitted([self.national(exam_date=self.exam(41))])
        self.act(self.beiqi, c["id"], "approve", "同意")
        r = self.staff.put(sup % (c["id"], c["items"][0]["id"]), {"chief_supervisor_id": ZHANGYUXIA, "supervisor_ids": []})
        self.assertEqual(r.status, 200, r)


class Calendar(BatchCase):
    def setUp(self):
        super().setUp()
        self.center = kw.center_staff()
        self.day = self.exam()

    def cal(self, s, query="", expect=200):
        r = s.get("/api/calendar?from=%s&to=%s%s" % (self.day, self.day, query))
        self.assertEqual(r.status, expect, r)
        return r.json()

    def test_calendar_batches_by_exam_date_with_people_filtered_and_scoped(self):
        a = self.submitted([self.industry(), self.national()])
        draft = self.create([self.industry(exam_date=self.exam(41))])
        got = self.cal(self.center)
        mine = [x for x in got["items"] if x["batch"]["id"] == a["id"]]
        self.assertEqual(len(mine), 2)
        weld = next(x for x in mine if x["occupation"]["id"] == OCC_WELD)
        self.assertEqual((weld["exam_date"], weld["chief_assessor"]["id"], [p["id"] for p in weld["assessors"]]),
                         (self.day, BIJIAN, [BIJIAN, SHENGLI]))
        self.assertEqual(weld["org"]["name"], kw.ORG["benz"])
        self.assertEqual(weld["batch"]["name"], a["name"])
        self.assertEqual(weld["status"], "app_org2")
        # by occupation (a direction's parent finds it), by org (a level-2 org covers its stations)
        occ = self.cal(self.center, "&occupation_id=%d" % OCC_AUTO)["items"]
        self.assertEqual([x["occupation"]["id"] for x in occ if x["batch"]["id"] == a["id"]], [OCC_AUTO])
        beiqi = kw.org_account("beiqi")
        beiqi_id = kw.psql("SELECT id FROM orgs WHERE name = '%s'" % kw.ORG["beiqi"])
        self.assertEqual(len([x for x in self.cal(self.center, "&org_id=%s" % beiqi_id)["items"]
                              if x["batch"]["id"] == a["id"]]), 2)
        robot_id = kw.psql("SELECT id FROM orgs WHERE name = '%s'" % kw.ORG["robot"])
        self.assertFalse([x for x in self.cal(self.center, "&org_id=%s" % robot_id)["items"] if x["batch"]["id"] == a["id"]])
        # drafts are not on it
        self.assertFalse([x for x in self.cal(self.center, "")["items"] if x["batch"]["id"] == draft["id"]])
        # scope: the level-2 org sees its station's batch; another station sees none, and benz's org is 404
        self.assertTrue([x for x in self.cal(beiqi)["items"] if x["batch"]["id"] == a["id"]])
        robot = kw.org_account("robot")
        self.assertFalse([x for x in self.cal(robot)["items"] if x["batch"]["id"] == a["id"]])
        self.cal(robot, "&org_id=%d" % a["org"]["id"], expect=404)
        # experts and candidates have no calendar
        self.assertEqual(expert_login("笔尖").get("/api/calendar").status, 403)

    def test_calendar_dates_checked_month_by_default(self):
        r = self.center.get("/api/calendar")
        self.assertEqual(r.status, 200, r)
        m = self.today.isoformat()[:8]
        self.assertEqual(r.json()["from"], m + "01")
        self.assertTrue(r.json()["to"].startswith(m) and int(r.json()["to"][8:]) >= 28, r.json())
        r = self.center.get("/api/calendar?from=2024-02-05")
        self.assertEqual((r.json()["from"], r.json()["to"]), ("2024-02-05", "2024-02-29"))
        for q, field in (("from=2024-13-01", "from"), ("from=2024-03-01&to=2024-02-01", "to"),
                         ("from=2024-01-01&to=2025-06-01", "to"), ("to=tomorrow", "to")):
            r = self.center.get("/api/calendar?" + q)
            self.assertEqual(r.status, 422, (q, r))
            self.assertEqual({f for f, _ in fields(r)}, {field}, q)
            self.assertNotIn("R", r.json()["error"]["message"][:1])


class ExpertCounts(BatchCase):
    def test_expert_counts_by_type_and_category_follow_the_list(self):
        staff = kw.center_staff()
        for s, query in ((staff, ""), (staff, "?role=supervisor"), (self.benz, ""), (kw.org_account("beiqi"), "?type=senior_assessor")):
            got = s.get("/api/experts/counts" + query)
            self.assertEqual(got.status, 200, got)
            c = got.json()
            listed = s.get("/api/experts%s%sper_page=1" % (query, "&" if query else "?")).json()["total"]
            self.assertEqual(c["total"], listed, query)
            by = {t["code"]: t["count"] for t in c["by_type"]}
            self.assertEqual(sum(by.values()), c["total"], (query, c))
            self.assertEqual([t["text"] for t in c["by_type"]], ["考评员", "高级考评员", "督导员"])
            self.assertEqual([t["text"] for t in c["by_category"]], ["国家职业技能鉴定", "行业能力水平评价"])
        self.assertEqual(staff.get("/api/experts/counts?role=supervisor").json()["by_type"][0]["count"], 0)
        # a station counts only its own people
        benz = self.benz.get("/api/experts/counts").json()
        self.assertLess(benz["total"], staff.get("/api/experts/counts").json()["total"])
        r = staff.get("/api/experts/counts?type=chief")
        self.assertEqual(r.status, 422, r)
        self.assertIn(("type", "enum"), fields(r))
        self.assertEqual(expert_login("笔尖").get("/api/experts/counts").status, 403)

"""test_batch.py - batches, phase 1 (lib/batch, fcgi/h_batch.c): the form (R4-R10, R12), the review
chain with 调配 (R11), statuses (R25), scope and concurrency.

Every case runs at its own moment of the business clock between 2020 and 2025 (the demo experts'
certificates are valid from 2019-03-26 to 2030-12-31) and logs in after setting it. The moments lie in
the past, so what these cases leave behind (batches, site messages) never shows above other tests' data in
lists that put the newest first."""
import datetime
import random
import re
import threading
import unittest
import urllib.parse

import kw
from test_file import DOCX, docx, png, upload

OCC_AUTO = 9           # 汽车装调工 (national: directions 10..22)
DIR_ENGINE = 10        # 汽车发动机装调工
DIR_GEARBOX = 11       # 汽车变速器装调工
OCC_VEHICLE_TEST = 23  # 机动车检测工 (奔驰站 national scope, no directions)
OCC_WELD = 45          # 汽车焊装生产线操作工 (奔驰站 industry scope)
OCC_ROBOT = 50         # 工业机器人装调维修工 (工业机器人站)

BEIQI_NAME = kw.ORG["beiqi"]
BENZ_NAME = kw.ORG["benz"]


def expert(name):
    return int(kw.psql("SELECT id FROM experts WHERE name = '%s'" % name))


QIANBI, BIJIAN, SHENGLI, JUNJUN, JIAJIA = (expert(n) for n in ("铅笔", "笔尖", "胜利", "军军", "加加"))
WANGQIANG, ZHANGYUXIA, ZANGZHENGANG = expert("王强"), expert("张玉霞"), expert("臧真刚")


def fields(r):
    return {(f.get("field"), f.get("rule")) for f in r.json()["error"].get("fields", [])}


def free_today(window=(29, 30, 31, 39, 40, 41, 42, 43, 45)):
    """A random day of 2020-2025 on which no batch that left its draft has an exam on today + the
    offsets the cases use (self.exam(30), exam(40) and the days after it): a person serves one batch a
    day (double booking), and every case uses the same cast."""
    used = set(kw.psql("SELECT DISTINCT i.exam_date FROM batch_items i JOIN batches b ON b.id = i.batch_id"
                       " WHERE b.status <> 'draft'").split())
    for _ in range(1000):
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=random.randint(0, 6 * 365 - 60))
        if not any((day + datetime.timedelta(days=d)).isoformat() in used for d in window):
            break
    return day


class BatchCase(unittest.TestCase):
    """Sets the business clock to a random day of 2020-2025 (Beijing, 10:00; see free_today) and logs
    the cast in."""

    def setUp(self):
        self.today = free_today()
        self.set_day(self.today)
        self.benz = kw.org_account("benz")

    def tearDown(self):
        kw.Clock.reset()

    def set_day(self, day, hour=10):
        """Move the clock; sessions do not survive a jump forward, so the station logs in again."""
        kw.Clock.at(datetime.datetime(day.year, day.month, day.day, hour, random.randint(0, 59), random.randint(0, 59)))
        if getattr(self, "benz", None):
            self.benz = kw.org_account("benz")

    def exam(self, days=40):
        return (self.today + datetime.timedelta(days=days)).isoformat()

    def national(self, **over):
        """汽车装调工 / 汽车发动机装调工, 高级, 8 people, chief 铅笔, assessors 军军 加加 铅笔 (like the manual)."""
        it = {"category": "national", "in_annual_plan": True, "dual_cert": True, "exam_date": self.exam(),
              "level": 3, "occupation_id": OCC_AUTO, "direction_id": DIR_ENGINE, "count": 8,
              "standard_equipped": True, "chief_assessor_id": QIANBI, "assessor_ids": [JUNJUN, JIAJIA, QIANBI]}
        it.update(over)
        return it

    def industry(self, **over):
        """汽车焊装生产线操作工, 中级, chief 笔尖, assessors 笔尖 胜利 (like the manual)."""
        it = {"category": "industry", "in_annual_plan": False, "dual_cert": False, "exam_date": self.exam(),
              "level": 4, "occupation_id": OCC_WELD, "count": 8, "standard_equipped": True,
              "chief_assessor_id": BIJIAN, "assessor_ids": [BIJIAN, SHENGLI]}
        it.update(over)
        return it

    def create(self, items=None, s=None, expect=201):
        r = (s or self.benz).post("/api/batches", {"items": items if items is not None else [self.industry(), self.national()]})
        self.assertEqual(r.status, expect, r)
        return r.json() if expect == 201 else r

    def act(self, s, batch_id, action, comment=None, expect=200):
        r = s.post("/api/batches/%d/actions/%s" % (batch_id, action), {} if comment is None else {"comment": comment})
        self.assertEqual(r.status, expect, r)
        return r.json()

    def submitted(self, items=None):
        b = self.create(items)
        return self.act(self.benz, b["id"], "submit")

    def texts(self, batch):
        return [t["text"] for t in batch["trail"]]


class FormR4(BatchCase):
    def test_R4_a_batch_needs_items(self):
        for body in ({"items": []}, {}):
            r = self.benz.post("/api/batches", body)
            self.assertEqual(r.status, 422, r)
            self.assertIn(("items", "R4"), fields(r))

    def test_R4_required_fields_each_named(self):
        r = self.create([self.industry(), {"standard_equipped": True}], expect=422)
        got = fields(r)
        for f in ("category", "exam_date", "level", "occupation_id", "count", "chief_assessor_id", "assessor_ids"):
            self.assertIn(("items[1].%s" % f, "R4"), got)
        self.assertFalse(any(f.startswith("items[0].") for f, _ in got), got)

    def test_R4_at_least_one_assessor(self):
        r = self.create([self.industry(assessor_ids=[])], expect=422)
        self.assertIn(("items[0].assessor_ids", "R4"), fields(r))

    def test_R4_dual_cert_only_for_national(self):
        r = self.create([self.industry(dual_cert=True)], expect=422)
        self.assertEqual(fields(r), {("items[0].dual_cert", "R4")})
        b = self.create([self.national(dual_cert=True)])
        self.assertTrue(b["items"][0]["dual_cert"])

    def test_R4_direction_optional_but_of_the_occupation(self):
        # optional (manual: 可以选择'职业方向'; issue 15 item 1): no direction is the whole occupation
        b = self.create([self.national(direction_id=None)])
        self.assertIsNone(b["items"][0]["direction"])
        # a direction of another occupation, or a direction for an industry item
        r = self.create([self.national(direction_id=26)], expect=422)
        self.assertEqual(fields(r), {("items[0].direction_id", "R4")})
        r = self.create([self.industry(occupation_id=OCC_AUTO, direction_id=DIR_ENGINE)], expect=422)
        self.assertIn(("items[0].direction_id", "R4"), fields(r))
        # an occupation without directions needs none; an industry item has none
        b = self.create([self.national(occupation_id=OCC_VEHICLE_TEST, direction_id=None,
                                       chief_assessor_id=QIANBI, assessor_ids=[QIANBI])], expect=422)
        self.assertNotIn(("items[0].direction_id", "R4"), fields(b))
        b = self.create([self.industry(occupation_id=OCC_AUTO)])
        self.assertIsNone(b["items"][0]["direction"])

    def test_R4_one_item_per_occupation_and_level(self):
        r = self.create([self.industry(), self.industry(count=5)], expect=422)
        self.assertEqual(fields(r), {("items[1].occupation_id", "R4")})
        self.create([self.industry(), self.industry(level=3), self.national(), self.national(direction_id=DIR_GEARBOX)])

    def test_R4_detail_has_the_manuals_columns(self):
        b = self.create()
        self.assertEqual(b["status"], "draft")
        self.assertEqual(b["status_text"], "草稿")
        self.assertIsNone(b["code"])
        ind, nat = b["items"]
        self.assertEqual((ind["category_text"], ind["level_text"], ind["occupation"]["name"], ind["count"]),
                         ("行业能力水平评价", "中级", "汽车焊装生产线操作工", 8))
        self.assertEqual(ind["chief_assessor"]["name"], "笔尖")
        self.assertEqual([a["name"] for a in ind["assessors"]], ["笔尖", "胜利"])
        self.assertEqual(nat["direction"]["name"], "汽车发动机装调工")
        self.assertEqual([a["name"] for a in nat["assessors"]], ["军军", "加加", "铅笔"])
        self.assertEqual((nat["in_annual_plan"], nat["dual_cert"], nat["standard_equipped"]), (True, True, True))
        self.assertIsNone(nat["chief_supervisor"])
        self.assertEqual(nat["supervisors"], [])
        self.assertEqual(b["actions"], ["edit", "submit"])


class DatesR5(BatchCase):
    def test_R5_exam_at_least_30_days_after_today(self):
        r = self.create([self.industry(exam_date=self.exam(29))], expect=422)
        self.assertEqual(fields(r), {("items[0].exam_date", "R5")})
        self.assertIn(self.exam(30), r.json()["error"]["fields"][0]["message"])
        b = self.create([self.industry(exam_date=self.exam(30))])
        self.assertEqual(b["items"][0]["exam_date"], self.exam(30))

    def test_R5_manual_example_june_1(self):
        # ④: today 6月1日 → exam from 7月1日 on; the window closes on 6月10日 (20 days before the exam).
        used = kw.psql("SELECT DISTINCT exam_date FROM batch_items i JOIN batches b ON b.id = i.batch_id"
                       " WHERE b.status <> 'draft'").split()  # a 7月1日 free of double booking
        year = next((y for y in range(2020, 2026) if "%d-07-01" % y not in used), self.today.year)
        self.today = datetime.date(year, 6, 1)
        self.set_day(self.today)
        y = self.today.year
        r = self.create([self.industry(exam_date="%d-06-30" % y)], expect=422)
        self.assertIn(("items[0].exam_date", "R5"), fields(r))
        b = self.create([self.industry(exam_date="%d-07-01" % y)])
        self.assertEqual(b["items"][0]["registration_closes_on"], "%d-06-10" % y)
        self.assertEqual(b["registration_closes_on"], "%d-06-10" % y)

    def test_R5_judged_in_beijing_time(self):
        # 23:30 Beijing is still "today" there (15:30 UTC); 00:30 Beijing is already the next day.
        self.set_day(self.today, hour=23)
        self.create([self.industry(exam_date=self.exam(30))])
        kw.Clock.set((self.today + datetime.timedelta(days=1)).isoformat() + "T00:30:00+08:00")
        self.benz = kw.org_account("benz")
        r = self.create([self.industry(exam_date=self.exam(30))], expect=422)
        self.assertIn(("items[0].exam_date", "R5"), fields(r))

    def test_R5_checked_again_on_submit(self):
        b = self.create([self.industry(exam_date=self.exam(30))])
        self.set_day(self.today + datetime.timedelta(days=1))
        r = self.benz.post("/api/batches/%d/actions/submit" % b["id"], {})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r), {("items[0].exam_date", "R5")})
        self.assertEqual(self.benz.get("/api/batches/%d" % b["id"]).json()["status"], "draft")

    def test_R5_malformed_dates(self):
        for d in ("2025-02-30", "2025/07/01", "tomorrow", 20250701):
            r = self.create([self.industry(exam_date=d)], expect=422)
            self.assertTrue({f for f, _ in fields(r)} == {"items[0].exam_date"}, (d, r))


class LevelsR6(BatchCase):
    def setUp(self):
        super().setUp()
        kw.psql("UPDATE occupations SET levels = '{3,4,5}' WHERE id = %d" % OCC_VEHICLE_TEST)

    def tearDown(self):
        kw.psql("UPDATE occupations SET levels = '{1,2,3,4,5}' WHERE id = %d" % OCC_VEHICLE_TEST)
        super().tearDown()

    def test_R6_level_defined_by_the_occupations_standard(self):
        item = self.national(occupation_id=OCC_VEHICLE_TEST, direction_id=None, level=2)
        item["syllabus_file_id"] = upload(self.benz, docx(), "大纲.docx", DOCX).json()["id"]
        r = self.create([item], expect=422)
        got = fields(r)
        self.assertIn(("items[0].level", "R6"), got)
        self.assertNotIn(("items[0].occupation_id", "R7"), got)
        r = self.create([self.national(level=6)], expect=422)
        self.assertIn("items[0].level", {f for f, _ in fields(r)})


class ScopeR7(BatchCase):
    def test_R7_occupation_outside_the_approved_scope(self):
        r = self.create([self.industry(occupation_id=OCC_ROBOT, chief_assessor_id=WANGQIANG,
                                       assessor_ids=[WANGQIANG])], expect=422)
        self.assertIn(("items[0].occupation_id", "R7"), fields(r))
        # 焊装 is in the 奔驰站's industry scope, not its national one
        r = self.create([self.national(occupation_id=OCC_WELD, direction_id=None, dual_cert=False,
                                       chief_assessor_id=BIJIAN, assessor_ids=[BIJIAN])], expect=422)
        self.assertIn(("items[0].occupation_id", "R7"), fields(r))

    def test_R7_a_direction_counts_through_its_occupation(self):
        b = self.create([self.national(direction_id=DIR_GEARBOX)])
        self.assertEqual(b["items"][0]["direction"]["name"], "汽车变速器装调工")
        r = self.create([self.national(occupation_id=DIR_ENGINE, direction_id=None)], expect=422)
        self.assertIn(("items[0].occupation_id", "R4"), fields(r))


class CountR8(BatchCase):
    def test_R8_count_between_1_and_100(self):
        for n in (0, 101, -3):
            r = self.create([self.industry(), self.industry(level=3, count=n)], expect=422)
            self.assertEqual(fields(r), {("items[1].count", "R8")}, n)
        b = self.create([self.industry(count=1), self.industry(level=3, count=100)])
        self.assertEqual([i["count"] for i in b["items"]], [1, 100])


class AssessorsR9(BatchCase):
    def test_R9_assessors_of_this_station_for_this_occupation(self):
        r = self.create([self.national(chief_assessor_id=WANGQIANG, assessor_ids=[JUNJUN, ZHANGYUXIA])], expect=422)
        self.assertEqual(fields(r), {("items[0].chief_assessor_id", "R9"), ("items[0].assessor_ids[1]", "R9")})
        # 铅笔's certificates cover 汽车装调工 only, not 焊装
        r = self.create([self.industry(chief_assessor_id=QIANBI, assessor_ids=[BIJIAN, QIANBI])], expect=422)
        self.assertEqual(fields(r), {("items[0].chief_assessor_id", "R9"), ("items[0].assessor_ids[1]", "R9")})

    def test_R9_certificate_valid_on_the_exam_date(self):
        # A new assessor of the 奔驰站 whose 焊装 certificate ends 40 days from today.
        ends = self.today + datetime.timedelta(days=40)
        r = kw.center_staff().post("/api/experts", {
            "name": "测试有效期考评员", "id_number": kw.id_number(), "role": "assessor",
            "org_id": self.benz.user["org_id"], "phone": "13800000002", "email": "r9@kaowu.example",
            "certificates": [{"category": "industry", "cert_no": "19%013d" % random.randint(0, 10 ** 13 - 1),
                              "type": "assessor", "occupation_ids": [OCC_WELD],
                              "issued_on": (self.today - datetime.timedelta(days=400)).isoformat(),
                              "valid_until": ends.isoformat()}]})
        self.assertEqual(r.status, 201, r)
        who = r.json()["id"]
        self.create([self.industry(exam_date=ends.isoformat(), chief_assessor_id=who, assessor_ids=[who, BIJIAN])])
        r = self.create([self.industry(exam_date=self.exam(41), chief_assessor_id=who, assessor_ids=[BIJIAN, who])],
                        expect=422)
        self.assertEqual(fields(r), {("items[0].chief_assessor_id", "R9"), ("items[0].assessor_ids[1]", "R9")})
        self.assertIn("有效期", r.json()["error"]["fields"][0]["message"])

    def test_R9_chief_may_also_be_an_assessor(self):
        b = self.create([self.industry(chief_assessor_id=BIJIAN, assessor_ids=[BIJIAN])])
        self.assertEqual(b["items"][0]["assessors"], [{"id": BIJIAN, "name": "笔尖"}])


class SyllabusR10(BatchCase):
    def test_R10_level_2_and_1_need_a_word_syllabus(self):
        for level in (2, 1):
            r = self.create([self.industry(level=level)], expect=422)
            self.assertEqual(fields(r), {("items[0].syllabus_file_id", "R10")})
        fid = upload(self.benz, docx(), "培训大纲.docx", DOCX).json()["id"]
        b = self.create([self.industry(level=2, syllabus_file_id=fid)])
        self.assertEqual(b["items"][0]["syllabus_file"], {"id": fid, "name": "培训大纲.docx"})
        self.create([self.industry(level=3)])  # 高级 needs none

    def test_R10_syllabus_must_be_doc_or_docx_of_this_station(self):
        image = upload(self.benz, png(), "大纲.png", "image/png").json()["id"]
        r = self.create([self.industry(level=1, syllabus_file_id=image)], expect=422)
        self.assertEqual(fields(r), {("items[0].syllabus_file_id", "R10")})
        other = upload(kw.org_account("robot"), docx(), "别人的大纲.docx", DOCX).json()["id"]
        r = self.create([self.industry(level=1, syllabus_file_id=other)], expect=422)
        self.assertEqual(fields(r), {("items[0].syllabus_file_id", "R10")})
        r = self.create([self.industry(level=1, syllabus_file_id=999999999)], expect=422)
        self.assertEqual(fields(r), {("items[0].syllabus_file_id", "R10")})


class ChainR11(BatchCase):
    def setUp(self):
        super().setUp()
        self.beiqi, self.staff, self.director = kw.org_account("beiqi"), kw.center_staff(), kw.center_director()

    def test_R11_chain_with_a_level2_parent(self):
        b = self.submitted()
        self.assertEqual(b["status"], "app_org2")
        self.assertEqual(b["status_text"], "等待%s审核资质" % BEIQI_NAME)
        self.assertRegex(b["code"], r"^14%s\d{9}$" % self.today.strftime("%Y%m%d"))
        self.assertEqual(self.texts(b), ["批次申请提交"])
        # the center cannot skip the level-2 org
        self.act(self.staff, b["id"], "approve", "同意", expect=409)
        self.act(self.director, b["id"], "approve", "同意", expect=409)
        self.assertEqual(self.beiqi.get("/api/batches/%d" % b["id"]).json()["actions"],
                         ["approve", "reject", "reassign"])
        b = self.act(self.beiqi, b["id"], "approve", "同意")
        self.assertEqual((b["status"], b["status_text"]), ("app_staff", "等待中心工作人员审核"))
        b = self.act(self.staff, b["id"], "approve", "同意")
        self.assertEqual((b["status"], b["status_text"]), ("app_director", "等待中心主任审核"))
        b = self.act(self.director, b["id"], "approve")
        self.assertEqual((b["status"], b["status_text"]), ("registering", "资质审核通过，报名中"))
        self.assertEqual(b["registration_closes_on"], (self.today + datetime.timedelta(days=40 - 21)).isoformat())
        self.assertEqual(self.texts(b), ["批次申请提交", "%s审核通过，审核意见：同意" % BEIQI_NAME,
                                         "中心工作人员审核通过，审核意见：同意", "中心主任审核通过，审核意见："])
        self.assertEqual([t["actor"] for t in b["trail"]], [BENZ_NAME, BEIQI_NAME, "中心工作人员", "中心主任"])
        self.assertIsNotNone(b["approved_at"])
        # once approved, nobody approves or edits it again in phase 1
        self.act(self.director, b["id"], "approve", expect=409)
        self.assertEqual(self.benz.put("/api/batches/%d" % b["id"], {"items": [self.industry()]}).status, 409)

    def test_R11_station_without_level2_parent_goes_to_the_center(self):
        robot = kw.org_account("robot")
        item = self.industry(occupation_id=OCC_ROBOT, chief_assessor_id=WANGQIANG, assessor_ids=[WANGQIANG])
        b = self.create([item], s=robot)
        b = self.act(robot, b["id"], "submit")
        self.assertEqual((b["status"], b["status_text"]), ("app_staff", "等待中心工作人员审核"))
        self.assertEqual(self.beiqi.get("/api/batches/%d" % b["id"]).status, 404)
        self.act(self.beiqi, b["id"], "approve", "同意", expect=404)
        b = self.act(self.staff, b["id"], "approve", "同意")
        b = self.act(self.director, b["id"], "approve", "同意")
        self.assertEqual(b["status"], "registering")
        self.assertEqual(self.texts(b), ["批次申请提交", "中心工作人员审核通过，审核意见：同意",
                                         "中心主任审核通过，审核意见：同意"])

    def test_R11_roles_that_never_may_get_403(self):
        b = self.submitted()
        self.act(self.benz, b["id"], "approve", "同意", expect=403)
        self.act(self.benz, b["id"], "reject", "不同意", expect=403)
        self.act(self.beiqi, b["id"], "submit", expect=403)
        self.act(self.staff, b["id"], "submit", expect=403)
        self.act(self.staff, b["id"], "confirm_receipt", expect=403)
        self.act(self.benz, b["id"], "ship", expect=403)
        self.act(self.benz, b["id"], "fly", expect=404)
        assessor = kw.login("assessor", "422201199001176250")
        self.assertEqual(assessor.get("/api/batches/%d" % b["id"]).status, 403)

    def test_R11_not_allowed_in_the_status_is_409(self):
        b = self.create()
        self.act(self.benz, b["id"], "approve", expect=403)
        self.act(self.benz, b["id"], "submit_registration", expect=409)
        r = self.benz.post("/api/batches/%d/actions/confirm_receipt" % b["id"], {})
        self.assertEqual(r.status, 409)
        self.assertIn("草稿", r.json()["error"]["message"])
        b = self.act(self.benz, b["id"], "submit")
        self.act(self.benz, b["id"], "submit", expect=409)  # the same action twice
        self.assertEqual(self.benz.put("/api/batches/%d" % b["id"], {"items": [self.industry()]}).status, 409)

    def test_R11_reject_returns_it_editable_and_resubmittable(self):
        b = self.submitted()
        r = self.beiqi.post("/api/batches/%d/actions/reject" % b["id"], {"comment": "  "})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r), {("comment", "R11")})
        r = self.beiqi.post("/api/batches/%d/actions/approve" % b["id"], {"comment": "意" * 501})
        self.assertEqual((r.status, fields(r)), (422, {("comment", "length")}))
        b = self.act(self.beiqi, b["id"], "approve", "同意")
        b = self.act(self.staff, b["id"], "reject", "考评员不足")
        self.assertEqual((b["status"], b["status_text"]), ("app_rejected", "资质审核被中心工作人员拒绝"))
        self.assertEqual(self.texts(b)[-1], "中心工作人员拒绝，审核意见：考评员不足")
        self.assertEqual(self.benz.get("/api/batches/%d" % b["id"]).json()["actions"], ["edit", "submit"])
        # edit: one more assessor on the industry item
        r = self.benz.put("/api/batches/%d" % b["id"],
                          {"items": [self.industry(assessor_ids=[BIJIAN, SHENGLI, JUNJUN]), self.national()]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "app_rejected")
        b = self.act(self.benz, b["id"], "submit")
        self.assertEqual(b["status"], "app_org2")
        self.assertEqual(self.texts(b)[-1], "批次申请重新提交")
        self.assertEqual([a["name"] for a in b["items"][0]["assessors"]], ["笔尖", "胜利", "军军"])
        b = self.act(self.beiqi, b["id"], "reject", "请补充材料")
        self.assertEqual(b["status_text"], "资质审核被%s拒绝" % BEIQI_NAME)

    def test_R11_messages_to_the_station_and_the_reviewers(self):
        self.assertEqual(self.benz.post("/api/messages/read-all").status, 200)
        b = self.submitted()
        link = "/app/batches/%d" % b["id"]

        def sent():
            """(org code, role or '', text) of the batch's messages, oldest first."""
            out = kw.psql("SELECT o.code || '|' || coalesce(m.role, '') || '|' || m.text FROM messages m"
                          " JOIN orgs o ON o.id = m.org_id WHERE m.link = '%s' ORDER BY m.id" % link)
            return [tuple(line.split("|", 2)) for line in out.splitlines()]

        self.assertEqual(sent(), [("49003000", "", "%s等待您审核资质" % b["name"])])
        self.act(self.beiqi, b["id"], "approve", "同意")
        self.assertEqual(sent()[1:], [("49003031", "", "您提交的批次申请已通过%s审核，请查看" % BEIQI_NAME),
                                      ("49000000", "center_staff", "%s等待您审核资质" % b["name"])])
        self.act(self.staff, b["id"], "approve", "同意")
        self.assertEqual(sent()[-1], ("49000000", "center_director", "%s等待您审核资质" % b["name"]))
        self.act(self.director, b["id"], "approve", "同意")
        self.assertEqual(sent()[-1], ("49003031", "", "您提交的批次申请已通过审核，请查看"))
        # the station reads it through the API (站内信, 点击进入 → the batch)
        items = self.benz.get("/api/messages?unread=1&per_page=100").json()["items"]
        self.assertIn(link, {m["link"] for m in items})
        b2 = self.submitted([self.industry(exam_date=self.exam(41))])  # (another day: no double booking)
        self.act(self.beiqi, b2["id"], "reject", "不同意")
        out = kw.psql("SELECT text FROM messages WHERE link = '/app/batches/%d' ORDER BY id DESC LIMIT 1" % b2["id"])
        self.assertEqual(out, "您提交的批次被拒绝，请查看详情")

    def test_R11_reassign_assessors_with_the_manuals_trail(self):
        b = self.submitted()
        ind, nat = b["items"]
        url = "/api/batches/%d/items/%d/assessors" % (b["id"], nat["id"])
        # the level-2 org may 调配 while the batch waits for it
        r = self.beiqi.put(url, {"chief_assessor_id": JUNJUN, "assessor_ids": [JUNJUN, JIAJIA, QIANBI]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.texts(r.json())[-1], "%s将考评组长铅笔调配为军军" % BEIQI_NAME)
        self.act(self.beiqi, b["id"], "approve", "同意")
        self.act(self.staff, b["id"], "approve", "同意")
        # the director: chief 军军 → 铅笔; 笔尖 胜利 → 笔尖 胜利 加加 on the industry item
        r = self.director.put(url, {"chief_assessor_id": QIANBI, "assessor_ids": [JUNJUN, JIAJIA, QIANBI]})
        self.assertEqual(r.status, 200, r)
        r = self.director.put("/api/batches/%d/items/%d/assessors" % (b["id"], ind["id"]),
                              {"chief_assessor_id": BIJIAN, "assessor_ids": [BIJIAN, SHENGLI, JIAJIA]})
        self.assertEqual(r.status, 200, r)
        b = r.json()
        self.assertEqual(self.texts(b)[-2:], ["中心主任将考评组长军军调配为铅笔",
                                               "中心主任将考评员笔尖 胜利 调配为 笔尖 胜利 加加"])
        self.assertEqual(b["trail"][-1]["item_id"], ind["id"])
        self.assertEqual([a["name"] for a in b["items"][0]["assessors"]], ["笔尖", "胜利", "加加"])
        self.assertEqual(b["items"][1]["chief_assessor"]["name"], "铅笔")
        self.assertEqual(b["status"], "app_director")

    def test_R11_reassign_only_eligible_people_and_only_reviewers_in_their_turn(self):
        b = self.submitted()
        item = b["items"][1]
        url = "/api/batches/%d/items/%d/assessors" % (b["id"], item["id"])
        body = {"chief_assessor_id": QIANBI, "assessor_ids": [JUNJUN]}
        self.assertEqual(self.benz.put(url, body).status, 403)          # the station never reassigns
        self.assertEqual(self.staff.put(url, body).status, 409)         # not the center's turn yet
        r = self.beiqi.put(url, {"chief_assessor_id": WANGQIANG, "assessor_ids": [JUNJUN, ZHANGYUXIA]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r), {("chief_assessor_id", "R9"), ("assessor_ids[1]", "R9")})
        r = self.beiqi.put(url, {"chief_assessor_id": QIANBI, "assessor_ids": [JIAJIA, QIANBI, JUNJUN]})
        self.assertEqual(r.status, 409, r)  # the same people: nothing to reassign
        self.assertEqual(self.beiqi.put("/api/batches/%d/items/999999999/assessors" % b["id"], body).status, 404)
        draft = self.create([self.industry(exam_date=self.exam(41))])  # (another day: no double booking)
        self.assertEqual(self.beiqi.put("/api/batches/%d/items/%d/assessors" % (draft["id"], draft["items"][0]["id"]),
                                        body).status, 404)  # a draft is the station's alone

    def test_R11_center_assigns_supervisors(self):
        b = self.submitted()
        ind, nat = b["items"]
        url = "/api/batches/%d/items/%d/supervisors" % (b["id"], ind["id"])
        self.assertEqual(self.beiqi.put(url, {"chief_supervisor_id": ZHANGYUXIA}).status, 403)
        self.act(self.beiqi, b["id"], "approve", "同意")
        r = self.staff.put(url, {"chief_supervisor_id": JUNJUN, "supervisor_ids": [WANGQIANG]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r), {("chief_supervisor_id", "R11"), ("supervisor_ids[0]", "R11")})
        self.act(self.staff, b["id"], "approve", "同意")
        r = self.director.put(url, {"chief_supervisor_id": ZHANGYUXIA, "supervisor_ids": []})
        self.assertEqual(r.status, 200, r)
        r = self.director.put("/api/batches/%d/items/%d/supervisors" % (b["id"], nat["id"]),
                              {"chief_supervisor_id": ZANGZHENGANG, "supervisor_ids": []})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.texts(r.json())[-2:], ["中心主任将督导组长调配为 张玉霞", "中心主任将督导组长调配为 臧真刚"])
        r = self.director.put(url, {"chief_supervisor_id": ZHANGYUXIA, "supervisor_ids": [ZANGZHENGANG]})
        self.assertEqual(r.status, 200, r)
        b = r.json()
        self.assertEqual(self.texts(b)[-1], "中心主任将督导员调配为 臧真刚")
        self.assertEqual(b["items"][0]["chief_supervisor"]["name"], "张玉霞")
        self.assertEqual([p["name"] for p in b["items"][0]["supervisors"]], ["臧真刚"])
        self.assertEqual(self.director.put(url, {"chief_supervisor_id": ZHANGYUXIA,
                                                 "supervisor_ids": [ZANGZHENGANG]}).status, 409)


class NamesR12(BatchCase):
    def test_R12_name_counts_per_org_and_year(self):
        a = self.create([self.industry()])
        b = self.create([self.industry()])
        m = re.fullmatch(r"%s(\d{4})年第(\d+)次鉴定" % BENZ_NAME, a["name"])
        self.assertIsNotNone(m, a["name"])
        self.assertEqual(int(m.group(1)), self.today.year)
        self.assertEqual(b["name"], "%s%d年第%d次鉴定" % (BENZ_NAME, self.today.year, int(m.group(2)) + 1))
        # another org counts on its own
        robot = kw.org_account("robot")
        n_robot = int(kw.psql("SELECT coalesce(max(seq), 0) FROM batches b JOIN orgs o ON o.id = b.org_id"
                              " WHERE o.code = '49011001' AND year = %d" % self.today.year))
        r = self.create([self.industry(occupation_id=OCC_ROBOT, chief_assessor_id=WANGQIANG,
                                       assessor_ids=[WANGQIANG])], s=robot)
        self.assertEqual(r["name"], "%s%d年第%d次鉴定" % (kw.ORG["robot"], self.today.year, n_robot + 1))

    def test_R12_parallel_creations_get_distinct_numbers(self):
        results, body = [], {"items": [self.industry()]}

        def go():
            results.append(self.benz.post("/api/batches", body))

        threads = [threading.Thread(target=go) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([r.status for r in results], [201] * 8)
        ns = sorted(int(re.search(r"第(\d+)次", r.json()["name"]).group(1)) for r in results)
        self.assertEqual(ns, list(range(ns[0], ns[0] + 8)))


class ListR25(BatchCase):
    def test_R25_statuses_of_all_six_phases(self):
        r = self.benz.get("/api/batches/statuses")
        self.assertEqual(r.status, 200, r)
        texts = {s["code"]: s["text"] for s in r.json()["items"]}
        self.assertEqual({s["phase"] for s in r.json()["items"]}, {1, 2, 3, 4, 5, 6})
        for t in ("等待{org}审核资质", "等待中心工作人员审核", "等待中心主任审核", "资质审核被{org}拒绝",
                  "资质审核通过，报名中", "等待{org}审核报名资质", "证书制作完成", "证书已寄出"):
            self.assertIn(t, texts.values())
        rows = r.json()["transitions"]
        self.assertTrue(all(x["from"] in texts and x["to"] in texts for x in rows))
        implemented = {(x["from"], x["action"]) for x in rows if x["implemented"]}
        self.assertIn(("app_director", "approve"), implemented)
        self.assertIn(("registering", "submit_registration"), implemented)

    def test_R25_list_filter_and_sort(self):
        draft = self.create()
        waiting = self.submitted()
        self.set_day(self.today, hour=11)
        rejected = self.submitted([self.industry(exam_date=self.exam(41)), self.national(exam_date=self.exam(41))])
        self.act(kw.org_account("beiqi"), rejected["id"], "reject", "不同意")
        # (other cases put batches on other days: each one is found by its name)
        def find(s, b, query=""):
            r = s.get("/api/batches?q=%s%s" % (urllib.parse.quote(b["name"]), query))
            self.assertEqual(r.status, 200, r)
            return r.json()["items"]

        self.assertEqual([x["status_text"] for x in find(self.benz, draft)], ["草稿"])
        self.assertEqual([x["status_text"] for x in find(self.benz, waiting)], ["等待%s审核资质" % BEIQI_NAME])
        self.assertEqual([x["status_text"] for x in find(self.benz, rejected)], ["资质审核被%s拒绝" % BEIQI_NAME])
        self.assertEqual(find(self.benz, waiting)[0]["org"], {"id": draft["org"]["id"], "name": BENZ_NAME})
        self.assertEqual(len(find(self.benz, rejected, "&status=app_rejected")), 1)
        self.assertEqual(len(find(self.benz, rejected, "&status=draft,app_org2")), 0)
        self.assertEqual(len(find(self.benz, draft, "&status=app_rejected,draft")), 1)
        r = self.benz.get("/api/batches?status=app_rejected&per_page=100")
        self.assertTrue(r.json()["items"])
        self.assertEqual({b["status"] for b in r.json()["items"]}, {"app_rejected"})
        self.assertEqual(self.benz.get("/api/batches?status=nope").status, 422)
        self.assertEqual(self.benz.get("/api/batches?sort=name").status, 422)
        for sort in ("-updated_at", "updated_at", "created_at"):
            items = self.benz.get("/api/batches?per_page=100&sort=%s" % sort).json()["items"]
            key = "created_at" if sort == "created_at" else "updated_at"
            times = [b[key] for b in items]
            self.assertEqual(times, sorted(times, reverse=sort.startswith("-")), sort)
        # the level-2 org sees the submitted ones but no drafts, and has the waiting one in its to-do
        beiqi = kw.org_account("beiqi")
        self.assertEqual(len(find(beiqi, waiting)), 1)
        self.assertEqual(find(beiqi, draft), [])
        todo = beiqi.get("/api/batches?todo=1&per_page=100").json()["items"]
        self.assertTrue(all(b["waiting_for_me"] and b["status"].endswith("_org2") for b in todo), todo)
        self.assertEqual(len(find(beiqi, waiting, "&todo=1")), 1)
        self.assertEqual(find(beiqi, rejected, "&todo=1"), [])
        self.assertEqual(beiqi.get("/api/batches/%d" % draft["id"]).status, 404)
        q = self.benz.get("/api/batches?q=%s" % urllib.parse.quote(waiting["code"])).json()["items"]
        self.assertEqual([b["id"] for b in q], [waiting["id"]])


class Scope(BatchCase):
    def test_sibling_station_gets_404(self):
        b = self.submitted()
        baic = kw.org_account("baic")
        self.assertEqual(baic.get("/api/batches/%d" % b["id"]).status, 404)
        self.assertEqual(baic.get("/api/batches?q=%s" % urllib.parse.quote(b["name"])).json()["items"], [])
        self.assertEqual(baic.put("/api/batches/%d" % b["id"], {"items": [self.industry()]}).status, 404)
        self.assertEqual(baic.post("/api/batches/%d/actions/submit" % b["id"], {}).status, 404)
        robot = kw.org_account("robot")
        self.assertEqual(robot.get("/api/batches/%d" % b["id"]).status, 404)
        for s in (kw.org_account("beiqi"), kw.center_staff(), kw.center_director()):
            self.assertEqual(s.get("/api/batches/%d" % b["id"]).status, 200)
        self.assertEqual(kw.get("/api/batches/%d" % b["id"]).status, 401)


class Concurrency(BatchCase):
    def test_twenty_parallel_approvals_one_wins(self):
        b = self.submitted()
        self.act(kw.org_account("beiqi"), b["id"], "approve", "同意")
        sessions = [kw.center_staff() for _ in range(4)]
        results = []
        lock = threading.Lock()

        def go(i):
            r = sessions[i % len(sessions)].post("/api/batches/%d/actions/approve" % b["id"], {"comment": "同意%d" % i})
            with lock:
                results.append(r.status)

        threads = [threading.Thread(target=go, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [200] + [409] * 19)
        detail = kw.center_director().get("/api/batches/%d" % b["id"]).json()
        self.assertEqual(detail["status"], "app_director")
        staff_lines = [t for t in detail["trail"] if t["actor"] == "中心工作人员"]
        self.assertEqual(len(staff_lines), 1, staff_lines)
        self.assertEqual(kw.psql("SELECT count(*) FROM batch_trail WHERE batch_id = %d AND from_status = 'app_staff'"
                                 % b["id"]), "1")

    def test_approve_and_reject_at_once(self):
        b = self.submitted()
        beiqi = kw.org_account("beiqi")
        results = []

        def go(action):
            results.append((action, beiqi.post("/api/batches/%d/actions/%s" % (b["id"], action),
                                               {"comment": "意见"}).status))

        threads = [threading.Thread(target=go, args=(a,)) for a in ("approve", "reject") * 5]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(s for _, s in results), [200] + [409] * 9)
        self.assertEqual(kw.psql("SELECT count(*) FROM batch_trail WHERE batch_id = %d" % b["id"]), "2")


if __name__ == "__main__":
    unittest.main()


class DocumentedLimits(BatchCase):
    """The limits /api/openapi.json documents are the ones the server enforces (one source:
    a number changed in C or in fcgi/api/batches.json alone fails here)."""

    def schema(self, name):
        return kw.Session().get("/api/openapi.json").json()["components"]["schemas"][name]

    def test_R4_items_per_batch_as_documented(self):
        top = self.schema("BatchForm")["properties"]["items"]["maxItems"]
        r = self.create([self.industry()] * (top + 1), expect=422)
        self.assertIn("items", {f for f, _ in fields(r)})
        self.assertTrue(any("%d" % top in e["message"] for e in r.json()["error"]["fields"]), r)

    def test_R4_assessors_per_item_as_documented(self):
        top = self.schema("BatchForm")["properties"]["items"]["items"]["properties"]["assessor_ids"]["maxItems"]
        self.assertEqual(top, self.schema("BatchAssessors")["properties"]["assessor_ids"]["maxItems"])
        r = self.create([self.industry(assessor_ids=list(range(1, top + 2)))], expect=422)
        self.assertIn("items[0].assessor_ids", {f for f, _ in fields(r)})
        self.assertTrue(any("%d" % top in e["message"] for e in r.json()["error"]["fields"]), r)

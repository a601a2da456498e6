"""test_enroll.py - candidate enrollment (lib/enroll, fcgi/h_enroll.c): open items and the
registration window (R5), the form (R13), the station's roster and rejection (R14), ages from the ID
number (R29), and who may see enrollments and their uploads.

Each case creates and approves its own batch of 奔驰站 (through 北汽分中心, staff01, director01) at a
random day of 2020-2025 (BatchCase), registers fresh candidates and enrolls them."""
import datetime
import urllib.parse

import kw
from test_batch import BatchCase, OCC_WELD
from test_file import DOCX, docx, jpg, png, upload


def fields(r):
    return {(f.get("field"), f.get("rule")) for f in r.json()["error"].get("fields", [])}


class EnrollCase(BatchCase):
    """An approved batch (报名中) with an industry item (汽车焊装生产线操作工 中级, level 4) and a
    national one (汽车装调工/发动机 高级, level 3); exam 40 days after today."""

    def setUp(self):
        super().setUp()
        self.beiqi, self.staff, self.director = kw.org_account("beiqi"), kw.center_staff(), kw.center_director()
        b = self.submitted()
        self.act(self.beiqi, b["id"], "approve", "同意")
        self.act(self.staff, b["id"], "approve", "同意")
        self.batch = self.act(self.director, b["id"], "approve")
        self.assertEqual(self.batch["status"], "registering")
        items = {it["level"]: it for it in self.batch["items"]}
        self.item4, self.item3 = items[4]["id"], items[3]["id"]
        self.cand, self.cand_id, self.cand_name = self.candidate()

    def candidate(self, name="张考生"):
        user, pw, idn, r = kw.register_candidate(real_name=name, phone="13800001111")
        self.assertIn(r.status, (200, 201), r)
        s = kw.Session()
        s.login("candidate", user, pw)
        return s, idn, name

    def image(self, s, kind="png"):
        r = upload(s, png() if kind == "png" else jpg(), "photo.%s" % kind, None)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def employed(self, s, item=None, **over):
        f = {"batch_item_id": item or self.item4, "identity": "employed", "education": "高中",
             "employer": "北京汽车厂", "employer_type": "国有企业", "occupation_now": "焊装工",
             "work_start": (self.today - datetime.timedelta(days=365 * 7 + 10)).isoformat(),
             "years_in_trade": 7,
             "history": [{"from": "2010-07-01", "to": None, "place": "北京汽车厂", "dept": "焊装车间",
                          "work": "焊装"}],
             "prior_cert": None, "photo_file_id": self.image(s), "id_card_file_id": self.image(s, "jpg"),
             "condition": "2", "dual_cert": False,
             # fixed fields in the body are ignored (R13: they come from the account)
             "real_name": "冒名", "id_number": "110101199001010000", "phone": "10000000000"}
        f.update(over)
        return f

    def student(self, s, **over):
        f = {"batch_item_id": self.item4, "identity": "student", "education": "中专",
             "school": "北京市工业技师学院", "major": "汽车制造", "enrolled_on": "2018-09-01",
             "history": [{"from": "2018-09-01", "place": "北京市工业技师学院", "work": "学习"}],
             "photo_file_id": self.image(s), "id_card_file_id": self.image(s),
             "student_card_file_id": self.image(s), "condition": "3"}
        f.update(over)
        return f

    def prior(self, s, **over):
        p = {"level": 5, "name": "汽车焊装生产线操作工", "no": "1649003000511576",
             "issuer": "机械工业职业技能鉴定指导中心", "file_id": self.image(s)}
        p.update(over)
        return p

    def enroll(self, s, form, expect=201):
        r = s.post("/api/enrollments", form)
        self.assertEqual(r.status, expect, r)
        return r.json() if expect == 201 else r


class FormR13(EnrollCase):
    def test_R13_employed_happy_path_fixed_fields_from_the_account(self):
        form = self.employed(self.cand)
        p = self.cand.post("/api/enrollments/preview", form)
        self.assertEqual(p.status, 200, p)
        self.assertEqual(p.json()["hint"]["condition"], "2")  # 7 years, no certificate
        self.assertEqual(self.cand.get("/api/enrollments/mine").json()["items"], [])  # preview saves nothing
        e = self.enroll(self.cand, form)
        self.assertEqual((e["real_name"], e["id_number"], e["phone"]), (self.cand_name, self.cand_id, "13800001111"))
        self.assertEqual((e["status"], e["status_text"]), ("submitted", "等待审核"))
        self.assertEqual(e["employer"], "北京汽车厂")
        self.assertIn("累计从事本职业或相关职业工作6年", e["condition_text"])
        self.assertEqual(len(e["history"]), 1)
        mine = self.cand.get("/api/enrollments/mine").json()["items"]
        self.assertEqual([(m["id"], m["status_text"]) for m in mine], [(e["id"], "等待审核")])
        self.assertEqual(mine[0]["item"]["id"], self.item4)

    def test_R13_student_happy_path(self):
        e = self.enroll(self.cand, self.student(self.cand))
        self.assertEqual((e["identity"], e["identity_text"], e["school"]), ("student", "在校学生", "北京市工业技师学院"))
        self.assertIsNone(e["employer"])
        self.assertIsNotNone(e["student_card_file_id"])

    def test_R13_student_needs_school_and_student_card(self):
        r = self.enroll(self.cand, self.student(self.cand, school="", student_card_file_id=None), expect=422)
        self.assertTrue({("school", "required"), ("student_card_file_id", "R13")} <= fields(r), fields(r))

    def test_R13_one_per_candidate_per_item_409_naming_it(self):
        self.enroll(self.cand, self.employed(self.cand))
        r = self.enroll(self.cand, self.employed(self.cand), expect=409)
        self.assertIn("汽车焊装生产线操作工", r.json()["error"]["message"])
        self.assertIn("只能报名一次", r.json()["error"]["message"])
        # another item of the same batch is another enrollment
        self.enroll(self.cand, self.employed(self.cand, item=self.item3, condition="1",
                                             prior_cert=self.prior(self.cand, level=4)))

    def test_R13_immutable_no_update(self):
        e = self.enroll(self.cand, self.employed(self.cand))
        self.assertIn(self.cand.put("/api/enrollments/%d" % e["id"], self.employed(self.cand)).status, (404, 405))
        self.assertIn(self.cand.delete("/api/enrollments/%d" % e["id"]).status, (404, 405))

    def test_R13_prior_certificate_all_or_none(self):
        partial = {"level": 5, "name": "汽车焊装生产线操作工"}
        r = self.enroll(self.cand, self.employed(self.cand, prior_cert=partial), expect=422)
        self.assertTrue({("prior_cert.no", "R13"), ("prior_cert.issuer", "R13"), ("prior_cert.file_id", "R13")}
                        <= fields(r), fields(r))
        self.assertNotIn("R13", r.json()["error"]["message"])

    def test_R13_prior_certificate_number_16_or_19_digits(self):
        r = self.enroll(self.cand, self.employed(self.cand, prior_cert=self.prior(self.cand, no="164900300051157")),
                        expect=422)
        self.assertIn(("prior_cert.no", "R13"), fields(r))
        e = self.enroll(self.cand, self.employed(self.cand, prior_cert=self.prior(self.cand, no="1420190410134331725")))
        self.assertEqual(e["prior_cert"]["no"], "1420190410134331725")

    def test_R13_condition_needing_a_certificate_requires_it(self):
        r = self.enroll(self.cand, self.employed(self.cand, condition="1"), expect=422)
        self.assertIn(("prior_cert", "R13"), fields(r))
        e = self.enroll(self.cand, self.employed(self.cand, condition="1", prior_cert=self.prior(self.cand)))
        self.assertEqual(e["prior_cert"]["level"], 5)

    def test_R13_condition_of_the_level_or_other_with_text(self):
        r = self.enroll(self.cand, self.employed(self.cand, condition="4"), expect=422)  # level 4 has (1)-(3)
        self.assertIn(("condition", "R13"), fields(r))
        r = self.enroll(self.cand, self.employed(self.cand, condition="other"), expect=422)
        self.assertIn(("condition_other", "required"), fields(r))
        e = self.enroll(self.cand, self.employed(self.cand, condition="other", condition_other="企业内部推荐"))
        self.assertEqual(e["condition_text"], "其他：企业内部推荐")

    def test_R13_images_required_and_checked_by_content(self):
        r = self.enroll(self.cand, self.employed(self.cand, photo_file_id=None), expect=422)
        self.assertIn(("photo_file_id", "R13"), fields(r))
        doc = upload(self.cand, docx(), "photo.docx", DOCX).json()["id"]
        r = self.enroll(self.cand, self.employed(self.cand, id_card_file_id=doc), expect=422)
        self.assertIn(("id_card_file_id", "R13"), fields(r))
        # a file named .png that is not an image never becomes one
        bad = upload(self.cand, b"GIF89a" + b"\0" * 32, "me.png", None)
        self.assertEqual(bad.status, 422, bad)
        # another candidate's image is not yours
        other, _, _ = self.candidate("李考生")
        r = self.enroll(self.cand, self.employed(self.cand, photo_file_id=self.image(other)), expect=422)
        self.assertIn(("photo_file_id", "R13"), fields(r))

    def test_R13_required_fields_named_in_chinese(self):
        r = self.enroll(self.cand, {"batch_item_id": self.item4, "identity": "employed"}, expect=422)
        got = fields(r)
        for f in ("education", "employer", "employer_type", "work_start", "history", "photo_file_id",
                  "id_card_file_id", "condition"):
            self.assertIn(f, {x[0] for x in got}, got)
        self.assertEqual(self.enroll(self.cand, {"batch_item_id": 999999999}, expect=404).status, 404)

    def test_R13_another_candidates_enrollment_is_404(self):
        e = self.enroll(self.cand, self.employed(self.cand))
        other, _, _ = self.candidate("李考生")
        self.assertEqual(other.get("/api/enrollments/%d" % e["id"]).status, 404)
        self.assertEqual(other.post("/api/enrollments/%d/stamped-form" % e["id"],
                                    {"file_ids": [self.image(other)]}).status, 404)
        self.assertEqual(other.get("/api/files/%d" % e["photo_file_id"]).status, 404)

    def test_R13_stamped_form_images_of_the_owner(self):
        e = self.enroll(self.cand, self.employed(self.cand))
        ids = [self.image(self.cand), self.image(self.cand, "jpg")]
        r = self.cand.post("/api/enrollments/%d/stamped-form" % e["id"], {"file_ids": ids})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["stamped_file_ids"], ids)
        r = self.cand.post("/api/enrollments/%d/stamped-form" % e["id"], {"file_ids": []})
        self.assertEqual(r.status, 422, r)


class WindowR5(EnrollCase):
    def test_R5_open_items_until_exam_date_minus_21(self):
        listed = lambda s: {it["id"] for it in s.get("/api/open-items").json()["items"]}
        self.assertTrue({self.item4, self.item3} <= listed(self.cand))
        o = self.cand.get("/api/open-items?org_id=%d" % self.batch["org"]["id"]).json()
        it = [i for i in o["items"] if i["id"] == self.item4][0]
        self.assertEqual(it["closes_on"], self.exam(40 - 21))
        self.assertEqual(it["occupation"]["id"], OCC_WELD)
        self.assertEqual(len(it["conditions"]), 4)  # level 4: (1)-(3) and 其他
        self.assertIn(self.batch["org"]["id"], [x["id"] for x in o["orgs"]])
        self.assertTrue(o["regions"])
        # the last day still takes enrollments
        self.set_day(self.today + datetime.timedelta(days=19))
        self.cand, _, _ = self.candidate()
        self.assertIn(self.item4, listed(self.cand))
        self.enroll(self.cand, self.employed(self.cand))

    def test_R5_refused_after_closing_with_the_dates(self):
        self.set_day(self.today + datetime.timedelta(days=20))
        self.cand, _, _ = self.candidate()
        self.assertNotIn(self.item4, {it["id"] for it in self.cand.get("/api/open-items").json()["items"]})
        r = self.enroll(self.cand, self.employed(self.cand), expect=409)
        msg = r.json()["error"]["message"]
        closes = self.today + datetime.timedelta(days=19)
        self.assertIn("%d年%d月%d日" % (closes.year, closes.month, closes.day), msg)
        self.assertIn("%d年%d月%d日" % (self.today.year, self.today.month, self.today.day), msg)
        self.assertNotIn("R5", msg)

    def test_R5_not_open_before_approval(self):
        # the next day: setUp's batch has the same people (a person serves one batch a day)
        b = self.create([self.industry(exam_date=self.exam(41)), self.national(exam_date=self.exam(41))])
        item = b["items"][0]["id"]
        r = self.enroll(self.cand, self.employed(self.cand, item=item), expect=404)
        self.assertNotIn(item, {it["id"] for it in self.cand.get("/api/open-items").json()["items"]})


class RosterR14(EnrollCase):
    def setUp(self):
        super().setUp()
        self.e = self.enroll(self.cand, self.employed(self.cand))
        self.roster_path = "/api/batches/%d/items/%d/roster" % (self.batch["id"], self.item4)

    def test_R29_roster_with_age_from_the_id_number(self):
        rows = self.benz.get(self.roster_path).json()["items"]
        self.assertEqual(len(rows), 1)
        row = rows[0]
        born = datetime.date(int(self.cand_id[6:10]), int(self.cand_id[10:12]), int(self.cand_id[12:14]))
        age = self.today.year - born.year - ((self.today.month, self.today.day) < (born.month, born.day))
        self.assertEqual((row["no"], row["source"], row["name"], row["id_number"], row["age"], row["employer"]),
                         (1, "在职人员", self.cand_name, self.cand_id, age, "北京汽车厂"))
        x = self.benz.get(self.roster_path + "?format=xlsx")
        self.assertEqual(x.status, 200, x)
        self.assertEqual(x.body[:2], b"PK")
        # reviewers above the station see it too; another station does not
        self.assertEqual(self.beiqi.get(self.roster_path).status, 200)
        self.assertEqual(self.staff.get(self.roster_path).status, 200)
        self.assertEqual(kw.org_account("robot").get(self.roster_path).status, 404)
        self.assertEqual(kw.org_account("baic").get(self.roster_path).status, 404)

    def test_R14_station_sees_details_and_uploads(self):
        self.assertEqual(self.benz.get("/api/enrollments/%d" % self.e["id"]).status, 200)
        self.assertEqual(self.benz.get("/api/files/%d" % self.e["photo_file_id"]).status, 200)
        self.assertEqual(self.beiqi.get("/api/files/%d" % self.e["id_card_file_id"]).status, 200)
        robot = kw.org_account("robot")
        self.assertEqual(robot.get("/api/enrollments/%d" % self.e["id"]).status, 404)
        self.assertEqual(robot.get("/api/files/%d" % self.e["photo_file_id"]).status, 404)

    def test_R14_station_rejects_with_a_reason_and_tells_the_candidate(self):
        path = "/api/enrollments/%d/actions/reject" % self.e["id"]
        enrolled = lambda: {it["id"]: it["enrolled"] for it in
                            self.benz.get("/api/batches/%d" % self.batch["id"]).json()["items"]}
        self.assertEqual(enrolled()[self.item4], 1)  # items[].enrolled counts real enrollments
        self.assertEqual(self.benz.post(path, {"reason": ""}).status, 422)
        r = self.benz.post(path, {"reason": "工龄不足"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["status_text"]), ("rejected", "报名被拒绝：工龄不足"))
        self.assertEqual(self.benz.post(path, {"reason": "再拒一次"}).status, 409)
        mine = self.cand.get("/api/enrollments/mine").json()["items"]
        self.assertEqual(mine[0]["status_text"], "报名被拒绝：工龄不足")
        msgs = [m for m in self.cand.get("/api/messages?per_page=100").json()["items"] if "工龄不足" in m["text"]]
        self.assertEqual(len(msgs), 1, msgs)
        self.assertEqual(msgs[0]["link"], "/app/my-enrollments/%d" % self.e["id"])  # the candidate's own page
        rows = self.benz.get(self.roster_path).json()["items"]
        self.assertEqual(rows[0]["status"], "rejected")
        b = self.benz.get("/api/batches/%d" % self.batch["id"]).json()
        self.assertTrue(any("拒绝了考生" in t["text"] for t in b["trail"]))
        self.assertEqual(enrolled()[self.item4], 0)  # a rejected enrollment no longer counts
        # the engine's audit row keeps the move and the reason
        self.assertEqual(kw.psql("SELECT detail->>'from' || '>' || (detail->>'to') || ':' || (detail->>'comment')"
                                 " FROM audit_log WHERE action = 'enroll.reject' AND object_type = 'enrollment'"
                                 " AND object_id = %d" % self.e["id"]), "submitted>rejected:工龄不足")

    def test_R14_no_single_rejection_once_the_registration_is_submitted(self):
        path = "/api/enrollments/%d/actions/reject" % self.e["id"]
        # fixture: 提交报名 (papers, R18) is not this test's business; the batch waits for 北汽分中心
        kw.psql("UPDATE batches SET status = 'reg_org2' WHERE id = %d" % self.batch["id"])
        r = self.benz.post(path, {"reason": "太晚了"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("不能再拒绝单个考生", r.json()["error"]["message"])
        self.assertEqual(self.benz.get("/api/enrollments/%d" % self.e["id"]).json()["status"], "submitted")
        kw.psql("UPDATE batches SET status = 'reg_rejected' WHERE id = %d" % self.batch["id"])  # sent back
        self.assertEqual(self.benz.post(path, {"reason": "材料不全"}).status, 200)

    def test_R14_level2_and_center_cannot_reject_single_candidates(self):
        path = "/api/enrollments/%d/actions/reject" % self.e["id"]
        for s in (self.beiqi, self.staff, self.director):
            r = s.post(path, {"reason": "不符合"})
            self.assertEqual(r.status, 403, r)
            self.assertIn("只有鉴定站", r.json()["error"]["message"])
        self.assertEqual(kw.org_account("robot").post(path, {"reason": "x"}).status, 404)
        self.assertEqual(self.cand.post(path, {"reason": "x"}).status, 403)


class FormPdf(EnrollCase):
    def pdftext(self, body):
        import subprocess
        import tempfile
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(body)
            f.flush()
            return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True).stdout.decode()

    def test_R13_form_pdf_holds_name_id_occupation_and_level(self):
        e = self.enroll(self.cand, self.employed(self.cand, item=self.item3, condition="1",
                                                 prior_cert=self.prior(self.cand, level=4)))
        r = self.cand.get("/api/enrollments/%d/form.pdf" % e["id"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertEqual(r.body[:5], b"%PDF-")
        text = self.pdftext(r.body)
        for want in ("国家职业技能鉴定个人申报表", self.cand_name, self.cand_id, "汽车装调工", "三级/高级工"
                     if "三级" in e["item"]["level_text"] else e["item"]["level_text"], "北京汽车厂", "盖章"):
            self.assertIn(want, text)
        # the station opens it too; another candidate or station does not
        self.assertEqual(self.benz.get("/api/enrollments/%d/form.pdf" % e["id"]).status, 200)
        other, _, _ = self.candidate("李考生")
        self.assertEqual(other.get("/api/enrollments/%d/form.pdf" % e["id"]).status, 404)
        self.assertEqual(kw.org_account("robot").get("/api/enrollments/%d/form.pdf" % e["id"]).status, 404)

    def test_R13_industry_form_title_and_student_fields(self):
        e = self.enroll(self.cand, self.student(self.cand))
        text = self.pdftext(self.cand.get("/api/enrollments/%d/form.pdf" % e["id"]).body)
        self.assertIn("机械行业职业能力水平评价个人申报表", text)
        self.assertIn("北京市工业技师学院", text)
        self.assertIn("学习经历", text)


class ImagesR13(EnrollCase):
    def test_R13_images_need_a_decodable_header_with_sane_size(self):
        import struct
        bare_jpg = b"\xff\xd8\xff\xe0\x00\x04\x00\x00\xff\xd9" + b"\0" * 32
        self.assertEqual(upload(self.cand, bare_jpg, "a.jpg", None).status, 422)
        huge = bytearray(png())
        struct.pack_into(">I", huge, 16, 30000)
        self.assertEqual(upload(self.cand, bytes(huge), "a.png", None).status, 422)
        self.assertEqual(upload(self.cand, jpg(413, 579), "a.jpg", None).status, 201)
        self.assertEqual(upload(self.cand, png(1024 * 1024 + 1), "big.png", None).status, 413)

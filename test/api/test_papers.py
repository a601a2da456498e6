"""test_papers.py - batch phase 2 (lib/batch_papers.c, lib/paper_batch.c): the papers of a batch item
(查看试卷: theory xlsx through the bank importer, practical docx; R15-R17), 提交报名 on the workflow
engine and its review chain 北汽分中心 → staff01 → director01 (R18), who sees and edits papers when,
the 待审核 / ?todo=1 flag, the closed-registration status text and deleting a draft.

Each case starts from its own approved batch of 奔驰站 (EnrollCase: 报名中, an industry item at level 4
and a national one at level 3) at a random day, and its own candidates."""
import datetime
import urllib.parse

import kw
from test_bank import XLSX
from test_batch import BEIQI_NAME, BatchCase
from test_enroll import EnrollCase, fields
from test_file import DOCX, docx, ooxml
from paper_files import questions, single, xlsx


class PapersCase(EnrollCase):
    def papers_path(self, item, part=""):
        return "/api/batches/%d/items/%d/papers%s" % (self.batch["id"], item, part)

    def upload(self, s, item, data, part="theory", set_no=None, name=None, batch=None):
        path = "/api/batches/%d/items/%d/papers/%s" % (batch or self.batch["id"], item, part)
        if set_no:
            path += "?set_no=%d" % set_no
        headers = {"Content-Type": XLSX if part == "theory" else DOCX}
        if name:
            headers["X-File-Name"] = urllib.parse.quote(name)
        return s.request("POST", path, body=data, headers=headers)

    def theory(self, s, item, n, set_no=None, expect=201):
        r = self.upload(s, item, xlsx(questions(n)), set_no=set_no)
        self.assertEqual(r.status, expect, r)
        return r.json()

    def practical(self, s, item, set_no=None, expect=201):
        r = self.upload(s, item, docx(), part="practical", set_no=set_no, name="实操试卷.docx")
        self.assertEqual(r.status, expect, r)
        return r.json()

    def enroll_one(self, item):
        s, _, _ = self.candidate()
        form = self.employed(s, item=item)
        if item == self.item3:
            form.update(condition="1", prior_cert=self.prior(s, level=4))
        return self.enroll(s, form)

    def ready(self):
        """One candidate on each item, and one theory (level 4: 90, level 3: 91 questions) and one
        practical set each: what 提交报名 needs."""
        for item, n in ((self.item4, 90), (self.item3, 91)):
            self.enroll_one(item)
            self.theory(self.benz, item, n)
            self.practical(self.benz, item)


class TheoryR16R17(PapersCase):
    def test_R17_bad_rows_are_listed_and_nothing_is_saved(self):
        rows = questions(95)
        rows[3] = single("答案错的题", answer="E")
        rows[10] = ["题型错的题", "问答题", "甲", "乙", None, None, "A", "基础知识"]
        r = self.upload(self.benz, self.item4, xlsx(rows))
        self.assertEqual(r.status, 422, r)
        bad = {(f["row"], f["rule"]) for f in r.json()["error"]["fields"]}
        self.assertTrue({(4, "R17"), (11, "R17")} <= bad, bad)
        self.assertIn("未导入任何试题", r.json()["error"]["message"])
        p = self.benz.get(self.papers_path(self.item4)).json()
        self.assertEqual(p["theory"], [])

    def test_R16_theory_minimum_90_for_levels_5_to_3(self):
        r = self.upload(self.benz, self.item4, xlsx(questions(89)))
        self.assertEqual(r.status, 422, r)
        self.assertIn(("file", "R16"), fields(r))
        msg = [f["message"] for f in r.json()["error"]["fields"] if f["field"] == "file"][0]
        self.assertIn("不少于 90 题", msg)
        self.assertNotIn("R16", msg)
        p = self.theory(self.benz, self.item4, 90)
        self.assertEqual((p["set_no"], p["question_count"], p["part"]), (1, 90, "theory"))
        qs = self.benz.get("/api/papers/%d/questions" % p["id"]).json()["items"]
        self.assertEqual(len(qs), 90)
        self.assertEqual({q["type"] for q in qs}, {"single", "multi", "judge"})

    def test_R16_theory_minimum_120_for_levels_2_and_1(self):
        kw.psql("UPDATE batch_items SET level = 2 WHERE id = %d" % self.item3)
        r = self.upload(self.benz, self.item3, xlsx(questions(119)))
        self.assertEqual(r.status, 422, r)
        self.assertIn("不少于 120 题", r.json()["error"]["fields"][0]["message"])
        self.assertEqual(self.theory(self.benz, self.item3, 120)["question_count"], 120)

    def test_R16_practical_is_a_docx_by_content(self):
        r = self.upload(self.benz, self.item4, ooxml("xl/workbook.xml"), part="practical", name="实操.docx")
        self.assertEqual(r.status, 422, r)
        self.assertIn(("file", "R16"), fields(r))
        r = self.upload(self.benz, self.item4, b"not a zip", part="practical")
        self.assertEqual(r.status, 422, r)
        data = docx()
        r = self.upload(self.benz, self.item4, data, part="practical", name="实操试卷.docx")
        self.assertEqual(r.status, 201, r)
        p = self.benz.get(self.papers_path(self.item4)).json()
        self.assertEqual([(x["set_no"], x["file"]["name"]) for x in p["practical"]], [(1, "实操试卷.docx")])
        e = self.benz.get("/api/papers/%d/export?what=paper" % r.json()["id"])
        self.assertEqual((e.status, e.body), (200, data))
        self.assertEqual(self.benz.get("/api/papers/%d/export?what=answers" % r.json()["id"]).status, 409)

    def test_R16_export_paper_and_answers_as_docx(self):
        p = self.theory(self.benz, self.item4, 90)
        for what in ("paper", "answers"):
            e = self.benz.get("/api/papers/%d/export?what=%s" % (p["id"], what))
            self.assertEqual(e.status, 200, e)
            self.assertEqual(e.body[:2], b"PK")

    def test_R16_station_deletes_questions_but_not_below_the_minimum(self):
        p = self.theory(self.benz, self.item4, 91)
        qs = self.benz.get("/api/papers/%d/questions" % p["id"]).json()["items"]
        self.assertEqual(self.benz.delete("/api/papers/%d/questions/%d" % (p["id"], qs[0]["id"])).status, 204)
        r = self.benz.delete("/api/papers/%d/questions/%d" % (p["id"], qs[1]["id"]))
        self.assertEqual(r.status, 409, r)
        self.assertIn("不少于 90 题", r.json()["error"]["message"])
        self.assertEqual(len(self.benz.get("/api/papers/%d/questions" % p["id"]).json()["items"]), 90)


class SetsR15(PapersCase):
    def test_R15_one_set_up_to_10_two_from_11(self):
        p = self.benz.get(self.papers_path(self.item4)).json()
        self.assertEqual((p["enrolled"], p["sets_required"], p["min_questions"]), (0, 1, 90))
        self.assertEqual(p["missing"], ["没有已报名的考生", "缺理论知识试卷 1 套", "缺操作技能试卷 1 套"])
        first = self.enroll_one(self.item4)
        for _ in range(10):
            self.enroll_one(self.item4)
        p = self.benz.get(self.papers_path(self.item4)).json()
        self.assertEqual((p["enrolled"], p["sets_required"]), (11, 2))
        # a rejected enrollment does not count (R14)
        r = self.benz.post("/api/enrollments/%d/actions/reject" % first["id"], {"reason": "证件不清"})
        self.assertEqual(r.status, 200, r)
        p = self.benz.get(self.papers_path(self.item4)).json()
        self.assertEqual((p["enrolled"], p["sets_required"]), (10, 1))

    def test_R15_sets_numbered_replaced_and_deleted(self):
        a = self.theory(self.benz, self.item4, 90)
        b = self.theory(self.benz, self.item4, 90)
        self.assertEqual((a["set_no"], b["set_no"]), (1, 2))
        c = self.theory(self.benz, self.item4, 92, set_no=1)  # replaces set 1
        p = self.benz.get(self.papers_path(self.item4)).json()
        self.assertEqual([(x["set_no"], x["question_count"]) for x in p["theory"]], [(1, 92), (2, 90)])
        self.assertEqual(self.benz.get("/api/papers/%d/questions" % a["id"]).status, 404)
        self.theory(self.benz, self.item4, 90)
        r = self.upload(self.benz, self.item4, xlsx(questions(90)))
        self.assertEqual(r.status, 409, r)  # three sets at most
        self.assertEqual(self.upload(self.benz, self.item4, xlsx(questions(90)), set_no=4).status, 422)
        self.assertEqual(self.benz.delete(self.papers_path(self.item4, "/%d" % c["id"])).status, 204)
        self.assertEqual(self.benz.delete(self.papers_path(self.item4, "/%d" % c["id"])).status, 404)
        p = self.benz.get(self.papers_path(self.item4)).json()
        self.assertEqual([x["set_no"] for x in p["theory"]], [2, 3])


class SubmitR18(PapersCase):
    def test_R18_refused_naming_each_item_and_what_is_missing(self):
        r = self.benz.post("/api/batches/%d/actions/submit_registration" % self.batch["id"], {})
        self.assertEqual(r.status, 422, r)
        msgs = [f["message"] for f in r.json()["error"]["fields"]]
        self.assertEqual(len(msgs), 2)
        self.assertIn("汽车焊装生产线操作工（中级）：没有已报名的考生", msgs[0])
        self.assertIn("缺理论知识试卷 1 套", msgs[0])
        self.assertIn("缺操作技能试卷 1 套", msgs[1])
        self.assertNotRegex(r.json()["error"]["message"], r"R1[3-8]")
        # candidates but no papers: still refused, naming the papers
        self.enroll_one(self.item4)
        r = self.benz.post("/api/batches/%d/actions/submit_registration" % self.batch["id"], {})
        self.assertEqual(r.status, 422, r)
        self.assertIn(("items[0]", "R15"), fields(r))
        self.assertIn("缺理论知识试卷 1 套（报名 1 人，需 1 套）", r.json()["error"]["message"])
        self.assertEqual(self.benz.get("/api/batches/%d" % self.batch["id"]).json()["status"], "registering")

    def test_R18_chain_level2_staff_director_with_trail_and_messages(self):
        self.ready()
        bid, link = self.batch["id"], "/app/batches/%d" % self.batch["id"]
        b = self.act(self.benz, bid, "submit_registration")
        self.assertEqual((b["status"], b["status_text"]), ("reg_org2", "等待%s审核报名资质" % BEIQI_NAME))
        self.assertEqual(self.texts(b)[-1], "提交报名")
        self.act(self.benz, bid, "submit_registration", expect=409)  # a repeat

        def last_msg():
            return kw.psql("SELECT o.code || '|' || coalesce(m.role, '') || '|' || m.text FROM messages m"
                           " JOIN orgs o ON o.id = m.org_id WHERE m.link = '%s' ORDER BY m.id DESC LIMIT 1" % link)

        self.assertEqual(last_msg(), "49003000||%s等待您审核报名资质及试卷" % b["name"])
        # the station can no longer change papers; the level-2 reviewer reads them
        r = self.upload(self.benz, self.item4, xlsx(questions(90)))
        self.assertEqual(r.status, 409, r)
        self.assertIn("等待%s审核报名资质" % BEIQI_NAME, r.json()["error"]["message"])
        p = self.beiqi.get(self.papers_path(self.item3)).json()
        self.assertFalse(p["editable"])
        self.assertEqual(len(p["theory"]), 1)
        self.assertIn("approve", self.beiqi.get("/api/batches/%d" % bid).json()["actions"])
        b = self.act(self.beiqi, bid, "approve", "同意")
        self.assertEqual(b["status"], "reg_staff")
        self.assertIn("考生资质及试卷审核通过，审核意见：同意", self.texts(b)[-1])
        self.assertEqual(last_msg(), "49000000|center_staff|%s等待您审核报名资质及试卷" % b["name"])
        b = self.act(self.staff, bid, "approve", "同意")
        self.assertEqual((b["status"], last_msg()),
                         ("reg_director", "49000000|center_director|%s等待您审核报名资质及试卷" % b["name"]))
        self.act(self.staff, bid, "approve", expect=409)  # not the staff's turn any more
        b = self.act(self.director, bid, "approve")
        self.assertEqual((b["status"], b["status_text"]), ("examining", "报名资质审核通过，考试及成绩录入中"))
        self.assertEqual(last_msg(), "49003031||您的批次报名信息已审核，请查看")

    def test_R18_reviewers_delete_questions_only_in_their_turn(self):
        self.ready()
        bid = self.batch["id"]
        paper = self.benz.get(self.papers_path(self.item3)).json()["theory"][0]
        qs = self.beiqi.get("/api/papers/%d/questions" % paper["id"]).json()["items"]
        self.assertEqual(len(qs), 91)
        # while registering only the station edits
        self.assertEqual(self.beiqi.delete("/api/papers/%d/questions/%d" % (paper["id"], qs[0]["id"])).status, 409)
        self.act(self.benz, bid, "submit_registration")
        self.assertEqual(self.benz.delete("/api/papers/%d/questions/%d" % (paper["id"], qs[0]["id"])).status, 409)
        self.assertEqual(self.staff.delete("/api/papers/%d/questions/%d" % (paper["id"], qs[0]["id"])).status, 409)
        self.assertEqual(self.beiqi.delete("/api/papers/%d/questions/%d" % (paper["id"], qs[0]["id"])).status, 204)
        r = self.beiqi.delete("/api/papers/%d/questions/%d" % (paper["id"], qs[1]["id"]))
        self.assertEqual(r.status, 409, r)  # 90 left: the minimum of 高级
        e = self.staff.get("/api/papers/%d/export?what=answers" % paper["id"])
        self.assertEqual(e.status, 200, e)

    def test_R18_reject_returns_it_to_the_station_which_fixes_and_resubmits(self):
        self.ready()
        bid = self.batch["id"]
        self.act(self.benz, bid, "submit_registration")
        self.act(self.beiqi, bid, "reject", expect=422)  # a reject needs a comment
        b = self.act(self.beiqi, bid, "reject", "第1套理论试卷题目重复")
        self.assertEqual((b["status"], b["status_text"]), ("reg_rejected", "报名资质审核被%s拒绝" % BEIQI_NAME))
        self.assertIn("第1套理论试卷题目重复", self.texts(b)[-1])
        self.assertEqual(kw.psql("SELECT text FROM messages WHERE link = '/app/batches/%d' ORDER BY id DESC LIMIT 1"
                                 % bid), "您提交的批次报名被拒绝，请查看详情")
        self.assertEqual(self.theory(self.benz, self.item4, 95, set_no=1)["question_count"], 95)
        b = self.act(self.benz, bid, "submit_registration")
        self.assertEqual((b["status"], self.texts(b)[-1]), ("reg_org2", "重新提交报名"))

    def test_R18_another_station_gets_404(self):
        self.ready()
        paper = self.benz.get(self.papers_path(self.item4)).json()["theory"][0]
        baic = kw.org_account("baic")
        self.assertEqual(baic.get(self.papers_path(self.item4)).status, 404)
        self.assertEqual(self.upload(baic, self.item4, xlsx(questions(90))).status, 404)
        self.assertEqual(baic.get("/api/papers/%d/questions" % paper["id"]).status, 404)
        self.assertEqual(baic.delete(self.papers_path(self.item4, "/%d" % paper["id"])).status, 404)
        self.assertEqual(baic.post("/api/batches/%d/actions/submit_registration" % self.batch["id"], {}).status, 404)
        # reviewers read but never upload
        self.assertEqual(self.upload(self.beiqi, self.item4, xlsx(questions(90))).status, 403)

    def test_R18_todo_shows_only_batches_with_an_action_now(self):
        self.ready()
        bid = self.batch["id"]
        q = "/api/batches?q=%s" % urllib.parse.quote(self.batch["name"])
        self.assertEqual([b["waiting_for_me"] for b in self.beiqi.get(q).json()["items"]], [False])
        self.act(self.benz, bid, "submit_registration")
        self.assertEqual([b["id"] for b in self.beiqi.get(q + "&todo=1").json()["items"]], [bid])
        self.assertEqual(self.staff.get(q + "&todo=1").json()["items"], [])
        for s in (self.beiqi, self.staff):
            self.act(s, bid, "approve", "同意")
        self.act(self.director, bid, "approve")
        # 考试及成绩录入中: only the station acts (scores, 提交成绩); no reviewer has it to do
        self.assertEqual([b["id"] for b in self.benz.get(q + "&todo=1").json()["items"]], [bid])
        for s in (self.beiqi, self.staff, self.director):
            self.assertEqual(s.get(q + "&todo=1").json()["items"], [])

    def test_R5_status_text_says_registration_closed_after_the_closing_day(self):
        b = self.benz.get("/api/batches/%d" % self.batch["id"]).json()
        closes = datetime.date.fromisoformat(b["registration_closes_on"])
        self.assertEqual(b["status_text"], "资质审核通过，报名中")
        self.set_day(closes + datetime.timedelta(days=1))
        b = self.benz.get("/api/batches/%d" % self.batch["id"]).json()
        self.assertEqual((b["status"], b["status_text"]), ("registering", "报名已截止，待提交报名"))
        items = self.benz.get("/api/batches?q=%s" % urllib.parse.quote(b["name"])).json()["items"]
        self.assertEqual([x["status_text"] for x in items], ["报名已截止，待提交报名"])


class DeleteDraft(BatchCase):
    def test_R12_deleting_the_last_draft_gives_its_number_back(self):
        a = self.create()
        b = self.create()
        self.assertEqual(self.benz.delete("/api/batches/%d" % b["id"]).status, 204)
        self.assertEqual(self.benz.get("/api/batches/%d" % b["id"]).status, 404)
        c = self.create()
        self.assertEqual(c["name"], b["name"])  # the last number is given back
        self.assertEqual(self.benz.delete("/api/batches/%d" % a["id"]).status, 204)
        d = self.create()
        self.assertNotEqual(d["name"], a["name"])  # an earlier one stays a gap
        self.assertNotEqual(d["name"], c["name"])

    def test_only_drafts_of_the_own_station(self):
        b = self.create()
        self.assertEqual(kw.org_account("baic").delete("/api/batches/%d" % b["id"]).status, 404)
        self.assertEqual(kw.org_account("beiqi").delete("/api/batches/%d" % b["id"]).status, 403)
        self.act(self.benz, b["id"], "submit")
        r = self.benz.delete("/api/batches/%d" % b["id"])
        self.assertEqual(r.status, 409, r)
        self.assertIn("只能删除草稿", r.json()["error"]["message"])

"""test_plan.py - annual plans (年度计划管理): R1 items, R2 the review chain, R3 exports, scope,
site messages, the center's overview."""
import json
import os
import subprocess
import tempfile
import threading
import unittest
import urllib.parse

import kw

L2_NAME = kw.ORG["beiqi"]
STATUS_L2 = "等待%s审核" % L2_NAME
CHECK_XLSX = os.path.join(kw.ROOT, "test", "office", "check_xlsx.py")
EXPORT_HEADER = ["鉴定站名称", "提交时间", "年度计划编号", "类别", "级别", "职业/工种", "人数", "配备标准",
                 "预计培训时间(理论)", "预计培训时间(实操)", "预计考试时间(理论)", "预计考试时间(实操)"]


def occupation_id(name):
    return int(kw.psql("SELECT id FROM occupations WHERE name = '%s'" % name))


def item(year, occupation="汽车装调工", category="national", level=3, count=12, **over):
    """One plan item (R1) with dates in `year`."""
    it = {"category": category, "level": level, "occupation_id": occupation_id(occupation), "count": count,
          "train_theory_date": "%d-06-10" % year, "train_practical_date": "%d-06-12" % year,
          "exam_theory_date": "%d-06-28" % year, "exam_practical_date": "%d-06-29" % year,
          "standard_equipped": True}
    it.update(over)
    return it


def fields(r):
    return {f["field"]: f for f in r.json()["error"]["fields"]}


def messages(s, plan_id):
    """The caller's site messages that link to plan_id."""
    items = s.get("/api/messages?per_page=100").json()["items"]
    return [m for m in items if m["link"] == "/app/plans/%d" % plan_id]


def audit_actions(plan_id):
    return kw.psql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE object_type = 'plan'"
                   " AND object_id = %d" % plan_id)


class PlanTest(kw.ClockedTest):
    def setUp(self):
        super().setUp()
        # early in the year, so the June dates of item() are still ahead at submission
        self.t0 = self.t0.replace(month=1, day=5)
        kw.Clock.at(self.t0)
        self.year = self.t0.year

    def create(self, s, items=None, expect=201):
        r = s.post("/api/plans", {"items": items or [item(self.year)]})
        self.assertEqual(r.status, expect, r)
        return r.json()

    def act(self, s, plan_id, action, comment=None, expect=200):
        r = s.post("/api/plans/%d/actions/%s" % (plan_id, action), {"comment": comment} if comment else {})
        self.assertEqual(r.status, expect, r)
        return r.json()


class Items(PlanTest):
    def test_R1_a_plan_needs_an_item(self):
        benz = kw.org_account("benz")
        for body in ({}, {"items": []}):
            r = benz.post("/api/plans", body)
            self.assertEqual(r.status, 422, r)
            self.assertEqual(fields(r)["items"]["rule"], "R1")

    def test_R1_every_field_is_checked_per_item(self):
        benz = kw.org_account("benz")
        bad = item(self.year, count=0)
        del bad["exam_theory_date"]
        del bad["standard_equipped"]
        late = item(self.year, level=4, train_practical_date="%d-07-30" % self.year)
        r = benz.post("/api/plans", {"items": [item(self.year), bad, late, item(self.year, level=2, count="3")]})
        self.assertEqual(r.status, 422, r)
        f = fields(r)
        self.assertEqual(f["items[1].count"]["rule"], "R1")
        self.assertEqual(f["items[1].exam_theory_date"]["rule"], "R1")
        self.assertEqual(f["items[1].standard_equipped"]["rule"], "R1")
        self.assertEqual(f["items[2].exam_practical_date"]["rule"], "dates")
        self.assertEqual(f["items[3].count"]["rule"], "type")
        self.assertNotIn("items[0].count", f)
        r = benz.post("/api/plans", {"items": [item(self.year, train_theory_date="%d-02-30" % self.year,
                                                         category="both", level=6)]})
        f = fields(r)
        self.assertEqual(set(f), {"items[0].train_theory_date", "items[0].category", "items[0].level"})

    def test_dates_in_the_plans_year_and_a_sane_count(self):
        """issue 15 item 2: a 2001 date in a later plan, 100,000 people and 0 people are errors."""
        benz = kw.org_account("benz")
        r = benz.post("/api/plans", {"year": self.year, "items": [item(self.year, train_practical_date="2001-06-12")]})
        self.assertEqual(r.status, 422, r)
        self.assertIn("%d 年" % self.year, fields(r)["items[0].train_practical_date"]["message"])
        r = benz.post("/api/plans", {"year": self.year, "items": [
            item(self.year), item(self.year, level=4, count=100000), item(self.year, level=2, count=0)]})
        self.assertEqual(r.status, 422, r)
        f = fields(r)
        self.assertEqual(f["items[1].count"]["message"], "每条计划的人数不能超过 10000")
        self.assertEqual(f["items[2].count"]["message"], "人数至少为 1")
        self.assertEqual(self.create(benz, [item(self.year, count=10000)])["items"][0]["count"], 10000)
        # the year from the earliest theory exam: every other date must lie in it too
        r = benz.post("/api/plans", {"items": [item(self.year, exam_practical_date="%d-01-02" % (self.year + 1))]})
        self.assertIn("items[0].exam_practical_date", fields(r))

    def test_no_date_in_the_past_at_submission(self):
        """issue 15 item 2: a plan whose dates have passed cannot be submitted; the 422 names the item."""
        benz = kw.org_account("benz")
        p = self.create(benz, [item(self.year), item(self.year, level=4, train_theory_date="%d-03-01" % self.year)])
        kw.Clock.at(self.t0.replace(month=4, day=1))
        benz = kw.org_account("benz")  # the idle timeout ended the session at the clock's jump
        r = benz.post("/api/plans/%d/actions/submit" % p["id"], {})
        self.assertEqual(r.status, 422, r)
        f = fields(r)
        self.assertEqual(list(f), ["items[1]"])
        self.assertIn("第 2 条的时间 %d-03-01 已过" % self.year, f["items[1]"]["message"])
        self.assertEqual(benz.get("/api/plans/%d" % p["id"]).json()["status"], "draft")
        kw.Clock.at(self.t0)
        benz = kw.org_account("benz")
        self.assertEqual(self.act(benz, p["id"], "submit")["status"], "level2_review")

    def test_one_item_per_occupation_level_and_category(self):
        benz = kw.org_account("benz")
        r = benz.post("/api/plans", {"items": [item(self.year), item(self.year, count=3)]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r)["items[1].occupation_id"]["rule"], "unique")
        # The same occupation at another level, or in the other category, is a line of its own.
        self.create(benz, [item(self.year), item(self.year, level=4), item(self.year, category="industry")])

    def test_R6_level_must_be_one_the_occupation_defines(self):
        benz = kw.org_account("benz")
        old = kw.psql("SELECT levels FROM occupations WHERE name = '机动车检测工'")
        kw.psql("UPDATE occupations SET levels = '{3,4,5}' WHERE name = '机动车检测工'")
        try:
            r = benz.post("/api/plans", {"items": [item(self.year, "机动车检测工", level=4),
                                                   item(self.year, "机动车检测工", level=2)]})
        finally:
            kw.psql("UPDATE occupations SET levels = '%s' WHERE name = '机动车检测工'" % old)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r)["items[1].level"]["rule"], "R6")
        self.assertNotIn("items[0].level", fields(r))

    def test_R7_occupation_within_the_station_scope(self):
        benz = kw.org_account("benz")
        r = benz.post("/api/plans", {"items": [item(self.year, "工业机器人装调维修工"),
                                               item(self.year, "机动车检测工", category="industry"),
                                               item(self.year, "汽车发动机装调工")]})  # a direction of 汽车装调工
        self.assertEqual(r.status, 422, r)
        f = fields(r)
        self.assertEqual(f["items[0].occupation_id"]["rule"], "R7")
        self.assertEqual(f["items[1].occupation_id"]["rule"], "R7")  # 奔驰站 has it for national only
        self.assertNotIn("items[2].occupation_id", f)

    def test_draft_shape_and_year(self):
        benz = kw.org_account("benz")
        p = self.create(benz)
        self.assertEqual(p["status"], "draft")
        self.assertEqual(p["status_text"], "草稿")
        self.assertIsNone(p["code"])
        self.assertEqual(p["year"], self.year)  # the year of the earliest theory exam
        self.assertEqual(p["actions"], ["edit", "submit"])
        it = p["items"][0]
        self.assertEqual((it["category"], it["level"], it["count"], it["standard_equipped"]), ("national", 3, 12, True))
        self.assertEqual(it["occupation"]["name"], "汽车装调工")
        self.assertEqual(it["exam_theory_date"], "%d-06-28" % self.year)
        self.assertEqual(p["trail"], [])
        p2 = self.create(benz, None)
        r = benz.put("/api/plans/%d" % p2["id"], {"year": self.year + 1, "items": [item(self.year + 1, count=7)]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["year"], r.json()["items"][0]["count"]), (self.year + 1, 7))
        self.assertEqual(audit_actions(p2["id"]), "plan.create,plan.update")

    def test_who_files_and_who_reviews(self):
        # A level-2 org may file its own plan (within its stations' scope); the center only reviews.
        beiqi, staff, director = kw.org_account("beiqi"), kw.center_staff(), kw.center_director()
        own = self.create(beiqi)
        self.assertEqual(self.act(beiqi, own["id"], "submit")["status"], "center_review")
        self.assertEqual(staff.post("/api/plans", {"items": [item(self.year)]}).status, 403)
        # Only center staff decide at the center; a station never reviews.
        self.assertEqual(director.post("/api/plans/%d/actions/approve" % own["id"]).status, 403)
        benz = kw.org_account("benz")
        p = self.create(benz)
        self.act(benz, p["id"], "submit")
        self.assertEqual(benz.post("/api/plans/%d/actions/approve" % p["id"]).status, 403)
        self.assertEqual(benz.post("/api/plans/%d/actions/publish" % p["id"]).status, 404)


class Chain(PlanTest):
    def test_R2_station_with_a_level2_parent(self):
        benz, beiqi, staff = kw.org_account("benz"), kw.org_account("beiqi"), kw.center_staff()
        p = self.create(benz)
        pid = p["id"]
        self.assertEqual(staff.get("/api/plans/%d" % pid).status, 404)  # a draft stays the station's
        p = self.act(benz, pid, "submit")
        self.assertEqual(p["status"], "level2_review")
        self.assertEqual(p["status_text"], STATUS_L2)
        self.assertEqual(p["level2_org"]["name"], L2_NAME)
        # 14 + the submission time to the second (Beijing time) + 3 digits.
        self.assertRegex(p["code"], r"^14\d{17}$")
        self.assertEqual(p["code"][2:16], self.t0.strftime("%Y%m%d%H%M%S"))
        self.assertEqual(p["trail"][0]["action_text"], "年度计划提交")
        self.act(benz, pid, "submit", expect=409)  # repeating
        self.assertEqual(benz.put("/api/plans/%d" % pid, {"items": [item(self.year)]}).status, 409)
        self.act(staff, pid, "approve", expect=409)  # not the center's turn yet
        self.assertEqual(messages(beiqi, pid)[0]["text"], "%s提交了年度计划，等待您审核，请查看" % kw.ORG["benz"])

        self.assertEqual(beiqi.get("/api/plans/%d" % pid).json()["actions"], ["approve", "reject"])
        p = self.act(beiqi, pid, "approve", "同意上报")
        self.assertEqual((p["status"], p["status_text"]), ("center_review", "等待中心工作人员审核"))
        self.act(beiqi, pid, "approve", expect=409)
        self.act(beiqi, pid, "reject", "重复", expect=409)
        self.assertTrue(any("等待中心工作人员审核" in m["text"] for m in messages(staff, pid)))
        self.assertTrue(any("已通过%s审核" % L2_NAME in m["text"] for m in messages(benz, pid)))

        p = self.act(staff, pid, "approve")
        self.assertEqual((p["status"], p["status_text"]), ("approved", "审核通过"))
        self.act(staff, pid, "approve", expect=409)
        self.assertEqual([(t["action"], t["actor"], t["comment"]) for t in p["trail"]],
                         [("submit", kw.ORG["benz"], None), ("approve", L2_NAME, "同意上报"),
                          ("approve", "中心工作人员", None)])
        self.assertRegex(p["trail"][0]["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
        unread = [m for m in messages(benz, pid) if m["text"] == "您的计划审核通过，请查看"]
        self.assertEqual(len(unread), 1)
        self.assertFalse(unread[0]["read"])
        self.assertEqual(audit_actions(pid), "plan.create,plan.submit,plan.approve,plan.approve")
        self.assertEqual(p["actions"], [])

    def test_R2_station_without_a_level2_parent(self):
        robot, beiqi, staff = kw.org_account("robot"), kw.org_account("beiqi"), kw.center_staff()
        p = self.create(robot, [item(self.year, "工业机器人装调维修工", level=4)])
        pid = p["id"]
        p = self.act(robot, pid, "submit")
        self.assertEqual((p["status"], p["status_text"]), ("center_review", "等待中心工作人员审核"))
        self.assertIsNone(p["level2_org"])
        self.assertEqual(len([m for m in messages(staff, pid) if "等待中心工作人员审核" in m["text"]]), 1)
        # The 北汽分中心 has nothing to do with it.
        self.assertEqual(beiqi.get("/api/plans/%d" % pid).status, 404)
        self.assertEqual(beiqi.post("/api/plans/%d/actions/approve" % pid).status, 404)
        listed = [x["id"] for x in beiqi.get("/api/plans?per_page=100").json()["items"]]
        self.assertNotIn(pid, listed)
        p = self.act(staff, pid, "approve")
        self.assertEqual(p["status"], "approved")
        self.assertEqual([t["action"] for t in p["trail"]], ["submit", "approve"])

    def test_R2_reject_returns_it_editable_and_resubmittable(self):
        benz, beiqi, staff = kw.org_account("benz"), kw.org_account("beiqi"), kw.center_staff()
        pid = self.create(benz)["id"]
        code = self.act(benz, pid, "submit")["code"]
        r = beiqi.post("/api/plans/%d/actions/reject" % pid, {})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r)["comment"]["rule"], "required")
        p = self.act(beiqi, pid, "reject", "人数偏多，请核实")
        self.assertEqual((p["status"], p["status_text"]), ("rejected", "被%s拒绝" % L2_NAME))
        self.assertEqual(p["last_comment"], "人数偏多，请核实")
        self.act(beiqi, pid, "reject", "再次", expect=409)
        self.assertEqual(messages(benz, pid)[0]["text"], "您提交的计划被%s拒绝，请查看详情" % L2_NAME)
        self.assertEqual(benz.get("/api/plans/%d" % pid).json()["actions"], ["edit", "submit"])

        r = benz.put("/api/plans/%d" % pid, {"items": [item(self.year, count=8)]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["items"][0]["count"]), ("rejected", 8))
        p = self.act(benz, pid, "submit")
        self.assertEqual((p["status"], p["code"]), ("level2_review", code))  # the code stays
        self.act(beiqi, pid, "approve")
        p = self.act(staff, pid, "reject", "与上报的考试计划不符")
        self.assertEqual(p["status_text"], "被中心工作人员拒绝")
        self.assertTrue(any("被中心工作人员拒绝" in m["text"] for m in messages(beiqi, pid)))
        # Resubmitted after the center's reject, it goes through the level-2 review again.
        self.assertEqual(self.act(benz, pid, "submit")["status"], "level2_review")
        self.assertEqual([t["action"] for t in p["trail"]], ["submit", "reject", "submit", "approve", "reject"])
        self.assertEqual(p["trail"][1]["comment"], "人数偏多，请核实")

    def test_concurrent_approvals_exactly_one_wins(self):
        robot = kw.org_account("robot")
        pid = self.create(robot, [item(self.year, "工业机器人操作调整工", level=5)])["id"]
        self.act(robot, pid, "submit")
        sessions = [kw.center_staff() for _ in range(6)]
        statuses = []
        barrier = threading.Barrier(len(sessions))

        def approve(s):
            barrier.wait()
            statuses.append(s.post("/api/plans/%d/actions/approve" % pid).status)

        threads = [threading.Thread(target=approve, args=(s,)) for s in sessions]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(statuses), [200] + [409] * 5)
        self.assertEqual(kw.psql("SELECT count(*) FROM plan_trail WHERE plan_id = %d AND action = 'approve'" % pid), "1")
        self.assertEqual(audit_actions(pid), "plan.create,plan.submit,plan.approve")

    def test_codes_stay_unique_within_one_second(self):
        # The business clock stands still: every submission below happens in the same second.
        baic = kw.org_account("baic")
        ids = [self.create(baic, [item(self.year, level=lv)])["id"] for lv in (1, 2, 3, 4, 5)]
        codes = [self.act(baic, pid, "submit")["code"] for pid in ids]
        self.assertEqual(len(set(codes)), len(codes))
        self.assertEqual({c[:16] for c in codes}, {"14" + self.t0.strftime("%Y%m%d%H%M%S")})

    def test_codes_when_a_second_is_nearly_used_up(self):
        # 998 of the second's 1000 codes are taken; four submissions race for the last two.
        prefix = "14" + self.t0.strftime("%Y%m%d%H%M%S")
        baic = kw.org_account("baic")
        filler = ("INSERT INTO plans (org_id, code, year, status, created_by, created_at, updated_at)"
                  " SELECT o.id, '%s' || lpad(s::text, 3, '0'), 2040, 'draft', 0, now(), now()"
                  " FROM orgs o, generate_series(0, 999) s WHERE o.code = '49003032' AND s NOT IN (417, 933)" % prefix)
        kw.psql(filler)
        try:
            ids = [self.create(baic, [item(self.year, level=lv)])["id"] for lv in (2, 3, 4, 5)]
            sessions = [kw.org_account("baic") for _ in ids]
            results = {}
            barrier = threading.Barrier(len(ids))

            def submit(s, pid):
                barrier.wait()
                results[pid] = s.post("/api/plans/%d/actions/submit" % pid)

            threads = [threading.Thread(target=submit, args=(s, pid)) for s, pid in zip(sessions, ids)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            won = sorted(r.json()["code"] for r in results.values() if r.status == 200)
            self.assertEqual(won, [prefix + "417", prefix + "933"])
            self.assertEqual(sorted(r.status for r in results.values()), [200, 200, 409, 409])
            for pid, r in results.items():
                if r.status == 409:  # nothing of the failed submission stays
                    p = baic.get("/api/plans/%d" % pid).json()
                    self.assertEqual((p["status"], p["code"], p["trail"]), ("draft", None, []))
        finally:
            kw.psql("DELETE FROM plans WHERE code LIKE '%s%%' AND created_by = 0" % prefix)


class Scope(PlanTest):
    def test_another_station_gets_404(self):
        benz, baic = kw.org_account("benz"), kw.org_account("baic")
        pid = self.create(benz)["id"]
        self.act(benz, pid, "submit")
        self.assertEqual(baic.get("/api/plans/%d" % pid).status, 404)
        self.assertEqual(baic.put("/api/plans/%d" % pid, {"items": [item(self.year)]}).status, 404)
        self.assertEqual(baic.post("/api/plans/%d/actions/submit" % pid).status, 404)
        self.assertEqual(baic.get("/api/plans/export?ids=%d&format=csv" % pid).status, 404)
        self.assertNotIn(pid, [x["id"] for x in baic.get("/api/plans?per_page=100").json()["items"]])
        self.assertEqual(baic.get("/api/plans/999999999").status, 404)

    def test_lists_filters_and_pending(self):
        benz, beiqi, staff = kw.org_account("benz"), kw.org_account("beiqi"), kw.center_staff()
        draft = self.create(benz)["id"]
        sent = self.create(benz)["id"]
        self.act(benz, sent, "submit")
        mine = [x["id"] for x in benz.get("/api/plans?per_page=100&year=%d" % self.year).json()["items"]]
        self.assertIn(draft, mine)
        self.assertIn(sent, mine)
        seen = beiqi.get("/api/plans?per_page=100&year=%d" % self.year).json()
        self.assertIn(sent, [x["id"] for x in seen["items"]])
        self.assertNotIn(draft, [x["id"] for x in seen["items"]])  # drafts are not submitted yet
        self.assertEqual(beiqi.get("/api/plans/%d" % draft).status, 404)
        pending = beiqi.get("/api/plans?status=pending&per_page=100").json()["items"]
        self.assertIn(sent, [x["id"] for x in pending])
        self.assertTrue(all(x["status"] == "level2_review" for x in pending))
        self.assertNotIn(sent, [x["id"] for x in staff.get("/api/plans?status=pending&per_page=100").json()["items"]])
        robot_id = int(kw.psql("SELECT id FROM orgs WHERE code = '49011001'"))
        only_robot = staff.get("/api/plans?org_id=%d&per_page=100" % robot_id).json()["items"]
        self.assertTrue(only_robot and all(x["org"]["id"] == robot_id for x in only_robot))
        row = [x for x in seen["items"] if x["id"] == sent][0]
        self.assertEqual((row["org"]["name"], row["status_text"], row["item_count"], row["total_count"]),
                         (kw.ORG["benz"], STATUS_L2, 1, 12))
        code = self.act(benz, self.create(benz)["id"], "submit")["code"]
        found = beiqi.get("/api/plans?q=%s" % code).json()
        self.assertEqual([x["code"] for x in found["items"]], [code])
        self.assertEqual(found["total"], 1)
        by_name = beiqi.get("/api/plans?per_page=100&q=" + urllib.parse.quote("北汽站")).json()["items"]
        self.assertTrue(by_name and all(x["org"]["name"] == kw.ORG["baic"] for x in by_name))
        self.assertEqual(beiqi.get("/api/plans?status=bogus").status, 422)
        self.assertEqual(beiqi.get("/api/plans?year=abc").status, 422)
        # Paging: total counts every match.
        page = benz.get("/api/plans?per_page=1").json()
        self.assertEqual(len(page["items"]), 1)
        self.assertGreaterEqual(page["total"], 2)

    def test_demo_plans_mirror_the_manual(self):
        beiqi = kw.org_account("beiqi")
        items = beiqi.get("/api/plans?per_page=100&year=2019").json()["items"]
        by_code = {x["code"]: x for x in items}
        self.assertEqual(by_code["1420190409105244284"]["status_text"], "审核通过")
        self.assertEqual(by_code["1420190315094924337"]["status_text"], STATUS_L2)
        self.assertEqual(by_code["1420190409170837842"]["status_text"], "等待中心工作人员审核")
        self.assertNotIn("1420190410091522501", by_code)  # the 工业机器人站's


class Export(PlanTest):
    def approved_plan(self):
        benz, beiqi, staff = kw.org_account("benz"), kw.org_account("beiqi"), kw.center_staff()
        pid = self.create(benz, [item(self.year), item(self.year, "汽车焊装生产线操作工", category="industry",
                                                        level=5, count=30, standard_equipped=False)])["id"]
        code = self.act(benz, pid, "submit")["code"]
        self.act(beiqi, pid, "approve")
        self.act(staff, pid, "approve")
        return pid, code

    def test_R3_csv_has_bom_crlf_and_the_manual_columns(self):
        pid, code = self.approved_plan()
        demo = int(kw.psql("SELECT id FROM plans WHERE code = '1420190409170837842'"))
        r = kw.org_account("beiqi").get("/api/plans/export?ids=%d,%d&format=csv" % (pid, demo))
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("content-type").startswith("text/csv"))
        self.assertIn("attachment", r.header("content-disposition"))
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"), r.body[:10])
        text = r.body[3:].decode("utf-8")
        self.assertTrue(text.endswith("\r\n"))
        lines = text.split("\r\n")[:-1]
        self.assertNotIn("\n", "".join(lines))
        self.assertEqual(lines[0].split(","), EXPORT_HEADER)
        self.assertEqual(len(lines), 1 + 2 + 1)  # one row per item, in the order of ids
        stamp = self.t0.strftime("%Y-%m-%d %H:%M:%S")
        self.assertEqual(lines[1].split(","), [kw.ORG["benz"], stamp, code, "国家职业技能鉴定", "高级", "汽车装调工",
                                               "12", "是", "%d-06-10" % self.year, "%d-06-12" % self.year,
                                               "%d-06-28" % self.year, "%d-06-29" % self.year])
        self.assertEqual(lines[2].split(",")[3:8], ["行业能力水平评价", "初级", "汽车焊装生产线操作工", "30", "否"])
        self.assertEqual(lines[3].split(",")[:3], [kw.ORG["benz"], "2019-04-09 17:08:37", "1420190409170837842"])

    def test_R3_xlsx_read_back_with_openpyxl(self):
        pid, code = self.approved_plan()
        r = kw.center_staff().get("/api/plans/export?ids=%d&format=xlsx" % pid)
        self.assertEqual(r.status, 200, r)
        self.assertIn("spreadsheetml", r.header("content-type"))
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
            f.write(r.body)
            f.flush()
            out = subprocess.run(["/usr/bin/python3", CHECK_XLSX, f.name], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        sheet = json.loads(out.stdout)["sheets"][0]
        header, row = sheet["rows"][0], sheet["rows"][1]
        self.assertEqual([c["value"] for c in header], EXPORT_HEADER)
        self.assertTrue(all(c["bold"] for c in header))
        self.assertEqual(sheet["freeze_panes"], "A2")
        self.assertEqual(sheet["max_row"], 3)
        cell = {c["ref"][0]: c for c in row}
        self.assertEqual((cell["A"]["type"], cell["A"]["value"]), ("s", kw.ORG["benz"]))
        self.assertTrue(cell["B"]["is_date"])
        self.assertEqual(cell["B"]["value"], self.t0.strftime("%Y-%m-%dT%H:%M:%S"))
        self.assertEqual((cell["C"]["type"], cell["C"]["value"]), ("s", code))  # all 19 digits kept
        self.assertEqual((cell["G"]["type"], cell["G"]["value"]), ("n", 12))
        self.assertEqual(cell["H"]["value"], "是")
        for col, day in zip("IJKL", ("06-10", "06-12", "06-28", "06-29")):
            self.assertTrue(cell[col]["is_date"], cell[col])
            self.assertEqual(cell[col]["value"], "%d-%sT00:00:00" % (self.year, day))

    def test_R3_the_list_exports_its_matches(self):
        # GET /api/plans?format= exports every plan the filtered list shows (API.md: list endpoints export).
        r = kw.org_account("beiqi").get("/api/plans?year=2019&format=csv")
        self.assertEqual(r.status, 200, r)
        lines = r.body[3:].decode("utf-8").split("\r\n")[:-1]
        self.assertEqual(lines[0].split(","), EXPORT_HEADER)
        codes = {line.split(",")[2] for line in lines[1:]}
        self.assertIn("1420190409170837842", codes)
        self.assertIn("1420190215095930115", codes)  # the 北汽站's
        self.assertNotIn("1420190410091522501", codes)  # the 工业机器人站's is not the 北汽分中心's
        self.assertEqual(len(lines) - 1, int(kw.psql(
            "SELECT count(*) FROM plan_items i JOIN plans p ON p.id = i.plan_id JOIN orgs o ON o.id = p.org_id"
            " WHERE p.year = 2019 AND p.status <> 'draft' AND o.parent_id = (SELECT id FROM orgs WHERE code = '49003000')")))

    def test_R3_export_only_within_scope(self):
        pid, _ = self.approved_plan()
        robot_plan = int(kw.psql("SELECT id FROM plans WHERE code = '1420190410091522501'"))
        beiqi = kw.org_account("beiqi")
        # Decided: one id outside the caller's scope makes the whole export 404 (nothing leaks).
        self.assertEqual(beiqi.get("/api/plans/export?ids=%d,%d&format=csv" % (pid, robot_plan)).status, 404)
        self.assertEqual(kw.org_account("robot").get("/api/plans/export?ids=%d&format=xlsx" % pid).status, 404)
        self.assertEqual(kw.center_staff().get("/api/plans/export?ids=%d,%d&format=csv" % (pid, robot_plan)).status, 200)
        self.assertEqual(beiqi.get("/api/plans/export?format=csv").status, 422)
        self.assertEqual(beiqi.get("/api/plans/export?ids=1,x&format=csv").status, 422)
        self.assertEqual(beiqi.get("/api/plans/export?ids=%d" % pid).status, 422)
        self.assertEqual(beiqi.get("/api/plans/export?ids=%d&format=pdf" % pid).status, 422)


class Overview(PlanTest):
    def test_totals_per_occupation_and_level_of_approved_plans(self):
        staff, robot = kw.center_staff(), kw.org_account("robot")
        year = self.year

        def totals():
            o = staff.get("/api/plans/overview?year=%d" % year).json()
            return o, {(x["occupation"]["name"], x["level"]): x for x in o["items"]}

        before, rows0 = totals()
        a = self.create(robot, [item(year, "工业机器人装调维修工", level=4, count=10),
                                item(year, "工业机器人装调维修工", category="industry", level=4, count=5)])["id"]
        b = self.create(robot, [item(year, "工业机器人装调维修工", level=4, count=7)])["id"]
        c = self.create(robot, [item(year, "工业机器人装调维修工", level=3, count=100)])["id"]
        for pid in (a, b, c):
            self.act(robot, pid, "submit")
        self.act(staff, a, "approve")
        self.act(staff, b, "approve")  # c stays waiting: not counted
        after, rows1 = totals()
        key = ("工业机器人装调维修工", 4)
        old = rows0.get(key, {"count": 0, "national": 0, "industry": 0})
        self.assertEqual(rows1[key]["count"] - old["count"], 22)
        self.assertEqual(rows1[key]["national"] - old["national"], 17)
        self.assertEqual(rows1[key]["industry"] - old["industry"], 5)
        self.assertEqual(rows1[key]["level_text"], "中级/四级")
        self.assertEqual(rows1.get(("工业机器人装调维修工", 3), {"count": 0})["count"],
                         rows0.get(("工业机器人装调维修工", 3), {"count": 0})["count"])
        self.assertEqual(after["plans"] - before["plans"], 2)
        self.assertEqual(after["total"] - before["total"], 22)
        self.assertIn(year, after["years"])
        self.assertEqual(kw.org_account("beiqi").get("/api/plans/overview").status, 403)
        demo = staff.get("/api/plans/overview?year=2019").json()
        self.assertEqual({(x["occupation"]["name"], x["level"]): x["count"] for x in demo["items"]}[("汽车装调工", 3)],
                         12 + 18 + 15)


if __name__ == "__main__":
    unittest.main()

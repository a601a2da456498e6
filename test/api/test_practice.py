"""test_practice.py - 考试服务 for candidates (lib/intention, lib/selftest, fcgi/h_practice.c):
报名意向表 (one intention per candidate x occupation x level, the center's summary per region x
occupation x level with its export, forwarding a region's counts to its stations by 站内信) and
自评自测 (R28: a practice paper drawn from the bank by the center's scheme, no answers before
handing in, a deadline the server keeps, scoring on the server, never a question of a batch's paper).

Every case runs at its own moment of the business clock (kw.ClockedTest), so its intentions lie in
a year of their own, and works in a city picked at random; the self-test cases use an occupation
and level that no bank and no center scheme holds yet, filled here with their own questions.
"""
import datetime
import io
import random
import zipfile

import kw

OCC = 9  # 汽车装调工
SCHEME = {"single": {"basic": 30, "related": 20}, "multi": {"basic": 10, "related": 10},
          "judge": {"basic": 10, "related": 10}}  # 90 questions, the R28 minimum for levels 5-3
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fields(r):
    return {f.get("field") for f in r.json()["error"].get("fields", [])}


def candidate():
    """A freshly registered, logged-in candidate: (session, username, password)."""
    user, pw, _, r = kw.register_candidate(real_name="意向考生")
    assert r.status in (200, 201), r
    s = kw.Session()
    s.login("candidate", user, pw)
    return s, user, pw


def random_city():
    """A city (level-2 region) with at least two districts that no org serves yet (none in the city,
    none for its whole province): (city code, [two district codes])."""
    rows = kw.psql(
        "SELECT c.code, string_agg(d.code, ',' ORDER BY d.code) FROM regions c"
        " JOIN regions d ON d.parent_code = c.code WHERE c.level = 2"
        " AND NOT EXISTS (SELECT 1 FROM orgs o WHERE left(o.region_code, 4) = left(c.code, 4)"
        "   OR o.region_code = left(c.code, 2) || '0000')"
        " GROUP BY c.code HAVING count(*) >= 2").splitlines()
    city, districts = random.choice(rows).split("|")
    return city, random.sample(districts.split(","), 2)


def new_station(center, region):
    """A new station under the center with region_code = region; (org id, logged-in session)."""
    while True:
        code = "46%06d" % random.randint(0, 999999)
        if kw.psql("SELECT count(*) FROM orgs WHERE code = '%s'" % code) == "0":
            break
    name = "意向测试鉴定站%s" % code
    center_id = int(kw.psql("SELECT id FROM orgs WHERE kind = 'center'"))
    body = {"name": name, "code": code, "kind": "station", "parent_id": center_id,
            "scopes": [{"category": "national", "occupation_id": OCC}], "region_code": region,
            "leader_name": "张三", "contact_name": "李四", "phone": "010-12345678",
            "email": "p%s@kaowu.example" % code, "valid_until": "2099-06-30"}
    r = center.post("/api/orgs", body)
    assert r.status == 201, r
    s = kw.login("org", name, code)
    ok = s.post("/api/auth/password", {"old_password": code, "new_password": "Kaowu2040x"})
    assert ok.status == 200, ok
    return r.json()["id"], s


class IntentionCase(kw.ClockedTest):
    def setUp(self):
        super().setUp()
        self.year = self.t0.year
        self.month = "%04d-%02d" % (self.t0.year, self.t0.month)
        self.city, (self.d1, self.d2) = random_city()
        self.s, self.user, self.pw = candidate()

    def state(self, s, level=4, region=None, month=None, occupation=OCC):
        return s.post("/api/intentions", {"occupation_id": occupation, "level": level,
                                          "region": region or self.d1, "expected_month": month or self.month})

    def test_intention_one_per_occupation_and_level_stating_again_replaces_it(self):
        a = self.state(self.s)
        self.assertEqual(a.status, 201, a)
        self.assertFalse(a.json()["replaced"])
        self.assertEqual(a.json()["region"]["code"], self.d1)
        self.assertEqual(a.json()["expected_month"], self.month)
        b = self.state(self.s, region=self.d2)
        self.assertEqual(b.status, 201, b)
        self.assertTrue(b.json()["replaced"])
        self.assertEqual(b.json()["id"], a.json()["id"])
        self.assertEqual(b.json()["region"]["code"], self.d2)
        self.assertEqual(self.state(self.s, level=3).status, 201)
        mine = self.s.get("/api/intentions/mine").json()["items"]
        self.assertEqual(sorted((i["level"], i["region"]["code"]) for i in mine), [(3, self.d1), (4, self.d2)])
        self.assertEqual(kw.psql("SELECT count(*) FROM audit_log WHERE action = 'intention.save'"
                                 " AND object_id = %d" % a.json()["id"]), "2")

    def test_intention_validation_in_chinese(self):
        r = self.s.post("/api/intentions", {})
        self.assertEqual(r.status, 422)
        self.assertEqual(fields(r), {"occupation_id", "level", "region", "expected_month"})
        r = self.state(self.s, level=6, region="999999", month="%d-13" % self.year, occupation=999999)
        self.assertEqual(r.status, 422)
        self.assertEqual(fields(r), {"occupation_id", "level", "region", "expected_month"})
        msgs = " ".join(f["message"] for f in r.json()["error"]["fields"])
        self.assertIn("没有这个区域", msgs)
        self.assertIn("预计报考时间应为年月", msgs)
        last = self.t0.replace(day=1) - datetime.timedelta(days=1)
        r = self.state(self.s, month=last.strftime("%Y-%m"))
        self.assertEqual((r.status, fields(r)), (422, {"expected_month"}))
        far = "%04d-%02d" % (self.year + 2, self.t0.month + 1) if self.t0.month < 12 else "%04d-01" % (self.year + 3)
        r = self.state(self.s, month=far)
        self.assertEqual((r.status, fields(r)), (422, {"expected_month"}))
        self.assertIn("24 个月", r.json()["error"]["fields"][0]["message"])
        # staff may not state intentions
        self.assertEqual(self.state(kw.center_staff()).status, 403)

    def test_intention_withdrawn_by_its_owner_only(self):
        i = self.state(self.s).json()
        other, _, _ = candidate()
        self.assertEqual(other.delete("/api/intentions/%d" % i["id"]).status, 404)
        self.assertEqual(self.s.delete("/api/intentions/%d" % i["id"]).status, 204)
        self.assertEqual(self.s.delete("/api/intentions/%d" % i["id"]).status, 404)
        self.assertEqual(self.s.get("/api/intentions/mine").json()["items"], [])

    def test_intention_summary_counts_region_occupation_level_with_totals(self):
        self.state(self.s, level=4, region=self.d1)
        for level, region in ((4, self.d1), (3, self.d1), (4, self.d2)):
            s, _, _ = candidate()
            self.assertEqual(self.state(s, level=level, region=region).status, 201)
        # another year does not count
        s, _, _ = candidate()
        nxt = "%04d-%02d" % (self.year + 1, self.t0.month)
        self.assertEqual(self.state(s, month=nxt).status, 201)
        staff = kw.center_staff()
        r = staff.get("/api/intentions/summary?year=%d&region=%s" % (self.year, self.city))
        self.assertEqual(r.status, 200, r)
        o = r.json()
        self.assertEqual(o["total"], 4)
        self.assertEqual(o["region"]["code"], self.city)
        got = sorted((i["region"]["code"], i["occupation"]["id"], i["level"], i["count"]) for i in o["items"])
        self.assertEqual(got, sorted([(self.d1, OCC, 4, 2), (self.d1, OCC, 3, 1), (self.d2, OCC, 4, 1)]))
        self.assertEqual(sorted((g["region"]["code"], g["count"]) for g in o["regions"]),
                         sorted([(self.d1, 3), (self.d2, 1)]))
        one = staff.get("/api/intentions/summary?year=%d&region=%s" % (self.year, self.d2)).json()
        self.assertEqual(one["total"], 1)
        # the export: the same rows with 小计 per region and 合计
        x = staff.get("/api/intentions/summary?year=%d&region=%s&format=xlsx" % (self.year, self.city))
        self.assertEqual(x.status, 200)
        self.assertTrue(x.header("Content-Type").startswith(XLSX))
        with zipfile.ZipFile(io.BytesIO(x.body)) as z:
            text = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        for word in ("区域", "职业工种", "人数", "小计", "合计", "汽车装调工", "中级/四级"):
            self.assertIn(word, text)
        bad = staff.get("/api/intentions/summary?year=12&region=12")
        self.assertEqual((bad.status, fields(bad)), (422, {"year", "region"}))

    def test_intention_summary_is_the_centers_only(self):
        for s in (kw.org_account("beiqi"), kw.org_account("benz"), self.s):
            self.assertEqual(s.get("/api/intentions/summary").status, 403)
            self.assertEqual(s.post("/api/intentions/forward", {"region": self.d1}).status, 403)

    def test_intention_forward_tells_the_regions_stations_by_message(self):
        staff = kw.center_staff()
        # nothing stated yet: nothing to forward
        r = staff.post("/api/intentions/forward", {"region": self.d1, "year": self.year})
        self.assertEqual(r.status, 409)
        self.state(self.s, level=4, region=self.d1)
        # no station serves the region yet
        r = staff.post("/api/intentions/forward", {"region": self.d1, "year": self.year})
        self.assertEqual(r.status, 409)
        self.assertIn("没有鉴定站", r.json()["error"]["message"])
        org, station = new_station(staff, self.d1)
        other_org, other = new_station(staff, self.d2)
        r = staff.post("/api/intentions/forward", {"region": self.d1, "year": self.year})
        self.assertEqual(r.status, 200, r)
        o = r.json()
        self.assertEqual((o["intentions"], o["stations"]), (1, 1))
        self.assertIn("意向测试鉴定站", o["station_names"][0])
        self.assertIn("汽车装调工·中级/四级 1 人", o["text"])
        msgs = [m["text"] for m in station.get("/api/messages").json()["items"]]
        self.assertIn(o["text"], msgs)
        self.assertEqual([m for m in other.get("/api/messages").json()["items"] if "报名意向" in m["text"]], [])
        self.assertEqual(kw.psql("SELECT detail->>'intentions' FROM audit_log WHERE action = 'intention.forward'"
                                 " AND detail->'station_ids' @> '[%d]'" % org), "1")
        # the city holds both districts: both stations are told
        r = staff.post("/api/intentions/forward", {"region": self.city, "year": self.year})
        self.assertEqual(r.json()["stations"], 2)
        self.assertEqual(other_org in [int(x) for x in kw.psql(
            "SELECT jsonb_array_elements_text(detail->'station_ids') FROM audit_log"
            " WHERE action = 'intention.forward' AND object_id = %d" % int(self.city)).split()], True)
        r = staff.post("/api/intentions/forward", {"region": "12"})
        self.assertEqual((r.status, fields(r)), (422, {"region"}))


def free_pair():
    """An occupation and level (3-5) that no bank question and no scheme uses yet."""
    rows = kw.psql(
        "SELECT o.id || ',' || l FROM occupations o, unnest(o.levels) AS l WHERE l >= 3"
        " AND NOT EXISTS (SELECT 1 FROM bank_questions q WHERE q.occupation_id = o.id AND q.level = l)"
        " AND NOT EXISTS (SELECT 1 FROM paper_schemes s WHERE s.occupation_id = o.id AND s.level = l)"
        ).splitlines()
    occ, level = random.choice(rows).split(",")
    return int(occ), int(level)


def fill_bank(occ, level, tag, extra=0):
    """Put exactly SCHEME's counts (+ extra per type and kind) of questions into the 奔驰站's bank for
    occ and level; answers: single B, multi A,C, judge 对 (stems carry tag)."""
    parts = []
    for t, kinds in SCHEME.items():
        for k, n in kinds.items():
            opts = "'{}'::text[]" if t == "judge" else "ARRAY['甲', '乙', '丙', '丁']"
            ans = {"single": "B", "multi": "A,C", "judge": "对"}[t]
            parts.append(
                "SELECT '%s', '%s', '自测题 %s %s-%s 第' || g || '题', %s, '%s' FROM generate_series(1, %d) g"
                % (t, k, tag, t, k, opts, ans, n + extra))
    kw.psql(
        "INSERT INTO bank_questions (org_id, occupation_id, level, type, kind, stem, options, answer, norm,"
        " created_at) SELECT o.id, %d, %d, v.t, v.k, v.stem, v.opts, v.ans, v.stem, now()"
        " FROM (%s) AS v(t, k, stem, opts, ans), orgs o WHERE o.code = '49003031'"
        % (occ, level, " UNION ALL ".join(parts)))


class SelfTestCase(kw.ClockedTest):
    def setUp(self):
        super().setUp()
        self.tag = kw.uuid_hex(8)
        self.occ, self.level = free_pair()
        staff = kw.center_staff()
        body = dict(SCHEME, occupation_id=self.occ, level=self.level, minutes=60)
        r = staff.post("/api/schemes", body)
        self.assertEqual(r.status, 201, r)
        self.s, self.user, self.pw = candidate()

    def start(self, s=None):
        return (s or self.s).post("/api/self-tests", {"occupation_id": self.occ, "level": self.level})

    def key(self, test_id):
        rows = kw.psql("SELECT seq, type, answer FROM self_test_questions WHERE self_test_id = %d ORDER BY seq"
                       % test_id).splitlines()
        return [(int(n), t, a) for n, t, a in (r.split("|") for r in rows)]

    def pairs(self):
        return [(o["occupation"]["id"], o["level"]) for o in self.s.get("/api/self-tests/options").json()["items"]]

    def test_r28_options_are_the_center_schemes_the_bank_can_fill(self):
        self.assertNotIn((self.occ, self.level), self.pairs())
        r = self.start()
        self.assertEqual(r.status, 422)
        self.assertIn("single.basic", fields(r))
        fill_bank(self.occ, self.level, self.tag)
        self.assertIn((self.occ, self.level), self.pairs())
        o = [o for o in self.s.get("/api/self-tests/options").json()["items"]
             if (o["occupation"]["id"], o["level"]) == (self.occ, self.level)][0]
        self.assertEqual((o["question_count"], o["minutes"], o["max_points"]), (90, 60, 110))

    def test_r28_start_gives_questions_without_answers_and_a_server_deadline(self):
        fill_bank(self.occ, self.level, self.tag, extra=3)
        r = self.start()
        self.assertEqual(r.status, 201, r)
        t = r.json()
        self.assertEqual((t["status"], t["minutes"], t["question_count"], t["remaining_seconds"]), ("open", 60, 90, 3600))
        started = datetime.datetime.fromisoformat(t["started_at"])
        self.assertEqual(datetime.datetime.fromisoformat(t["deadline"]) - started, datetime.timedelta(minutes=60))
        self.assertNotIn('"answer"', r.body.decode())
        for q in t["questions"]:
            self.assertFalse({"answer", "given", "right"} & set(q))
        types = [q["type"] for q in t["questions"]]
        self.assertEqual(types, ["single"] * 50 + ["multi"] * 20 + ["judge"] * 10 * 2)
        self.assertEqual([q["no"] for q in t["questions"]], list(range(1, 91)))
        self.assertEqual(len({q["stem"] for q in t["questions"]}), 90)
        again = self.s.get("/api/self-tests/%d" % t["id"])
        self.assertNotIn('"answer"', again.body.decode())
        # the clock moves on: the time left is counted from the stored deadline
        kw.Clock.at(self.t0 + datetime.timedelta(minutes=10))
        self.s.login("candidate", self.user, self.pw)
        self.assertEqual(self.s.get("/api/self-tests/%d" % t["id"]).json()["remaining_seconds"], 3000)

    def test_r28_scoring_on_a_known_paper(self):
        fill_bank(self.occ, self.level, self.tag)
        t = self.start().json()
        key = self.key(t["id"])
        answers, expect_points, expect_right = {}, 0, 0
        for n, typ, ans in key:
            if typ == "single":
                # right for odd numbers (written in lower case), wrong for even ones
                answers[str(n)] = "b" if n % 2 else "A"
                expect_points += n % 2
                expect_right += n % 2
            elif typ == "multi":
                # right in three spellings, then one letter missing (no points), then unanswered
                answers[str(n)] = ["A,C", "CA", "Ａ，Ｃ", "A", ""][n % 5]
                ok = n % 5 in (0, 1, 2)
                expect_points += 2 if ok else 0
                expect_right += ok
            elif n % 3:
                answers[str(n)] = "对"
                expect_points += 1
                expect_right += 1
            else:
                answers[str(n)] = "错"
        r = self.s.post("/api/self-tests/%d/submit" % t["id"], {"answers": answers})
        self.assertEqual(r.status, 200, r)
        o = r.json()
        self.assertEqual((o["status"], o["status_text"], o["overtime"]), ("submitted", "已交卷", False))
        self.assertEqual((o["points"], o["max_points"], o["correct"]), (expect_points, 110, expect_right))
        self.assertAlmostEqual(o["score"], round(expect_points * 100 / 110, 1))
        self.assertEqual(o["passed"], o["score"] >= 60)
        by_no = {q["no"]: q for q in o["questions"]}
        for n, typ, ans in key:
            q = by_no[n]
            self.assertEqual(q["answer"], ans)
            if typ == "multi" and n % 5 == 4:
                self.assertIsNone(q["given"])
            elif typ == "multi":
                self.assertEqual(q["given"], "A,C" if n % 5 != 3 else "A")
        self.assertTrue(by_no[1]["right"])
        self.assertFalse(by_no[2]["right"])
        # handed in once only
        again = self.s.post("/api/self-tests/%d/submit" % t["id"], {"answers": {}})
        self.assertEqual(again.status, 409)
        mine = self.s.get("/api/self-tests/mine").json()["items"]
        self.assertEqual([(m["id"], m["points"]) for m in mine], [(t["id"], expect_points)])
        self.assertNotIn("questions", mine[0])

    def test_r28_all_right_scores_100_and_nothing_scores_0(self):
        fill_bank(self.occ, self.level, self.tag)
        t = self.start().json()
        answers = {str(n): a for n, _, a in self.key(t["id"])}
        o = self.s.post("/api/self-tests/%d/submit" % t["id"], {"answers": answers}).json()
        self.assertEqual((o["score"], o["points"], o["correct"], o["passed"]), (100, 110, 90, True))
        t = self.start().json()
        o = self.s.post("/api/self-tests/%d/submit" % t["id"], {"answers": {}}).json()
        self.assertEqual((o["score"], o["points"], o["correct"], o["passed"]), (0, 0, 0, False))

    def test_r28_late_submission_is_scored_and_marked_overtime(self):
        fill_bank(self.occ, self.level, self.tag)
        a, b = self.start().json(), self.start().json()
        # within the grace minute after the deadline: not late
        kw.Clock.at(self.t0 + datetime.timedelta(minutes=60, seconds=50))
        self.s.login("candidate", self.user, self.pw)
        self.assertEqual(self.s.get("/api/self-tests/%d" % a["id"]).json()["remaining_seconds"], 0)
        first = self.key(a["id"])[0]
        o = self.s.post("/api/self-tests/%d/submit" % a["id"], {"answers": {"1": first[2]}}).json()
        self.assertEqual((o["overtime"], o["status_text"], o["points"]), (False, "已交卷", 1))
        kw.Clock.at(self.t0 + datetime.timedelta(minutes=61, seconds=5))
        self.s.login("candidate", self.user, self.pw)
        first = self.key(b["id"])[0]
        o = self.s.post("/api/self-tests/%d/submit" % b["id"], {"answers": {"1": first[2]}}).json()
        self.assertEqual((o["overtime"], o["status_text"], o["points"], o["correct"]), (True, "超时交卷", 1, 1))

    def test_r28_only_the_owner_sees_a_self_test(self):
        fill_bank(self.occ, self.level, self.tag)
        t = self.start().json()
        other, _, _ = candidate()
        self.assertEqual(other.get("/api/self-tests/%d" % t["id"]).status, 404)
        self.assertEqual(other.post("/api/self-tests/%d/submit" % t["id"], {"answers": {}}).status, 404)
        self.assertEqual(other.get("/api/self-tests/mine").json()["items"], [])
        self.assertEqual(kw.center_staff().get("/api/self-tests/%d" % t["id"]).status, 403)
        self.assertEqual(kw.org_account("benz").post("/api/self-tests", {"occupation_id": self.occ,
                                                                        "level": self.level}).status, 403)
        self.assertEqual(self.s.get("/api/self-tests/%d" % (t["id"] + 100000)).status, 404)

    def test_r28_at_most_20_self_tests_a_day(self):
        fill_bank(self.occ, self.level, self.tag)
        self.assertEqual(self.start().status, 201)
        limit = int(next(s for s in kw.get("/api/openapi.json").json()["paths"]["/api/self-tests"]["post"]["summary"]
                         .split("；") if "24 小时内" in s).split("最多开始 ")[1].split(" 次")[0])
        self.assertEqual(limit, 20)
        account = kw.psql("SELECT account_id FROM self_tests WHERE id = (SELECT max(id) FROM self_tests"
                          " WHERE occupation_id = %d AND level = %d)" % (self.occ, self.level))
        kw.psql("INSERT INTO self_tests (account_id, occupation_id, level, minutes, started_at, deadline, max_points)"
                " SELECT %s, %d, %d, 60, '%s+08'::timestamptz - g * interval '1 minute', '%s+08', 110"
                " FROM generate_series(1, %d) g" % (account, self.occ, self.level, self.t0, self.t0, limit - 2))
        self.assertEqual(self.start().status, 201)  # the 20th
        r = self.start()
        self.assertEqual(r.status, 409)
        self.assertIn("最多开始 20 次", r.json()["error"]["message"])
        # a day later the count starts again
        kw.Clock.at(self.t0 + datetime.timedelta(days=1, minutes=1))
        self.s.login("candidate", self.user, self.pw)
        self.assertEqual(self.start().status, 201)

    def test_r28_malformed_answers_are_refused(self):
        fill_bank(self.occ, self.level, self.tag)
        t = self.start().json()
        key = self.key(t["id"])
        single = next(n for n, ty, _ in key if ty == "single")
        multi = next(n for n, ty, _ in key if ty == "multi")
        judge = next(n for n, ty, _ in key if ty == "judge")
        url = "/api/self-tests/%d/submit" % t["id"]
        r = self.s.post(url, {})
        self.assertEqual((r.status, fields(r)), (422, {"answers"}))
        r = self.s.post(url, {"answers": {"999": "A", "x": "A"}})
        self.assertEqual((r.status, fields(r)), (422, {"answers.999", "answers.x"}))
        r = self.s.post(url, {"answers": {str(single): "AB", str(multi): "E", str(judge): "X"}})
        self.assertEqual((r.status, fields(r)), (422, {"answers.%d" % n for n in (single, multi, judge)}))
        self.assertIn("对", [f["message"] for f in r.json()["error"]["fields"] if f["field"] == "answers.%d" % judge][0])
        r = self.s.post(url, {"answers": {str(single): 1}})
        self.assertEqual(r.status, 422)
        # nothing was stored: the paper is still open
        self.assertEqual(self.s.get("/api/self-tests/%d" % t["id"]).json()["status"], "open")
        r = self.s.post("/api/self-tests", {"occupation_id": "x"})
        self.assertEqual((r.status, fields(r)), (422, {"occupation_id", "level"}))

    def test_r28_questions_of_a_batch_paper_are_never_drawn(self):
        fill_bank(self.occ, self.level, self.tag)
        self.assertIn((self.occ, self.level), self.pairs())
        # an uploaded paper (R18) holds one of the bank's questions, by text only
        stem = "自测题 %s judge-related 第3题" % self.tag
        pid = kw.psql(
            "INSERT INTO papers (org_id, source, occupation_id, level, title, created_at)"
            " SELECT id, 'upload', %d, %d, '上传试卷 %s', now() FROM orgs WHERE code = '49003031' RETURNING id"
            % (self.occ, self.level, self.tag)).splitlines()[0]
        kw.psql("INSERT INTO paper_questions (paper_id, seq, type, kind, stem, answer)"
                " VALUES (%s, 1, 'judge', 'related', '%s', '对')" % (pid, stem))
        try:
            self.assertNotIn((self.occ, self.level), self.pairs())
            r = self.start()
            self.assertEqual(r.status, 422)
            self.assertEqual(fields(r), {"judge.related"})
            self.assertIn("缺 1 道", r.json()["error"]["fields"][0]["message"])
            # one more question in the bank: the test starts, without the paper's question
            fill_bank_one = ("INSERT INTO bank_questions (org_id, occupation_id, level, type, kind, stem, answer,"
                             " norm, created_at) SELECT id, %d, %d, 'judge', 'related', '自测题 %s 补充', '错',"
                             " '自测题 %s 补充', now() FROM orgs WHERE code = '49003031'"
                             % (self.occ, self.level, self.tag, self.tag))
            kw.psql(fill_bank_one)
            t = self.start()
            self.assertEqual(t.status, 201, t)
            self.assertNotIn(stem, [q["stem"] for q in t.json()["questions"]])
        finally:
            kw.psql("DELETE FROM papers WHERE id = %s" % pid)

"""test_bank.py - 题库管理: the xlsx template and import (R16, R17), the bank with its duplicate checks,
search, statistics and scope (R27), paper schemes, generated papers and their Word export (R28, R18).

Files are made here: by openpyxl (Debian's python3-openpyxl, run as /usr/bin/python3 through
test/office/gen_bank_xlsx.py), by LibreOffice headless (a CSV converted to xlsx), and by hand
(zip bombs, XXE). Word files are read back by LibreOffice headless. Each test class works in a
station of its own (created under the 北汽分中心 by the center), so banks start empty.
"""
import csv
import io
import json
import os
import random
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse
import zipfile

import kw

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(kw.ROOT, "test", "office", "gen_bank_xlsx.py")
CHECK = os.path.join(kw.ROOT, "test", "office", "check_xlsx.py")
SOFFICE = shutil.which("soffice")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW_PASSWORD = "Kaowu2040x"
OCC = 9          # 汽车装调工 (national and industry scope of the demo stations)
DIRECTION = 10   # 汽车发动机装调工, a direction of 汽车装调工
WELD = 45        # 汽车焊装生产线操作工 (alias 汽车焊接生产线操作工)
ROBOT = None     # 工业机器人装调维修工: outside the Benz tree's scope (looked up)
HEADER = ["题干", "题型(单选题、多选题、判断题)", "选项A", "选项B", "选项C", "选项D", "正确答案",
          "类型(基础知识、相关知识)"]


def occupation_id(name):
    return int(kw.psql("SELECT id FROM occupations WHERE name = '%s'" % name))


def xlsx(rows, **spec):
    """An xlsx written by openpyxl with rows (lists of A..H); returns the bytes."""
    spec = dict(spec, rows=rows)
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "bank.xlsx")
        subprocess.run(["/usr/bin/python3", GEN, out], input=json.dumps(spec).encode(), check=True)
        with open(out, "rb") as f:
            return f.read()


def libreoffice(args, cwd):
    """Run LibreOffice headless with a private profile (several may run at once)."""
    profile = "file://" + os.path.join(cwd, "profile")
    return subprocess.run([SOFFICE, "-env:UserInstallation=" + profile, "--headless"] + args, cwd=cwd,
                          capture_output=True, timeout=180)


def libreoffice_xlsx(rows):
    """A CSV of rows converted to xlsx by LibreOffice headless; returns the bytes."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "bank.csv")
        with open(src, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["" if v is None else v for v in r] for r in rows])
        # 44 = comma, 34 = quote, 76 = UTF-8
        libreoffice(["--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", d, src], d)
        with open(os.path.join(d, "bank.xlsx"), "rb") as f:
            return f.read()


def docx_text(data):
    """The text of a .docx as LibreOffice reads it."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "paper.docx")
        with open(src, "wb") as f:
            f.write(data)
        p = libreoffice(["--convert-to", "txt:Text", "--outdir", d, src], d)
        out = os.path.join(d, "paper.txt")
        assert os.path.exists(out), p.stderr
        with open(out, encoding="utf-8-sig") as f:
            return f.read()


def read_xlsx(data):
    """Cells of an xlsx as check_xlsx.py (openpyxl) reads them: list of rows of values."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["/usr/bin/python3", CHECK, f.name], capture_output=True, check=True)
    sheet = json.loads(out.stdout)["sheets"][0]
    rows = []
    for r in sheet["rows"]:
        cells = {c["ref"].rstrip("0123456789"): c["value"] for c in r}
        width = max([ord(k) - 64 for k in cells if len(k) == 1] or [0])
        rows.append([cells.get(chr(65 + i)) for i in range(width)])
    return sheet, rows


def tag():
    return "%06d" % random.randint(0, 999999)


def single(stem, answer="A", kind="基础知识", options=("甲", "乙", "丙", "丁")):
    opts = list(options) + [None] * (4 - len(options))
    return [stem, "单选题"] + opts + [answer, kind]


def multi(stem, answer="A,B", kind="基础知识", options=("甲", "乙", "丙", "丁")):
    opts = list(options) + [None] * (4 - len(options))
    return [stem, "多选题"] + opts + [answer, kind]


def judge(stem, answer="对", kind="基础知识"):
    return [stem, "判断题", None, None, None, None, answer, kind]


def new_station(center, scopes=None):
    """A new station under the 北汽分中心 with its password changed; (org id, logged-in session)."""
    while True:
        code = "47%06d" % random.randint(0, 999999)
        if kw.psql("SELECT count(*) FROM orgs WHERE code = '%s'" % code) == "0":
            break
    name = "题库测试鉴定站%s" % code
    parent = int(kw.psql("SELECT id FROM orgs WHERE code = '49003000'"))
    body = {"name": name, "code": code, "kind": "station", "parent_id": parent,
            "scopes": scopes or [{"category": "national", "occupation_id": OCC},
                                 {"category": "industry", "occupation_id": WELD}],
            "leader_name": "张三", "contact_name": "李四", "phone": "010-12345678",
            "email": "b%s@kaowu.example" % code, "valid_until": "2031-06-30"}
    r = center.post("/api/orgs", body)
    assert r.status == 201, r
    s = kw.login("org", name, code)
    ok = s.post("/api/auth/password", {"old_password": code, "new_password": NEW_PASSWORD})
    assert ok.status == 200, ok
    return r.json()["id"], s


def import_file(s, data, occupation=OCC, level=3, dry_run=False, by_name=None):
    q = {"level": level}
    if by_name:
        q["occupation"] = by_name
    else:
        q["occupation_id"] = occupation
    if dry_run:
        q["dry_run"] = 1
    return s.request("POST", "/api/bank/import?" + urllib.parse.urlencode(q), body=data,
                     headers={"Content-Type": XLSX})


def bank_count(org, occupation=None, level=None):
    sql = "SELECT count(*) FROM bank_questions WHERE org_id = %d" % org
    if occupation:
        sql += " AND occupation_id = %d" % occupation
    if level:
        sql += " AND level = %d" % level
    return int(kw.psql(sql))


def errors(r):
    return r.json()["error"].get("fields", [])


class BankCase(unittest.TestCase):
    """Each class gets its own station (empty banks) and the demo accounts around it."""

    @classmethod
    def setUpClass(cls):
        cls.center = kw.center_staff()
        cls.org, cls.s = new_station(cls.center)


class Template(BankCase):
    def test_R17_template_has_the_manuals_columns_and_instruction_rows(self):
        r = self.s.get("/api/bank/template.xlsx")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("content-type"), XLSX)
        self.assertIn("filename*=UTF-8''%E9%A2%98%E5%BA%93", r.header("content-disposition"))
        sheet, rows = read_xlsx(r.body)
        self.assertEqual(rows[0], HEADER)
        self.assertEqual(len(rows), 6)
        self.assertEqual(rows[1][:2], ["车轮前束是为了调整（　）所带来的不良后果而设置的。", "单选题"])
        self.assertEqual(rows[1][6:], ["C", "基础知识"])
        self.assertIn("前六行", rows[5][0])
        # the other org roles may download it; experts and candidates may not
        self.assertEqual(kw.org_account("beiqi").get("/api/bank/template.xlsx").status, 200)
        self.assertEqual(self.center.get("/api/bank/template.xlsx").status, 200)
        self.assertEqual(kw.login("assessor", "422201199001176250").get("/api/bank/template.xlsx").status, 403)
        self.assertEqual(kw.request("GET", "/api/bank/template.xlsx").status, 401)

    def test_R17_the_template_imports_as_downloaded_its_six_rows_skipped(self):
        tpl = self.s.get("/api/bank/template.xlsx").body
        t = tag()
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
            f.write(tpl)
            f.flush()
            data = xlsx([single("模板后的第一题%s（　）。" % t, "B"), judge("模板后的判断题%s。" % t, "错")],
                        append_to=f.name)
        r = import_file(self.s, data, level=5)
        self.assertEqual(r.status, 201, r)
        body = r.json()
        self.assertEqual(body["template_rows"], [1, 2, 3, 4, 5, 6])
        self.assertEqual((body["rows"], body["imported"], body["duplicate_count"]), (2, 2, 0))
        items = self.s.get("/api/bank/questions?level=5&q=" + urllib.parse.quote(t)).json()["items"]
        self.assertEqual(sorted(i["type"] for i in items), ["judge", "single"])
        # the manual's way (the six rows deleted first) works the same
        r = import_file(self.s, xlsx([single("删掉说明后的题%s" % t)]), level=5)
        self.assertEqual((r.status, r.json()["template_rows"], r.json()["imported"]), (201, [], 1))


class Import(BankCase):
    def test_R17_every_bad_row_is_listed_and_nothing_is_imported(self):
        t = tag()
        rows = [HEADER,
                single("好的单选题%s" % t),                                   # 2 ok
                [("选择题%s" % t), "选择题", "甲", "乙", None, None, "A", "基础知识"],  # 3 type
                single("只有一个选项%s" % t, options=("甲",)),                # 4 options
                single("答案不是字母%s" % t, answer="E"),                     # 5 answer
                single("答案超出选项%s" % t, answer="D", options=("甲", "乙", "丙")),  # 6 beyond
                multi("没有逗号%s" % t, answer="AB"),                         # 7 format
                multi("重复字母%s" % t, answer="A,A"),                        # 8 repeat
                multi("只选一个%s" % t, answer="B"),                          # 9 at least two
                ["判断题带选项%s" % t, "判断题", "甲", None, None, None, "对", "基础知识"],  # 10
                judge("判断题答案%s" % t, answer="是"),                       # 11
                single("类型不对%s" % t, kind="专业知识"),                    # 12
                ["选项中间空了%s" % t, "单选题", "甲", None, "丙", None, "A", "基础知识"],  # 13
                [None, "单选题", "甲", "乙", None, None, "A", "基础知识"],   # 14 stem
                judge("好的判断题%s" % t)]                                     # 15 ok
        data = xlsx(rows)
        before = bank_count(self.org)
        imports = kw.psql("SELECT count(*) FROM bank_imports WHERE org_id = %d" % self.org)
        r = import_file(self.s, data)
        self.assertEqual(r.status, 422, r)
        errs = errors(r)
        by_row = {}
        for e in errs:
            self.assertEqual(e["rule"], "R17")
            self.assertIn("第 %d 行" % e["row"], e["message"])
            by_row.setdefault(e["row"], []).append(e)
        self.assertEqual(sorted(by_row), list(range(3, 15)))
        self.assertEqual(by_row[3][0]["field"], "B")
        self.assertIn("选择题", by_row[3][0]["message"])
        self.assertEqual([e["field"] for e in by_row[4]], ["D"])
        self.assertIn("2–4", by_row[4][0]["message"])
        for row in (5, 6, 7, 8, 9, 11):
            self.assertEqual([e["field"] for e in by_row[row]], ["G"], by_row[row])
        self.assertIn("超出选项", by_row[6][0]["message"])
        self.assertIn("逗号", by_row[7][0]["message"])
        self.assertIn("重复", by_row[8][0]["message"])
        self.assertIn("不填选项", by_row[10][0]["message"])
        self.assertEqual(by_row[12][0]["field"], "H")
        self.assertEqual(by_row[13][0]["field"], "D")
        self.assertEqual(by_row[14][0]["field"], "A")
        self.assertIn("12 行", r.json()["error"]["message"])
        self.assertEqual(bank_count(self.org), before)
        self.assertEqual(kw.psql("SELECT count(*) FROM bank_imports WHERE org_id = %d" % self.org), imports)

        # dry run: the same report as a preview, still nothing saved
        r = import_file(self.s, data, dry_run=True)
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertTrue(body["dry_run"])
        self.assertEqual((body["rows"], body["valid"], body["bad_rows"], body["imported"]), (14, 2, 12, 0))
        self.assertEqual(sorted({e["row"] for e in body["errors"]}), list(range(3, 15)))
        self.assertEqual(body["template_rows"], [1])
        self.assertEqual(bank_count(self.org), before)

    def test_R16_answers_and_types_in_the_forms_people_type(self):
        t = tag()
        rows = [multi("全角答案%s" % t, answer="Ａ，Ｃ"),
                multi("小写带空格%s" % t, answer=" c , a "),
                [("简写题型%s" % t), "单选", "甲", "乙", None, None, "b", "相关知识"],
                [("数字选项%s" % t), "单选题", 3.5, 10, 0.25, None, "C", "基础知识"],
                judge("  前后空格的判断题%s  " % t, answer=" 错 ")]
        r = import_file(self.s, xlsx(rows), level=4)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["imported"], 5)
        got = {i["stem"]: i for i in self.s.get("/api/bank/questions?level=4&per_page=100&q=" + t).json()["items"]}
        self.assertEqual(got["全角答案%s" % t]["answer"], "A,C")
        self.assertEqual(got["小写带空格%s" % t]["answer"], "A,C")
        self.assertEqual((got["简写题型%s" % t]["type"], got["简写题型%s" % t]["kind"]), ("single", "related"))
        self.assertEqual(got["简写题型%s" % t]["answer"], "B")
        self.assertEqual(got["数字选项%s" % t]["options"], ["3.5", "10", "0.25"])
        self.assertEqual(got["前后空格的判断题%s" % t]["answer"], "错")
        self.assertEqual(got["前后空格的判断题%s" % t]["options"], [])

    def test_R27_exact_duplicates_are_skipped(self):
        t = tag()
        base = single("发动机曲轴的轴向间隙%s一般用（　）测量。" % t, "B", options=("塞尺", "百分表", "卷尺", "直尺"))
        r = import_file(self.s, xlsx([base]), level=2)
        self.assertEqual((r.status, r.json()["imported"]), (201, 1), r)
        existing = self.s.get("/api/bank/questions?level=2&q=" + t).json()["items"][0]
        # the same question with half-width brackets, extra spaces and full-width letters in an option
        same = single("发动机曲轴的 轴向间隙%s一般用( )测量." % t, "B", options=("塞尺", "百分表 ", "卷尺", "直尺"))
        again = single("另一道新题%s" % t)
        r = import_file(self.s, xlsx([same, again, again]), level=2)
        self.assertEqual(r.status, 201, r)
        body = r.json()
        self.assertEqual((body["imported"], body["duplicate_count"]), (1, 2))
        d = {x["row"]: x for x in body["duplicates"]}
        self.assertEqual(d[1]["existing"]["id"], existing["id"])
        self.assertIsNone(d[1]["duplicate_of_row"])
        self.assertEqual(d[3]["duplicate_of_row"], 2)
        self.assertEqual(bank_count(self.org, OCC, 2), 2)
        # another level is another bank: no duplicate there
        r = import_file(self.s, xlsx([base]), level=1)
        self.assertEqual(r.json()["imported"], 1)

    def test_R27_near_duplicates_are_imported_flagged_and_shown_side_by_side(self):
        t = tag()
        base = single("装配气门弹簧%s时，其预紧力应符合（　）的要求。" % t, "A",
                      options=("维修手册", "经验数据", "同类车型", "操作习惯"))
        r = import_file(self.s, xlsx([base]), occupation=DIRECTION, level=3)
        self.assertEqual(r.status, 201, r)
        near = single("装配气门弹簧%s时，它的预紧力应当符合（　）的要求。" % t, "A",
                      options=("维修手册", "经验数据", "同类车型", "操作习惯"))
        other = single("检测制动盘跳动量%s时，应选用的工具是（　）。" % t, "B",
                       options=("游标卡尺", "百分表", "塞尺", "万用表"))
        preview = import_file(self.s, xlsx([near, other]), occupation=DIRECTION, level=3, dry_run=True)
        self.assertEqual(preview.status, 200, preview)
        p = preview.json()
        self.assertEqual((p["new"], p["near_duplicate_count"], p["imported"]), (2, 1, 0))
        nd = p["near_duplicates"][0]
        self.assertEqual(nd["row"], 1)
        self.assertIsNone(nd["id"])
        self.assertEqual(nd["question"]["stem"], near[0])
        self.assertEqual(nd["existing"]["stem"], base[0])
        self.assertEqual(nd["existing"]["options"], list(base[2:6]))
        self.assertGreaterEqual(nd["similarity"], 0.6)
        self.assertLess(nd["similarity"], 1)
        self.assertEqual(bank_count(self.org, DIRECTION, 3), 1)

        r = import_file(self.s, xlsx([near, other]), occupation=DIRECTION, level=3)
        self.assertEqual(r.status, 201, r)
        body = r.json()
        self.assertEqual((body["imported"], body["near_duplicate_count"]), (2, 1))
        nd = body["near_duplicates"][0]
        self.assertIsNotNone(nd["id"])
        # the similarity is pg_trgm's, on the normalised texts
        sim = float(kw.psql("SELECT similarity(a.norm, b.norm) FROM bank_questions a, bank_questions b "
                            "WHERE a.id = %d AND b.id = %d" % (nd["id"], nd["existing"]["id"])))
        self.assertAlmostEqual(nd["similarity"], sim, places=3)
        # the flag is kept and listed beside the question it resembles
        flagged = self.s.get("/api/bank/questions?near=1&occupation_id=%d&level=3" % DIRECTION).json()
        self.assertEqual(flagged["total"], 1)
        self.assertEqual(flagged["items"][0]["id"], nd["id"])
        self.assertEqual(flagged["items"][0]["near_of"]["stem"], base[0])
        # the user keeps it: the flag is cleared by an edit
        q = flagged["items"][0]
        body = {"type": q["type"], "kind": q["kind"], "stem": q["stem"], "options": q["options"],
                "answer": q["answer"], "near_of": None}
        self.assertEqual(self.s.put("/api/bank/questions/%d" % q["id"], body).status, 200)
        self.assertEqual(self.s.get("/api/bank/questions?near=1&occupation_id=%d" % DIRECTION).json()["total"], 0)

    def test_R17_scope_levels_and_the_occupation_alias(self):
        t = tag()
        data = xlsx([single("范围测试%s" % t)])
        robot = occupation_id("工业机器人装调维修工")
        r = import_file(self.s, data, occupation=robot)
        self.assertEqual(r.status, 422, r)
        f = {e["field"]: e for e in errors(r)}
        self.assertEqual(f["occupation_id"]["rule"], "scope")
        # the alias of the manual's training list names the same occupation
        r = import_file(self.s, data, by_name="汽车焊接生产线操作工", level=4)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["occupation"], {"id": WELD, "name": "汽车焊装生产线操作工"})
        # a direction is in scope through its occupation
        self.assertEqual(import_file(self.s, data, occupation=DIRECTION, level=5).status, 201)
        # bad level, unknown occupation
        r = import_file(self.s, data, level=6)
        self.assertEqual((r.status, errors(r)[0]["field"]), (422, "level"))
        r = import_file(self.s, data, occupation=999999)
        self.assertEqual((r.status, errors(r)[0]["field"]), (422, "occupation_id"))
        # the center has no bank of its own to import into; experts may not
        self.assertEqual(import_file(self.center, data).status, 403)
        # a level-2 org imports for the occupations of its stations
        beiqi = kw.org_account("beiqi")
        r = import_file(beiqi, xlsx([single("分中心自己的题%s" % t)]), level=1)
        self.assertEqual(r.status, 201, r)

    def test_R17_bad_files_are_refused_and_nothing_is_saved(self):
        before = bank_count(self.org)
        # not an xlsx at all
        r = import_file(self.s, "题干,题型\n".encode() * 10)
        self.assertEqual(r.status, 422, r)
        self.assertIn("xlsx", r.json()["error"]["message"])
        # empty body
        self.assertEqual(import_file(self.s, b"").status, 422)
        # a zip bomb: a sheet that inflates a thousandfold
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
            z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>')
            z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
            z.writestr("xl/worksheets/sheet1.xml", '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + " " * (150 * 1024 * 1024) + "</sheetData></worksheet>")
        bomb = buf.getvalue()
        self.assertLess(len(bomb), 1024 * 1024)
        r = import_file(self.s, bomb)
        self.assertEqual(r.status, 413, r)
        # XXE: an external entity in the sheet
        good = xlsx([single("外部实体%s" % tag())])
        with zipfile.ZipFile(io.BytesIO(good)) as src:
            entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
        for payload in ('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'):
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for name, data in entries:
                    if name.startswith("xl/worksheets/"):
                        text = data.decode()
                        text = text.replace("<worksheet", payload + "<worksheet", 1)
                        text = text.replace("外部实体", "&xxe;&c;外部实体", 1)
                        data = text.encode()
                    z.writestr(name, data)
            r = import_file(self.s, out.getvalue())
            self.assertEqual(r.status, 422, r)
            self.assertNotIn("root:", r.body.decode())
        # a truncated xlsx
        self.assertEqual(import_file(self.s, good[: len(good) // 2]).status, 422)
        self.assertEqual(bank_count(self.org), before)
        # the workers are alive and well
        self.assertEqual(import_file(self.s, good).status, 201)

    def test_R17_files_written_by_openpyxl_streaming_and_by_libreoffice(self):
        t = tag()
        rows = [HEADER, single("流式写入%s" % t), multi("流式多选%s" % t, "A,B,D"), judge("流式判断%s" % t)]
        r = import_file(self.s, xlsx(rows, write_only=True), occupation=DIRECTION, level=2)
        self.assertEqual((r.status, r.json()["imported"]), (201, 3), r)
        if not SOFFICE:
            self.skipTest("LibreOffice (soffice) is not installed")
        rows = [HEADER, single("LibreOffice 转换%s" % t, "D"), multi("LibreOffice 多选%s" % t, "B,C"),
                judge("LibreOffice 判断%s" % t, "错")]
        data = libreoffice_xlsx(rows)
        r = import_file(self.s, data, occupation=DIRECTION, level=1)
        self.assertEqual((r.status, r.json()["imported"], r.json()["template_rows"]), (201, 3, [1]), r)
        items = self.s.get("/api/bank/questions?occupation_id=%d&level=1&q=LibreOffice" % DIRECTION).json()["items"]
        self.assertEqual(sorted(i["answer"] for i in items), ["B,C", "D", "错"])


class Bank(BankCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.t = tag()
        t = cls.t
        rows = [single("%s离合器自由行程过大会导致（　）。" % t, "A", options=("分离不彻底", "打滑", "异响")),
                single("%s检测100%%_通配符（　）。" % t, "B"),
                multi("%s下列属于制动系统部件的有（　）。" % t, "A,B,D", kind="相关知识"),
                judge("%s拆卸蓄电池前应先断开负极。" % t, "对"),
                judge("%s安全帽可以不戴。" % t, "错", kind="相关知识")]
        r = import_file(cls.s, xlsx(rows), level=3)
        assert r.status == 201, r

    def test_R27_search_filters_and_paging(self):
        t = self.t
        base = "/api/bank/questions?occupation_id=%d&level=3&q=%s" % (OCC, t)
        r = self.s.get(base)
        self.assertEqual((r.status, r.json()["total"]), (200, 5), r)
        self.assertEqual(self.s.get(base + urllib.parse.quote("离合器")).json()["total"], 1)
        self.assertEqual(self.s.get("/api/bank/questions?level=3&q=" + urllib.parse.quote(t + "离合器自由行程")).json()["total"], 1)
        self.assertEqual(self.s.get(base + "&type=judge").json()["total"], 2)
        self.assertEqual(self.s.get(base + "&kind=related").json()["total"], 2)
        self.assertEqual(self.s.get(base + "&type=judge&kind=related").json()["total"], 1)
        # LIKE wildcards are plain characters
        self.assertEqual(self.s.get(base + urllib.parse.quote("检测100%_")).json()["total"], 1)
        self.assertEqual(self.s.get(base + urllib.parse.quote("%")).json()["total"], 0)
        page = self.s.get(base + "&per_page=2&page=3").json()
        self.assertEqual((len(page["items"]), page["total"], page["page"]), (1, 5, 3))
        item = page["items"][0]
        for key in ("id", "org", "occupation", "level", "level_text", "type", "type_text", "kind", "kind_text",
                    "stem", "options", "answer", "near_of", "similarity", "editable", "created_at"):
            self.assertIn(key, item)
        self.assertEqual(item["occupation"], {"id": OCC, "name": "汽车装调工"})
        self.assertTrue(item["editable"])
        r = self.s.get("/api/bank/questions?type=essay&level=9")
        self.assertEqual(r.status, 422)
        self.assertEqual({e["field"] for e in errors(r)}, {"type", "level"})

    def test_R27_level2_sees_its_stations_banks_the_center_all_others_nothing(self):
        t = self.t
        q = "/api/bank/questions?level=3&q=" + t
        one = self.s.get(q).json()["items"][0]
        beiqi = kw.org_account("beiqi")
        self.assertEqual(beiqi.get(q).json()["total"], 5)
        got = beiqi.get("/api/bank/questions/%d" % one["id"])
        self.assertEqual(got.status, 200)
        self.assertFalse(got.json()["editable"])
        self.assertEqual(self.center.get(q).json()["total"], 5)
        self.assertEqual(self.center.get(q + "&org_id=%d" % self.org).json()["total"], 5)
        for other in ("benz", "robot"):
            o = kw.org_account(other)
            self.assertEqual(o.get(q).json()["total"], 0)
            self.assertEqual(o.get("/api/bank/questions/%d" % one["id"]).status, 404)
            self.assertEqual(o.put("/api/bank/questions/%d" % one["id"], {}).status, 404)
            self.assertEqual(o.delete("/api/bank/questions/%d" % one["id"]).status, 404)
        # the level-2 org exports its stations' banks
        r = beiqi.get(q + "&format=xlsx")
        self.assertEqual(r.status, 200, r)
        self.assertIn("attachment", r.header("content-disposition"))
        sheet, rows = read_xlsx(r.body)
        self.assertEqual(rows[0][:8], HEADER)
        self.assertEqual(rows[0][8:], ["职业/工种", "等级", "所属机构"])
        self.assertEqual(len(rows), 6)
        multi_row = [x for x in rows if x[0].endswith("制动系统部件的有（　）。")][0]
        self.assertEqual(multi_row[1:8], ["多选题", "甲", "乙", "丙", "丁", "A,B,D", "相关知识"])
        self.assertEqual(multi_row[8:10], ["汽车装调工", "高级/三级"])
        self.assertTrue(multi_row[10].startswith("题库测试鉴定站"))
        self.assertEqual(kw.org_account("benz").get(q + "&format=xlsx").status, 200)

    def test_R27_an_export_imports_again(self):
        data = self.s.get("/api/bank/questions?level=3&q=%s&format=xlsx" % self.t).body
        r = import_file(self.s, data, level=5)
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json()["template_rows"], r.json()["imported"]), ([1], 5))
        # and into the same bank again: every question is a duplicate
        r = import_file(self.s, data, level=3, dry_run=True)
        self.assertEqual((r.json()["new"], r.json()["duplicate_count"]), (0, 5))

    def test_R27_edit_and_delete_own_questions(self):
        t = tag()
        r = import_file(self.s, xlsx([single("待修改%s" % t), single("另一题%s" % t)]), level=2)
        self.assertEqual(r.status, 201, r)
        items = {i["stem"]: i for i in self.s.get("/api/bank/questions?level=2&q=" + t).json()["items"]}
        q = items["待修改%s" % t]
        body = {"type": "multi", "kind": "related", "stem": "已修改%s" % t, "options": ["一", "二", "三"],
                "answer": "a,c"}
        r = self.s.put("/api/bank/questions/%d" % q["id"], body)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["type"], r.json()["answer"], r.json()["options"]), ("multi", "A,C", ["一", "二", "三"]))
        self.assertEqual(kw.psql("SELECT count(*) FROM audit_log WHERE action = 'bank.question.update' "
                                 "AND object_id = %d" % q["id"]), "1")
        bad = dict(body, type="single", answer="E", options=["一"])
        r = self.s.put("/api/bank/questions/%d" % q["id"], bad)
        self.assertEqual(r.status, 422)
        self.assertEqual({e["field"] for e in errors(r)}, {"options[1]", "answer"})
        self.assertTrue(all(e["rule"] == "R16" for e in errors(r)))
        # becoming a copy of another question of the bank
        other = items["另一题%s" % t]
        dup = {"type": "single", "kind": "basic", "stem": " 另一题%s " % t, "options": other["options"], "answer": "B"}
        self.assertEqual(self.s.put("/api/bank/questions/%d" % q["id"], dup).status, 409)
        # reviewers see but do not edit
        self.assertEqual(kw.org_account("beiqi").put("/api/bank/questions/%d" % q["id"], body).status, 403)
        self.assertEqual(self.center.delete("/api/bank/questions/%d" % q["id"]).status, 403)
        self.assertEqual(self.s.delete("/api/bank/questions/%d" % q["id"]).status, 204)
        self.assertEqual(self.s.get("/api/bank/questions/%d" % q["id"]).status, 404)
        self.assertEqual(self.s.delete("/api/bank/questions/%d" % q["id"]).status, 404)

    def test_R27_statistics_per_occupation_level_type_and_kind(self):
        t = tag()
        rows = [single("统计单选基础%s-%d" % (t, i)) for i in range(3)] + \
               [single("统计单选相关%s" % t, kind="相关知识"), multi("统计多选%s" % t), judge("统计判断%s" % t, kind="相关知识")]
        self.assertEqual(import_file(self.s, xlsx(rows), by_name="汽车焊装生产线操作工", level=2).status, 201)
        r = self.s.get("/api/bank/stats?occupation_id=%d" % WELD)
        self.assertEqual(r.status, 200, r)
        items = [i for i in r.json()["items"] if i["level"] == 2]
        self.assertEqual(len(items), 1)
        s = items[0]
        self.assertEqual(s["occupation"]["name"], "汽车焊装生产线操作工")
        self.assertEqual(s["level_text"], "技师/二级")
        self.assertEqual((s["single"]["basic"], s["single"]["related"], s["multi"]["basic"], s["multi"]["related"],
                          s["judge"]["basic"], s["judge"]["related"], s["total"]), (3, 1, 1, 0, 0, 1, 6))
        # the level-2 org's statistics count its stations' questions
        mine = kw.org_account("beiqi").get("/api/bank/stats?occupation_id=%d&level=2&org_id=%d" % (WELD, self.org)).json()
        self.assertEqual(mine["totals"]["total"], 6)
        self.assertEqual(kw.org_account("robot").get("/api/bank/stats?org_id=%d" % self.org).json()["totals"]["total"], 0)


class Schemes(BankCase):
    def scheme(self, level=3, minutes=90, s=(60, 10), m=(15, 5), j=(8, 2), occupation=OCC, session=None):
        body = {"level": level, "occupation_id": occupation, "minutes": minutes,
                "single": {"basic": s[0], "related": s[1]}, "multi": {"basic": m[0], "related": m[1]},
                "judge": {"basic": j[0], "related": j[1]}}
        return (session or self.s).post("/api/schemes", body)

    def fill(self, occupation, level, counts, t):
        """Import counts {(type, kind): n} questions into a bank."""
        make = {"single": single, "multi": multi, "judge": judge}
        rows = []
        for (typ, kind), n in counts.items():
            word = "基础知识" if kind == "basic" else "相关知识"
            for i in range(n):
                rows.append(make[typ]("%s %s %s 第%d题 %s" % (typ, kind, t, i, "（　）"), kind=word))
        r = import_file(self.s, xlsx(rows), occupation=occupation, level=level)
        assert r.status == 201, r

    def test_R28_totals_and_minutes_by_level(self):
        schemes = self.s.get("/api/schemes").json()["total"]
        r = self.scheme(level=3, s=(60, 10), m=(10, 5), j=(2, 2))  # 89 questions
        self.assertEqual(r.status, 422, r)
        f = {e["field"]: e for e in errors(r)}
        self.assertEqual(f["total"]["rule"], "R28")
        self.assertIn("90", f["total"]["message"])
        r = self.scheme(level=5, minutes=59)
        self.assertEqual({e["field"]: e["rule"] for e in errors(r)}, {"minutes": "R28"})
        r = self.scheme(level=2, minutes=90)  # 100 questions
        self.assertEqual({e["field"]: e["rule"] for e in errors(r)}, {"total": "R28"})
        r = self.scheme(level=1, minutes=89, s=(80, 10), m=(15, 5), j=(8, 2))  # 120 questions, 89 minutes
        self.assertEqual({e["field"]: e["rule"] for e in errors(r)}, {"minutes": "R28"})
        r = self.scheme(level=1, minutes=90, s=(80, 10), m=(15, 5), j=(8, 2))
        self.assertEqual(r.status, 201, r)
        sc = r.json()
        self.assertEqual((sc["total"], sc["single"], sc["level_text"]), (120, {"basic": 80, "related": 10, "total": 90}, "高级技师/一级"))
        r = self.scheme(occupation=occupation_id("工业机器人装调维修工"))
        self.assertEqual({e["field"]: e["rule"] for e in errors(r)}, {"occupation_id": "scope"})
        r = self.s.post("/api/schemes", {"level": 3, "occupation": "汽车焊接生产线操作工", "minutes": 60,
                                         "single": {"basic": 90, "related": 0}})
        self.assertEqual((r.status, r.json()["occupation"]["id"]), (201, WELD), r)
        # schemes are the org's own
        listed = self.s.get("/api/schemes").json()
        self.assertEqual(listed["total"], schemes + 2)
        for other in (kw.org_account("benz"), kw.org_account("beiqi")):
            self.assertEqual(other.get("/api/schemes/%d" % sc["id"]).status, 404)
            self.assertEqual(other.delete("/api/schemes/%d" % sc["id"]).status, 404)
            self.assertEqual(other.post("/api/schemes/%d/generate" % sc["id"]).status, 404)
        self.assertEqual(self.s.delete("/api/schemes/%d" % sc["id"]).status, 204)
        self.assertEqual(self.s.get("/api/schemes/%d" % sc["id"]).status, 404)

    def test_R28_a_short_bank_names_every_shortfall(self):
        t = tag()
        self.fill(DIRECTION, 4, {("single", "basic"): 50, ("multi", "basic"): 15, ("multi", "related"): 5,
                                 ("judge", "basic"): 10}, t)
        sc = self.scheme(level=4, occupation=DIRECTION, s=(62, 10), m=(15, 5), j=(8, 2)).json()
        before = kw.psql("SELECT count(*) FROM papers")
        r = self.s.post("/api/schemes/%d/generate" % sc["id"])
        self.assertEqual(r.status, 422, r)
        f = {e["field"]: e for e in errors(r)}
        self.assertEqual(set(f), {"single.basic", "single.related", "judge.related"})
        self.assertEqual(f["single.basic"]["rule"], "R28")
        self.assertTrue(f["single.basic"]["message"].startswith("单选题·基础知识 缺 12 道"), f)
        self.assertTrue(f["single.related"]["message"].startswith("单选题·相关知识 缺 10 道"), f)
        self.assertTrue(f["judge.related"]["message"].startswith("判断题·相关知识 缺 2 道"), f)
        self.assertEqual(kw.psql("SELECT count(*) FROM papers"), before)

    def test_R28_generate_replace_delete_and_export(self):
        t = tag()
        self.fill(OCC, 5, {("single", "basic"): 70, ("single", "related"): 12, ("multi", "basic"): 16,
                           ("multi", "related"): 5, ("judge", "basic"): 8, ("judge", "related"): 3}, t)
        sc = self.scheme(level=5, minutes=60).json()
        r = self.s.post("/api/schemes/%d/generate" % sc["id"])
        self.assertEqual(r.status, 201, r)
        pid = r.json()["paper_id"]
        self.assertEqual(r.json()["paper_ids"], [pid])
        paper = self.s.get("/api/papers/%d" % pid).json()
        self.assertEqual((paper["question_count"], paper["counts"], paper["minutes"], paper["set_no"]),
                         (100, {"single": 70, "multi": 20, "judge": 10}, 60, 1))
        self.assertEqual(paper["title"], "汽车装调工（初级/五级）理论知识试卷")
        qs = self.s.get("/api/papers/%d/questions" % pid).json()
        items = qs["items"]
        self.assertEqual((qs["total"], [i["no"] for i in items]), (100, list(range(1, 101))))
        # sections in order, kinds as the scheme says, every question from this bank, none twice
        self.assertEqual([i["type"] for i in items], ["single"] * 70 + ["multi"] * 20 + ["judge"] * 10)
        kinds = {}
        for i in items:
            kinds[(i["type"], i["kind"])] = kinds.get((i["type"], i["kind"]), 0) + 1
        self.assertEqual(kinds, {("single", "basic"): 60, ("single", "related"): 10, ("multi", "basic"): 15,
                                 ("multi", "related"): 5, ("judge", "basic"): 8, ("judge", "related"): 2})
        self.assertEqual(len({i["question_id"] for i in items}), 100)
        self.assertTrue(all(t in i["stem"] for i in items))
        self.assertEqual(self.s.get("/api/schemes/%d" % sc["id"]).json()["papers"], 1)

        # replace: same type and kind, not already in the paper
        target = [i for i in items if i["type"] == "single" and i["kind"] == "related"][0]
        r = self.s.post("/api/papers/%d/questions/%d/replace" % (pid, target["id"]))
        self.assertEqual(r.status, 200, r)
        new = r.json()
        self.assertEqual((new["id"], new["no"], new["type"], new["kind"]), (target["id"], target["no"], "single", "related"))
        self.assertNotIn(new["question_id"], {i["question_id"] for i in items})
        # the bank holds 12 such questions; the paper now uses 10 of them and has seen 11: one more swap,
        # then none is left
        r = self.s.post("/api/papers/%d/questions/%d/replace" % (pid, target["id"]))
        self.assertEqual(r.status, 200, r)
        r = self.s.post("/api/papers/%d/questions/%d/replace" % (pid, target["id"]))
        self.assertEqual(r.status, 200, r)  # the first one came back into the pool
        used = {i["question_id"] for i in self.s.get("/api/papers/%d/questions" % pid).json()["items"]}
        spare = int(kw.psql("SELECT id FROM bank_questions WHERE org_id = %d AND occupation_id = %d AND level = 5 "
                            "AND type = 'single' AND kind = 'related' AND id NOT IN (%s) LIMIT 1"
                            % (self.org, OCC, ",".join(str(u) for u in used))))
        r = self.s.post("/api/papers/%d/questions/%d/replace" % (pid, target["id"]), {"question_id": spare})
        self.assertEqual((r.status, r.json()["question_id"]), (200, spare), r)
        inside = [i["question_id"] for i in items if i["type"] == "judge"][0]
        r = self.s.post("/api/papers/%d/questions/%d/replace" % (pid, target["id"]), {"question_id": inside})
        self.assertEqual(r.status, 422, r)
        judge_q = [i for i in items if i["type"] == "judge" and i["kind"] == "related"][0]
        r = self.s.post("/api/papers/%d/questions/%d/replace" % (pid, judge_q["id"]))
        self.assertEqual(r.status, 200, r)  # 3 judge-related in the bank, 2 in the paper
        r = self.s.post("/api/papers/%d/questions/%d/replace" % (pid, judge_q["id"]))
        self.assertEqual(r.status, 200, r)
        # the bank's 5 multi-related questions are all in the paper: nothing to swap in
        multi_q = [i for i in items if i["type"] == "multi" and i["kind"] == "related"][0]
        r = self.s.post("/api/papers/%d/questions/%d/replace" % (pid, multi_q["id"]))
        self.assertEqual(r.status, 409, r)
        self.assertIn("多选题·相关知识", r.json()["error"]["message"])
        self.assertEqual(kw.psql("SELECT count(*) FROM audit_log WHERE action = 'paper.question.replace' "
                                 "AND object_id = %d" % pid), "6")

        # R18: deleting single questions; other orgs see nothing
        last = items[-1]
        self.assertEqual(self.s.delete("/api/papers/%d/questions/%d" % (pid, last["id"])).status, 204)
        self.assertEqual(self.s.get("/api/papers/%d" % pid).json()["question_count"], 99)
        self.assertEqual(self.s.delete("/api/papers/%d/questions/%d" % (pid, last["id"])).status, 404)
        for other in ("benz", "robot"):
            o = kw.org_account(other)
            self.assertEqual(o.get("/api/papers/%d/questions" % pid).status, 404)
            self.assertEqual(o.delete("/api/papers/%d/questions/%d" % (pid, items[0]["id"])).status, 404)
            self.assertEqual(o.get("/api/papers/%d/export" % pid).status, 404)
        beiqi = kw.org_account("beiqi")
        self.assertEqual(beiqi.get("/api/papers/%d/questions" % pid).status, 200)
        self.assertEqual(beiqi.delete("/api/papers/%d/questions/%d" % (pid, items[0]["id"])).status, 403)
        # deleting a bank question leaves the paper alone (a single/basic one: those were never replaced)
        keep = [i for i in items if i["type"] == "single" and i["kind"] == "basic"][0]
        self.assertEqual(self.s.delete("/api/bank/questions/%d" % keep["question_id"]).status, 204)
        after = {i["id"]: i for i in self.s.get("/api/papers/%d/questions" % pid).json()["items"]}
        self.assertEqual(after[keep["id"]]["stem"], keep["stem"])

        # Word: the paper and the answer key, read back by LibreOffice
        r = self.s.get("/api/papers/%d/export?what=paper" % pid)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("content-type"),
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        self.assertIn("filename*=UTF-8''", r.header("content-disposition"))
        self.assertTrue(r.body.startswith(b"PK"))
        answers = self.s.get("/api/papers/%d/export?what=answers" % pid)
        self.assertEqual(answers.status, 200)
        self.assertEqual(self.s.get("/api/papers/%d/export?what=essay" % pid).status, 422)
        if not SOFFICE:
            self.skipTest("LibreOffice (soffice) is not installed")
        text = docx_text(r.body)
        lines = [x.strip() for x in text.splitlines() if x.strip()]
        self.assertEqual(lines[0], "汽车装调工（初级/五级）理论知识试卷")
        self.assertIn("考试时间：60 分钟", text)
        self.assertIn("一、单选题（第 1–70 题", text)
        self.assertIn("二、多选题（第 71–90 题", text)
        self.assertIn("三、判断题（第 91–99 题", text)
        now = self.s.get("/api/papers/%d/questions" % pid).json()["items"]
        first = now[0]
        self.assertIn("1. " + first["stem"], lines)
        at = lines.index("1. " + first["stem"])
        self.assertEqual(lines[at + 1: at + 5], ["A. 甲", "B. 乙", "C. 丙", "D. 丁"])
        self.assertIn("99. ", text)
        self.assertNotIn("100. ", text)
        key = docx_text(answers.body)
        self.assertIn("参考答案", key)
        first_line = [x for x in key.splitlines() if x.startswith("1. ")][0]
        self.assertTrue(first_line.startswith("1. %s　2. %s" % (now[0]["answer"], now[1]["answer"])), first_line)
        self.assertIn("99. " + now[98]["answer"], key)

        # the paper can go; the scheme can go and keeps no paper from existing
        self.assertEqual(self.s.delete("/api/schemes/%d" % sc["id"]).status, 204)
        self.assertEqual(self.s.get("/api/papers/%d" % pid).json()["scheme_id"], None)
        self.assertEqual(beiqi.delete("/api/papers/%d" % pid).status, 403)
        self.assertEqual(self.s.delete("/api/papers/%d" % pid).status, 204)
        self.assertEqual(self.s.get("/api/papers/%d" % pid).status, 404)

    def test_R28_several_sets_overlap_as_little_as_the_bank_allows(self):
        t = tag()
        # exactly twice what a paper needs of each kind: two sets, disjoint
        self.fill(OCC, 2, {("single", "basic"): 200, ("multi", "basic"): 20, ("judge", "basic"): 20}, t)
        sc = self.scheme(level=2, minutes=90, s=(100, 0), m=(10, 0), j=(10, 0)).json()
        r = self.s.post("/api/schemes/%d/generate" % sc["id"], {"sets": 2})
        self.assertEqual(r.status, 201, r)
        ids = r.json()["paper_ids"]
        self.assertEqual(len(ids), 2)
        sets = [{i["question_id"] for i in self.s.get("/api/papers/%d/questions" % p).json()["items"]} for p in ids]
        self.assertEqual([len(x) for x in sets], [120, 120])
        self.assertEqual(sets[0] & sets[1], set())
        self.assertEqual([self.s.get("/api/papers/%d" % p).json()["set_no"] for p in ids], [1, 2])
        # three sets from that bank: each question used at most twice, overlaps spread evenly
        r = self.s.post("/api/schemes/%d/generate" % sc["id"], {"sets": 3})
        ids = r.json()["paper_ids"]
        sets = [[i["question_id"] for i in self.s.get("/api/papers/%d/questions" % p).json()["items"]] for p in ids]
        uses = {}
        for s in sets:
            self.assertEqual(len(s), len(set(s)))
            for q in s:
                uses[q] = uses.get(q, 0) + 1
        self.assertLessEqual(max(uses.values()), 2)
        self.assertEqual(len(uses), 240)  # every question of the bank is used
        self.assertEqual(self.s.post("/api/schemes/%d/generate" % sc["id"], {"sets": 11}).status, 422)


if __name__ == "__main__":
    unittest.main()

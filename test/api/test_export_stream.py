"""test_export_stream.py - exports read the database one row at a time (issue 16 item 3): an
export of many rows is complete and correct in both formats, and an export the client never
reads to the end (HEAD, a download cut off) leaves every worker's connection usable.

The rows are 1,500 questions imported into a station of this test's own (test_bank's helpers):
far more than one network read of libpq or one 64 KiB buffer of the writers.
"""
import csv
import http.client
import io
import random
import urllib.parse
import unittest

import kw
import test_bank as bank

N = 1500


class ExportStream(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.center = kw.center_staff()
        cls.org, cls.s = bank.new_station(cls.center)
        cls.t = bank.tag()
        rnd = random.Random(cls.t)
        words = "离合器 制动器 变速箱 发动机 蓄电池 轮胎 转向机 悬架 曲轴 凸轮轴 喷油嘴 火花塞".split()
        cls.rows = []
        for i in range(N):
            stem = "%s第%04d题：%s与%s的检查（　）。" % (cls.t, i, rnd.choice(words), rnd.choice(words))
            if i % 3 == 0:
                cls.rows.append(bank.judge(stem, "对" if i % 2 else "错"))
            else:
                cls.rows.append(bank.single(stem, "ABCD"[i % 4], options=("甲%d" % i, "乙", "丙", "丁")))
        r = bank.import_file(cls.s, bank.xlsx(cls.rows), level=3)
        assert r.status == 201 and r.json()["imported"] == N, r
        cls.q = "/api/bank/questions?level=3&q=" + urllib.parse.quote(cls.t)

    def expected(self):
        """The imported rows as the export writes its first eight columns."""
        out = {}
        for r in self.rows:
            out[r[0]] = [r[0], r[1]] + [v or "" for v in r[2:6]] + [r[6], r[7]]
        return out

    def test_export_of_1500_rows_csv_is_complete_and_correct(self):
        r = self.s.get(self.q + "&format=csv")
        self.assertEqual(r.status, 200, r)
        self.assertIn("attachment", r.header("content-disposition"))
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:8], bank.HEADER)
        body = rows[1:]
        self.assertEqual(len(body), N)
        want = self.expected()
        got = {row[0]: row[:8] for row in body}
        self.assertEqual(len(got), N, "a row came twice")
        self.assertEqual(got, want)
        for row in body:
            self.assertEqual(row[8:10], ["汽车装调工", "高级/三级"])

    def test_export_of_1500_rows_xlsx_is_complete_and_correct(self):
        r = self.s.get(self.q + "&format=xlsx")
        self.assertEqual(r.status, 200, r)
        _, rows = bank.read_xlsx(r.body)
        self.assertEqual(rows[0][:8], bank.HEADER)
        self.assertEqual(len(rows) - 1, N)
        want = self.expected()
        got = {row[0]: [v if v is not None else "" for v in row[:8]] for row in rows[1:]}
        self.assertEqual(got, want)

    def test_an_export_read_only_in_part_leaves_the_workers_usable(self):
        # HEAD: the rows are opened and never read; a download cut off after its first bytes.
        r = self.s.request("HEAD", self.q + "&format=csv")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")
        u = urllib.parse.urlsplit(kw.URL)
        for _ in range(4):
            c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
            c.request("GET", self.q + "&format=xlsx", headers={"Cookie": self.s.cookie})
            resp = c.getresponse()
            self.assertEqual(resp.status, 200)
            resp.read(1024)
            c.close()
        # every worker answers the next requests, whatever statement it left behind
        for _ in range(24):
            r = self.s.get(self.q + "&per_page=5")
            self.assertEqual((r.status, r.json()["total"]), (200, N), r)

    def test_an_empty_export_has_the_header_only(self):
        r = self.s.get("/api/bank/questions?level=3&q=%s&format=csv" % urllib.parse.quote(self.t + "无此题"))
        self.assertEqual(r.status, 200, r)
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][:8], bank.HEADER)

    def test_a_bad_filter_is_422_not_a_broken_file(self):
        r = self.s.get(self.q + "&format=csv&type=essay")
        self.assertEqual(r.status, 422, r)
        self.assertIn("type", {e["field"] for e in r.json()["error"].get("fields", [])})


if __name__ == "__main__":
    unittest.main()

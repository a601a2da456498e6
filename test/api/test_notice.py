"""test_notice.py - 通知公告 (notices): audience scope (another org's notice is 404 to read, download and
answer), server-side sanitising of the rich text, 回执 with attendees until the deadline, the center's
read/answered status and the receipts export, 站内信 on publish, the public site and 站内搜索."""
import datetime
import json
import os
import subprocess
import tempfile
import urllib.parse

import kw

CHECK_XLSX = os.path.join(kw.ROOT, "test", "office", "check_xlsx.py")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def org_id(key):
    return int(kw.psql("SELECT id FROM orgs WHERE name = '%s'" % kw.ORG[key]))


def upload_pdf(s, name="会议通知.pdf"):
    r = s.request("POST", "/api/files", body=PDF,
                  headers={"X-File-Name": urllib.parse.quote(name), "Content-Type": "application/pdf"})
    assert r.status == 201, r
    return r.json()["id"]


def receipt(n=2, **over):
    body = {"unit_name": "北京奔驰汽车有限公司", "arrive_at": "2019-04-10 上午", "invoice_type": "normal",
            "invoice_title": "北京奔驰汽车有限公司", "tax_no": "91110000600000000X",
            "recipient_name": "张三", "recipient_phone": "13812345678", "mail_address": "北京亦庄博兴路8号",
            "attendees": [{"name": "参会人%d" % i, "sex": "male" if i % 2 else "female", "title": "站长",
                           "phone": "139%08d" % i, "lodging": True, "private_room": i == 1}
                          for i in range(1, n + 1)]}
    body.update(over)
    return body


class NoticeCase(kw.ClockedTest):
    def setUp(self):
        super().setUp()
        self.staff = kw.center_staff()
        self.tag = kw.uuid_hex(8)

    def create(self, **over):
        body = {"title": "年会通知 %s" % self.tag, "body": "<p>请各站派员参加年会。</p>",
                "audience": "selected", "org_ids": [org_id("benz"), org_id("baic")],
                "receipt": True, "receipt_deadline": (self.t0 + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S+08:00")}
        body.update(over)
        r = self.staff.post("/api/notices", body)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def publish(self, nid, expect=200):
        r = self.staff.post("/api/notices/%d/actions/publish" % nid, {})
        self.assertEqual(r.status, expect, r)
        return r.json()


class NoticeTest(NoticeCase):
    def test_scope_station_outside_the_audience_cannot_read_download_or_answer(self):
        fid = upload_pdf(self.staff)
        n = self.create(file_ids=[fid])
        self.publish(n["id"])
        robot = kw.org_account("robot")
        self.assertEqual(robot.get("/api/notices/%d" % n["id"]).status, 404)
        self.assertEqual(robot.get("/api/notices/%d/attachments/%d" % (n["id"], fid)).status, 404)
        self.assertEqual(robot.put("/api/notices/%d/receipt" % n["id"], receipt()).status, 404)
        ids = [x["id"] for x in robot.get("/api/notices?per_page=100&q=%s" % self.tag).json()["items"]]
        self.assertNotIn(n["id"], ids)
        # inside the audience: listed unread first, readable, the attachment downloads
        benz = kw.org_account("benz")
        items = benz.get("/api/notices?per_page=100&q=%s" % self.tag).json()["items"]
        self.assertEqual([(x["id"], x["read"]) for x in items], [(n["id"], False)])
        self.assertTrue(benz.get("/api/notices/%d" % n["id"]).json()["read"])
        d = benz.get("/api/notices/%d/attachments/%d" % (n["id"], fid))
        self.assertEqual(d.status, 200, d)
        self.assertEqual(d.body, PDF)

    def test_draft_is_not_visible_to_the_audience(self):
        n = self.create()
        self.assertEqual(kw.org_account("benz").get("/api/notices/%d" % n["id"]).status, 404)

    def test_sanitising_strips_script_and_event_handlers(self):
        n = self.create(body='<p onclick="evil()">正文<script>alert(1)</script><b>加粗</b>'
                             '<a href="javascript:alert(2)">坏链接</a><a href="https://example.org/">好链接</a>'
                             '<iframe src="https://x"></iframe><style>p{}</style></p>')
        body = self.staff.get("/api/notices/%d" % n["id"]).json()["body"]
        for bad in ("script", "alert", "onclick", "javascript", "iframe", "style"):
            self.assertNotIn(bad, body)
        self.assertIn("<b>加粗</b>", body)
        self.assertIn('href="https://example.org/"', body)
        self.assertIn("正文", body)

    def test_receipt_with_two_attendees_editable_until_deadline(self):
        n = self.create()
        self.publish(n["id"])
        benz = kw.org_account("benz")
        r = benz.put("/api/notices/%d/receipt" % n["id"], receipt(2))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json()["attendees"]), 2)
        r = benz.put("/api/notices/%d/receipt" % n["id"], receipt(3))
        self.assertEqual(len(r.json()["attendees"]), 3)
        self.assertEqual(len(benz.get("/api/notices/%d" % n["id"]).json()["my_receipt"]["attendees"]), 3)
        kw.Clock.at(self.t0 + datetime.timedelta(days=4))
        r = kw.org_account("benz").put("/api/notices/%d/receipt" % n["id"], receipt(1))
        self.assertEqual(r.status, 409, r)
        self.assertIn("截止", r.json()["error"]["message"])

    def test_receipt_422_in_chinese(self):
        n = self.create()
        self.publish(n["id"])
        bad = receipt(1, recipient_phone="12345", tax_no="abc", attendees=[{"name": "", "sex": "x", "phone": "1"}])
        r = kw.org_account("benz").put("/api/notices/%d/receipt" % n["id"], bad)
        self.assertEqual(r.status, 422, r)
        f = {x["field"]: x["message"] for x in r.json()["error"]["fields"]}
        for k in ("recipient_phone", "tax_no", "attendees[0].name", "attendees[0].sex", "attendees[0].phone"):
            self.assertIn(k, f)
        self.assertIn("手机", f["recipient_phone"])

    def test_publish_needs_a_receipt_deadline_ahead(self):
        past = (self.t0 - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
        n = self.create(receipt_deadline=past)
        r = self.publish(n["id"], expect=422)
        self.assertEqual(r["error"]["fields"][0]["field"], "receipt_deadline")
        self.assertEqual(self.staff.get("/api/notices/%d" % n["id"]).json()["status"], "draft")

    def test_publish_date_not_in_the_future(self):
        n = self.create(publish_on=(self.t0 + datetime.timedelta(days=2)).strftime("%Y-%m-%d"))
        r = self.publish(n["id"], expect=422)
        self.assertEqual(r["error"]["fields"][0]["field"], "publish_on")
        kw.Clock.at(self.t0 + datetime.timedelta(days=2))
        self.assertEqual(kw.center_staff().post("/api/notices/%d/actions/publish" % n["id"], {}).status, 200)

    def test_status_and_export_hold_each_attendee(self):
        n = self.create()
        self.publish(n["id"])
        benz = kw.org_account("benz")
        self.assertEqual(benz.put("/api/notices/%d/receipt" % n["id"], receipt(2)).status, 200)
        st = self.staff.get("/api/notices/%d/status" % n["id"]).json()["items"]
        by = {x["org"]["id"]: x for x in st}
        self.assertEqual(set(by), {org_id("benz"), org_id("baic")})
        self.assertIsNotNone(by[org_id("benz")]["answered_at"])
        self.assertIsNone(by[org_id("baic")]["read_at"])
        r = self.staff.get("/api/notices/%d/receipts?format=xlsx" % n["id"])
        self.assertEqual(r.status, 200, r)
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
            f.write(r.body)
            f.flush()
            out = subprocess.run(["/usr/bin/python3", CHECK_XLSX, f.name], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        rows = json.loads(out.stdout)["sheets"][0]["rows"]
        self.assertEqual(rows[0][3]["value"], "姓名")
        self.assertEqual(sorted(r[3]["value"] for r in rows[1:]), ["参会人1", "参会人2"])
        self.assertEqual(kw.org_account("benz").get("/api/notices/%d/receipts?format=xlsx" % n["id"]).status, 403)

    def test_publish_sends_messages_and_repeat_is_409(self):
        n = self.create()
        self.publish(n["id"])
        self.publish(n["id"], expect=409)
        msgs = kw.org_account("baic").get("/api/messages?per_page=100").json()["items"]
        self.assertIn("/app/notices/%d" % n["id"], [m["link"] for m in msgs])
        msgs = kw.org_account("robot").get("/api/messages?per_page=100").json()["items"]
        self.assertNotIn("/app/notices/%d" % n["id"], [m["link"] for m in msgs])
        self.assertEqual(self.staff.post("/api/notices/%d/actions/withdraw" % n["id"], {}).status, 200)
        self.assertEqual(kw.org_account("benz").get("/api/notices/%d" % n["id"]).status, 404)

    def test_edit_of_a_published_notice_tells_only_the_new_orgs(self):
        n = self.create(org_ids=[org_id("benz")], receipt=False)
        self.publish(n["id"])
        link = "/app/notices/%d" % n["id"]
        r = self.staff.put("/api/notices/%d" % n["id"], {"title": n["title"], "audience": "selected", "receipt": False,
                                                         "org_ids": [org_id("benz"), org_id("robot")]})
        self.assertEqual(r.status, 200, r)
        for key, count in (("benz", 1), ("robot", 1), ("baic", 0)):
            msgs = kw.org_account(key).get("/api/messages?per_page=100").json()["items"]
            self.assertEqual([m["link"] for m in msgs].count(link), count, key)

    def test_audience_stations_reaches_every_station_only(self):
        n = self.create(audience="stations", org_ids=[], receipt=False)
        self.publish(n["id"])
        self.assertEqual(kw.org_account("robot").get("/api/notices/%d" % n["id"]).status, 200)
        self.assertEqual(kw.org_account("beiqi").get("/api/notices/%d" % n["id"]).status, 404)

    def test_public_notice_listed_shown_and_found_by_search(self):
        fid = upload_pdf(self.staff, "公开附件.pdf")
        n = self.create(title="行业动态%s全国职业技能竞赛" % self.tag, body="<p>竞赛在北京举行%s</p>" % self.tag,
                        is_public=True, section="industry", audience="all", org_ids=[], receipt=False, file_ids=[fid])
        private = self.create(title="内部通知%s" % self.tag, body="<p>仅限机构</p>", receipt=False)
        self.publish(n["id"])
        self.publish(private["id"])
        items = kw.get("/api/public/notices?section=industry&per_page=100").json()["items"]
        self.assertIn(n["id"], [x["id"] for x in items])
        self.assertNotIn(private["id"], [x["id"] for x in items])
        self.assertEqual(kw.get("/api/public/notices/%d" % private["id"]).status, 404)
        p = kw.get("/api/public/notices/%d" % n["id"]).json()
        self.assertIn("竞赛在北京举行", p["body"])
        self.assertEqual(kw.get("/api/public/notices/%d/attachments/%d" % (n["id"], fid)).body, PDF)
        found = kw.get("/api/public/search?q=%s" % urllib.parse.quote("职业技能竞赛" + self.tag[:0])).json()["items"]
        self.assertIn(n["id"], [x["id"] for x in found])
        found = kw.get("/api/public/search?q=%s" % self.tag).json()["items"]
        self.assertEqual([x["id"] for x in found], [n["id"]])
        self.assertEqual(kw.get("/api/public/search?q=").status, 422)
        self.assertEqual(kw.get("/api/public/notices?section=bogus").status, 422)

    def test_attachment_must_be_office_or_pdf_of_own_org(self):
        benz = kw.org_account("benz")
        fid = upload_pdf(benz)
        r = self.staff.post("/api/notices", {"title": "x", "audience": "all", "file_ids": [fid]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["fields"][0]["field"], "file_ids[0]")

    def test_only_center_staff_writes(self):
        r = kw.org_account("benz").post("/api/notices", {"title": "x", "audience": "all"})
        self.assertEqual(r.status, 403)
        r = kw.center_director().post("/api/notices", {"title": "x", "audience": "all"})
        self.assertEqual(r.status, 403)


class DocumentedLimits(NoticeCase):
    """The limits /api/openapi.json documents for notices and receipts are the ones the server enforces."""

    def schema(self, name):
        return kw.Session().get("/api/openapi.json").json()["components"]["schemas"][name]

    def test_attendees_per_receipt_as_documented(self):
        top = self.schema("ReceiptForm")["properties"]["attendees"]["maxItems"]
        n = self.create()
        self.publish(n["id"])
        r = kw.org_account("benz").put("/api/notices/%d/receipt" % n["id"], receipt(top + 1))
        self.assertEqual(r.status, 422, r)
        self.assertTrue(any(f["field"] == "attendees" and "%d" % top in f["message"] for f in r.json()["error"]["fields"]), r)
        self.assertEqual(kw.org_account("benz").put("/api/notices/%d/receipt" % n["id"], receipt(top)).status, 200)

    def test_title_and_attachments_as_documented(self):
        props = self.schema("NoticeForm")["properties"]
        r = self.staff.post("/api/notices", {"title": "长" * (props["title"]["maxLength"] + 1), "audience": "all",
                                             "file_ids": list(range(1, props["file_ids"]["maxItems"] + 2))})
        self.assertEqual(r.status, 422, r)
        self.assertEqual({f["field"] for f in r.json()["error"]["fields"]}, {"title", "file_ids"})

"""test_audit.py - the audit viewer (操作日志): center only, filters, newest first, paging."""
import datetime
import unittest
import urllib.parse

import kw
from test_org import create_org


class AuditViewer(kw.ClockedTest):
    def test_center_only(self):
        self.assertEqual(kw.get("/api/audit").status, 401)
        for s in (kw.org_account("beiqi"), kw.org_account("benz"), kw.login("assessor", "422201199001176250"),
                  kw.login("candidate", "shentong")):
            self.assertEqual(s.get("/api/audit").status, 403)
        self.assertEqual(kw.center_director().get("/api/audit").status, 200)

    def test_a_change_shows_with_actor_object_and_detail(self):
        staff = kw.center_staff()
        r, name, code = create_org(staff)
        oid = r.json()["id"]
        body = staff.get("/api/audit?action=org.create&object_type=org&object_id=%d" % oid).json()
        self.assertEqual(body["total"], 1)
        row = body["items"][0]
        self.assertEqual(row["actor"], {"id": staff.user["id"], "name": "中心工作人员"})
        self.assertEqual(row["role"], "center_staff")
        self.assertEqual((row["action"], row["object_type"], row["object_id"]), ("org.create", "org", oid))
        self.assertEqual((row["detail"]["name"], row["detail"]["code"]), (name, code))
        # issue 15 item 4: words, not codes
        self.assertEqual((row["action_text"], row["object_text"], row["object_name"]), ("新增机构", "机构", name))
        self.assertEqual(row["at"], self.t0.strftime("%Y-%m-%dT%H:%M:%S+08:00"))
        self.assertTrue(row["ip"])

    def test_filters_newest_first_and_paging(self):
        staff, director = kw.center_staff(), kw.center_director()
        first = create_org(staff)[0].json()["id"]
        kw.Clock.at(self.t0 + datetime.timedelta(minutes=5))
        second = create_org(director)[0].json()["id"]
        day = self.t0.strftime("%Y-%m-%d")
        rows = staff.get("/api/audit?action=org.create&from=%s&to=%s" % (day, day)).json()
        ids = [x["object_id"] for x in rows["items"]]
        self.assertEqual(ids[:2], [second, first])  # newest first
        by_id = staff.get("/api/audit?actor=%d&from=%s" % (director.user["id"], day)).json()["items"]
        self.assertTrue(by_id and all(x["actor"]["id"] == director.user["id"] for x in by_id))
        by_name = staff.get("/api/audit?actor=" + urllib.parse.quote("中心主任") + "&action=org.create&from=%s&to=%s" % (day, day)).json()["items"]
        self.assertEqual([x["object_id"] for x in by_name], [second])
        # An action prefix matches the module's actions.
        prefixed = staff.get("/api/audit?action=org&from=%s&per_page=100" % day).json()["items"]
        self.assertTrue(prefixed and all(x["action"].startswith("org.") for x in prefixed))
        self.assertEqual(staff.get("/api/audit?action=or&from=%s" % day).json()["total"], 0)
        # Date bounds are whole days (China time).
        tomorrow = (self.t0 + datetime.timedelta(days=1)).strftime("%Y-%m-%d")
        self.assertEqual(staff.get("/api/audit?from=%s" % tomorrow).json()["total"],
                         int(kw.psql("SELECT count(*) FROM audit_log WHERE at >= '%sT00:00:00+08:00'" % tomorrow)))
        after = (self.t0 + datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
        later = staff.get("/api/audit?action=org.create&to=%s&from=%s" % (day, urllib.parse.quote(after))).json()["items"]
        self.assertIn(second, [x["object_id"] for x in later])
        self.assertNotIn(first, [x["object_id"] for x in later])
        page = staff.get("/api/audit?action=org.create&from=%s&to=%s&per_page=1&page=2" % (day, day)).json()
        self.assertEqual(len(page["items"]), 1)
        self.assertGreaterEqual(page["total"], 2)
        self.assertEqual(page["items"][0]["object_id"], first)

    def test_every_logged_action_reads_in_words(self):
        """issue 15 item 4: no row of the log shows a raw code; the filter lists are the server's words."""
        staff = kw.center_staff()
        words = staff.get("/api/audit/words").json()
        actions = {w["code"]: w["text"] for w in words["actions"]}
        objects = {w["code"]: w["text"] for w in words["objects"]}
        self.assertEqual(actions["batch.approve"], "审核通过批次")
        self.assertEqual(objects["plan"], "年度计划")
        for code, text in list(actions.items()) + list(objects.items()):
            self.assertNotIn(".", text)
            self.assertNotRegex(text, "[a-z_]{3,}", code)
        self.assertEqual(kw.org_account("benz").get("/api/audit/words").status, 403)
        page = staff.get("/api/audit?per_page=100").json()
        self.assertTrue(page["items"])
        for row in page["items"]:
            self.assertEqual(row["action_text"], actions[row["action"]])
            self.assertEqual(row["object_text"], objects[row["object_type"]])

    def test_bad_filters_are_422(self):
        staff = kw.center_staff()
        r = staff.get("/api/audit?from=2020-13-01&action=DROP%20TABLE&object_id=x&per_page=1000")
        self.assertEqual(r.status, 422)
        names = {f["field"] for f in r.json()["error"]["fields"]}
        self.assertEqual(names, {"from", "action", "object_id", "per_page"})


if __name__ == "__main__":
    unittest.main()

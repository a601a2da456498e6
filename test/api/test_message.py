"""test_message.py - 站内信: who sees which message, unread counts, marking read."""
import unittest
import uuid

import kw


SEQ = [0]


def send(text, org_code=None, role=None, username=None, link="/app/home"):
    """Insert a message dated after anything other tests create (they move the clock up to 2090),
    so it is among the newest of its recipients."""
    SEQ[0] += 1
    org = "(SELECT id FROM orgs WHERE code = '%s')" % org_code if org_code else "NULL"
    acct = "(SELECT id FROM accounts WHERE username = '%s')" % username if username else "NULL"
    return int(kw.psql("INSERT INTO messages (org_id, role, account_id, text, link, created_at) VALUES "
                       "(%s, %s, %s, '%s', '%s', '2099-01-01T00:00:00+08:00'::timestamptz + %d * interval '1 second') RETURNING id"
                       % (org, "'%s'" % role if role else "NULL", acct, text, link, SEQ[0])))


class Messages(unittest.TestCase):
    def test_messages_reach_the_right_accounts(self):
        tag = uuid.uuid4().hex[:8]
        to_benz = send("您提交的批次申请已通过审核 %s" % tag, org_code="49003031")
        to_director = send("有批次等待中心主任审核 %s" % tag, org_code="49000000", role="center_director")
        to_expert = send("请填写考评报告 %s" % tag, username="422201199001176250")
        benz, baic, director, staff, expert = (kw.org_account("benz"), kw.org_account("baic"),
                                               kw.center_director(), kw.center_staff(),
                                               kw.login("assessor", "422201199001176250"))

        def texts(s):
            return [m["text"] for m in s.get("/api/messages?per_page=100").json()["items"] if tag in m["text"]]

        self.assertEqual(texts(benz), ["您提交的批次申请已通过审核 %s" % tag])
        self.assertEqual(texts(baic), [])
        self.assertEqual(texts(director), ["有批次等待中心主任审核 %s" % tag])
        self.assertEqual(texts(staff), [])  # addressed to the director only
        self.assertEqual(texts(expert), ["请填写考评报告 %s" % tag])

        # Unread first, marking read, another org's message is 404.
        before = benz.get("/api/messages/unread-count").json()["count"]
        self.assertGreaterEqual(before, 1)
        item = [m for m in benz.get("/api/messages?unread=1&per_page=100").json()["items"] if m["id"] == to_benz][0]
        self.assertFalse(item["read"])
        self.assertEqual(item["link"], "/app/home")
        self.assertRegex(item["created_at"], r"\+08:00$")
        self.assertEqual(baic.post("/api/messages/%d/read" % to_benz).status, 404)
        r = benz.post("/api/messages/%d/read" % to_benz)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["count"], before - 1)
        self.assertNotIn(to_benz, [m["id"] for m in benz.get("/api/messages?unread=1&per_page=100").json()["items"]])
        self.assertEqual(director.post("/api/messages/read-all").json()["count"], 0)
        self.assertEqual(expert.post("/api/messages/%d/read" % to_director).status, 404)

    def test_newest_first_and_paged(self):
        tag = uuid.uuid4().hex[:8]
        ids = [send("消息 %s %d" % (tag, i), username="shentong") for i in range(3)]
        s = kw.login("candidate", "shentong")
        page = s.get("/api/messages?per_page=2").json()
        self.assertEqual(page["per_page"], 2)
        self.assertGreaterEqual(page["total"], 3)
        self.assertEqual([m["id"] for m in page["items"]], [ids[2], ids[1]])


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""run.py - the security suite (issue 14 item 10), against a running instance (scripts/test.sh):

1. the role x route x object matrix, generated from the route table (/api/openapi.json, which
   start-up builds from fcgi/routes.c): every route, every role and no session, an object in and
   out of the role's scope; an unexpected 2xx is a leak; a route without an entry in matrix.json
   fails;
2. CSRF variants on every write that needs the token (none, wrong, another session's, in the query);
3. the SQL-injection corpus on every string query parameter of every GET route;
4. malformed and oversized bodies on every write.
No 5xx anywhere, no internals in an answer. Prints the figures and "security: N passed, N failed".
All requests come from a loopback address of the suite's own, so its failed logins and rate-limit
counts never meet the API tests' 127.0.0.1."""
import json
import os
import random
import re
import sys

os.environ["KAOWU_CONTRACT"] = "0"  # hostile requests are not contract samples
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
import kw  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = "127.%d.%d.%d" % (random.randint(20, 250), random.randint(0, 255), random.randint(2, 250))
ROLES = {
    "center_staff": ("org", "staff01"), "center_director": ("org", "director01"),
    "org2": ("org", kw.ORG["beiqi"]), "station": ("org", kw.ORG["benz"]),
    "assessor": ("assessor", "422201199001176250"), "supervisor": ("supervisor", "110101197005120028"),
    "candidate": ("candidate", "shentong"),
}
# What a role owns: orgs (None: everything), its expert row, its candidate row, its account.
LEAK = re.compile(r"SQLSTATE|syntax error|violates|relation \"|column \"|pg_|libpq|(?-i:PQ[a-z])|"
                  r"/work/|\.c:\d|Traceback|AddressSanitizer|ERROR:", re.I)
# Random values (CSRF and session tokens, idempotency keys) can spell "PQc" by chance: blank them.
RANDOM = re.compile(r'"(csrf_token|token|key)":"[A-Za-z0-9_\-+/=]*"')
# The object kinds of matrix.json: table and the column naming the owner org.
KINDS = {
    "org": ("orgs", "id"), "expert": ("experts", "org_id"), "plan": ("plans", "org_id"),
    "batch": ("batches", "org_id"), "question": ("bank_questions", "org_id"),
    "scheme": ("paper_schemes", "org_id"), "paper": ("papers", "org_id"),
    "org_change_request": ("org_change_requests", "org_id"), "file": ("files", "org_id"),
    "enrollment": ("enrollments", "org_id"), "message": ("messages", "org_id"),
    "training": ("trainings", "org_id"), "fee": ("fees", "org_id"),
    "certificate": ("certificates", "org_id"),
}
SQLI = ["' OR '1'='1", "1; DROP TABLE accounts; --", "1 UNION SELECT password_hash FROM accounts",
        "$1\\", "%00", "x' AND pg_sleep(2) --"]
COMMON_PARAMS = ["q", "status", "sort", "kind", "type", "level"]
NOWHERE = "99999999"


class Stats:
    probes = refused = leaked = hostile = errors5xx = 0
    failures = []


def fail(msg):
    Stats.failures.append(msg)


def send(session, method, path, body=None, headers=None, raw=None):
    """One request; None when the connection failed (counted as an error)."""
    try:
        if session is None:
            h = dict(headers or {})
            if raw is not None:
                return kw.request(method, path, body=raw, headers=h, source=SOURCE, timeout=30)
            return kw.request(method, path, body=body, headers=h, source=SOURCE, timeout=30)
        return session.request(method, path, body=raw if raw is not None else body, headers=headers)
    except Exception as e:  # a reset connection is a failure of its own
        fail("%s %s: no answer (%s)" % (method, path, e))
        return None


def check_clean(r, what, sent=None):
    """No 5xx, no internals in the body (what the request sent may come back in a message)."""
    if r is None:
        return False
    text = r.body.decode("utf-8", "replace")
    if sent:
        text = text.replace(sent, "")
    if r.status >= 500:
        Stats.errors5xx += 1
        fail("%s: %d %s" % (what, r.status, text[:200]))
        return False
    ctype = (r.header("Content-Type") or "").lower()
    if not (ctype.startswith("application/json") or ctype.startswith("text/")):
        return True  # a file (PDF, xlsx, docx) is the document asked for, not an error text
    if LEAK.search(RANDOM.sub('"\\1":""', text)):
        fail("%s: internals in the answer: %s" % (what, text[:200]))
        return False
    return True


def scope_sets():
    """Per role: the set of org ids it may see (None: all), its expert id and candidate id."""
    l2 = kw.psql("SELECT id FROM orgs WHERE code = '49003000'")
    sub = kw.psql("SELECT string_agg(id::text, ',') FROM orgs WHERE id = %s OR parent_id = %s" % (l2, l2))
    benz = kw.psql("SELECT id FROM orgs WHERE name = '%s'" % kw.ORG["benz"])
    out = {"center_staff": {"orgs": None}, "center_director": {"orgs": None},
           "org2": {"orgs": sub}, "station": {"orgs": benz}}
    for role in ("assessor", "supervisor"):
        row = kw.psql("SELECT id || '|' || org_id FROM experts WHERE id_number = '%s'" % ROLES[role][1]).split("|")
        out[role] = {"orgs": row[1], "expert": row[0]}
    cand = kw.psql("SELECT candidate_id || '|' || id FROM accounts WHERE username = 'shentong'").split("|")
    out["candidate"] = {"orgs": "0", "candidate": cand[0], "account": cand[1]}
    return out


CACHE = {}


def object_ids(kind, role, scope):
    """(in-scope id or None, out-of-scope id or None) of kind for role (asked once)."""
    if (kind, role) not in CACHE:
        CACHE[(kind, role)] = find_ids(kind, role, scope)
    return CACHE[(kind, role)]


def find_ids(kind, role, scope):
    if kind not in KINDS:
        return None, None
    table, col = KINDS[kind]
    if kw.psql("SELECT to_regclass('%s') IS NOT NULL" % table) != "t":
        return None, NOWHERE
    s = scope[role]
    if kind == "expert" and "expert" in s:
        cond = "id = %s" % s["expert"]
    elif kind == "enrollment" and "candidate" in s:
        cond = "candidate_id = %s" % s["candidate"]
    elif kind == "message" and "account" in s:
        cond = "account_id = %s" % s["account"]
    elif s["orgs"] is None:
        return kw.psql("SELECT min(id) FROM %s" % table) or None, None
    else:
        cond = "%s = ANY('{%s}'::bigint[])" % (col, s["orgs"])
    inside = kw.psql("SELECT min(id) FROM %s WHERE %s" % (table, cond)) or None
    outside = kw.psql("SELECT min(id) FROM %s WHERE NOT coalesce(%s, false)" % (table, cond)) or NOWHERE
    return inside, outside


def concrete(path, entry, obj):
    params = dict(entry.get("params", {}))
    first = re.search(r"{([^}]+)}", path)
    if first and first.group(1) not in params:
        params[first.group(1)] = obj or NOWHERE
    return re.sub(r"{([^}]+)}", lambda m: str(params.get(m.group(1), NOWHERE)), path)


def allowed(roles, role):
    return role in roles or (role in ("org2", "station") and "org" in roles)


def main():
    doc = kw.get("/api/openapi.json").json()
    with open(os.path.join(HERE, "matrix.json"), encoding="utf-8") as f:
        matrix = json.load(f)
    sessions = {}
    for role, (kind, user) in ROLES.items():
        s = kw.Session(source=SOURCE)
        s.login(kind, user)
        sessions[role] = s
    scope = scope_sets()
    checks = {"matrix entries": True, "role x route x object": True, "csrf": True, "sql injection": True,
              "bodies": True}
    ops = [(m.upper(), p, op) for p, item in doc["paths"].items() for m, op in item.items()
           if m in ("get", "post", "put", "delete", "patch")]

    # 1. matrix coverage and probes
    for method, path, op in ops:
        key = "%s %s" % (method, path)
        if key not in matrix:
            fail("route without a matrix entry in test/security/matrix.json: %s" % key)
            checks["matrix entries"] = False
    n_fail = len(Stats.failures)
    for method, path, op in ops:
        entry = matrix.get("%s %s" % (method, path))
        roles = op.get("x-roles")
        if entry is None or roles is None or entry.get("session_ending"):
            continue
        write = method != "GET"
        body = {} if write else None
        # no session: 401
        r = send(None, method, concrete(path, entry, NOWHERE), body=body)
        Stats.probes += 1
        if r is not None and check_clean(r, "%s %s without a session" % (method, path)):
            if r.status == 401:
                Stats.refused += 1
            elif 200 <= r.status < 300:
                Stats.leaked += 1
                fail("%s %s answered %d without a session" % (method, path, r.status))
        for role, s in sessions.items():
            inside, outside = object_ids(entry["kind"], role, scope)
            if not allowed(roles, role):
                r = send(s, method, concrete(path, entry, inside or NOWHERE), body=body)
                Stats.probes += 1
                if r is not None and check_clean(r, "%s %s as %s" % (method, path, role)):
                    if r.status == 403:
                        Stats.refused += 1
                    else:
                        if 200 <= r.status < 300:
                            Stats.leaked += 1
                        fail("%s %s as %s (not its role): %d" % (method, path, role, r.status))
                continue
            if outside is not None and entry["kind"] in KINDS:
                r = send(s, method, concrete(path, entry, outside), body=body)
                Stats.probes += 1
                if r is not None and check_clean(r, "%s %s as %s, out of scope" % (method, path, role)):
                    if 200 <= r.status < 300:
                        Stats.leaked += 1
                        fail("%s %s as %s: object %s out of its scope answered %d"
                             % (method, path, role, outside, r.status))
                    else:
                        Stats.refused += 1
            if not write and inside is not None or (not write and entry["kind"] in ("none", "public")):
                r = send(s, "GET", concrete(path, entry, inside))
                Stats.probes += 1
                if r is not None:
                    check_clean(r, "GET %s as %s, in scope" % (path, role))
    if len(Stats.failures) > n_fail:
        checks["role x route x object"] = False

    # 2. CSRF variants on every write that needs the token
    n_fail = len(Stats.failures)
    other = kw.Session(source=SOURCE)
    other.login("org", "director01")
    for method, path, op in ops:
        entry = matrix.get("%s %s" % (method, path))
        roles = op.get("x-roles")
        params = [p.get("$ref", "") for p in op.get("parameters", [])]
        if method == "GET" or roles is None or entry is None or "#/components/parameters/CsrfToken" not in params:
            continue
        role = next((r for r in sessions if allowed(roles, r)), None)
        if role is None:
            continue
        s = sessions[role]
        url = concrete(path, entry, NOWHERE)
        variants = [{"X-CSRF-Token": ""}, {"X-CSRF-Token": "x" * 43}, {"X-CSRF-Token": other.csrf},
                    {"X-CSRF-Token": s.csrf.upper() if s.csrf != s.csrf.upper() else s.csrf.lower()}]
        for h in variants:
            r = send(s, method, url, body={}, headers=h)
            Stats.hostile += 1
            if r is not None and check_clean(r, "CSRF %s %s" % (method, path)) and not (
                    r.status == 403 and r.json()["error"]["code"] == "csrf"):
                fail("CSRF %s %s with %r: %d" % (method, path, h, r.status))
        saved, s.csrf = s.csrf, None  # token only in the query string
        r = send(s, method, url + ("&" if "?" in url else "?") + "csrf_token=" + saved, body={})
        s.csrf = saved
        Stats.hostile += 1
        if r is not None and check_clean(r, "CSRF %s %s" % (method, path)) and r.status != 403:
            fail("CSRF %s %s with the token in the query: %d" % (method, path, r.status))
    if len(Stats.failures) > n_fail:
        checks["csrf"] = False

    # 3. SQL injection on every string query parameter of every GET route
    n_fail = len(Stats.failures)
    for method, path, op in ops:
        entry = matrix.get("%s %s" % (method, path))
        roles = op.get("x-roles")
        if method != "GET" or entry is None:
            continue
        role = next((r for r in sessions if roles is None or allowed(roles, r)), None)
        s = sessions[role] if roles is not None else None
        inside = object_ids(entry["kind"], role, scope)[0] if role else None
        url = concrete(path, entry, inside)
        names = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"
                 and p.get("schema", {}).get("type", "string") == "string"] + COMMON_PARAMS
        for name in dict.fromkeys(names):
            for payload in SQLI:
                q = "%s=%s" % (name, kw.urllib.parse.quote(payload, safe="%"))
                r = send(s, "GET", url + ("&" if "?" in url else "?") + q)
                Stats.hostile += 1
                check_clean(r, "GET %s?%s" % (path, q), payload)
    if len(Stats.failures) > n_fail:
        checks["sql injection"] = False

    # 4. malformed and oversized bodies on every write (ids that exist nowhere: nothing changes)
    n_fail = len(Stats.failures)
    big = json.dumps({"name": "考" * 30000, "items": [{"x": "y"}] * 500}).encode()
    deep = b"[" * 5000 + b"]" * 5000
    bodies = [(b"{", "application/json"), (b"[]", "application/json"), (b"null", "application/json"),
              (deep, "application/json"), (b'{"name": "\\u0000x", "id": "1 OR 1=1"}', "application/json"),
              (b'{"name": "\xff\xfe"}', "application/json"), (b"name=x", "application/x-www-form-urlencoded"),
              (big, "application/json"), (b'{"a":1,"a":2}', "application/json")]
    for method, path, op in ops:
        entry = matrix.get("%s %s" % (method, path))
        roles = op.get("x-roles")
        if method == "GET" or entry is None or entry.get("session_ending") or path == "/api/auth/login":
            continue
        role = next((r for r in sessions if roles is None or allowed(roles, r)), None)
        s = sessions[role] if roles is not None else None
        url = concrete(path, entry, NOWHERE)
        for raw, ctype in bodies:
            r = send(s, method, url, raw=raw, headers={"Content-Type": ctype})
            Stats.hostile += 1
            check_clean(r, "%s %s with a malformed body (%d bytes)" % (method, path, len(raw)))
    r = send(sessions["center_staff"], "POST", "/api/orgs", raw=b"{" + b" " * (21 * 1024 * 1024) + b"}",
             headers={"Content-Type": "application/json"})
    Stats.hostile += 1
    if check_clean(r, "an oversized body") and r.status != 413:
        fail("an oversized body answered %d, not 413" % r.status)
    if len(Stats.failures) > n_fail:
        checks["bodies"] = False

    for f in Stats.failures[:60]:
        print("  FAIL " + f)
    if len(Stats.failures) > 60:
        print("  ... %d more" % (len(Stats.failures) - 60))
    print("security: routes %d; probes %d tried / %d refused / %d leaked; hostile requests %d / %d 5xx"
          % (len(ops), Stats.probes, Stats.refused, Stats.leaked, Stats.hostile, Stats.errors5xx))
    for name, ok in checks.items():
        print("security: %-22s %s" % (name, "ok" if ok else "FAILED"))
    passed = sum(1 for ok in checks.values() if ok)
    print("security: %d passed, %d failed" % (passed, len(checks) - passed))
    return 0 if passed == len(checks) else 1


if __name__ == "__main__":
    sys.exit(main())

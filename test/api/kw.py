"""kw.py - helpers for kaowu's black-box API tests: HTTP client, instance paths, psql."""
import http.client
import json
import os
import subprocess
import urllib.parse

import contract

URL = os.environ.get("KAOWU_URL", "http://127.0.0.1:18080")
HOME = os.environ.get("KAOWU_HOME", "")
BUILD = os.environ.get("KAOWU_BUILD", "")
PG_PORT = os.environ.get("KAOWU_PG_PORT", "5481")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PGBIN = "/usr/lib/postgresql/15/bin"
RUN = os.path.join(HOME, "run")
LOG = os.path.join(HOME, "log")
# Every response is checked against /api/openapi.json (contract.py) unless KAOWU_CONTRACT=0.
CHECK_CONTRACT = os.environ.get("KAOWU_CONTRACT", "1") != "0"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


def request(method, path, body=None, headers=None, timeout=10, source=None):
    """One HTTP request through nginx; returns status, lower-cased headers and raw body.
    source: a loopback address (127.x.y.z) to send from, so nginx sees a client of its own."""
    u = urllib.parse.urlsplit(URL)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout,
                                      source_address=(source, 0) if source else None)
    hdrs = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode("utf-8")
        hdrs.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=body, headers=hdrs)
    r = conn.getresponse()
    data = r.read()
    headers = {k.lower(): v for k, v in r.getheaders()}
    conn.close()
    if CHECK_CONTRACT:
        contract.check(method, path, r.status, headers, data, _openapi_text)
    return Response(r.status, headers, data)


def _openapi_text():
    """The served OpenAPI document, fetched past the contract check."""
    u = urllib.parse.urlsplit(URL)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request("GET", "/api/openapi.json")
    data = conn.getresponse().read()
    conn.close()
    return data


def get(path, **kw):
    return request("GET", path, **kw)


def as_kaowu(cmd):
    """Run a command as the user owning the instance (kaowu when we are root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "kaowu", "--"] + cmd
    return cmd


def conninfo(db="kaowu"):
    return "host=%s port=%s dbname=%s user=kaowu connect_timeout=3" % (RUN, PG_PORT, db)


def psql(sql, db="kaowu"):
    """Run SQL with psql on the instance's cluster; returns stdout (tuples only, unaligned)."""
    out = subprocess.run(["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-d", conninfo(db), "-c", sql],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def pg_ctl(*args):
    return subprocess.run(as_kaowu([os.path.join(PGBIN, "pg_ctl"), "-D", os.path.join(HOME, "pg")] + list(args)),
                          capture_output=True, text=True, check=True)


def master_pid(pool=1):
    with open(os.path.join(RUN, "kaowu-%d.pid" % pool)) as f:
        return int(f.read().strip())


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return sorted(int(x) for x in out.stdout.split())


def log_text():
    with open(os.path.join(LOG, "kaowu.log"), encoding="utf-8", errors="replace") as f:
        return f.read()


def cgi(env, body=b"", binary=None):
    """Run kaowu-fcgi as a CGI program (no web server), like cgit's tests do."""
    e = {"PATH": "/usr/bin:/bin", "KAOWU_DB": conninfo()}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        if k in os.environ:
            e[k] = os.environ[k]
    e.update(env)
    if body:
        e.setdefault("CONTENT_LENGTH", str(len(body)))
    p = subprocess.run([binary or os.path.join(BUILD, "kaowu-fcgi")], input=body, env=e,
                       capture_output=True, timeout=30)
    head, _, payload = p.stdout.partition(b"\r\n\r\n")
    status = int(head.split(b"\r\n")[0].split()[1])
    return status, head.decode(), payload


DEMO_PASSWORD = "kaowu2019"
ORG = {"benz": "机械行业职业技能鉴定汽车北京奔驰站", "baic": "机械行业职业技能鉴定汽车北汽站",
       "robot": "机械行业职业技能鉴定工业机器人站", "beiqi": "机械工业职业技能鉴定汽车行业北汽分中心",
       "center": "机械工业职业技能鉴定指导中心"}


class Session:
    """A logged-in client: keeps the session cookie and sends the CSRF token on writes."""

    def __init__(self, ip=None, source=None):
        self.source = source  # a loopback address to send from (kw.request)
        self.cookie = None
        self.csrf = None
        self.user = None
        self.ip = ip  # sent as X-Forwarded-For, which the server must not trust

    def request(self, method, path, body=None, headers=None, timeout=30):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if self.csrf and method not in ("GET", "HEAD"):
            h.setdefault("X-CSRF-Token", self.csrf)
        if self.ip:
            h["X-Forwarded-For"] = self.ip
        r = request(method, path, body=body, headers=h, timeout=timeout, source=self.source)
        sc = r.header("set-cookie")
        if sc and sc.startswith("kaowu_session="):
            value = sc.split(";", 1)[0]
            self.cookie = None if value == "kaowu_session=" else value
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body={} if body is None else body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body={} if body is None else body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, kind, username, password=DEMO_PASSWORD, expect=200):
        r = self.request("POST", "/api/auth/login", body={"kind": kind, "username": username, "password": password})
        if expect is not None:
            assert r.status == expect, "login %s %s: %r" % (kind, username, r)
        if r.status == 200:
            body = r.json()
            self.csrf = body["csrf_token"]
            self.user = body["user"]
        return r


def login(kind, username, password=DEMO_PASSWORD):
    """A new Session logged in as a demo account (asserts success)."""
    s = Session()
    s.login(kind, username, password)
    return s


def center_staff():
    return login("org", "staff01")


def center_director():
    return login("org", "director01")


def org_account(key):
    """Log in as one of the demo institutions by short name: benz, baic, robot, beiqi."""
    return login("org", ORG[key])


CLOCK_FILE = os.environ.get("KAOWU_CLOCK_FILE", os.path.join(HOME, "clock"))


class Clock:
    """Set the business clock of the running workers (DESIGN.md: KAOWU_CLOCK_FILE)."""

    @staticmethod
    def set(iso):
        with open(CLOCK_FILE + ".tmp", "w") as f:
            f.write(iso + "\n")
        os.chmod(CLOCK_FILE + ".tmp", 0o644)
        os.replace(CLOCK_FILE + ".tmp", CLOCK_FILE)

    @staticmethod
    def base():
        """A random minute between 2040 and 2090 as a datetime: tests that move the clock start from
        their own base so that their login failures, sessions and windows never meet another test's."""
        import datetime
        import random
        return datetime.datetime(2040, 1, 1, 8, 0) + datetime.timedelta(minutes=random.randint(0, 50 * 525600))

    @staticmethod
    def at(dt):
        """Set the clock to a naive datetime (Beijing time)."""
        Clock.set(dt.strftime("%Y-%m-%dT%H:%M:%S+08:00"))

    @staticmethod
    def reset():
        try:
            os.remove(CLOCK_FILE)
        except FileNotFoundError:
            pass


W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(birth=None, seq=None):
    """A valid ID number (GB 11643 checksum); random birth date (1960-1999) and sequence unless given."""
    import datetime
    import random
    if birth is None:
        d = datetime.date(1960, 1, 1) + datetime.timedelta(days=random.randint(0, 14600))
        birth = d.strftime("%Y%m%d")
    s17 = "110101" + birth + ("%03d" % (seq if seq is not None else random.randint(0, 999)))
    return s17 + "10X98765432"[sum(int(a) * b for a, b in zip(s17, W)) % 11]


def register_candidate(password="Kw-Test-pass-2026", **over):
    """Register a fresh candidate; returns (username, password, id_number, response)."""
    username = over.pop("username", "cand_%s" % uuid_hex(8))
    body = {"username": username, "password": password, "id_number": over.pop("id_number", id_number()),
            "real_name": over.pop("real_name", "测试考生"), "email": over.pop("email", "%s@kaowu.example" % username),
            "phone": over.pop("phone", "13912345678")}
    body.update(over)
    r = request("POST", "/api/candidates/register", body=body)
    return username, password, body["id_number"], r


def uuid_hex(n):
    import uuid as _u
    return _u.uuid4().hex[:n]


import unittest as _unittest


class ClockedTest(_unittest.TestCase):
    """A test case that runs at its own random moment of the business clock, so that failed logins
    and sessions of one test (or of an earlier run against the same instance) never throttle another."""

    def setUp(self):
        self.t0 = Clock.base()
        Clock.at(self.t0)

    def tearDown(self):
        Clock.reset()

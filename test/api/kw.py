"""kw.py - helpers for kaowu's black-box API tests: HTTP client, instance paths, psql."""
import http.client
import json
import os
import subprocess
import urllib.parse

URL = os.environ.get("KAOWU_URL", "http://127.0.0.1:18080")
HOME = os.environ.get("KAOWU_HOME", "")
BUILD = os.environ.get("KAOWU_BUILD", "")
PG_PORT = os.environ.get("KAOWU_PG_PORT", "5481")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PGBIN = "/usr/lib/postgresql/15/bin"
RUN = os.path.join(HOME, "run")
LOG = os.path.join(HOME, "log")


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


def request(method, path, body=None, headers=None, timeout=10):
    """One HTTP request through nginx; returns status, lower-cased headers and raw body."""
    u = urllib.parse.urlsplit(URL)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    hdrs = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode("utf-8")
        hdrs.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=body, headers=hdrs)
    r = conn.getresponse()
    data = r.read()
    headers = {k.lower(): v for k, v in r.getheaders()}
    conn.close()
    return Response(r.status, headers, data)


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

#!/usr/bin/env python3
"""run.py - operations drills against a running instance: a killed pool master is healed by its
supervisor without failed requests, and nginx's own error answers are the JSON envelope.

Usage: KAOWU_URL=... KAOWU_HOME=... python3 test/ops/run.py [name-substring]
Prints one line per test and the drill figures; ends with "ops: N passed, N failed".
Uses KAOWU_OPS_PORT (default 18161) for a second nginx in the error-page test.
"""
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

URL = os.environ.get("KAOWU_URL", "http://127.0.0.1:18080")
HOME = os.environ.get("KAOWU_HOME", "")
RUN = os.path.join(HOME, "run")
LOG = os.path.join(HOME, "log")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OPS_PORT = int(os.environ.get("KAOWU_OPS_PORT", "18161"))
HOST = urllib.parse.urlsplit(URL).hostname
PORT = urllib.parse.urlsplit(URL).port

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options",
                    "referrer-policy")


def request(method, path, body=None, headers=None, port=None, timeout=10):
    """One HTTP request to nginx; returns (status, lower-cased headers, body bytes)."""
    conn = http.client.HTTPConnection(HOST, port or PORT, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def raw(data, port=None):
    """Send raw bytes to nginx; returns (status, headers, body) of the answer."""
    s = socket.create_connection((HOST, port or PORT), timeout=10)
    try:
        s.sendall(data)
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    finally:
        s.close()
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, body


def pid_of(name):
    """The live pid in run/NAME.pid, or None."""
    try:
        pid = int(open(os.path.join(RUN, name + ".pid")).read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def accepts(sock_path):
    """True when a FastCGI master listens on the unix socket."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(0.5)
    try:
        s.connect(sock_path)
        return True
    except OSError:
        return False
    finally:
        s.close()


class Load:
    """A bounded load: `threads` loops of GET requests against 127.0.0.1 until stopped."""

    PATHS = ("/api/health", "/api/ref/regions")

    def __init__(self, threads=4):
        self.threads = threads
        self.requests = 0
        self.errors = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.pool = [threading.Thread(target=self.loop, args=(i,)) for i in range(threads)]

    def loop(self, i):
        n = 0
        while not self.stop.is_set():
            path = self.PATHS[(n + i) % len(self.PATHS)]
            n += 1
            try:
                status, _, body = request("GET", path, timeout=10)
                ok = status == 200 or (status == 404 and path != "/api/health")
                err = None if ok else "%s %d %s" % (path, status, body[:120])
            except OSError as e:
                err = "%s %s" % (path, e)
            with self.lock:
                self.requests += 1
                if err:
                    self.errors.append(err)

    def __enter__(self):
        for t in self.pool:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.pool:
            t.join()


def log_size():
    return os.path.getsize(os.path.join(LOG, "kaowu.log"))


def log_since(offset):
    with open(os.path.join(LOG, "kaowu.log"), "rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", "replace")


def kill_and_heal(pool, timeout=5.0):
    """kill -9 pool's master; seconds until a new master listens (None if not within timeout)."""
    old = pid_of("kaowu-%d" % pool)
    assert old, "pool %d has no live master" % pool
    os.kill(old, signal.SIGKILL)
    t0 = time.monotonic()
    sock = os.path.join(RUN, "kaowu-%d.sock" % pool)
    while time.monotonic() - t0 < timeout:
        new = pid_of("kaowu-%d" % pool)
        if new and new != old and accepts(sock):
            return time.monotonic() - t0
        time.sleep(0.05)
    return None


class MasterKill(unittest.TestCase):
    """Issue 14 item 8: a pool master that dies is restarted by its supervisor, logged, and the
    other pool answers meanwhile, so no request fails."""

    def test_master_kill_under_load_is_healed_without_failed_requests(self):
        off = log_size()
        t0 = time.monotonic()
        with Load(threads=4) as load:
            time.sleep(1.0)
            heal = kill_and_heal(1)
            time.sleep(1.0)
        secs = time.monotonic() - t0
        print("\n  drill master-kill: %d requests, %d errors, %.1f s, healed in %s s"
              % (load.requests, len(load.errors), secs,
                 "%.2f" % heal if heal is not None else "never"))
        self.assertIsNotNone(heal, "pool 1 was not back within 5 s")
        self.assertLess(heal, 3.0)
        self.assertGreater(load.requests, 20)
        self.assertEqual(load.errors, [])
        text = log_since(off)
        self.assertRegex(text, r"warn supervise: pool 1 master killed by signal 9; restarting")
        self.assertRegex(text, r"master: \d+ workers on .*kaowu-1\.sock")

    def test_crash_loop_is_braked_and_then_recovers(self):
        off = log_size()
        brake_max = 5
        for _ in range(brake_max + 1):
            heal = kill_and_heal(2, timeout=3.0)
            if heal is None:
                break
        text = log_since(off)
        self.assertIn("crash loop", text)
        # The brake holds the restart back for about five seconds, then the pool comes back.
        t0 = time.monotonic()
        sock = os.path.join(RUN, "kaowu-2.sock")
        while time.monotonic() - t0 < 12 and not (pid_of("kaowu-2") and accepts(sock)):
            time.sleep(0.1)
        waited = time.monotonic() - t0
        print("\n  drill crash-loop: pool 2 held back, back after %.1f s" % waited)
        self.assertTrue(pid_of("kaowu-2") and accepts(sock), "pool 2 not back after the brake")
        status, _, _ = request("GET", "/api/health")
        self.assertEqual(status, 200)


class NginxErrorPages(unittest.TestCase):
    """Issue 14 item 7: answers nginx makes by itself carry the JSON envelope and the
    security headers."""

    def check(self, status, hdrs, body, want_status, want_code):
        self.assertEqual(status, want_status, body[:200])
        self.assertTrue(hdrs.get("content-type", "").startswith("application/json"), hdrs)
        doc = json.loads(body.decode("utf-8"))
        self.assertEqual(doc["error"]["code"], want_code)
        self.assertTrue(doc["error"]["message"])
        self.assertNotIn("nginx", body.decode("utf-8"))
        for h in SECURITY_HEADERS:
            self.assertIn(h, hdrs, "%d lacks %s" % (status, h))

    def test_400_malformed_request(self):
        self.check(*raw(b"GARBAGE\x01 / HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad_request")

    def test_400_bad_header(self):
        self.check(*raw(b"GET /api/health HTTP/1.1\r\nHost: x\r\nBad\x01Header: 1\r\n"
                        b"Content-Length: abc\r\n\r\n"), 400, "bad_request")

    def test_405_post_to_a_static_file(self):
        self.check(*request("POST", "/index.html", body=b"x"), 405, "method_not_allowed")

    def test_413_body_over_the_cap(self):
        st, hd, body = raw(b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                           b"Content-Type: application/json\r\n"
                           b"Content-Length: 999999999\r\n\r\n")
        self.check(st, hd, body, 413, "too_large")

    def test_414_uri_too_long(self):
        self.check(*request("GET", "/api/health?x=" + "a" * 20000), 414, "uri_too_long")

    def test_404_missing_asset(self):
        self.check(*request("GET", "/assets/no-such-file.js"), 404, "not_found")


class NoWorkers(unittest.TestCase):
    """502/504 when no worker answers: a second nginx from the instance's rendered config,
    pointed at a socket nobody listens on, then at one that accepts and never answers."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kaowu-ops-", dir=RUN)
        os.chmod(cls.dir, 0o777)
        cls.sock = os.path.join(cls.dir, "blackhole.sock")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def nginx(self, upstream, port=OPS_PORT, read_timeout="1s"):
        conf = open(os.path.join(HOME, "nginx", "kaowu.conf")).read()
        conf = re.sub(r"(?m)^pid .*;$", "pid %s/nginx.pid;" % self.dir, conf)
        conf = re.sub(r"listen [0-9.]+:\d+;", "listen 127.0.0.1:%d;" % port, conf)
        conf = re.sub(r"upstream kaowu_workers \{[^}]*\}",
                      "upstream kaowu_workers {\n server unix:%s;\n }" % upstream, conf)
        conf = re.sub(r"fastcgi_read_timeout [^;]+;", "fastcgi_read_timeout %s;" % read_timeout, conf)
        path = os.path.join(self.dir, "nginx.conf")
        open(path, "w").write(conf)
        cmd = ["nginx", "-c", path, "-p", os.path.join(HOME, "nginx"),
               "-e", os.path.join(self.dir, "error.log")]
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "kaowu", "--"] + cmd
        subprocess.run(cmd, check=True)
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

    def stop_nginx(self):
        try:
            pid = int(open(os.path.join(self.dir, "nginx.pid")).read())
            os.kill(pid, signal.SIGTERM)
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)
        except (OSError, ValueError):
            pass

    def test_502_no_pool_listening_is_503_json(self):
        self.nginx(os.path.join(self.dir, "nobody.sock"))
        try:
            st, hd, body = request("GET", "/api/health", port=OPS_PORT)
            NginxErrorPages.check(self, st, hd, body, 503, "unavailable")
            st, hd, body = request("POST", "/api/auth/login", body=b"{}", port=OPS_PORT,
                                   headers={"Content-Type": "application/json"})
            NginxErrorPages.check(self, st, hd, body, 503, "unavailable")
        finally:
            self.stop_nginx()

    def test_504_worker_never_answers_is_503_json(self):
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(self.sock)
        os.chmod(self.sock, 0o666)
        srv.listen(16)
        held = []
        stop = threading.Event()

        def hold():
            srv.settimeout(0.2)
            while not stop.is_set():
                try:
                    held.append(srv.accept()[0])
                except OSError:
                    pass

        t = threading.Thread(target=hold)
        t.start()
        self.nginx(self.sock)
        try:
            st, hd, body = request("GET", "/api/health", port=OPS_PORT)
            NginxErrorPages.check(self, st, hd, body, 503, "unavailable")
        finally:
            self.stop_nginx()
            stop.set()
            t.join()
            for c in held:
                c.close()
            srv.close()


PSQL = "/usr/lib/postgresql/15/bin/psql"
PG_PORT = os.environ.get("KAOWU_PG_PORT", "5481")


def psql(db, sql):
    """Run sql in database db of the instance's cluster; returns stdout."""
    cmd = [PSQL, "-h", RUN, "-p", PG_PORT, "-U", "kaowu", "-d", db, "-XtAq", "-v",
           "ON_ERROR_STOP=1", "-c", sql]
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "kaowu", "--"] + cmd
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def fingerprint(db):
    """{table: (rows, md5 of every row in a stable order)} for every table in public."""
    tables = psql(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                      "ORDER BY 1").split()
    sql = " UNION ALL ".join(
        "SELECT '%s', count(*), coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '')"
        " FROM public.\"%s\" x" % (t, t) for t in tables)
    out = {}
    for line in psql(db, sql).splitlines():
        t, n, h = line.split("|")
        out[t] = (int(n), h)
    return out


class Backup(unittest.TestCase):
    """Issue 14 item 11: make backup / make restore round-trip every table exactly."""

    def test_backup_restore_round_trip_keeps_every_row(self):
        env = dict(os.environ)
        d = tempfile.mkdtemp(prefix="kaowu-backup-", dir=RUN)
        os.chmod(d, 0o777)
        dump = os.path.join(d, "kaowu.dump")
        target = "kaowu_rt_%d" % os.getpid()
        # An uploaded file (bytes live in the database) this test owns.
        blob = os.urandom(4096)
        psql("kaowu", "INSERT INTO files (name, mime, size, sha256, bytes) VALUES "
                      "('备份演练.bin', 'application/octet-stream', %d, '%s', '\\x%s')"
                      % (len(blob), hashlib.sha256(blob).hexdigest(), blob.hex()))
        try:
            t0 = time.monotonic()
            subprocess.run(["make", "--no-print-directory", "-C", ROOT, "backup",
                            "FILE=" + dump], check=True, env=env, capture_output=True)
            self.assertEqual(os.stat(dump).st_mode & 0o077, 0, "the dump is readable by others")
            before = fingerprint("kaowu")
            self.assertGreater(before["files"][0], 0)
            subprocess.run(["make", "--no-print-directory", "-C", ROOT, "restore",
                            "FILE=" + dump, "DB=" + target], check=True, env=env,
                           capture_output=True)
            after = fingerprint(target)
            print("\n  drill backup: %d tables, %d rows, %.1f s round trip"
                  % (len(before), sum(v[0] for v in before.values()),
                     time.monotonic() - t0))
            self.assertGreater(len(before), 10)
            # The suite runs alone on its instance: nothing writes between dump and fingerprint.
            self.assertEqual(before, after)
        finally:
            try:
                psql("postgres", 'DROP DATABASE IF EXISTS "%s"' % target)
                psql("kaowu", "DELETE FROM files WHERE name = '备份演练.bin'")
            finally:
                shutil.rmtree(d, ignore_errors=True)


BUILD = os.environ.get("KAOWU_BUILD", os.path.join(ROOT, "build"))
NETNS = (("kwops-a", "kwopa0", "kwopa1", "10.231.71"), ("kwops-b", "kwopb0", "kwopb1", "10.231.72"))


def sh(*cmd, check=True):
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


def as_kaowu(cmd):
    return ["runuser", "-u", "kaowu", "--"] + cmd if os.getuid() == 0 else cmd


class WorkerHosts(unittest.TestCase):
    """Issue 17 item 2: two worker pools on TCP in separate network namespaces (two "hosts")
    behind one nginx; requests spread over both; one host dies under load and no request
    beyond the in-flight ones fails."""

    @classmethod
    def setUpClass(cls):
        cls.procs = []
        cls.made = []
        cls.dir = tempfile.mkdtemp(prefix="kaowu-scale-", dir=RUN)
        os.chmod(cls.dir, 0o777)
        if os.getuid() != 0:
            raise unittest.SkipTest("needs root for ip netns")
        try:
            for ns, host_if, ns_if, net in NETNS:
                sh("ip", "netns", "add", ns)
                cls.made.append(ns)
                sh("ip", "link", "add", host_if, "type", "veth", "peer", "name", ns_if)
                sh("ip", "link", "set", ns_if, "netns", ns)
                sh("ip", "addr", "add", net + ".1/30", "dev", host_if)
                sh("ip", "link", "set", host_if, "up")
                sh("ip", "netns", "exec", ns, "ip", "addr", "add", net + ".2/30", "dev", ns_if)
                sh("ip", "netns", "exec", ns, "ip", "link", "set", ns_if, "up")
                sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")
        except subprocess.CalledProcessError as e:
            cls.tearDownClass()
            raise unittest.SkipTest("ip netns unavailable here: %s" % e.stderr.strip())
        conninfo = "host=%s port=%s dbname=kaowu user=kaowu connect_timeout=3" % (RUN, PG_PORT)
        for ns, _, _, net in NETNS:
            log = open(os.path.join(cls.dir, ns + ".log"), "ab")
            env = dict(os.environ, KAOWU_DB=conninfo, KAOWU_LOG_LEVEL="info")
            cls.procs.append(subprocess.Popen(
                ["ip", "netns", "exec", ns] + as_kaowu(
                    [os.path.join(BUILD, "kaowu-fcgi"), "--socket", net + ".2:9000",
                     "--workers", "2", "--pidfile", os.path.join(cls.dir, ns + ".pid")]),
                stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env))
        # Both "hosts" listen before the load starts.
        for _, _, _, net in NETNS:
            for _ in range(100):
                try:
                    socket.create_connection((net + ".2", 9000), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.1)
        cls.nginx_conf = os.path.join(cls.dir, "nginx.conf")
        conf = open(os.path.join(HOME, "nginx", "kaowu.conf")).read()
        conf = re.sub(r"(?m)^pid .*;$", "pid %s/nginx.pid;" % cls.dir, conf)
        conf = re.sub(r"listen [0-9.]+:\d+;", "listen 127.0.0.1:%d;" % (OPS_PORT + 1), conf)
        servers = "".join(" server %s.2:9000 max_fails=1 fail_timeout=2s;\n" % n
                          for _, _, _, n in NETNS)
        conf = re.sub(r"upstream kaowu_workers \{[^}]*\}",
                      "upstream kaowu_workers {\n%s }" % servers, conf)
        open(cls.nginx_conf, "w").write(conf)
        subprocess.run(as_kaowu(["nginx", "-c", cls.nginx_conf, "-p",
                                 os.path.join(HOME, "nginx"), "-e",
                                 os.path.join(cls.dir, "error.log")]), check=True)
        for _ in range(100):
            try:
                if request("GET", "/api/health", port=OPS_PORT + 1, timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)

    @classmethod
    def tearDownClass(cls):
        try:
            pid = int(open(os.path.join(cls.dir, "nginx.pid")).read())
            os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            pass
        for p in cls.procs:
            if p.poll() is None:
                p.terminate()
        for ns in cls.made:
            for pid in sh("ip", "netns", "pids", ns, check=False).stdout.split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except OSError:
                    pass
        for p in cls.procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        for ns, host_if, _, _ in NETNS:
            sh("ip", "link", "del", host_if, check=False)
            if ns in cls.made:
                sh("ip", "netns", "del", ns, check=False)
        if not os.environ.get("KAOWU_OPS_KEEP"):
            shutil.rmtree(cls.dir, ignore_errors=True)

    def served(self, ns):
        text = open(os.path.join(self.dir, ns + ".log"), errors="replace").read()
        return len(re.findall(r" info GET /api/", text))

    def test_two_worker_hosts_share_load_and_survive_one_dying(self):
        global PORT
        saved, PORT = PORT, OPS_PORT + 1
        try:
            t0 = time.monotonic()
            with Load(threads=4) as load:
                time.sleep(2.0)
                a, b = self.served("kwops-a"), self.served("kwops-b")
                inflight = load.threads
                # The host dies: every process in its namespace, then the namespace itself.
                for pid in sh("ip", "netns", "pids", "kwops-a").stdout.split():
                    os.kill(int(pid), signal.SIGKILL)
                time.sleep(0.1)  # the kernel resets the dead workers' connections
                sh("ip", "link", "del", "kwopa0")
                sh("ip", "netns", "del", "kwops-a")
                self.made.remove("kwops-a")
                before = load.requests
                time.sleep(2.0)
                after = load.requests - before
            secs = time.monotonic() - t0
        finally:
            PORT = saved
        print("\n  drill worker-hosts: host a served %d, host b %d before the kill; "
              "%d requests, %d errors, %.1f s; %d answered after host a died"
              % (a, b, load.requests, len(load.errors), secs, after))
        for e in load.errors:
            print("    in flight: %s" % e)
        self.assertGreater(a, 10)
        self.assertGreater(b, 10)
        self.assertLessEqual(len(load.errors), inflight, load.errors[:5])
        self.assertGreater(after, 20)


PGBIN = "/usr/lib/postgresql/15/bin"
REPLICA_PORT = os.environ.get("KAOWU_REPLICA_PG_PORT", str(int(PG_PORT) + 2))


class ReadReplica(unittest.TestCase):
    """Issue 17 item 3: a streaming replica (pg_basebackup -R from the instance's primary)
    serves the heavy reads of workers given KAOWU_DB_REPLICA; when it stops, the same reads
    fall back to the primary without a failed request."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="kaowu-replica-", dir=RUN)
        os.chmod(cls.dir, 0o777)
        cls.pg = os.path.join(cls.dir, "pg")
        cls.pool = None
        try:
            cls.start()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def start(cls):
        subprocess.run(as_kaowu([PGBIN + "/pg_basebackup", "-D", cls.pg, "-h", RUN, "-p",
                                 PG_PORT, "-U", "kaowu", "-R", "-X", "stream", "-c", "fast"]),
                       check=True, capture_output=True)
        with open(os.path.join(cls.pg, "kaowu.conf"), "w") as f:
            f.write("listen_addresses = ''\nport = %s\nunix_socket_directories = '%s'\n"
                    "unix_socket_permissions = 0700\nhot_standby = on\n"
                    "max_connections = 200\nshared_buffers = 32MB\n" % (REPLICA_PORT, cls.dir))
        if os.getuid() == 0:
            shutil.chown(os.path.join(cls.pg, "kaowu.conf"), "kaowu", "kaowu")
        subprocess.run(as_kaowu([PGBIN + "/pg_ctl", "-D", cls.pg, "-l",
                                 os.path.join(cls.dir, "replica.log"), "-w", "-t", "60",
                                 "start"]), check=True, capture_output=True)
        primary = "host=%s port=%s dbname=kaowu user=kaowu connect_timeout=3" % (RUN, PG_PORT)
        cls.replica = "host=%s port=%s dbname=kaowu user=kaowu connect_timeout=2" % (
            cls.dir, REPLICA_PORT)
        cls.log = os.path.join(cls.dir, "pool.log")
        sock = os.path.join(cls.dir, "pool.sock")
        env = dict(os.environ, KAOWU_DB=primary, KAOWU_DB_REPLICA=cls.replica)
        with open(cls.log, "ab") as log:
            cls.pool = subprocess.Popen(
                as_kaowu([os.path.join(BUILD, "kaowu-fcgi"), "--socket", sock, "--workers", "1",
                          "--pidfile", os.path.join(cls.dir, "pool.pid")]),
                stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env)
        for _ in range(100):
            if accepts(sock):
                break
            time.sleep(0.1)
        NoWorkers.nginx(cls, sock, port=OPS_PORT + 3, read_timeout="30s")

    @classmethod
    def tearDownClass(cls):
        NoWorkers.stop_nginx(cls)
        cls.stop_pool()
        subprocess.run(as_kaowu([PGBIN + "/pg_ctl", "-D", cls.pg, "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def stop_pool(cls):
        try:
            os.kill(int(open(os.path.join(cls.dir, "pool.pid")).read()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
        if cls.pool:
            cls.pool.wait(timeout=20)

    def replica_sql(self, sql):
        cmd = as_kaowu([PSQL, "-h", self.dir, "-p", REPLICA_PORT, "-U", "kaowu", "-d", "kaowu",
                        "-XtAq", "-c", sql])
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()

    def test_reads_go_to_the_replica_and_fall_back_when_it_stops(self):
        port = OPS_PORT + 3
        self.assertEqual(self.replica_sql("SELECT pg_is_in_recovery()"), "t")
        for _ in range(20):
            st, _, body = request("GET", "/api/ref/regions", port=port)
            self.assertEqual(st, 200, body[:200])
        # The worker holds a session on the replica (its reads are served there).
        sessions = self.replica_sql("SELECT count(*) FROM pg_stat_activity "
                                    "WHERE datname = 'kaowu' AND backend_type = 'client backend'"
                                    " AND pid <> pg_backend_pid()")
        self.assertGreaterEqual(int(sessions or 0), 1)
        subprocess.run(as_kaowu([PGBIN + "/pg_ctl", "-D", self.pg, "-m", "fast", "-w", "stop"]),
                       check=True, capture_output=True)
        for _ in range(10):
            st, _, body = request("GET", "/api/ref/regions", port=port)
            self.assertEqual(st, 200, body[:200])
        st, _, _ = request("GET", "/api/health", port=port)
        self.assertEqual(st, 200)
        self.stop_pool()
        text = open(self.log, errors="replace").read()
        m = re.search(r"the replica served (\d+) reads, (\d+) went to the primary", text)
        self.assertIsNotNone(m, text[-2000:])
        served, fallbacks = int(m.group(1)), int(m.group(2))
        print("\n  drill replica: %d reads on the replica, %d on the primary after it stopped"
              % (served, fallbacks))
        self.assertGreaterEqual(served, 20)
        self.assertGreaterEqual(fallbacks, 10)


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else ""
    loader = unittest.defaultTestLoader
    suite = unittest.TestSuite()
    for case in (NginxErrorPages, NoWorkers, Backup, ReadReplica, MasterKill, WorkerHosts):
        for name in loader.getTestCaseNames(case):
            if pattern in name:
                suite.addTest(case(name))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print("ops: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

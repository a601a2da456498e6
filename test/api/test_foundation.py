"""test_foundation.py - the spine: health, OpenAPI, errors, limits, nginx, workers, reconnects."""
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest
import uuid

import kw


class Health(unittest.TestCase):
    def test_health_reports_db_and_schema_only(self):
        r = kw.get("/api/health")
        self.assertEqual(r.status, 200, r)
        h = r.json()
        self.assertEqual(sorted(h), ["db", "schema"])  # the build is behind login (issue 14 item 6)
        self.assertEqual(h["db"], "ok")
        self.assertGreaterEqual(h["schema"], 1)
        applied = int(kw.psql("SELECT max(version) FROM schema_migrations"))
        self.assertEqual(h["schema"], applied)
        info = kw.center_staff().get("/api/system/info").json()
        self.assertEqual(info["schema"], info["expected_schema"])
        self.assertRegex(info["version"], r"^\d+\.\d+\.\d+")

    def test_schema_mismatch_answers_503(self):
        # A scratch database one migration ahead of this binary.
        db = "scratch_%s" % uuid.uuid4().hex[:8]
        kw.psql("CREATE DATABASE %s" % db, db="postgres")
        try:
            env = dict(os.environ, KAOWU_DB=kw.conninfo(db))
            subprocess.run([os.path.join(kw.BUILD, "kaowu-admin"), "migrate", os.path.join(kw.ROOT, "migrations")],
                           env=env, check=True, capture_output=True)
            status, _, body = kw.cgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/health",
                                      "KAOWU_DB": kw.conninfo(db)})
            self.assertEqual(status, 200, body)
            kw.psql("INSERT INTO schema_migrations (version, name, sha256) VALUES (9999, '9999_future.sql', repeat('0', 64))", db=db)
            status, _, body = kw.cgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/health",
                                      "KAOWU_DB": kw.conninfo(db)})
            self.assertEqual(status, 503, body)
            self.assertEqual(json.loads(body)["schema"], 9999)
        finally:
            kw.psql("DROP DATABASE %s" % db, db="postgres")


class OpenAPI(unittest.TestCase):
    def test_openapi_describes_every_route(self):
        r = kw.get("/api/openapi.json")
        self.assertEqual(r.status, 200)
        doc = r.json()
        self.assertTrue(doc["openapi"].startswith("3.0"))
        self.assertIn("/api/health", doc["paths"])
        self.assertIn("/api/openapi.json", doc["paths"])
        err = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
        self.assertEqual(sorted(err), ["code", "fields", "message", "reason"])
        op_ids = set()
        for path, item in doc["paths"].items():
            self.assertTrue(path.startswith("/api/"), path)
            self.assertNotIn(":", path, "path parameters are written {name}")
            for method, op in item.items():
                self.assertIn(method, ("get", "post", "put", "patch", "delete"))
                self.assertTrue(op["summary"].strip(), path)
                self.assertTrue(op["tags"], path)
                self.assertIn("default", op["responses"])
                self.assertNotIn(op["operationId"], op_ids)
                op_ids.add(op["operationId"])
                for name in re.findall(r"{(\w+)}", path):
                    self.assertIn(name, [p.get("name") for p in op.get("parameters", [])])
                # Every operation says how it is secured: [] when public, else the session cookie.
                self.assertIn("security", op, path)
                if method != "get" and op["security"]:
                    self.assertIn({"$ref": "#/components/parameters/CsrfToken"}, op["parameters"], path)
                if op["security"]:
                    self.assertIn("401", op["responses"], path)
        self.assertTrue(doc["servers"])
        self.assertIn("session", doc["components"]["securitySchemes"])

    def test_every_described_route_exists(self):
        # Each documented GET without parameters answers something other than 404/405.
        doc = kw.get("/api/openapi.json").json()
        for path, item in doc["paths"].items():
            if "get" in item and "{" not in path:
                r = kw.get(path)
                self.assertNotIn(r.status, (404, 405), path)


class Errors(unittest.TestCase):
    def assertEnvelope(self, r, status, code):
        self.assertEqual(r.status, status, r)
        self.assertTrue(r.header("content-type").startswith("application/json"), r.headers)
        e = r.json()["error"]
        self.assertEqual(e["code"], code)
        self.assertTrue(e["message"])
        return e

    def test_unknown_api_path_is_404_envelope(self):
        self.assertEnvelope(kw.get("/api/no/such/endpoint"), 404, "not_found")
        self.assertEnvelope(kw.get("/api/health/"), 404, "not_found")

    def test_wrong_method_is_405_with_allow(self):
        r = kw.request("DELETE", "/api/health")
        self.assertEnvelope(r, 405, "method_not_allowed")
        self.assertEqual(r.header("allow"), "GET")

    def test_body_over_the_cap_is_413_from_nginx(self):
        cap = int(os.environ.get("KAOWU_MAX_BODY", 20 * 1024 * 1024))
        r = kw.request("POST", "/api/health", body=b"x" * (cap + 1),
                       headers={"Content-Type": "application/octet-stream"}, timeout=60)
        self.assertEnvelope(r, 413, "too_large")

    def test_worker_caps_the_body_itself(self):
        # Without nginx in front (CGI mode) the worker refuses an oversized body unread.
        status, _, body = kw.cgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/health",
                                  "KAOWU_MAX_BODY": "10", "CONTENT_LENGTH": "11"}, body=b"x" * 11)
        self.assertEqual(status, 413)
        self.assertEqual(json.loads(body)["error"]["code"], "too_large")

    def test_hostile_requests_get_answers_not_crashes(self):
        before = kw.children(kw.master_pid(1)) + kw.children(kw.master_pid(2))
        paths = ["/api/" + "a" * 4000, "/api/%ff%fe", "/api/%00", "/api/..%2f..%2fetc/passwd",
                 "/api/health?%zz=%", "/api/openapi.json?" + "x=1&" * 500, "/api/%C3%A9"]
        for p in paths:
            r = kw.get(p)
            self.assertIn(r.status, (200, 400, 404, 414), p)
            if r.status in (200, 404):  # the worker's answers; nginx itself refuses %00 with 400
                self.assertTrue(r.header("content-type").startswith("application/json"), p)
        for m in ("PATCH", "OPTIONS", "PUT"):
            self.assertIn(kw.request(m, "/api/health").status, (404, 405))
        time.sleep(0.2)
        after = kw.children(kw.master_pid(1)) + kw.children(kw.master_pid(2))
        self.assertEqual(before, after, "a worker died")


class Nginx(unittest.TestCase):
    CSP = "default-src 'self'"

    def assertSecurityHeaders(self, r):
        self.assertIn(self.CSP, r.header("content-security-policy") or "")
        self.assertEqual(r.header("x-content-type-options"), "nosniff")
        self.assertEqual(r.header("x-frame-options"), "DENY")
        self.assertTrue(r.header("referrer-policy"))

    def test_security_headers_everywhere(self):
        index = kw.get("/")
        asset = re.search(r'/assets/[^"]+\.js', index.body.decode()).group(0)
        for r in (index, kw.get("/api/health"), kw.get("/api/nope"), kw.get("/app/some/page"), kw.get(asset)):
            self.assertSecurityHeaders(r)

    def test_spa_fallback_serves_index(self):
        index = kw.get("/")
        self.assertEqual(index.status, 200)
        self.assertIn(b'<div id="app"', index.body)
        deep = kw.get("/login/org")
        self.assertEqual(deep.status, 200)
        self.assertEqual(deep.body, index.body)
        self.assertIn("no-cache", deep.header("cache-control"))

    def test_hashed_assets_are_cached_long(self):
        index = kw.get("/").body.decode()
        assets = re.findall(r'/assets/[^"]+\.(?:js|css)', index)
        self.assertTrue(assets)
        for a in assets:
            r = kw.get(a)
            self.assertEqual(r.status, 200, a)
            self.assertIn("max-age=31536000", r.header("cache-control"))
            self.assertIn("immutable", r.header("cache-control"))
        self.assertEqual(kw.get("/assets/missing-0000.js").status, 404)

    def test_gzip_for_json_js_css(self):
        index = kw.get("/").body.decode()
        js = re.search(r'/assets/[^"]+\.js', index).group(0)
        for path in ("/api/openapi.json", js):
            r = kw.get(path, headers={"Accept-Encoding": "gzip"})
            self.assertEqual(r.header("content-encoding"), "gzip", path)


class Workers(unittest.TestCase):
    def test_access_log_line_per_request(self):
        marker = "/api/log-probe-%s" % uuid.uuid4().hex
        kw.get(marker)
        time.sleep(0.2)
        self.assertRegex(kw.log_text(), r"GET %s 404 \d+us" % re.escape(marker))

    def test_two_pools_share_the_load(self):
        pools = {p: set(kw.children(kw.master_pid(p))) for p in (1, 2)}
        start = len(kw.log_text())
        with concurrent.futures.ThreadPoolExecutor(16) as ex:
            statuses = list(ex.map(lambda _: kw.get("/api/health").status, range(200)))
        self.assertEqual(statuses, [200] * 200)
        time.sleep(0.3)
        served = set(int(p) for p in re.findall(r"\[(\d+)\] info GET /api/health 200", kw.log_text()[start:]))
        for p, workers in pools.items():
            self.assertTrue(served & workers, "pool %d served nothing" % p)

    def test_killed_worker_is_replaced_within_a_second(self):
        master = kw.master_pid(1)
        before = kw.children(master)
        self.assertEqual(len(before), int(os.environ.get("KAOWU_WORKERS", "2")))
        os.kill(before[0], 9)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 1.0:
            now = kw.children(master)
            if len(now) == len(before) and before[0] not in now:
                break
            time.sleep(0.02)
        now = kw.children(master)
        self.assertEqual(len(now), len(before), "pool not refilled within a second")
        self.assertNotIn(before[0], now)
        for _ in range(10):
            self.assertEqual(kw.get("/api/health").status, 200)

    def test_postgres_restart_heals_without_restarting_workers(self):
        workers = kw.children(kw.master_pid(1)) + kw.children(kw.master_pid(2))
        kw.pg_ctl("-m", "fast", "-w", "stop")
        try:
            t0 = time.monotonic()
            r = kw.get("/api/health", timeout=5)
            self.assertEqual(r.status, 503)
            self.assertEqual(r.json()["db"], "down")
            self.assertLess(time.monotonic() - t0, 3, "a request hung while the database was down")
        finally:
            kw.pg_ctl("-w", "-l", os.path.join(kw.LOG, "postgresql.log"), "start")
        deadline = time.monotonic() + 10
        ok = 0
        while time.monotonic() < deadline and ok < 20:
            ok = ok + 1 if kw.get("/api/health").status == 200 else 0
            time.sleep(0.05)
        self.assertEqual(ok, 20, "API did not recover after PostgreSQL came back")
        self.assertEqual(workers, kw.children(kw.master_pid(1)) + kw.children(kw.master_pid(2)))


class Migrations(unittest.TestCase):
    def admin(self, *args, db="kaowu"):
        env = dict(os.environ, KAOWU_DB=kw.conninfo(db))
        return subprocess.run([os.path.join(kw.BUILD, "kaowu-admin")] + list(args), env=env,
                              capture_output=True, text=True)

    def test_applied_once_and_recorded(self):
        out = self.admin("migrate", os.path.join(kw.ROOT, "migrations"))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("0 applied", out.stdout)
        files = sorted(f for f in os.listdir(os.path.join(kw.ROOT, "migrations")) if f.endswith(".sql"))
        recorded = kw.psql("SELECT string_agg(name, ',' ORDER BY version) FROM schema_migrations").split(",")
        self.assertEqual(recorded, files)

    def test_demo_data_loaded_once(self):
        files = sorted(f for f in os.listdir(os.path.join(kw.ROOT, "demo")) if f.endswith(".sql"))
        self.assertEqual(int(kw.psql("SELECT count(*) FROM demo_scripts")), len(files))
        out = self.admin("demo", os.path.join(kw.ROOT, "demo"))
        self.assertIn("0 applied", out.stdout)

    def test_changed_or_failing_migration_is_refused(self):
        db = "scratch_%s" % uuid.uuid4().hex[:8]
        kw.psql("CREATE DATABASE %s" % db, db="postgres")
        tmp = tempfile.mkdtemp()
        os.chmod(tmp, 0o755)
        try:
            shutil.copy(os.path.join(kw.ROOT, "migrations", "0001_init.sql"), tmp)
            self.assertEqual(self.admin("migrate", tmp, db=db).returncode, 0)
            # A broken new migration rolls back whole and is not recorded.
            with open(os.path.join(tmp, "0900_broken.sql"), "w") as f:
                f.write("CREATE TABLE half_done (id int);\nSELECT no_such_function();\n")
            out = self.admin("migrate", tmp, db=db)
            self.assertNotEqual(out.returncode, 0)
            self.assertIn("0900_broken.sql", out.stderr)
            self.assertEqual(kw.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'", db=db), "0")
            self.assertEqual(kw.psql("SELECT count(*) FROM schema_migrations WHERE version = 900", db=db), "0")
            os.remove(os.path.join(tmp, "0900_broken.sql"))
            # An applied migration edited afterwards is refused.
            with open(os.path.join(tmp, "0001_init.sql"), "a") as f:
                f.write("\n-- edited\n")
            out = self.admin("migrate", tmp, db=db)
            self.assertNotEqual(out.returncode, 0)
            self.assertIn("changed", out.stderr)
        finally:
            shutil.rmtree(tmp)
            kw.psql("DROP DATABASE %s" % db, db="postgres")


class CgiMode(unittest.TestCase):
    def test_binary_runs_as_cgi_without_a_web_server(self):
        status, head, body = kw.cgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/api/health"})
        self.assertEqual(status, 200, body)
        self.assertIn("Content-Type: application/json", head)
        self.assertEqual(json.loads(body)["db"], "ok")


if __name__ == "__main__":
    unittest.main()

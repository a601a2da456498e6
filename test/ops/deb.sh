#!/usr/bin/env bash
# deb.sh - the Debian package test: build it (make deb), install it with dpkg into a throwaway
# root, let its postinst migrate a fresh database in the test instance's private cluster, start
# the binary the systemd unit's ExecStart names (systemd does not run here) behind nginx with the
# packaged site file, and check /api/health and the web app. Ends with "deb: N passed, N failed".
#
# Environment: KAOWU_HOME, KAOWU_PG_PORT (the running test instance), KAOWU_DEB_PORT (18162).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
H=${KAOWU_HOME:?KAOWU_HOME}
RUN=$H/run
PORT=${KAOWU_DEB_PORT:-18162}
PGBIN=/usr/lib/postgresql/15/bin
DB=kaowu_deb_$$
passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

if [ "$(id -u)" = 0 ]; then as_kaowu() { runuser -u kaowu -- "$@"; }; else as_kaowu() { "$@"; }; fi
R=$(mktemp -d "$RUN/deb-root.XXXXXX")
chmod 755 "$R"
pids=()
cleanup() {
  local f p
  for f in "$R/nginx/nginx.pid" "$R"/run/pool-*.pid; do
    [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
  done
  for p in "${pids[@]}"; do for _ in $(seq 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  as_kaowu "$PGBIN/psql" -h "$RUN" -p "$KAOWU_PG_PORT" -U kaowu -d postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
  rm -rf "$R"
}
trap cleanup EXIT

t0=$(date +%s%N)
deb=$("$ROOT/packaging/debian/build.sh" | sed -n 's/^deb: \(.*\.deb\) .*/\1/p')
check "make deb builds kaowu_<version>_<arch>.deb" test -f "$deb"
unit=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./lib/systemd/system/kaowu-fcgi@.service)
for want in Restart=always ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes User=kaowu; do
  check "kaowu-fcgi@.service has $want" grep -qx "$want" <<<"$unit"
done
mailer=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./lib/systemd/system/kaowu-mailer.service)
check "kaowu-mailer.service restarts" grep -qx Restart=always <<<"$mailer"

# The throwaway root: an empty dpkg database, and the site's database configured in advance
# (--force-confold keeps it) so the postinst migrates it.
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/etc/kaowu" "$R/run"
chown kaowu: "$R/run" 2>/dev/null
touch "$R/var/lib/dpkg/status"
as_kaowu "$PGBIN/createdb" -h "$RUN" -p "$KAOWU_PG_PORT" -U kaowu -E UTF8 "$DB"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./etc/kaowu/kaowu.conf |
  sed "s|^KAOWU_DB=.*|KAOWU_DB=host=$RUN port=$KAOWU_PG_PORT dbname=$DB user=kaowu connect_timeout=3|" \
  >"$R/etc/kaowu/kaowu.conf"
out=$(dpkg --root="$R" --force-script-chrootless --force-depends --force-confold \
  --log=/dev/null -i "$deb" 2>&1)
rc=$?
echo "$out" | sed 's/^/    /' | tail -n 8
check "dpkg installs the package into the throwaway root" test "$rc" = 0
check "the postinst ran the migrations" grep -q "migrate: [0-9]* applied" <<<"$out"
schema=$(as_kaowu "$PGBIN/psql" -h "$RUN" -p "$KAOWU_PG_PORT" -U kaowu -d "$DB" -tAc \
  "SELECT max(version) FROM schema_migrations" 2>/dev/null)
check "the database is at the binary's schema" test -n "$schema"

# Start what the unit's ExecStart names, with the unit's environment, by hand.
exec_start=$(sed -n 's/^ExecStart=//p' <<<"$unit")
envs=(KAOWU_SOCKET)
while IFS= read -r line; do
  case $line in ''|'#'*) continue ;; *=*) envs+=("$line") ;; esac
done <"$R/etc/kaowu/kaowu.conf"
for i in 1 2; do
  sock=$R/run/kaowu-$i.sock
  cmd=${exec_start//\$\{KAOWU_SOCKET\}/$sock}
  cmd=${cmd//\/usr\/bin\//$R/usr/bin/}
  # shellcheck disable=SC2086
  as_kaowu env "${envs[@]:1}" KAOWU_WORKERS=1 $cmd --pidfile "$R/run/pool-$i.pid" \
    >>"$R/kaowu.log" 2>&1 </dev/null &
  pids+=($!)
done

# nginx with the packaged site, its paths moved into the throwaway root.
mkdir -p "$R/nginx"
sed -e "s|listen 80;|listen 127.0.0.1:$PORT;|" -e "s|/usr/share/kaowu/web|$R/usr/share/kaowu/web|" \
    -e "s|/etc/nginx/snippets/|$R/etc/nginx/snippets/|" -e "s|unix:/run/kaowu/|unix:$R/run/|" \
    "$R/etc/nginx/sites-available/kaowu" >"$R/nginx/site.conf"
cat >"$R/nginx/nginx.conf" <<CONF
pid $R/nginx/nginx.pid;
error_log $R/nginx/error.log warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $R/nginx/body;
    fastcgi_temp_path $R/nginx/fastcgi;
    proxy_temp_path $R/nginx/proxy;
    uwsgi_temp_path $R/nginx/uwsgi;
    scgi_temp_path $R/nginx/scgi;
    include $R/nginx/site.conf;
}
CONF
chown -R kaowu: "$R/nginx" "$R/run" 2>/dev/null
as_kaowu nginx -c "$R/nginx/nginx.conf" -p "$R/nginx" -e "$R/nginx/error.log"
check "nginx accepts the packaged site" test $? = 0

health=""
for _ in $(seq 100); do
  health=$(curl -fsS "http://127.0.0.1:$PORT/api/health" 2>/dev/null) && break
  sleep 0.1
done
echo "    /api/health: $health"
check "/api/health answers db ok from the installed binary" grep -q '"db":"ok"' <<<"$health"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")
check "the installed web app is served" test "$code" = 200
code=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "http://127.0.0.1:$PORT/assets/nope.js")
check "nginx's own 404 is JSON in the packaged site" test "$code" = "404 application/json"

# lintian takes half a minute: part of the scale drills (KAOWU_TEST_SCALE=1) and `make deb-lint`.
if [ "${KAOWU_TEST_SCALE:-0}" = 1 ] && command -v lintian >/dev/null; then
  tags=$(lintian "$deb" 2>&1 |
    grep -E '^[EW]:' || true)
  [ -n "$tags" ] && echo "$tags" | sed 's/^/    /'
  check "lintian: no errors or warnings beyond the explained ones" test -z "$tags"
else
  echo "    lintian skipped (KAOWU_TEST_SCALE=1 runs it)"
fi
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "    deb drill: $((ms / 1000)).$((ms % 1000 / 100)) s"
echo "deb: $passed passed, $failed failed"
[ "$failed" = 0 ]

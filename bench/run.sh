#!/usr/bin/env bash
# run.sh - `make bench`: a separate instance at production volume, wrk scenarios beside pgbench
# running the same SQL, the workers' peak RSS, then the export writer comparison.
#
#   make c && bench/run.sh          (or: make bench)
#
# Environment: BENCH_PORT (8290), BENCH_PG_PORT (5690), BENCH_HOME (build/bench-home),
# D seconds per wrk/pgbench run (5), CONNS ("8 32 128"), rows to generate: CERTS (1000000),
# CANDIDATES (100000, each with an account and one enrollment), BATCHES (5000, one item each),
# QUESTIONS (200000) - bench/api/volume.sql. Each scenario's SQL is captured from one request
# (bench/api/capture.py) and pgbench runs it, prepared, at the same concurrency.
# The machine is shared: keep D short; ratios from one run are what count.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export KAOWU_PORT=${BENCH_PORT:-8290} KAOWU_PG_PORT=${BENCH_PG_PORT:-5690}
export KAOWU_HOME=${BENCH_HOME:-$ROOT/build/bench-home} KAOWU_BUILD=${KAOWU_BUILD:-$ROOT/build}
D=${D:-5}
CONNS=${CONNS:-8 32 128}
CERTS=${CERTS:-1000000}
CANDIDATES=${CANDIDATES:-100000}
BATCHES=${BATCHES:-5000}
QUESTIONS=${QUESTIONS:-200000}
URL=http://127.0.0.1:$KAOWU_PORT
PGBENCH=/usr/lib/postgresql/15/bin/pgbench
conn="host=$KAOWU_HOME/run port=$KAOWU_PG_PORT dbname=kaowu user=kaowu"

if ! command -v wrk >/dev/null; then # bench-only dependency, not in bootstrap.sh
  echo "bench: installing wrk" >&2
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y wrk >/dev/null
fi
[ -x "$KAOWU_BUILD/kaowu-fcgi" ] || { echo "bench: build first (make c)" >&2; exit 2; }
mkdir -p "$ROOT/web/dist"
[ -f "$ROOT/web/dist/index.html" ] || { echo "bench: no web/dist (make build)" >&2; exit 2; }

echo "== bench instance on port $KAOWU_PORT (state in $KAOWU_HOME)"
"$ROOT/scripts/instance.sh" down >/dev/null 2>&1 || true
rm -rf "$KAOWU_HOME"
mkdir -p "$KAOWU_HOME"
"$ROOT/scripts/instance.sh" up | tail -n 1
trap '"$ROOT/scripts/instance.sh" down >/dev/null 2>&1 || true' EXIT

echo "== volume: $CERTS certificates, $CANDIDATES candidates with enrollments, $BATCHES batches, $QUESTIONS questions"
t0=$(date +%s.%N)
psql -X -q -d "$conn" -v certs="$CERTS" -v candidates="$CANDIDATES" -v batches="$BATCHES" \
  -v questions="$QUESTIONS" -f "$ROOT/bench/api/volume.sql" >/dev/null
echo "   loaded in $(echo "$(date +%s.%N) - $t0" | bc) s (INSERT … SELECT generate_series, secondary indexes built after)"

login='{"kind":"org","username":"staff01","password":"kaowu2019"}'
cookie=$(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' -d "$login" "$URL/api/auth/login" |
  sed -n 's/^Set-Cookie: \(kaowu_session=[^;]*\).*/\1/ip')
token=${cookie#kaowu_session=}
[ -n "$token" ] || { echo "bench: login failed" >&2; exit 1; }
tmp=$(mktemp -d)
read -r bid iid <<<"$(psql -X -tA -F' ' -d "$conn" -c "SELECT b.id, i.id FROM batches b JOIN batch_items i ON i.batch_id = b.id WHERE b.code LIKE '149%' ORDER BY b.id DESC LIMIT 1")"
idn=$(psql -X -tA -d "$conn" -c "SELECT id_number FROM certificates ORDER BY id DESC LIMIT 1")

# The scenarios: name|wrk target. Each request's SQL is captured from the server's log (one
# request, log_min_duration_statement = 0) into the pgbench script run beside it.
# Login is last: its argon2id hashes (64 MiB, by design slow) queue behind wrk's end, so the
# bench waits for them before the next run.
scenarios=(
  "batch list|/api/batches?per_page=20"
  "roster|/api/batches/$bid/items/$iid/roster"
  "certificate query|/api/certificates?id_number=$idn&per_page=20"
  "certificate register|/api/certificates?per_page=20"
  "messages|/api/messages?per_page=20"
  "login|POST /api/auth/login"
)
PGLOG=$KAOWU_HOME/log/postgresql.log
setlog() { psql -X -q -d "$conn" -c "ALTER SYSTEM SET log_min_duration_statement = $1" -c "SELECT pg_reload_conf()" >/dev/null; sleep 0.3; }
setlog 0
for i in "${!scenarios[@]}"; do
  IFS='|' read -r name target <<<"${scenarios[$i]}"
  off=$(stat -c %s "$PGLOG")
  if [ "$target" = "POST /api/auth/login" ]; then
    curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "$login" "$URL/api/auth/login"
    prefix=()
  else
    curl -fsS -o /dev/null -H "Cookie: $cookie" "$URL$target"
    prefix=("$ROOT/bench/api/session.sql")
  fi
  sleep 0.3
  python3 "$ROOT/bench/api/capture.py" --defines "$tmp/s$i.vars" "$PGLOG" "$off" "${prefix[@]}" \
    >"$tmp/s$i.sql"
done
setlog -1

# wrk TARGET C -> "req/s p50 p99"
run_wrk() {
  local lua=()
  local settle=0
  if [ "$1" = "POST /api/auth/login" ]; then
    lua=(-s "$ROOT/bench/api/login.lua") settle=3
    set -- /api/auth/login "$2"
  fi
  wrk -t2 -c"$2" -d"${D}s" --latency "${lua[@]}" -H "Cookie: $cookie" "$URL$1" >"$tmp/w" 2>&1 || true
  # logins still queued behind wrk's end: wait (up to 60 s) until the workers answer at once
  for ((w = 0; settle && w < 60; w++)); do
    t=$(curl -s -o /dev/null -w '%{time_total}' "$URL/api/health" || echo 9)
    awk -v t="$t" 'BEGIN { exit !(t < 0.05) }' && break
    sleep 1
  done
  if grep -qE 'Non-2xx' "$tmp/w"; then echo "   warn: $(grep Non-2xx "$tmp/w")" >&2; fi
  awk '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "%s %s %s", r, p50, p99}' "$tmp/w"
}
# pgbench SCRIPT C -> tps
run_pgbench() {
  local defs=() d
  while IFS= read -r d; do defs+=(-D "$d"); done <"${1%.sql}.vars"
  "$PGBENCH" -n -M prepared -c "$2" -j 2 -T "$D" -D token="'$token'" "${defs[@]}" -f "$1" "$conn" 2>"$tmp/pgerr" |
    awk '/^tps/ {print $3; exit}'
  grep -m1 -i error "$tmp/pgerr" >&2 || true
}

printf '\n%-20s %4s %10s %9s %9s %11s %8s\n' scenario c "req/s" p50 p99 "pgbench/s" ratio
for c in $CONNS; do
  for i in "${!scenarios[@]}"; do
    IFS='|' read -r name target <<<"${scenarios[$i]}"
    read -r k p50 p99 <<<"$(run_wrk "$target" "$c")"
    p=$(run_pgbench "$tmp/s$i.sql" "$c")
    printf '%-20s %4s %10s %9s %9s %11s %8s\n' "$name" "$c" "$k" "$p50" "$p99" "${p:--}" \
      "$(awk -v k="$k" -v p="$p" 'BEGIN { if (p > 0) printf "%.2f", k / p; else print "-" }')"
  done
done

echo
echo "== EXPLAIN (ANALYZE, BUFFERS) of every statement the scenarios run, at this volume"
for i in "${!scenarios[@]}"; do
  IFS='|' read -r name target <<<"${scenarios[$i]}"
  echo "---- $name ($target)"
  # the statements with their variables written in as literals
  python3 - "$tmp/s$i.sql" "$tmp/s$i.vars" "'$token'" >"$tmp/x$i.sql" <<'PY'
import re, sys
sql, defs = open(sys.argv[1]).read(), dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[2]) if "=" in l)
defs["token"] = sys.argv[3][1:-1]
print(re.sub(r":(s\d+p\d+|token)\b", lambda m: "'%s'" % defs[m.group(1)].replace("'", "''"), sql), end="")
PY
  while IFS= read -r stmt; do
    [ -n "$stmt" ] || continue
    echo "-- ${stmt:0:160}"
    psql -X -tA -d "$conn" \
      -c "BEGIN" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${stmt%;}" -c "ROLLBACK" 2>&1 |
      grep -v '^BEGIN$\|^ROLLBACK$' | sed 's/^/   /'
  done <"$tmp/x$i.sql"
done
echo "---- for comparison: the register's first page as it was, with count(*) OVER ()"
psql -X -tA -d "$conn" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT c.id, c.cert_no, c.holder_name, count(*) OVER () FROM certificates c ORDER BY c.issued_on DESC, c.id DESC LIMIT 20" | sed 's/^/   /'

echo
echo "== workers' peak RSS (VmHWM)"
for f in "$KAOWU_HOME"/run/kaowu-*.pid; do
  for pid in $(pgrep -P "$(cat "$f")"); do
    printf '   worker %s: %s\n' "$pid" "$(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")"
  done
done
rm -rf "$tmp"

echo
echo "== export writers (bench/export)"
REPEAT=1 "$ROOT/bench/export/run.sh" 10000 100000 || echo "bench: export comparison failed"

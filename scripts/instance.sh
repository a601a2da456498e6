#!/usr/bin/env bash
# instance.sh - start, stop or inspect one kaowu instance: a private PostgreSQL cluster,
# one or more kaowu-fcgi worker pools and nginx, all kept under one home folder.
#
#   scripts/instance.sh up|down|status
#
# Environment (defaults are the developer instance of `make up`):
#   KAOWU_HOME      state folder (var)            KAOWU_PORT     nginx port (8080)
#   KAOWU_LISTEN    nginx address (127.0.0.1)     KAOWU_PG_PORT  PostgreSQL port/socket name (5480)
#   KAOWU_POOLS     local worker pools (2)        KAOWU_WORKERS  workers per pool (cores)
#   KAOWU_POOL_LISTEN  listen addresses of the local pools, one word each (unix path or
#                   HOST:PORT; default run/kaowu-N.sock)
#   KAOWU_UPSTREAMS the worker addresses nginx sends to (default: the local pools'); with
#                   KAOWU_POOLS=0 this host runs nginx only
#   KAOWU_BUILD     build folder with the binaries (build)
#   KAOWU_DEMO      0 to start without demo data  KAOWU_MAX_BODY request body cap in bytes (20 MiB)
#   KAOWU_CLOCK_FILE, KAOWU_LOG_LEVEL             passed to the workers
#   KAOWU_LIMIT_PUBLIC  public certificate queries per address and minute (30); the workers keep
#                   the certificate signing keys in $KAOWU_HOME/keys (mode 0700, files 0600)
#   KAOWU_TEST_HASH_COST  "min": cheapest argon2id for new hashes (scripts/test.sh only)
#   KAOWU_LIMIT_REGISTER, KAOWU_LIMIT_RESET, KAOWU_LIMIT_PASSWORD, KAOWU_INITIAL_PASSWORD
#                   passed to the workers (docs/operations.md, "Security settings")
#   KAOWU_READ_TIMEOUT  how long nginx waits for a worker's answer (300s)
#   KAOWU_DB_REPLICA    conninfo of a read replica for the workers' heavy reads (unset: none)
#   KAOWU_PUBLIC_URL  the address users reach (links in mail; default http://LISTEN:PORT)
#   KAOWU_SMTP_URL, KAOWU_SMTP_USER, KAOWU_SMTP_PASSWORD, KAOWU_MAIL_FROM
#                     the mail relay; without KAOWU_SMTP_URL mail is written to $KAOWU_HOME/mail/*.eml
# As root, PostgreSQL, the workers and nginx run as the unprivileged system user kaowu.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
H=$(realpath -m "${KAOWU_HOME:-$ROOT/var}")
PORT=${KAOWU_PORT:-8080}
LISTEN=${KAOWU_LISTEN:-127.0.0.1}
PG_PORT=${KAOWU_PG_PORT:-5480}
POOLS=${KAOWU_POOLS:-2}
WORKERS=${KAOWU_WORKERS:-$(nproc)}
BUILD=$(realpath -m "${KAOWU_BUILD:-$ROOT/build}")
MAX_BODY=${KAOWU_MAX_BODY:-20971520}
PGBIN=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDATA=$H/pg
RUN=$H/run
LOG=$H/log
CONNINFO="host=$RUN port=$PG_PORT dbname=kaowu user=kaowu connect_timeout=3"
PUBLIC_URL=${KAOWU_PUBLIC_URL:-http://$LISTEN:$PORT}

if [ "$(id -u)" = 0 ]; then
  as_user() { runuser -u kaowu -- "$@"; }
else
  as_user() { "$@"; }
fi

say() { printf 'kaowu: %s\n' "$*"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }

# Stop the process whose pid is in $1 with signal $2 and wait up to $3 seconds.
stop_pid() {
  local pidfile=$1 sig=$2 wait=$3 pid
  alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill "-$sig" "$pid" 2>/dev/null || true
  for _ in $(seq $((wait * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

prepare_dirs() {
  mkdir -p "$PGDATA" "$RUN" "$LOG" "$H/nginx/tmp" "$H/mail" "$H/keys"
  # Logs hold addresses and (masked) identifiers: owner and group only (issue 14 item 6).
  (cd "$LOG" && umask 027 && touch kaowu.log mailer.log nginx-access.log nginx-error.log)
  chmod 0640 "$LOG"/*.log 2>/dev/null || true # then owned by kaowu (chown below) when run as root
  chmod 700 "$PGDATA" "$H/keys"
  if [ "$(id -u)" = 0 ]; then
    chown -R kaowu: "$H"
    # The unprivileged user must reach the checkout (web/dist, binaries, migrations).
    local d=$ROOT
    while [ "$d" != / ]; do
      if ! runuser -u kaowu -- test -x "$d"; then
        say "granting others traverse (o+x) on $d so user kaowu can reach the checkout"
        chmod o+x "$d"
      fi
      d=$(dirname "$d")
    done
  fi
}

pg_up() {
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    say "creating PostgreSQL cluster in $PGDATA"
    as_user "$PGBIN/initdb" -D "$PGDATA" -U kaowu -A trust -E UTF8 --locale=C.UTF-8 \
      >"$LOG/initdb.log" 2>&1 || { cat "$LOG/initdb.log" >&2; exit 1; }
    echo "include_if_exists = 'kaowu.conf'" >>"$PGDATA/postgresql.conf"
  fi
  # Socket only, in the instance's own run folder: nothing else can reach this cluster.
  cat >"$PGDATA/kaowu.conf" <<CONF
listen_addresses = ''
port = $PG_PORT
unix_socket_directories = '$RUN'
unix_socket_permissions = 0700
max_connections = 200
shared_buffers = 256MB
fsync = on
synchronous_commit = on
timezone = 'Asia/Shanghai'
log_timezone = 'UTC'
CONF
  [ "$(id -u)" = 0 ] && chown kaowu: "$PGDATA/kaowu.conf"
  if ! as_user "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_user "$PGBIN/pg_ctl" -D "$PGDATA" -l "$LOG/postgresql.log" -w -t 60 start >/dev/null ||
      { tail -n 20 "$LOG/postgresql.log" >&2; exit 1; }
  fi
  if ! as_user "$PGBIN/psql" -h "$RUN" -p "$PG_PORT" -U kaowu -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'kaowu'" | grep -q 1; then
    as_user "$PGBIN/createdb" -h "$RUN" -p "$PG_PORT" -U kaowu -E UTF8 kaowu
  fi
  as_user env KAOWU_DB="$CONNINFO" "$BUILD/kaowu-admin" migrate "$ROOT/migrations"
  if [ "${KAOWU_DEMO:-1}" != 0 ]; then
    as_user env KAOWU_DB="$CONNINFO" "$BUILD/kaowu-admin" demo "$ROOT/demo"
  fi
}

# The listen address of local pool $1: KAOWU_POOL_LISTEN's word $1, else a unix socket in run/.
pool_addr() {
  local words=(${KAOWU_POOL_LISTEN:-})
  if [ "${#words[@]}" -ge "$1" ]; then echo "${words[$(($1 - 1))]}"; else echo "$RUN/kaowu-$1.sock"; fi
}

# Wait until pool $1's master has written its pid file and listens.
pool_wait() {
  local i=$1 addr pidfile=$RUN/kaowu-$1.pid
  addr=$(pool_addr "$i")
  for _ in $(seq 100); do
    if alive "$pidfile"; then
      case $addr in */*) [ -S "$addr" ] && return 0 ;; *) return 0 ;; esac
    fi
    sleep 0.1
  done
  return 1
}

# Each pool is a kaowu-fcgi master under scripts/supervise.sh, which restarts it within a
# second when it dies (logged in kaowu.log) and brakes a crash loop.
pools_up() {
  local bin=$BUILD/kaowu-fcgi
  for i in $(seq "$POOLS"); do
    local pidfile=$RUN/kaowu-$i.pid sup=$RUN/supervise-$i.pid addr
    addr=$(pool_addr "$i")
    if alive "$sup" && alive "$pidfile" && [ ! "$bin" -nt "$pidfile" ]; then
      continue
    fi
    if alive "$sup"; then
      say "restarting pool $i on the new build"
      stop_pid "$sup" TERM 20
    fi
    alive "$pidfile" && stop_pid "$pidfile" TERM 15
    rm -f "$pidfile"
    as_user env KAOWU_DB="$CONNINFO" KAOWU_MAX_BODY="$MAX_BODY" KAOWU_PUBLIC_URL="$PUBLIC_URL" \
      KAOWU_HASH_SLOTS="${KAOWU_HASH_SLOTS:-}" KAOWU_TEST_HASH_COST="${KAOWU_TEST_HASH_COST:-}" KAOWU_DB_REPLICA="${KAOWU_DB_REPLICA:-}" \
      KAOWU_CLOCK_FILE="${KAOWU_CLOCK_FILE:-}" KAOWU_LOG_LEVEL="${KAOWU_LOG_LEVEL:-info}" \
      KAOWU_LIMIT_REGISTER="${KAOWU_LIMIT_REGISTER:-}" KAOWU_LIMIT_RESET="${KAOWU_LIMIT_RESET:-}" \
      KAOWU_LIMIT_PASSWORD="${KAOWU_LIMIT_PASSWORD:-}" KAOWU_INITIAL_PASSWORD="${KAOWU_INITIAL_PASSWORD:-}" \
      KAOWU_HOME="$H" KAOWU_LIMIT_PUBLIC="${KAOWU_LIMIT_PUBLIC:-}" \
      ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
      setsid -f "$ROOT/scripts/supervise.sh" "$i" "$sup" -- \
      "$bin" --socket "$addr" --workers "$WORKERS" --pidfile "$pidfile" \
      >>"$LOG/kaowu.log" 2>&1 </dev/null
    pool_wait "$i" || { say "pool $i did not start; see $LOG/kaowu.log"; tail -n 20 "$LOG/kaowu.log" >&2; exit 1; }
  done
}

mailer_up() {
  local bin=$BUILD/kaowu-mailer pidfile=$RUN/mailer.pid
  if alive "$pidfile" && [ ! "$bin" -nt "$pidfile" ]; then
    return 0
  fi
  stop_pid "$pidfile" TERM 10
  as_user env KAOWU_DB="$CONNINFO" KAOWU_MAIL_DIR="$H/mail" KAOWU_SMTP_URL="${KAOWU_SMTP_URL:-}" \
    KAOWU_SMTP_USER="${KAOWU_SMTP_USER:-}" KAOWU_SMTP_PASSWORD="${KAOWU_SMTP_PASSWORD:-}" \
    KAOWU_MAIL_FROM="${KAOWU_MAIL_FROM:-noreply@kaowu.local}" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
    setsid -f sh -c 'echo $$ > "$1"; exec "$2"' mailer "$pidfile" "$bin" >>"$LOG/mailer.log" 2>&1 </dev/null
  for _ in $(seq 50); do alive "$pidfile" && break; sleep 0.1; done
  alive "$pidfile" || { say "the mailer did not start; see $LOG/mailer.log"; exit 1; }
}

nginx_up() {
  local conf=$H/nginx/kaowu.conf upstreams="" mb list=() a
  if [ -n "${KAOWU_UPSTREAMS:-}" ]; then
    list=($KAOWU_UPSTREAMS)
  else
    for i in $(seq "$POOLS"); do list+=("$(pool_addr "$i")"); done
  fi
  [ "${#list[@]}" -gt 0 ] || { say "no worker pools for nginx: set KAOWU_POOLS or KAOWU_UPSTREAMS"; exit 1; }
  for a in "${list[@]}"; do
    case $a in /*) a=unix:$a ;; esac
    upstreams+="        server $a max_fails=1 fail_timeout=2s;"$'\n'
  done
  mb=$(( MAX_BODY / 1048576 ))
  cp "$ROOT/nginx/security-headers.conf" "$H/nginx/security-headers.conf"
  sed -e "s|@HOME@|$H|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$PORT|g" -e "s|@LISTEN@|$LISTEN|g" \
      -e "s|@MAX_BODY@|$MAX_BODY|g" -e "s|@MAX_BODY_MB@|$mb|g" \
      -e "s|@READ_TIMEOUT@|${KAOWU_READ_TIMEOUT:-300s}|g" \
      "$ROOT/nginx/kaowu.conf.in" | awk -v u="$upstreams" '{ if ($0 == "@UPSTREAMS@") printf "%s", u; else print }' >"$conf"
  [ "$(id -u)" = 0 ] && chown -R kaowu: "$H/nginx"
  as_user nginx -t -q -c "$conf" -p "$H/nginx" -e "$LOG/nginx-error.log"
  if alive "$RUN/nginx.pid"; then
    as_user nginx -c "$conf" -p "$H/nginx" -e "$LOG/nginx-error.log" -s reload
  else
    as_user nginx -c "$conf" -p "$H/nginx" -e "$LOG/nginx-error.log"
  fi
}

wait_healthy() {
  local url=http://127.0.0.1:$PORT/api/health
  for _ in $(seq 150); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  say "$url does not answer 200:"
  curl -sS "$url" >&2 || true
  exit 1
}

case "${1:-}" in
up)
  [ -x "$BUILD/kaowu-fcgi" ] || { say "no build in $BUILD; run 'make build'"; exit 1; }
  [ -f "$ROOT/web/dist/index.html" ] || { say "no web/dist; run 'make build'"; exit 1; }
  prepare_dirs
  pg_up
  pools_up
  mailer_up
  nginx_up
  wait_healthy
  say "running at http://$LISTEN:$PORT/ (state in $H)"
  ;;
down)
  stop_pid "$RUN/nginx.pid" QUIT 10 # no new requests first
  # then the mailer and every pool at once (each takes a second or two to finish what it is doing)
  stop_pid "$RUN/mailer.pid" TERM 10 &
  for pidfile in "$RUN"/supervise-*.pid; do
    [ -e "$pidfile" ] && stop_pid "$pidfile" TERM 20 &
  done
  wait
  for pidfile in "$RUN"/kaowu-*.pid; do
    [ -e "$pidfile" ] && stop_pid "$pidfile" TERM 15 &
  done
  wait
  if [ -s "$PGDATA/PG_VERSION" ] && as_user "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_user "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  fi
  say "stopped (state kept in $H)"
  ;;
status)
  alive "$RUN/nginx.pid" && say "nginx running" || say "nginx stopped"
  alive "$RUN/mailer.pid" && say "mailer running" || say "mailer stopped"
  for pidfile in "$RUN"/supervise-*.pid "$RUN"/kaowu-*.pid; do
    [ -e "$pidfile" ] && { alive "$pidfile" && say "$(basename "$pidfile" .pid) running" || say "$(basename "$pidfile" .pid) stopped"; }
  done
  as_user "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 && say "postgresql running" || say "postgresql stopped"
  curl -sS "http://127.0.0.1:$PORT/api/health" 2>/dev/null && echo || true
  ;;
*)
  echo "usage: $0 up|down|status" >&2
  exit 2
  ;;
esac

#!/usr/bin/env bash
# backup.sh - back up or restore a kaowu database with pg_dump's custom format. Uploaded files
# live in the database (file_blob rows), so one dump holds everything.
#
#   scripts/backup.sh backup [FILE]        default FILE: $KAOWU_HOME/backup/kaowu-<UTC time>.dump
#   scripts/backup.sh restore FILE [DB]    into database DB (default: the instance's, kaowu)
#
# The database is the instance's of instance.sh (KAOWU_HOME, KAOWU_PG_PORT as there), or the one
# KAOWU_DB (libpq conninfo) names. A restore replaces every object of the dump in one
# transaction (--clean --if-exists --single-transaction): it either lands whole or not at all.
# A database that does not exist yet is created first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
H=$(realpath -m "${KAOWU_HOME:-$ROOT/var}")
PG_PORT=${KAOWU_PG_PORT:-5480}
PGBIN=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
CONNINFO=${KAOWU_DB:-"host=$H/run port=$PG_PORT dbname=kaowu user=kaowu connect_timeout=3"}

if [ "$(id -u)" = 0 ] && [ -z "${KAOWU_DB:-}" ]; then
  as_user() { runuser -u kaowu -- "$@"; }
else
  as_user() { "$@"; }
fi
say() { printf 'kaowu: %s\n' "$*"; }

# conninfo with dbname replaced by $1.
with_db() { sed -E "s/(^| )dbname=[^ ]*//" <<<"$CONNINFO" | sed -E "s/^ *//; s/$/ dbname=$1/"; }

case "${1:-}" in
backup)
  file=${2:-$H/backup/kaowu-$(date -u +%Y%m%dT%H%M%SZ).dump}
  mkdir -p "$(dirname "$file")"
  tmp=$file.part
  # Written by the database user, readable by nobody else: it holds every personal record.
  (umask 077 && : >"$tmp")
  [ "$(id -u)" = 0 ] && [ -z "${KAOWU_DB:-}" ] && chown kaowu: "$tmp"
  as_user "$PGBIN/pg_dump" --format=custom --compress=6 --no-owner --file="$tmp" -d "$CONNINFO"
  mv "$tmp" "$file"
  say "backup written to $file ($(stat -c %s "$file") bytes)"
  ;;
restore)
  file=${2:?usage: $0 restore FILE [DB]}
  [ -r "$file" ] || { say "cannot read $file"; exit 1; }
  "$PGBIN/pg_restore" --list "$file" >/dev/null || { say "$file is not a pg_dump custom archive"; exit 1; }
  target=$CONNINFO
  if [ -n "${3:-}" ]; then
    [[ $3 =~ ^[a-z_][a-z0-9_]*$ ]] || { say "database name must be lower-case letters, digits, _"; exit 1; }
    target=$(with_db "$3")
    if ! as_user "$PGBIN/psql" -d "$(with_db postgres)" -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$3'" | grep -q 1; then
      as_user "$PGBIN/psql" -q -d "$(with_db postgres)" -c "CREATE DATABASE \"$3\" ENCODING 'UTF8'"
    fi
  fi
  as_user "$PGBIN/pg_restore" --clean --if-exists --single-transaction --no-owner \
    --exit-on-error -d "$target" <"$file"
  say "restored $file into $(sed -nE 's/.*dbname=([^ ]*).*/\1/p' <<<"$target")"
  ;;
*)
  echo "usage: $0 backup [FILE] | restore FILE [DB]" >&2
  exit 2
  ;;
esac

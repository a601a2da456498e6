#!/usr/bin/env bash
# run.sh - API throughput against PostgreSQL's own (DESIGN.md §5: a list endpoint reaches
# >= 70 % of what pgbench gets for the same SQL, same machine, same concurrency).
#
#   make up && bench/api/run.sh [SECONDS] [CONNECTIONS]
#
# The endpoint is GET /api/messages?per_page=20 (站内信, as the center staff): per request a
# worker resolves the session (one prepared statement) and reads the page (one more). pgbench
# runs exactly those two statements, prepared, on the same database with the same number of
# clients; wrk drives the API through nginx. Both print a rate; the ratio is what counts.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECS=${1:-10}
CONNS=${2:-8}
URL=${KAOWU_URL:-http://127.0.0.1:${KAOWU_PORT:-8080}}
H=${KAOWU_HOME:-$ROOT/var}
PG_PORT=${KAOWU_PG_PORT:-5480}
PGBIN=/usr/lib/postgresql/15/bin
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 2; }
curl -fsS "$URL/api/health" >/dev/null || { echo "bench: no instance at $URL (make up)" >&2; exit 2; }

# Log in once; every request carries the session cookie.
cookie=$(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"kind":"org","username":"staff01","password":"kaowu2019"}' "$URL/api/auth/login" |
  sed -n 's/^Set-Cookie: \(kaowu_session=[^;]*\).*/\1/ip')
token=${cookie#kaowu_session=}
[ -n "$token" ] || { echo "bench: login failed" >&2; exit 1; }

# The same SQL the worker runs (lib/auth.c auth_session, lib/message.c message_list).
script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat >"$script" <<'SQL'
SELECT s.csrf_token, a.id, a.kind, a.role, a.display_name, coalesce(a.org_id, e.org_id) AS org_id, a.expert_id, a.candidate_id, a.must_change_password, s.last_seen < now() - interval '60 seconds' AS stale FROM sessions s JOIN accounts a ON a.id = s.account_id LEFT JOIN experts e ON e.id = a.expert_id WHERE s.token_hash = sha256(convert_to(:token, 'UTF8')) AND NOT a.frozen AND s.last_seen > now() - make_interval(secs => 1800) AND s.created_at > now() - make_interval(secs => 43200);
SELECT m.id, m.text, m.link, kw_ts(m.created_at) AS created_at, m.read_at IS NOT NULL AS read, count(*) OVER () AS total FROM messages m WHERE (m.account_id = :account OR (m.org_id = :org AND (m.role IS NULL OR m.role = 'center_staff'))) AND (false IS FALSE OR m.read_at IS NULL) ORDER BY m.created_at DESC, m.id DESC LIMIT 20 OFFSET 0;
SQL
conn="host=$H/run port=$PG_PORT dbname=kaowu user=kaowu"
ids=$(psql -X -tA -d "$conn" -c "SELECT id || ' ' || org_id FROM accounts WHERE username = 'staff01'")
read -r account org <<<"$ids"

echo "== pgbench: the endpoint's two statements, $CONNS clients, ${SECS}s"
pg_out=$("$PGBIN/pgbench" -n -M prepared -c "$CONNS" -j 2 -T "$SECS" -D token="'$token'" \
  -D account="$account" -D org="$org" -f "$script" "$conn" 2>&1)
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$pg_out" | tail -n 1)
echo "$pg_out" | grep -E "^(tps|latency average|number of transactions actually processed)"

echo "== wrk: GET /api/messages?per_page=20 through nginx, $CONNS connections, ${SECS}s"
wrk_out=$(wrk -t 2 -c "$CONNS" -d "${SECS}s" -H "Cookie: $cookie" "$URL/api/messages?per_page=20")
echo "$wrk_out" | grep -E "Requests/sec|Latency|Non-2xx" || true
rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' <<<"$wrk_out")
if grep -q "Non-2xx" <<<"$wrk_out"; then
  echo "bench: some requests failed" >&2
  exit 1
fi
awk -v r="$rps" -v t="$tps" 'BEGIN { printf "ratio API/pgbench: %.2f (%.0f req/s vs %.0f tps; target >= 0.70)\n", r / t, r, t }'

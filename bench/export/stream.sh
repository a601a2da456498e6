#!/usr/bin/env bash
# stream.sh - the certificate export through the API at volume: the worker's peak RSS (VmHWM)
# against its RSS before the request, its CPU time, the wall time and the rows, for XLSX and CSV.
#
#   bench/export/stream.sh [ROWS]      (default 100000; needs a running instance)
#
# Environment: the instance's KAOWU_PORT, KAOWU_PG_PORT and KAOWU_HOME (as for
# scripts/instance.sh). Certificates numbered 2098… are added until ROWS of them exist (they stay
# in that instance's database: run it on a bench or scratch instance, not on one you care about).
# Each worker's peak is reset first (/proc/PID/clear_refs, 5), so the figure is this export's.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROWS=${1:-100000}
PORT=${KAOWU_PORT:-8080}
HOME_=$(realpath -m "${KAOWU_HOME:-$ROOT/var}")
URL=http://127.0.0.1:$PORT
conn="host=$HOME_/run port=${KAOWU_PG_PORT:-5480} dbname=kaowu user=kaowu"
sql() { psql -X -q -tA -v ON_ERROR_STOP=1 -d "$conn" "$@"; }

have=$(sql -c "SELECT count(*) FROM certificates WHERE cert_no LIKE '2098%'")
if [ "$have" -lt "$ROWS" ]; then
  echo "== adding $((ROWS - have)) certificates"
  sql <<SQL
INSERT INTO certificates (cert_no, org_id, category, level, occupation_id, holder_name, id_number,
                          grade, issued_on, created_at)
SELECT '2098' || lpad(g::text, 15, '0'), (ARRAY(SELECT id FROM orgs ORDER BY id LIMIT 3))[1 + g % 3],
       CASE WHEN g % 2 = 0 THEN 'national' ELSE 'industry' END, 1 + g % 5,
       (SELECT min(id) FROM occupations), '持证人' || g, lpad((110101199001010000 + g)::text, 18, '0'),
       (ARRAY['pass','good','excellent'])[1 + g % 3], date '2015-01-01' + (g % 3650), now()
FROM generate_series($have + 1, $ROWS) g;
ANALYZE certificates;
SQL
fi
total=$(sql -c "SELECT count(*) FROM certificates")

cookie=$(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"kind":"org","username":"staff01","password":"kaowu2019"}' "$URL/api/auth/login" |
  sed -n 's/^Set-Cookie: \(kaowu_session=[^;]*\).*/\1/ip')
[ -n "$cookie" ] || { echo "stream.sh: login failed" >&2; exit 1; }

workers() {
  for f in "$HOME_"/run/kaowu-*.pid; do pgrep -P "$(cat "$f")" || true; done
}
kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
# user + system CPU of a process in milliseconds (fields 14 and 15 of /proc/PID/stat, in ticks)
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); print int(($12 + $13) * 1000 / hz)}' "/proc/$1/stat"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-6s %8s %9s %10s %10s %12s %12s %12s\n' format rows seconds cpu_ms MB "rss_KiB" "peak_KiB" \
  "growth_KiB"
for fmt in xlsx csv; do
  declare -A rss=() cpu=()
  for pid in $(workers); do
    cpu[$pid]=$(cpu_ms "$pid")
    echo 5 >"/proc/$pid/clear_refs" # reset VmHWM to the current RSS
    rss[$pid]=$(kib "$pid" VmRSS)
  done
  t0=$(date +%s.%N)
  curl -fsS -H "Cookie: $cookie" -o "$tmp/out.$fmt" "$URL/api/certificates?format=$fmt"
  secs=$(echo "$(date +%s.%N) - $t0" | bc)
  # The worker that served it is the one that used the most CPU meanwhile.
  most=-1 bpid=
  for pid in "${!rss[@]}"; do
    [ -r "/proc/$pid/status" ] || continue
    u=$(($(cpu_ms "$pid") - cpu[$pid]))
    if [ "$u" -gt "$most" ]; then most=$u bpid=$pid; fi
  done
  best=$(($(kib "$bpid" VmHWM) - rss[$bpid]))
  if [ "$fmt" = csv ]; then
    n=$(($(wc -l <"$tmp/out.csv") - 1))
  else
    n=$(/usr/bin/python3 - "$tmp/out.xlsx" <<'PY' 2>/dev/null || echo "?"
import sys, zipfile, re
with zipfile.ZipFile(sys.argv[1]) as z:
    xml = z.read("xl/worksheets/sheet1.xml").decode()
print(len(re.findall(r"<row[ >]", xml)) - 1)
PY
)
  fi
  printf '%-6s %8s %9.2f %10s %10.1f %12s %12s %12s\n' "$fmt" "$n" "$secs" \
    "$most" \
    "$(echo "$(stat -c %s "$tmp/out.$fmt") / 1048576" | bc -l)" "${rss[$bpid]}" \
    "$(kib "$bpid" VmHWM)" "$best"
  unset rss cpu
done
echo "   ($total certificates in the table; the export is every one the center sees)"

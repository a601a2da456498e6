#!/bin/bash
# run.sh - export benchmark: kaowu's streaming XLSX/CSV writers vs libxlsxwriter (constant_memory),
# 10,000 and 100,000 certificate rows, wall time and peak RSS from /usr/bin/time -v.
#   bench/export/run.sh [ROWS...]       (default: 10000 100000)
# Env: BUILD (default build), OUT (default $BUILD/bench/out), BIN (skip the build, use these binaries),
#      REPEAT (runs per measurement, default 3: the best time is kept).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench/out}
REPEAT=${REPEAT:-3}
ROWS=("$@")
[ ${#ROWS[@]} -gt 0 ] || ROWS=(10000 100000)

if [ ! -x /usr/bin/time ]; then
	echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2
	exit 1
fi
if [ -z "${BIN:-}" ]; then
	cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	targets=(export_kaowu)
	pkg-config --exists xlsxwriter && targets+=(export_lxw)
	cmake --build "$BUILD" -j "$(nproc)" --target "${targets[@]}" >/dev/null
	BIN=$BUILD/bench
fi
mkdir -p "$OUT"

# measure NAME FILE CMD...: run REPEAT times under /usr/bin/time -v; print rows, the writer's
# own time (clock_gettime around open..close, printed by the program; the best of the runs, as
# the machine may be busy), rows/s from it, the process's wall time and peak RSS (the largest
# of the runs) from time -v, and the file size.
measure() {
	local name=$1 file=$2
	shift 2
	local log out rss wall secs best="" best_wall="" max_rss=0
	log=$(mktemp)
	for ((k = 0; k < REPEAT; k++)); do
		out=$(/usr/bin/time -v "$@" 2>"$log") || { cat "$log" >&2; rm -f "$log"; return 1; }
		rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
		wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
		wall=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
		secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")
		if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$secs
			best_wall=$wall
		fi
		[ "$rss" -gt "$max_rss" ] && max_rss=$rss
	done
	rm -f "$log"
	printf '%-18s %8d %8.3f %10.0f %8.2f %9d %11d\n' "$name" "$rows" "$best" \
		"$(awk -v r="$rows" -v s="$best" 'BEGIN { print (s > 0 ? r / s : 0) }')" "$best_wall" \
		"$max_rss" "$(stat -c %s "$file")"
	eval "res_${name//[^a-z0-9]/_}_${rows}=\"$best $max_rss\""
}

printf '%-18s %8s %8s %10s %8s %9s %11s\n' writer rows seconds rows/s wall_s peak_KiB bytes
for rows in "${ROWS[@]}"; do
	measure kaowu-xlsx "$OUT/kaowu_$rows.xlsx" "$BIN/export_kaowu" -n "$rows" -o "$OUT/kaowu_$rows.xlsx"
	measure kaowu-xlsx-typed "$OUT/kaowu_typed_$rows.xlsx" "$BIN/export_kaowu" -t -n "$rows" -o "$OUT/kaowu_typed_$rows.xlsx"
	measure kaowu-csv "$OUT/kaowu_$rows.csv" "$BIN/export_kaowu" -f csv -n "$rows" -o "$OUT/kaowu_$rows.csv"
	if [ -x "$BIN/export_lxw" ]; then
		measure libxlsxwriter "$OUT/lxw_$rows.xlsx" "$BIN/export_lxw" -n "$rows" -o "$OUT/lxw_$rows.xlsx"
	fi
done

echo
echo "ratios (same run):"
for rows in "${ROWS[@]}"; do
	eval "k=(\$res_kaowu_xlsx_$rows)"
	if eval "[ -n \"\${res_libxlsxwriter_$rows:-}\" ]"; then
		eval "l=(\$res_libxlsxwriter_$rows)"
		awk -v r="$rows" -v ks="${k[0]}" -v km="${k[1]}" -v ls="${l[0]}" -v lm="${l[1]}" 'BEGIN {
			printf "  %7d rows: kaowu/libxlsxwriter speed %.2fx (rows/s), peak RSS %.2f (%d KiB vs %d KiB)\n",
				r, (ks > 0 ? ls / ks : 0), (lm > 0 ? km / lm : 0), km, lm }'
	fi
done
first=${ROWS[0]}
last=${ROWS[${#ROWS[@]}-1]}
if [ "$first" != "$last" ]; then
	eval "a=(\$res_kaowu_xlsx_$first)"
	eval "b=(\$res_kaowu_xlsx_$last)"
	awk -v f="$first" -v l="$last" -v am="${a[1]}" -v bm="${b[1]}" 'BEGIN {
		printf "  kaowu peak RSS %d rows / %d rows: %.2f (flat memory is ~1.0)\n", l, f, (am > 0 ? bm / am : 0) }'
fi
if [ -n "$(command -v unzip)" ]; then
	unzip -tq "$OUT/kaowu_$last.xlsx"
fi

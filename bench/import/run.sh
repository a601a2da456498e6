#!/bin/bash
# run.sh - bank import benchmark (DESIGN.md §5: 10,000 questions parsed, checked, deduplicated and inserted
# in <= 1 s): the import through the API of a running instance, kaowu's reader in-process, and openpyxl in
# read-only mode reading the same files. See bench/import/README.md.
#
#   bench/import/run.sh [COUNT]          (default 10000 questions)
#
# Env: KAOWU_URL, KAOWU_HOME, KAOWU_PG_PORT of a running instance (as for the API tests; start your own
#      with scripts/instance.sh, never a shared one), BUILD (default build), OUT (default
#      $BUILD/bench/out/import), REPEAT (runs per measurement, default 3; the best is kept).
# Needs /usr/bin/time (Debian time), /usr/bin/python3 with python3-openpyxl; LibreOffice (soffice) for
# the second file (shared strings, as Excel and WPS write); without it only the openpyxl file is used.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-10000}
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench/out/import}
export REPEAT=${REPEAT:-3}

for v in KAOWU_URL KAOWU_HOME KAOWU_PG_PORT; do
	if [ -z "${!v:-}" ]; then
		echo "run.sh: set $v to a running instance (see bench/import/README.md)" >&2
		exit 1
	fi
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || { echo "run.sh: python3-openpyxl is missing" >&2; exit 1; }

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target bank_parse >/dev/null
mkdir -p "$OUT"

# The files: openpyxl writes inline strings (with every CJK character as a character reference);
# LibreOffice re-saves them with shared strings, as Excel and WPS do.
files=() others=()
for seed in 1 2; do
	/usr/bin/python3 bench/import/gen_bank.py "$OUT/bank-openpyxl-$seed.xlsx" --count "$COUNT" --seed "$seed"
done
files+=("$OUT/bank-openpyxl-1.xlsx")
others+=("$OUT/bank-openpyxl-2.xlsx")
if command -v soffice >/dev/null; then
	profile=$(mktemp -d)
	for seed in 1 2; do
		rm -rf "$OUT/lo" && mkdir -p "$OUT/lo"
		soffice "-env:UserInstallation=file://$profile" --headless --convert-to xlsx --outdir "$OUT/lo" \
			"$OUT/bank-openpyxl-$seed.xlsx" >/dev/null 2>&1
		mv "$OUT/lo/bank-openpyxl-$seed.xlsx" "$OUT/bank-libreoffice-$seed.xlsx"
	done
	rm -rf "$profile" "$OUT/lo"
	files+=("$OUT/bank-libreoffice-1.xlsx")
	others+=("$OUT/bank-libreoffice-2.xlsx")
fi

IFS=,
python3 bench/import/bench.py "${files[*]}" "${others[*]}" "$BUILD/bench/import/bank_parse"

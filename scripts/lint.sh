#!/usr/bin/env bash
# lint.sh - the habits CI checks on every C source (run by scripts/test.sh as the "lint" suite):
#   1. clang-format --dry-run --Werror with the repo's .clang-format;
#   2. no PQexec( outside lib/db (statements go through DB_STMT + db_query, parameterised);
#   3. no SQL statement text built from a format string (snprintf / arena_printf);
#   4. no system( anywhere;
#   5. no json_object_get( in lib/ or fcgi/ outside lib/core/json.c (the ownership rule of
#      lib/core/json.h: kwj_own, kwj_put, kwj_push, kwj_copy);
#   6. no JSON child that belongs to another container handed on as owned (scripts/lint_borrowed.py).
# Each finding is printed as "file:line: what is wrong"; the last line is
# "lint: N passed, N failed" (one check = one test) and the exit status is non-zero on a failure.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

mapfile -t sources < <(git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v -e '^build/' -e '/node_modules/' | sort)
passed=0
failed=0
check() { # check NAME OUTPUT
  if [ -n "$2" ]; then
    echo "lint $1: FAILED"
    printf '%s\n' "$2" | sed 's/^/  /'
    failed=$((failed + 1))
  else
    echo "lint $1: ok"
    passed=$((passed + 1))
  fi
}

# 1. clang-format: one line per file that differs, with the first line it would change.
fmt=$(clang-format --dry-run --Werror "${sources[@]}" 2>&1 |
  sed -n 's/^\([^:]*\):\([0-9]*\):[0-9]*: error: code should be clang-formatted.*/\1:\2/p' |
  awk -F: '!seen[$1]++ { print $1 ":" $2 ": not formatted as .clang-format says (run: clang-format -i " $1 ")" }')
check clang-format "${fmt%$'\n'}"

# 2. PQexec( outside lib/db.
pq=$(grep -nH 'PQexec(' "${sources[@]}" 2>/dev/null | grep -v '^lib/db/' |
  sed 's/^\([^:]*:[0-9]*\):.*/\1: PQexec( outside lib\/db: use DB_STMT + db_query (parameterised)/')
check no-pqexec "$pq"

# 3. SQL text from a format string: snprintf / arena_printf whose format (possibly on the next
#    lines) starts a statement.
sqlfmt=$(perl -0777 -ne '
  while (/\b(snprintf|arena_printf)\s*\(((?:[^;"]|"(?:[^"\\]|\\.)*")*?)"\s*(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS)\b/gs) {
    my $line = 1 + (substr($_, 0, $-[0]) =~ tr/\n//);
    print "$ARGV:$line: SQL statement text built with $1: write a static DB_STMT with \$n parameters\n";
  }' "${sources[@]}")
check no-sql-format "$sqlfmt"

# 4. system(.
sys=$(grep -nHE '(^|[^_a-zA-Z0-9])system\s*\(' "${sources[@]}" 2>/dev/null |
  sed 's/^\([^:]*:[0-9]*\):.*/\1: system( runs a shell: use fork + exec with an argument vector/')
check no-system "$sys"

# 5. json-c reference counting outside lib/core/json.c.
refs=$(grep -nHE '\bjson_object_get\(' "${sources[@]}" 2>/dev/null | grep -E '^(lib|fcgi)/' |
  grep -v -e '^lib/core/json\.c:' -e '^lib/core/json\.h:' |
  sed 's/^\([^:]*:[0-9]*\):.*/\1: json_object_get\/put outside lib\/core\/json.c: use kwj_own, kwj_put, kwj_push or kwj_copy (lib\/core\/json.h)/')
check json-ownership "$refs"

# 6. a borrowed json-c child handed on (a double free ASan cannot see: json-c is not instrumented).
borrowed=$(python3 scripts/lint_borrowed.py $(printf '%s\n' "${sources[@]}" | grep -E '^(lib|fcgi)/.*\.c$'))
check json-borrowed "$borrowed"

echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# test.sh - every test of kaowu, run by `make test` (and so by CI):
#   1. builds: release (for `make up`) and ASan/UBSan (for the tests), and the web app;
#   2. unit tests (cmocka under ctest) in the sanitizer build;
#   3. a private instance (own home under build/, own ports, fresh database, two worker pools
#      running the sanitizer build) for the black-box API tests, the contract check (every API
#      test response valid against /api/openapi.json; Redocly lint without errors) and the
#      Playwright test;
#   4. a summary line "N passed, N failed" and a non-zero exit when anything failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

export KAOWU_HOME=$ROOT/build/test-home
export KAOWU_PORT=${KAOWU_TEST_PORT:-18080}
export KAOWU_PG_PORT=${KAOWU_TEST_PG_PORT:-5481}
export KAOWU_POOLS=2
export KAOWU_WORKERS=2
export KAOWU_BUILD=$ROOT/build/asan
export KAOWU_DEMO=1
export KAOWU_CLOCK_FILE=$KAOWU_HOME/clock
export KAOWU_URL=http://127.0.0.1:$KAOWU_PORT
export KAOWU_SCREENSHOTS=$ROOT/build/test-home/screenshots
export ASAN_OPTIONS="log_path=$KAOWU_HOME/log/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$KAOWU_HOME/log/ubsan:print_stacktrace=1:halt_on_error=1"

passed=0
failed=0
failures=()
count() { # count SUITE PASSED FAILED
  passed=$((passed + $2)); failed=$((failed + $3))
  [ "$3" -gt 0 ] && failures+=("$1: $3 failed")
  return 0
}

echo "== build"
make --no-print-directory c c-asan web || { echo "0 passed, 1 failed"; exit 1; }

echo "== unit tests (cmocka, ASan/UBSan)"
unit_out=$(cd build/asan && ctest -L unit --output-on-failure 2>&1)
echo "$unit_out"
total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2/p' <<<"$unit_out")
ufail=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1/p' <<<"$unit_out")
if [ -z "$total" ]; then count unit 0 1; else count unit $((total - ufail)) "$ufail"; fi

echo "== fuzzing the office parsers briefly (libFuzzer, seed corpora)"
if ASAN_OPTIONS= UBSAN_OPTIONS= fuzz/run.sh "${KAOWU_FUZZ_SECONDS:-15}"; then count fuzz 1 0; else count fuzz 0 1; fi

echo "== private test instance on port $KAOWU_PORT"
scripts/instance.sh down >/dev/null 2>&1
rm -rf "$KAOWU_HOME"
mkdir -p "$KAOWU_HOME"
if ! scripts/instance.sh up; then
  count instance 0 1
  tail -n 30 "$KAOWU_HOME"/log/*.log 2>/dev/null
else
  echo "== API tests"
  api_out=$(python3 test/api/run.py 2>&1)
  echo "$api_out"
  read -r ap af < <(sed -n 's/^api: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' <<<"$api_out" | tail -n 1)
  count api "${ap:-0}" "${af:-1}"

  echo "== contract: API test responses against /api/openapi.json, and Redocly lint"
  # Every response the API tests got was validated by test/api/contract.py (lines above).
  violations=$(sed -n 's/^contract: [0-9]* responses checked, \([0-9]*\) violations$/\1/p' <<<"$api_out" | tail -n 1)
  curl -fsS "$KAOWU_URL/api/openapi.json" -o "$KAOWU_HOME/openapi.json"
  lint_out=$(cd test/contract && npx --no-install redocly lint --config redocly.yaml "$KAOWU_HOME/openapi.json" 2>&1)
  lint_rc=$?
  grep -E "errors? and|warnings?|valid" <<<"$lint_out"
  if [ "${violations:-1}" = 0 ] && [ "$lint_rc" = 0 ]; then count contract 1 0; else
    echo "contract: ${violations:-?} violations, redocly lint exit $lint_rc"; echo "$lint_out" | tail -n 40
    count contract 0 1
  fi

  echo "== browser tests (Playwright, Debian chromium)"
  for script in test/e2e/run.mjs $(ls test/e2e/*.mjs | grep -v -e '/run.mjs$' -e '/_'); do
    name=$(basename "$script" .mjs)
    e2e_out=$(node "$script" 2>&1)
    echo "$e2e_out"
    read -r ep ef < <(sed -n 's/^[a-z0-9-]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' <<<"$e2e_out" | tail -n 1)
    count "e2e $name" "${ep:-0}" "${ef:-1}"
  done
fi

echo "== stopping the test instance"
scripts/instance.sh down
leftover=$(pgrep -af "$KAOWU_HOME" | grep -v pgrep || true)
if [ -n "$leftover" ]; then
  echo "processes left behind after down:"; echo "$leftover"
  count down 0 1
else
  count down 1 0
fi

# Sanitizer reports from the workers fail the run.
reports=$(ls "$KAOWU_HOME"/log/asan.* "$KAOWU_HOME"/log/ubsan.* 2>/dev/null || true)
if [ -n "$reports" ]; then
  echo "sanitizer reports:"; for f in $reports; do echo "--- $f"; head -n 40 "$f"; done
  count sanitizers 0 1
else
  count sanitizers 1 0
fi

[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# test.sh - every test of kaowu, run by `make test` (and so by CI):
#   1. builds: ASan/UBSan (for the tests) and the web app; then, beside the tests, the release build
#      (for `make up` and the Debian package) and the fuzzers' clang build with a short fuzzing run;
#   2. unit tests (cmocka under ctest) in the sanitizer build, beside the API tests;
#   3. two private instances (own homes under build/, own ports, fresh databases, two worker pools
#      running the sanitizer build): one for the black-box API tests, the contract check (every
#      API test response valid against /api/openapi.json; Redocly lint without errors), the
#      security suite and the drills; one for the Playwright tests, which start after the build
#      and run beside everything else;
#   4. the lint (scripts/lint.sh: clang-format and the STYLE.md greps) as one more suite;
#   5. the ten slowest tests (unit, API, e2e) and the wall time;
#   6. a summary line "N passed, N failed" and a non-zero exit when anything failed.
# KAOWU_TEST_SHUFFLE=SEED runs the API tests in a seeded random order and the e2e scripts in
# reverse order (tests must not depend on order).
set -uo pipefail
START=$(date +%s)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

export KAOWU_HOME=$ROOT/build/test-home
export KAOWU_PORT=${KAOWU_TEST_PORT:-18080}
export KAOWU_PG_PORT=${KAOWU_TEST_PG_PORT:-5481}
export KAOWU_POOLS=2
export KAOWU_WORKERS=2
export KAOWU_BUILD=$ROOT/build/asan
export KAOWU_DEMO=1
export KAOWU_TEST_HASH_COST=min # cheapest argon2id for hashes made by the test instance only
# Rate limits per hour (docs/operations.md): the whole suite shares 127.0.0.1, so higher than the
# defaults; test_security.py reads them and exceeds them from its own loopback address.
export KAOWU_LIMIT_REGISTER=${KAOWU_LIMIT_REGISTER:-300} KAOWU_LIMIT_RESET=${KAOWU_LIMIT_RESET:-300}
export KAOWU_LIMIT_PASSWORD=${KAOWU_LIMIT_PASSWORD:-300}
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

TIMES=$(mktemp)
E2E_TIMES=$(mktemp)
trap 'rm -f "$TIMES" "$E2E_TIMES"' EXIT
STAGES=()
stage_start=$START
stage() { # stage TITLE: print the header and remember how long the previous stage took
  local now; now=$(date +%s)
  [ -n "${stage_name:-}" ] && STAGES+=("$(printf '%5d s  %s' $((now - stage_start)) "$stage_name")")
  stage_name=$1; stage_start=$now
  [ -n "$1" ] && echo "== $1"
  return 0
}

stage "lint (clang-format, STYLE.md greps)"
lint_out=$(scripts/lint.sh 2>&1)
echo "$lint_out"
read -r lp lf < <(sed -n 's/^lint: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' <<<"$lint_out" | tail -n 1)
count lint "${lp:-0}" "${lf:-1}"

stage "build (sanitizer build and web app; the release build follows beside the tests)"
make --no-print-directory c-asan web || { echo "0 passed, 1 failed"; exit 1; }

# The browser tests run on a second private instance (own home, ports, database and clock) at the
# same time as everything after the build (unit tests, fuzzing, API tests, security suite, drills):
# neither instance sees the other's data or clock moves. Their output is printed at the end.
E2E_HOME=$ROOT/build/test-home-e2e
E2E_PORT=$((KAOWU_PORT + 20))
E2E_PG_PORT=$((KAOWU_PG_PORT + 20))
e2e_env() { # e2e_env CMD...: run CMD with the browser instance's environment
  KAOWU_HOME=$E2E_HOME KAOWU_PORT=$E2E_PORT KAOWU_PG_PORT=$E2E_PG_PORT KAOWU_CLOCK_FILE=$E2E_HOME/clock \
    KAOWU_URL=http://127.0.0.1:$E2E_PORT KAOWU_SCREENSHOTS=$ROOT/build/test-home/screenshots \
    ASAN_OPTIONS="log_path=$E2E_HOME/log/asan:detect_leaks=1:abort_on_error=0" \
    UBSAN_OPTIONS="log_path=$E2E_HOME/log/ubsan:print_stacktrace=1:halt_on_error=1" "$@"
}
# The browser scripts run in two lanes at once. Lane A holds the scripts that book the demo cast
# (assessors and supervisors) for exam days: a person serves one exam a day, so they go one at a time.
E2E_LANE_A=" batch life_certs life_enroll scores notices "
run_lane() { # run_lane SCRIPT...: one after another; prints "e2e-count NAME PASSED FAILED" lines
  local script name e2e_out ep ef
  for script in "$@"; do
    name=$(basename "$script" .mjs)
    e2e_out=$(e2e_env nice -n 5 node "$script" 2>&1) # browsers niced too: the API track is the long one
    echo "$e2e_out"
    # "  ok    case name (1234 ms)"
    sed -n 's/^  \(ok\|FAIL\)  *\(.*\) (\([0-9]*\) ms)$/\3\t\2/p' <<<"$e2e_out" |
      awk -F'\t' -v s="e2e $name" '{ printf "%d\t%s\t%s\n", $1, s, $2 }' >>"$E2E_TIMES"
    read -r ep ef < <(sed -n 's/^[a-z0-9_-]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' <<<"$e2e_out" | tail -n 1)
    echo "e2e-count $name ${ep:-0} ${ef:-1}"
  done
}
run_e2e() { # both lanes; their output one after the other
  local scripts script lane_a=() lane_b=()
  scripts=(test/e2e/run.mjs $(ls test/e2e/*.mjs | grep -v -e '/run.mjs$' -e '/_'))
  if [ -n "${KAOWU_TEST_SHUFFLE:-}" ]; then
    mapfile -t scripts < <(printf '%s\n' "${scripts[@]}" | tac)
    echo "e2e order: ${scripts[*]}"
  fi
  for script in "${scripts[@]}"; do
    if [[ $E2E_LANE_A == *" $(basename "$script" .mjs) "* ]]; then lane_a+=("$script"); else lane_b+=("$script"); fi
  done
  run_lane "${lane_a[@]}" >"$E2E_HOME/lane-a.log" 2>&1 &
  run_lane "${lane_b[@]}" >"$E2E_HOME/lane-b.log" 2>&1
  wait
  cat "$E2E_HOME/lane-a.log" "$E2E_HOME/lane-b.log"
}

stage "private test instances: API on port $KAOWU_PORT, browser on port $E2E_PORT"
scripts/instance.sh down >/dev/null 2>&1
e2e_env scripts/instance.sh down >/dev/null 2>&1
rm -rf "$KAOWU_HOME" "$E2E_HOME"
mkdir -p "$KAOWU_HOME" "$E2E_HOME"
E2E_LOG=$KAOWU_HOME/e2e.log
if e2e_env scripts/instance.sh up | sed 's/^/e2e instance: /'; then
  e2e_start=$(date +%s)
  { run_e2e; echo "browser tests: $(($(date +%s) - e2e_start)) s"; e2e_env scripts/instance.sh down; } >"$E2E_LOG" 2>&1 &
  e2e_pid=$! # (each track stops its own instance)
else
  count "e2e instance" 0 1
  tail -n 30 "$E2E_HOME"/log/*.log 2>/dev/null
fi
api_up=0
if scripts/instance.sh up; then api_up=1; else
  count instance 0 1
  tail -n 30 "$KAOWU_HOME"/log/*.log 2>/dev/null
fi

# Beside the API tests: the unit tests, the release build (for the Debian package stage and `make up`)
# and the fuzzers (their own clang build, then a short run of each on the seed corpora). They have
# minutes to spare, so they run niced: the API track (one request at a time) is the long one.
RELEASE_LOG=$KAOWU_HOME/release-build.log
nice -n 10 make --no-print-directory c >"$RELEASE_LOG" 2>&1 &
release_pid=$!
UNIT_LOG=$KAOWU_HOME/unit.log
(cd build/asan && nice -n 10 ctest -L unit --output-on-failure) >"$UNIT_LOG" 2>&1 &
unit_pid=$!
FUZZ_LOG=$KAOWU_HOME/fuzz.log
ASAN_OPTIONS= UBSAN_OPTIONS= nice -n 10 fuzz/run.sh "${KAOWU_FUZZ_SECONDS:-15}" >"$FUZZ_LOG" 2>&1 &
fuzz_pid=$!

if [ "$api_up" = 1 ]; then
  stage "API tests"
  shuffle=()
  [ -n "${KAOWU_TEST_SHUFFLE:-}" ] && shuffle=(--shuffle "$KAOWU_TEST_SHUFFLE")
  api_out=$(python3 test/api/run.py "${shuffle[@]}" --times "$TIMES" 2>&1)
  echo "$api_out"
  read -r ap af < <(sed -n 's/^api: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' <<<"$api_out" | tail -n 1)
  count api "${ap:-0}" "${af:-1}"

  stage "contract: API test responses against /api/openapi.json, and Redocly lint"
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

  stage "security suite (role x route x object matrix, CSRF, SQL injection, bodies)"
  sec_out=$(python3 test/security/run.py 2>&1)
  echo "$sec_out"
  read -r sp sf < <(sed -n 's/^security: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' <<<"$sec_out" | tail -n 1)
  count security "${sp:-0}" "${sf:-1}"

  stage "operations drills (nginx's own answers, backup round trip, read replica, master kill, worker hosts)"
  ops_out=$(KAOWU_OPS_PORT=${KAOWU_OPS_PORT:-$((KAOWU_PORT + 1))} \
    KAOWU_REPLICA_PG_PORT=${KAOWU_REPLICA_PG_PORT:-$((KAOWU_PG_PORT + 2))} python3 test/ops/run.py 2>&1)
  echo "$ops_out"
  read -r op of < <(sed -n 's/^ops: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' <<<"$ops_out" | tail -n 1)
  count ops "${op:-0}" "${of:-1}"

  if ! wait "$release_pid"; then echo "release build failed:"; tail -n 40 "$RELEASE_LOG"; count "release build" 0 1; fi
  stage "Debian package (make deb, dpkg into a throwaway root, health; lintian with KAOWU_TEST_SCALE=1)"
  deb_out=$(KAOWU_DEB_PORT=${KAOWU_DEB_PORT:-$((KAOWU_PORT + 5))} test/ops/deb.sh 2>&1)
  echo "$deb_out"
  read -r dp df < <(sed -n 's/^deb: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' <<<"$deb_out" | tail -n 1)
  count deb "${dp:-0}" "${df:-1}"

  stage "stopping the API test instance"
  scripts/instance.sh down
fi

wait "$release_pid" 2>/dev/null # when the API instance did not start
stage "unit tests (cmocka, ASan/UBSan; started after the build, waited for here)"
wait "$unit_pid"
unit_out=$(cat "$UNIT_LOG")
echo "$unit_out"
total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2/p' <<<"$unit_out")
ufail=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1/p' <<<"$unit_out")
if [ -z "$total" ]; then count unit 0 1; else count unit $((total - ufail)) "$ufail"; fi
# "  3/12 Test  #3: test_json ......   Passed    0.12 sec"
sed -n 's/^ *[0-9]*\/[0-9]* Test *#[0-9]*: \([^ ]*\) .* \([0-9.]*\) sec$/\2 \1/p' <<<"$unit_out" |
  awk '{ printf "%d\tunit\t%s\n", $1 * 1000, $2 }' >>"$TIMES"

stage "fuzzing the office parsers briefly (libFuzzer, seed corpora; started after the build, waited for here)"
if wait "$fuzz_pid"; then fuzz_rc=0; else fuzz_rc=1; fi
cat "$FUZZ_LOG"
if [ "$fuzz_rc" = 0 ]; then count fuzz 1 0; else count fuzz 0 1; fi

stage "browser tests (Playwright, Debian chromium-headless-shell; started after the build, waited for here)"
if [ -n "${e2e_pid:-}" ]; then
  wait "$e2e_pid"
  grep -v '^e2e-count ' "$E2E_LOG"
  while read -r _ name ep ef; do count "e2e $name" "$ep" "$ef"; done < <(grep '^e2e-count ' "$E2E_LOG")
  cat "$E2E_TIMES" >>"$TIMES"
fi

stage "checking that both test instances stopped"
e2e_env scripts/instance.sh down >/dev/null 2>&1 # no-ops unless a track ended early
scripts/instance.sh down >/dev/null 2>&1
leftover=$(pgrep -af "$KAOWU_HOME" | grep -v pgrep || true) # also matches $E2E_HOME
if [ -n "$leftover" ]; then
  echo "processes left behind after down:"; echo "$leftover"
  count down 0 1
else
  count down 1 0
fi

# Sanitizer reports from the workers fail the run.
reports=$(ls "$KAOWU_HOME"/log/asan.* "$KAOWU_HOME"/log/ubsan.* "$E2E_HOME"/log/asan.* "$E2E_HOME"/log/ubsan.* 2>/dev/null || true)
if [ -n "$reports" ]; then
  echo "sanitizer reports:"; for f in $reports; do echo "--- $f"; head -n 40 "$f"; done
  count sanitizers 0 1
else
  count sanitizers 1 0
fi

stage ""
echo "== time per stage"
printf '%s\n' "${STAGES[@]}"
echo "== the ten slowest tests"
sort -t$'\t' -k1,1nr "$TIMES" | head -n 10 | awk -F'\t' '{ printf "%8.1f s  %-10s %s\n", $1 / 1000, $2, $3 }'
echo "wall time: $(($(date +%s) - START)) s"

[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

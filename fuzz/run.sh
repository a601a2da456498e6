#!/usr/bin/env bash
# run.sh - build the libFuzzer targets with clang in build/fuzz and run each on its corpus: fuzz/run.sh [SECONDS]
# Each target runs SECONDS (default 60) on a working copy of fuzz/corpus/<name>/ (new inputs stay in
# build/fuzz/corpus, the committed seeds are not touched). Exits non-zero when a target crashes,
# leaks, hangs or trips a sanitizer; the input that did it is in build/fuzz/artifacts/<target>/.
# Reproduce one: build/fuzz/fuzz/fuzz_xlsx build/fuzz/artifacts/fuzz_xlsx/crash-<sha1>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=${1:-60}
BUILD=$ROOT/build/fuzz
TARGETS=(fuzz_xlsx fuzz_xlsx_parts)

command -v clang >/dev/null || { echo "fuzz: clang is missing (apt-get install clang libclang-rt-dev)" >&2; exit 2; }
CC=clang cmake -S "$ROOT" -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKAOWU_FUZZ=ON >/dev/null
cmake --build "$BUILD" --target "${TARGETS[@]}" -j "$(nproc)" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${TARGETS[@]}"; do
  seeds=$ROOT/fuzz/corpus/${t#fuzz_}
  work=$BUILD/corpus/$t
  mkdir -p "$work" "$BUILD/artifacts/$t"
  echo "fuzz: $t for ${SECONDS_EACH}s (seeds: ${seeds#"$ROOT"/})"
  if ! "$BUILD/fuzz/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -dict="$ROOT/fuzz/xlsx.dict" -artifact_prefix="$BUILD/artifacts/$t/" -print_final_stats=1 \
      "$work" "$seeds" 2>"$BUILD/$t.log"; then
    echo "fuzz: $t FAILED, see $BUILD/$t.log and $BUILD/artifacts/$t/" >&2
    grep -E "ERROR|SUMMARY|Test unit written" "$BUILD/$t.log" >&2 || true
    status=1
  fi
  grep -E "^#[0-9]+.*(DONE|INITED)|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" \
    "$BUILD/$t.log" || true
done
exit $status

#!/usr/bin/env bash
# run.sh - the PDF timings of bench/pdf/run.mjs against a running instance (default: the dev instance of
# `make up`). KAOWU_URL, KAOWU_HOME and KAOWU_PG_PORT as for the e2e scripts; REPEAT=5 runs per figure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export KAOWU_HOME=${KAOWU_HOME:-$ROOT/var}
export KAOWU_URL=${KAOWU_URL:-http://127.0.0.1:${KAOWU_PORT:-8080}}
exec node "$ROOT/bench/pdf/run.mjs"

#!/usr/bin/env bash
# bootstrap.sh - install what kaowu needs on a Debian machine (idempotent; seconds when all is there).
# Used by `make up` and `make test`. As root it installs with apt-get; otherwise it names what is missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

# Build tools, libraries, servers, the browser for e2e tests, CJK fonts so pages render Chinese,
# the readers the tests use to check exported files (openpyxl, LibreOffice headless), the JSON Schema
# validator that checks every API test response against /api/openapi.json, what the benchmarks compare
# with (/usr/bin/time, libxlsxwriter, wrk), and what `make deb` and the operations drills use
# (dpkg-dev, lintian, iproute2 for ip netns).
APT_PACKAGES=(
  build-essential cmake pkg-config git curl ca-certificates
  libfcgi-dev libpq-dev libjson-c-dev libxml2-dev libzip-dev libsodium-dev libcmocka-dev
  libcurl4-openssl-dev zlib1g-dev
  clang libclang-rt-14-dev
  postgresql postgresql-contrib nginx
  chromium-headless-shell fonts-noto-cjk
  python3 python3-openpyxl python3-jsonschema libreoffice-writer-nogui libreoffice-calc-nogui
  time libxlsxwriter-dev wrk
  dpkg-dev lintian iproute2
  libcairo2-dev libpango1.0-dev poppler-utils libqrencode-dev
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bootstrap: missing packages: ${missing[*]}" >&2
    echo "bootstrap: run 'make up' once as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "bootstrap: installing ${missing[*]}"
  # Keep Debian's maintainer scripts from starting the system-wide nginx/PostgreSQL services:
  # kaowu runs its own, private instances.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
  fi
  trap '[ $made_policy = 1 ] && rm -f "$policy"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# PostgreSQL refuses to run as root: as root, the private servers run as this system user.
if [ "$(id -u)" = 0 ] && ! id kaowu >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kaowu
  echo "bootstrap: created system user kaowu"
fi

# Web dependencies, exactly as the committed lock file says.
stamp="$ROOT/web/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$ROOT/web/package-lock.json" -nt "$stamp" ]; then
  echo "bootstrap: npm ci (web)"
  (cd "$ROOT/web" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The OpenAPI linter (Redocly CLI) for the contract check in `make test`, as its lock file says.
stamp="$ROOT/test/contract/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$ROOT/test/contract/package-lock.json" -nt "$stamp" ]; then
  echo "bootstrap: npm ci (test/contract)"
  (cd "$ROOT/test/contract" && npm ci --no-audit --no-fund --loglevel=error)
fi

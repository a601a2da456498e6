#!/usr/bin/env bash
# gen-password-list.sh - regenerate lib/password_list.c from data/common-passwords.txt
# (lower-cased, byte-sorted, unique, so lib/auth.c can binary-search it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/data/common-passwords.txt
OUT=$ROOT/lib/password_list.c
{
  echo "/* password_list.c - the bundled list of common passwords (generated from"
  echo " * data/common-passwords.txt by scripts/gen-password-list.sh: do not edit). */"
  echo "#include \"password_list.h\""
  echo
  echo "/* clang-format off */"
  echo "const char *const password_list[] = {"
  grep -v '^#' "$SRC" | tr 'A-Z' 'a-z' | LC_ALL=C sort -u | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/\t"&",/'
  echo "};"
  echo "/* clang-format on */"
  echo
  echo "const unsigned password_list_count = sizeof(password_list) / sizeof(password_list[0]);"
} >"$OUT"
echo "$(grep -vc '^#' "$SRC") passwords -> $OUT"

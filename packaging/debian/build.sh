#!/usr/bin/env bash
# build.sh - `make deb`: stage the release build, web/dist, migrations, demo data, the nginx
# site, the systemd units and the config into a tree and pack it with dpkg-deb as
# build/kaowu_<version>_amd64.deb. Dependencies come from the binaries' NEEDED libraries.
# KAOWU_DEB_BUILD: the (release) build folder to package (default build/).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${KAOWU_DEB_BUILD:-$ROOT/build}
HERE=$ROOT/packaging/debian
VERSION=$(sed -n 's/^project(kaowu VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")
ARCH=$(dpkg --print-architecture)
STAGE=$BUILD/deb/kaowu_${VERSION}_$ARCH
OUT=$BUILD/kaowu_${VERSION}_$ARCH.deb

for f in kaowu-fcgi kaowu-admin kaowu-mailer; do
  [ -x "$BUILD/$f" ] || { echo "deb: no $BUILD/$f; run 'make build'" >&2; exit 1; }
done
[ -f "$ROOT/web/dist/index.html" ] || { echo "deb: no web/dist; run 'make build'" >&2; exit 1; }

rm -rf "$STAGE"
umask 022
install -d "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/usr/share/kaowu" "$STAGE/etc/kaowu" \
  "$STAGE/etc/nginx/sites-available" "$STAGE/etc/nginx/snippets" "$STAGE/lib/systemd/system" \
  "$STAGE/usr/share/doc/kaowu"
for f in kaowu-fcgi kaowu-admin kaowu-mailer; do
  install -m 755 "$BUILD/$f" "$STAGE/usr/bin/$f"
  strip --strip-unneeded --remove-section=.comment --remove-section=.note "$STAGE/usr/bin/$f"
done
cp -r "$ROOT/web/dist" "$STAGE/usr/share/kaowu/web"
install -d "$STAGE/usr/share/kaowu/migrations" "$STAGE/usr/share/kaowu/demo"
install -m 644 "$ROOT"/migrations/*.sql "$STAGE/usr/share/kaowu/migrations/"
install -m 644 "$ROOT"/demo/*.sql "$STAGE/usr/share/kaowu/demo/"
install -m 644 "$HERE/kaowu.conf" "$STAGE/etc/kaowu/kaowu.conf"
install -m 644 "$HERE/kaowu-fcgi@.service" "$HERE/kaowu-mailer.service" "$STAGE/lib/systemd/system/"
install -m 644 "$ROOT/nginx/security-headers.conf" "$STAGE/etc/nginx/snippets/kaowu-security-headers.conf"

# The site is the server part of the instance template, with the package's paths and two pools.
sed -e 's|@HOME@/nginx/security-headers.conf|/etc/nginx/snippets/kaowu-security-headers.conf|g' \
    -e 's|@ROOT@/web/dist|/usr/share/kaowu/web|g' -e 's|@LISTEN@:@PORT@|80|g' \
    -e 's|@MAX_BODY@|20971520|g' -e 's|@MAX_BODY_MB@|20|g' -e 's|@READ_TIMEOUT@|300s|g' \
    "$ROOT/nginx/kaowu.conf.in" |
  awk 'BEGIN { print "# /etc/nginx/sites-available/kaowu - kaowu behind nginx; enable with a link in sites-enabled.";
               print "# Worker pools: kaowu-fcgi@1 and @2 on this host; for other hosts list HOST:PORT servers." }
       /# One or more worker pools/ { on = 1 }
       on && /^@UPSTREAMS@$/ { lines[n++] = "        server unix:/run/kaowu/kaowu-1.sock max_fails=1 fail_timeout=2s;";
                               lines[n++] = "        server unix:/run/kaowu/kaowu-2.sock max_fails=1 fail_timeout=2s;"; next }
       on { lines[n++] = $0 }
       END { for (i = 0; i < n - 1; i++) print substr(lines[i], 5) }' \
  >"$STAGE/etc/nginx/sites-available/kaowu"
if grep -q '@[A-Z_]*@' "$STAGE/etc/nginx/sites-available/kaowu"; then
  echo "deb: unrendered placeholder in the nginx site" >&2; exit 1
fi

install -m 644 "$ROOT/docs/deploy.md" "$ROOT/docs/operations.md" "$STAGE/usr/share/doc/kaowu/"
gzip -9n "$STAGE/usr/share/doc/kaowu/"*.md
install -m 644 "$HERE/copyright" "$STAGE/usr/share/doc/kaowu/copyright"
sed "s/@VERSION@/$VERSION/; s/@DATE@/$(date -uR -d @"$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)")/" \
  "$HERE/changelog" | gzip -9n >"$STAGE/usr/share/doc/kaowu/changelog.gz"

# Depends: the package of each library a binary links directly.
libs=$(for f in "$STAGE"/usr/bin/*; do readelf -d "$f" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'; done | sort -u)
deps=$(dpkg -S $(sed 's|^|*/|' <<<"$libs") 2>/dev/null |
  awk -F': ' -v libs="$libs" -v ma="/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)/" 'BEGIN { split(libs, l, "\n"); for (i in l) want[l[i]] = 1 }
    index($2, ma) { n = split($2, p, "/"); if (want[p[n]]) { split($1, pk, ":"); print pk[1] } }' |
  sort -u | paste -sd, | sed 's/,/, /g')

install -d "$STAGE/usr/share/lintian/overrides"
install -m 644 "$HERE/lintian-overrides" "$STAGE/usr/share/lintian/overrides/kaowu"
install -m 755 "$HERE/postinst" "$STAGE/DEBIAN/postinst"
install -m 644 "$HERE/conffiles" "$STAGE/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@DEPENDS@/$deps/" -e "s/@SIZE@/$size/" \
  "$HERE/control" >"$STAGE/DEBIAN/control"
(cd "$STAGE" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' | sort -z |
  xargs -0 md5sum >DEBIAN/md5sums)
chmod 644 "$STAGE/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT" >/dev/null
echo "deb: $OUT ($(stat -c %s "$OUT") bytes)"

#!/usr/bin/env bash
# The Debian package: built by CPack, with real dependencies, installs into a throwaway root, runs,
# and removes cleanly. Needs root (dpkg --root); skipped otherwise.
source "$(dirname "$0")/harness.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to run dpkg --root"
command -v dpkg-shlibdeps >/dev/null || skip "dpkg-dev not installed"
BUILD=${MYSQLPITR_BUILD_DIR:?}
OUTDIR=$HARNESS_TMP/pkg
mkdir -p "$OUTDIR"
expect_exit 0 cpack --config "$BUILD/CPackConfig.cmake" -B "$OUTDIR"
DEB=$(ls "$OUTDIR"/mysqlpitr_*.deb 2>/dev/null | head -1)
check "a .deb was produced" test -f "$DEB"

DEPENDS=$(dpkg-deb -f "$DEB" Depends)
for library in libmariadb3 libmongoc libfmt libspdlog libtomlplusplus libzstd libdeflate0 libisal2 libssl; do
  check "Depends names $library" contains "$DEPENDS" "$library"
done
CONTENTS=$(dpkg-deb -c "$DEB")
for path in ./usr/bin/mysqlpitr ./usr/share/man/man1/mysqlpitr.1 ./usr/share/bash-completion/completions/mysqlpitr \
  ./usr/share/zsh/vendor-completions/_mysqlpitr ./usr/share/fish/vendor_completions.d/mysqlpitr.fish \
  ./usr/share/doc/mysqlpitr/examples/mysqlpitr.toml.example ./usr/lib/systemd/system/mysqlpitr-rotate-binlogs.timer; do
  check "package holds $path" contains "$CONTENTS" "$path"
done
expect_exit 0 apt-get install --simulate --no-install-recommends "$DEB"

# Install into a throwaway root, run it, remove it.
ROOT=$HARNESS_TMP/root
mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates" "$ROOT/usr/bin"
touch "$ROOT/var/lib/dpkg/status"
expect_exit 0 dpkg --root="$ROOT" --force-depends --force-not-root --log=/dev/null -i "$DEB"
expect_exit 0 "$ROOT/usr/bin/mysqlpitr" --version
expect_exit 0 "$ROOT/usr/bin/mysqlpitr" help backup
expect_exit 0 dpkg --root="$ROOT" --log=/dev/null --purge mysqlpitr
check "nothing of the package is left" test -z "$(find "$ROOT/usr" -type f 2>/dev/null)"
harness_finish

#!/bin/sh
# dkms-check.sh [workdir] [series]
# series: the kernel series to use (6.1, 6.12; kver.sh --boot SERIES), default the newest.
# Assembles a DKMS source tree from the repository (kmod + core/), then
# `dkms add` and `dkms build` against the installed headers of the /boot
# kernel, checks the built module, and removes everything again.
# Uses a test-only version (<version>-ctest) so an installed ballast is never touched.
# Fails loudly without root or dkms.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kmod=$(dirname "$here")
work=${1:-$(mktemp -d /tmp/ballast-dkms.XXXXXX)}
mkdir -p "$work"
[ "$(id -u)" = 0 ] || { echo "FAIL: dkms needs root (run ./ballast test as root)"; exit 1; }
command -v dkms >/dev/null || { echo "FAIL: dkms not installed (./ballast deps installs it)"; exit 1; }

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$kmod/dkms.conf")
mver=$(sed -n 's/^#define BALLAST_VERSION "\(.*\)"/\1/p' "$kmod/ballast_glue.h")
[ "$ver" = "$mver" ] || { echo "FAIL: dkms.conf version $ver != BALLAST_VERSION $mver"; exit 1; }
tver="$ver-ctest"
kver=$("$here/kver.sh" --boot ${2:-})
src=/usr/src/ballast-$tver

cleanup() {
	dkms remove -m ballast -v "$tver" --all >/dev/null 2>&1 || true
	rm -rf "$src"
}
trap cleanup EXIT
cleanup

make -s -f "$kmod/Makefile" dkms-src DESTDIR="$src"
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$tver\"/" "$src/dkms.conf"
[ -f "$src/core/extern_instance.cpp" ] && [ -f "$src/core/balloon.h" ] ||
	{ echo "FAIL: DKMS tree lacks core/"; exit 1; }
if find "$src" -name '*.o' -o -name '*.ko' | grep -q .; then echo "FAIL: build outputs in DKMS tree"; exit 1; fi

dkms add -m ballast -v "$tver" >"$work/add.log" 2>&1 || { cat "$work/add.log"; echo "FAIL: dkms add"; exit 1; }
if ! dkms build -m ballast -v "$tver" -k "$kver" >"$work/build.log" 2>&1; then
	cat "$work/build.log"
	cat "/var/lib/dkms/ballast/$tver/build/make.log" 2>/dev/null || true
	echo "FAIL: dkms build"; exit 1
fi
ko=$(find "/var/lib/dkms/ballast/$tver/$kver" -name 'ballast.ko*' | head -n1)
[ -n "$ko" ] || { echo "FAIL: dkms built no module"; exit 1; }
mlog=$(find "/var/lib/dkms/ballast/$tver" -name make.log | head -n1)
[ -n "$mlog" ] || { echo "FAIL: no DKMS make.log"; exit 1; }
cp "$mlog" "$work/make.log"
if grep -E -i '(warning|error):|^WARNING:' "$work/make.log" | grep -v 'Skipping BTF'; then
	echo "FAIL: warnings in the DKMS build"; exit 1
fi
case "$ko" in *.xz) xz -dkc "$ko" >"$work/ballast.ko"; ko="$work/ballast.ko" ;; esac
"$here/check-symbols.sh" "$ko" "/lib/modules/$kver/build"
dkms status -m ballast -v "$tver"
echo "PASS: dkms add + build of ballast $tver for $kver"

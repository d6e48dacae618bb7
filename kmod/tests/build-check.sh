#!/bin/sh
# build-check.sh [workdir] [series | --guest]
# Clean build of ballast.ko with V=1 against the installed headers of the
# kernel series given (6.1, 6.12; kver.sh --boot SERIES; default the newest),
# or with --guest against the guest kernel without the built-in balloon
# (kmod/guest/build-kernel.sh, built and cached on first use); fails on any
# compiler, modpost or objtool warning, checks that objtool really ran on the
# C++ object, then runs check-symbols.sh (every undefined symbol is an export
# of that kernel).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kmod=$(dirname "$here")
work=${1:-$(mktemp -d /tmp/ballast-build.XXXXXX)}
case "${2:-}" in
--guest) kdir=$("$kmod/guest/build-kernel.sh") || { echo "FAIL: guest kernel build"; exit 1; }
	kver="guest kernel $kdir"; target="KDIR=$kdir" ;;
""|[0-9]*.[0-9]*) kver=$("$here/kver.sh" --boot ${2:-}); target="KVER=$kver" ;;
*) echo "usage: build-check.sh [workdir] [SERIES | --guest]" >&2; exit 2 ;;
esac
rm -rf "$work/mod"
mkdir -p "$work"
log="$work/build.log"
if ! make -C "$kmod" "$target" BUILD="$work/mod" V=1 modules >"$log" 2>&1; then
	cat "$log"; echo "FAIL: build"; exit 1
fi
fail=0
# Anything that looks like a diagnostic, from gcc/g++, modpost or objtool.
if grep -E -i '(warning|error):|^WARNING:|objtool:' "$log" | grep -v 'Skipping BTF' >"$work/diag"; then
	echo "FAIL: build diagnostics:"; cat "$work/diag"; fail=1
fi
grep -q 'g++-12 .*core/extern_instance.o' "$log" || { echo "FAIL: C++ core not compiled with g++-12"; fail=1; }
# objtool runs on each object (6.1), or once on the linked module object that
# contains them all (6.12: ld -r ... ballast.o; objtool ... ballast.o).
grep -E 'g\+\+-12 .*core/extern_instance\.o.*objtool' "$log" >/dev/null ||
	grep -E -- '-r -o [^ ]*/ballast\.o .*objtool/objtool .*/ballast\.o' "$log" >/dev/null ||
	{ echo "FAIL: objtool did not run on the C++ object"; fail=1; }
[ -n "${kdir:-}" ] || kdir=$(sed -n "s|^make\[1\]: Entering directory '\(.*\)'|\1|p" "$log" | head -n1)
[ -n "$kdir" ] || kdir=/lib/modules/$kver/build
"$here/check-symbols.sh" "$work/mod/ballast.ko" "$kdir" || fail=1
[ $fail = 0 ] && echo "PASS: clean build for $kver, no warnings, objtool ran on all objects"
exit $fail

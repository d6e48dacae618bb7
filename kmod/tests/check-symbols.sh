#!/bin/sh
# check-symbols.sh <ballast.ko> <kernel header dir>
# Every undefined symbol of the module must be exported by the kernel it is
# built for (Module.symvers of those headers: vmlinux and in-tree module
# exports). A symbol that merely exists in vmlinux (System.map) but is not
# exported is reported as such: modpost would only warn, insmod would fail.
# Also: no C++ static constructors (CONFIG_CONSTRUCTORS is off: they would
# silently never run) and a GPL-compatible license (GPL-only exports used).
set -eu
ko=$1
kdir=$2
symvers="$kdir/Module.symvers"
[ -f "$ko" ] || { echo "FAIL: no module $ko"; exit 1; }
[ -f "$symvers" ] || { echo "FAIL: no $symvers"; exit 1; }
kver=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
sysmap="/boot/System.map-$kver"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -u "$ko" | awk '{print $2}' | sort -u >"$tmp/undef"
awk '{print $2}' "$symvers" | sort -u >"$tmp/exports"
comm -23 "$tmp/undef" "$tmp/exports" >"$tmp/missing"

fail=0
n=$(wc -l <"$tmp/undef")
if [ -s "$tmp/missing" ]; then
	fail=1
	while read -r s; do
		if [ -f "$sysmap" ] && grep -q " $s\$" "$sysmap"; then
			echo "FAIL: $s is in vmlinux but not exported"
		else
			echo "FAIL: $s is not provided by the kernel"
		fi
	done <"$tmp/missing"
fi

# Symbols exported by a namespace need MODULE_IMPORT_NS.
awk -F'\t' 'NF>=5 && $5!="" {print $2"\t"$5}' "$symvers" | sort >"$tmp/ns"
ns_used=$(join -t "$(printf '\t')" "$tmp/undef" "$tmp/ns" || true)
if [ -n "$ns_used" ]; then
	imports=$(modinfo -F import_ns "$ko" || true)
	echo "$ns_used" | while IFS="$(printf '\t')" read -r s ns; do
		echo "$imports" | grep -qx "$ns" || { echo "FAIL: $s needs MODULE_IMPORT_NS($ns)"; exit 1; }
	done || fail=1
fi

# C++ global constructors/destructors would never run in a module.
if objdump -h "$ko" | awk '{print $2, $3}' | grep -E '^\.(init_array|fini_array|ctors|dtors)' | grep -qv ' 0*$'; then
	echo "FAIL: module has static constructor/destructor tables:"
	objdump -h "$ko" | grep -E '\.(init_array|fini_array|ctors|dtors)'
	fail=1
fi

lic=$(modinfo -F license "$ko")
case "$lic" in
GPL|"GPL v2"|"Dual MIT/GPL"|"Dual BSD/GPL") ;;
*) echo "FAIL: license '$lic' cannot use GPL-only exports"; fail=1 ;;
esac

if [ $fail = 0 ]; then
	echo "PASS: $n undefined symbols, all exported by $kver ($symvers); no static constructors; license $lic"
fi
exit $fail

#!/bin/sh
# Print the kernel version to build ballast.ko for.
#   kver.sh                 the running kernel if its headers are installed, else --boot
#   kver.sh --boot [SERIES] newest /boot/vmlinuz-<v> for which linux-headers-<v> is
#                           installed; with SERIES (6.1, 6.12) only versions of that series
# BALLAST_KVER=<v> overrides both (it must have a /boot/vmlinuz and headers).
# Never hard-coded: Debian updates change the ABI number.
set -eu
headers_for() {
	[ -f "/usr/src/linux-headers-$1/Makefile" ] || [ -f "/lib/modules/$1/build/Makefile" ]
}
if [ -n "${BALLAST_KVER:-}" ]; then
	[ -e "/boot/vmlinuz-$BALLAST_KVER" ] && headers_for "$BALLAST_KVER" ||
		{ echo "kver.sh: BALLAST_KVER=$BALLAST_KVER has no /boot/vmlinuz or no headers" >&2; exit 1; }
	echo "$BALLAST_KVER"; exit 0
fi
series=""
if [ "${1:-}" = "--boot" ]; then
	series=${2:-}
else
	r=$(uname -r)
	if headers_for "$r"; then echo "$r"; exit 0; fi
fi
best=""
for k in /boot/vmlinuz-${series:+$series.}*; do
	[ -e "$k" ] || continue
	v=${k#/boot/vmlinuz-}
	headers_for "$v" && best="$best $v"
done
[ -n "$best" ] || { echo "kver.sh: no /boot/vmlinuz-${series:+$series.}* with matching linux-headers-* installed" >&2; exit 1; }
printf '%s\n' $best | sort -V | tail -n 1

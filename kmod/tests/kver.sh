#!/bin/sh
# Print the kernel version to build ballast.ko for.
#   kver.sh                 the running kernel if its headers are installed, else --boot
#   kver.sh --boot [SERIES] newest /boot/vmlinuz-<v> for which linux-headers-<v> is
#                           installed; with SERIES (6.1, 6.12) only versions of that series
# Never hard-coded: Debian updates change the ABI number.
set -eu
headers_for() {
	[ -f "/usr/src/linux-headers-$1/Makefile" ] || [ -f "/lib/modules/$1/build/Makefile" ]
}
series=""
if [ "${1:-}" = "--boot" ]; then
	series=${2:-}
else
	r=$(uname -r)
	if headers_for "$r"; then echo "$r"; exit 0; fi
fi
best=""
for k in /boot/vmlinuz-*; do
	[ -e "$k" ] || continue
	v=${k#/boot/vmlinuz-}
	case "$v" in "$series".*|"$series"-*) ;; *) [ -z "$series" ] || continue ;; esac
	headers_for "$v" && best="$best $v"
done
[ -n "$best" ] || { echo "kver.sh: no /boot/vmlinuz-${series:+$series.}* with matching linux-headers-* installed" >&2; exit 1; }
printf '%s\n' $best | sort -V | tail -n 1

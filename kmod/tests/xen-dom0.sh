#!/bin/sh
# xen-dom0.sh [workdir]: manual check on a real hypervisor. Boots Xen 4.17
# under QEMU (TCG) with the /boot kernel as PV dom0, loads ballast.ko (no
# selftest), balloons 64 and 256 MiB out and back through target_kb, and
# compares with Xen's own count (info/xen_current_kb). Needs
# xen-hypervisor-4.17-amd64. Prints the BALLAST-MARK lines; exit 0 only if
# every step moved Xen's count by exactly the requested amount.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kmod=$(dirname "$here")
work=${1:-$(mktemp -d /tmp/ballast-xen.XXXXXX)}
mkdir -p "$work"
xen=$(ls /boot/xen-4.*-amd64.gz 2>/dev/null | sort -V | tail -n1)
[ -n "$xen" ] || { echo "FAIL: no Xen hypervisor in /boot (./ballast deps installs xen-hypervisor-4.17-amd64)"; exit 1; }
kver=$("$here/kver.sh" --boot)
make -s -C "$kmod" KVER="$kver" BUILD="$work/mod" modules >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
zcat "$xen" >"$work/xen.bin"
root="$work/root"; rm -rf "$root"; mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
cp "$(command -v busybox)" "$root/bin/busybox"; ln -s busybox "$root/bin/sh"
cp "$here/xen-dom0-init.sh" "$root/init"; cp "$work/mod/ballast.ko" "$root/"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.cpio.gz"
timeout 300 qemu-system-x86_64 -machine pc -accel tcg -cpu qemu64 -m 2048 -smp 1 -nographic -no-reboot \
	-kernel "$work/xen.bin" \
	-append "console=com1 com1=115200,8n1 dom0_mem=1024M,max:2048M dom0_max_vcpus=1" \
	-initrd "/boot/vmlinuz-$kver console=hvc0 earlyprintk=xen rdinit=/init,$work/initramfs.cpio.gz" \
	</dev/null >"$work/serial.log" 2>&1 || true
tr -d '\r' <"$work/serial.log" >"$work/serial.clean"
grep 'BALLAST-MARK' "$work/serial.clean"
fail=0
grep -q 'BALLAST-MARK: end' "$work/serial.clean" || { echo "FAIL: no end marker"; fail=1; }
grep -E 'Oops|BUG:|WARNING:|Call Trace|-failed' "$work/serial.clean" && fail=1
grep -q 'out 64 MiB: xen_drop_kb=65536 memtotal_drop_kb=65536' "$work/serial.clean" || fail=1
grep -q 'out 256 MiB: xen_drop_kb=262144 memtotal_drop_kb=262144' "$work/serial.clean" || fail=1
[ "$(grep -c 'back .* MiB: xen_drop_kb=0 memtotal_drop_kb=0 low_kb=0' "$work/serial.clean")" = 2 ] || fail=1
grep -q 'after-rmmod xen_drop_kb=0 memtotal_drop_kb=0' "$work/serial.clean" || fail=1
[ $fail = 0 ] && echo PASS || echo "FAIL (log: $work/serial.clean)"
exit $fail

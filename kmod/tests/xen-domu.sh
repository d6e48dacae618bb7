#!/bin/sh
# xen-domu.sh [workdir]: ballast.ko as the balloon of a real Xen guest,
# driven by the Xen toolstack, side by side with Debian's built-in driver.
#
# Xen 4.17 under QEMU (TCG), Debian's /boot kernel as PV dom0 with the
# toolstack (xenstored, xl, xenconsoled) in a busybox initramfs whose /init
# is tests/xen-domu-init.sh. In that one boot, two PV domUs in turn
# (memory=256, maxmem=1024): the project's guest kernel (kmod/guest/, no
# built-in balloon) with ballast.ko, then Debian's kernel with its built-in
# driver, each through the same xl mem-set / xenstore sequence.
# Decides only from the serial log: every expected "BALLAST-CHECK ... PASS",
# no FAIL, the end marker, no Oops/BUG/WARNING/panic; QEMU's exit code is
# ignored. Prints the side-by-side table (time and MiB/s per move, ratio
# ballast/built-in, Qubes' 100 MiB/s over any 3 s) and the idle figures.
# Env: IDLE_S (default 60): length of each idle phase.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kmod=$(dirname "$here")
. "$here/xen-qemu.sh"
work=${1:-$(mktemp -d /tmp/ballast-domu.XXXXXX)}
idle_s=${IDLE_S:-60}
expected_checks=58
mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
xen=$(ls /boot/xen-4.*-amd64.gz 2>/dev/null | sort -V | tail -n1)
[ -n "$xen" ] || fail "no Xen hypervisor in /boot (xen-hypervisor-4.17-amd64)"
xenbin=/usr/lib/xen-4.17/bin
for b in xl xenstored xenconsoled xen-init-dom0 libxl-save-helper; do
	[ -x $xenbin/$b ] || fail "$xenbin/$b missing (xen-utils-4.17)"
done
[ -x /usr/bin/xenstore ] || fail "/usr/bin/xenstore missing (xenstore-utils)"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (qemu-system-x86)"
command -v busybox >/dev/null || fail "busybox missing (busybox-static)"
# dom0 and the stock guest: Debian's kernel of the same series as the guest kernel
kver=$(BALLAST_KVER= "$here/kver.sh" --boot 6.1)
dom0mods=/lib/modules/$kver/kernel/drivers/xen

# The guest kernel (cached after the first build) and ballast.ko for it:
# every undefined symbol must be one of its exports.
kdir=$("$kmod/guest/build-kernel.sh") || fail "guest kernel build"
make -s -C "$kmod" KDIR="$kdir" BUILD="$work/mod" modules >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "ballast.ko for the guest kernel"; }
"$here/check-symbols.sh" "$work/mod/ballast.ko" "$kdir" || fail "symbols"
gcc -static -O2 -Wall -o "$work/xen-tool" "$here/xen-tool.c" || fail "xen-tool (static libc: libc6-dev)"
gcc -static -O2 -Wall -o "$work/guest-agent" "$here/guest-agent.c" || fail "guest-agent (libxen-dev: xen/io/xs_wire.h)"

# The guests' initramfs (the same for both kernels).
g="$work/guest-root"; rm -rf "$g"; mkdir -p "$g/bin" "$g/proc" "$g/sys" "$g/dev"
cp "$(command -v busybox)" "$g/bin/busybox"; ln -s busybox "$g/bin/sh"
cp "$here/xen-domu-guest-init.sh" "$g/init"; cp "$work/guest-agent" "$work/mod/ballast.ko" "$g/"
(cd "$g" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/guest.cpio.gz"

# dom0's initramfs: busybox, the toolstack with its libraries, the guests.
r="$work/dom0-root"; rm -rf "$r"; mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/dev" "$r/mod" "$r/guest" "$r/etc" "$r/usr/bin"
cp "$(command -v busybox)" "$r/bin/busybox"; ln -s busybox "$r/bin/sh"
copy() { mkdir -p "$r$(dirname "$1")"; cp -L "$1" "$r$1"; }
for b in $xenbin/xl $xenbin/xenstored $xenbin/xenconsoled $xenbin/xen-init-dom0 $xenbin/libxl-save-helper /usr/bin/xenstore; do
	copy "$b"
	ldd "$b" | awk '/=> \// {print $3} /^\t\/lib/ {print $1}' | while read -r l; do copy "$l"; done
done
# glibc loads libgcc_s for pthread_cancel; ldd does not list it
copy "$(ls /lib/x86_64-linux-gnu/libgcc_s.so.1 /usr/lib/x86_64-linux-gnu/libgcc_s.so.1 2>/dev/null | head -n1)"
for s in read write ls watch rm list exists; do ln -sf xenstore "$r/usr/bin/xenstore-$s"; done
cp -r /etc/xen "$r/etc/xen"
for m in xen-evtchn xen-privcmd xenfs/xenfs xen-gntdev xen-gntalloc; do cp "$dom0mods/$m.ko" "$r/mod/"; done
cp "$work/xen-tool" "$r/bin/xen-tool"
cp "$kdir/arch/x86/boot/bzImage" "$r/guest/ballast-kernel"
cp "/boot/vmlinuz-$kver" "$r/guest/debian-kernel"
cp "$work/guest.cpio.gz" "$r/guest/initramfs"
for G in ballast builtin; do
	k=ballast-kernel; [ $G = builtin ] && k=debian-kernel
	cat >"$r/etc/xen/$G.cfg" <<CFG
name = "$G"
type = "pv"
kernel = "/guest/$k"
ramdisk = "/guest/initramfs"
extra = "console=hvc0 rdinit=/init memhp_default_state=online"
memory = 256
maxmem = 1024
vcpus = 1
on_crash = "preserve"
CFG
done
sed "s/^IDLE_S=.*/IDLE_S=$idle_s/" "$here/xen-domu-init.sh" >"$r/init"; chmod +x "$r/init"
(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/dom0.cpio.gz"
zcat "$xen" >"$work/xen.bin"

xen_qemu_boot "$work" 2048 $((1200 + 4 * idle_s)) "console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=1" "$work/dom0.cpio.gz"
log="$work/serial.clean"
grep -E 'BALLAST-(MARK|SXS|IDLE)' "$log" || true
bad=0
xen_qemu_judge "$log" $expected_checks || bad=1

awk -f "$here/domu-summary.awk" "$log" | tee "$work/summary.txt"
[ $bad = 0 ] && echo PASS || echo "FAIL (log: $log)"
exit $bad

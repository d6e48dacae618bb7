#!/bin/busybox sh
# /init of the domU guests of tests/xen-domu.sh (one initramfs for both):
# on the project's guest kernel (no built-in balloon: no xen_memory0 at boot)
# it loads ballast.ko (own mode); on Debian's kernel the built-in driver is
# the balloon. Then guest-agent publishes the guest's figures under data/
# whenever dom0 asks (and runs dom0's command first, e.g. rmmod ballast).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
echo 7 > /proc/sys/kernel/printk
X=/sys/devices/system/xen_memory/xen_memory0
B=/sys/devices/system/ballast/ballast0
if [ -d $X ]; then
	echo "GUEST: built-in balloon driver ($(uname -r))"
else
	echo "GUEST: no built-in balloon driver ($(uname -r)): insmod ballast.ko"
	# mode=coexist needs a built-in driver: refused with a message, nothing loaded
	if ! insmod /ballast.ko mode=coexist 2>/dev/null && dmesg | grep -q "mode=coexist refused" &&
		[ ! -d /sys/module/ballast ]; then echo 1 > /mode-refused; else echo 0 > /mode-refused; fi
	insmod /ballast.ko || echo "GUEST: insmod-failed"
fi
[ -d $X ] || echo "GUEST: no xen_memory0"
# Figures: xen_memory0 (both drivers), MemTotal, ballast's read-outs, and the
# balloon kthread of drivers/xen/balloon.c (the built-in driver's worker; in
# the ballast guest the passive core's, which should stay asleep).
exec /guest-agent \
	target_kb=$X/target_kb current_kb=$X/info/current_kb low_kb=$X/info/low_kb \
	high_kb=$X/info/high_kb memtotal_kb=/proc/meminfo:MemTotal \
	xen_kb=$B/info/xen_current_kb borrowed_kb=$B/info/borrowed_kb \
	worker_runs=$B/counters/worker_runs worker_ns=$B/counters/worker_ns \
	pages_in=$B/counters/pages_in pages_out=$B/counters/pages_out \
	xs_targets=$B/counters/xenstore_targets xs_refused=$B/counters/xenstore_targets_refused \
	ev_hang_spin=$B/counters/ev_hang_spin mode_refused=/mode-refused \
	kthread_ns=/proc/pid:xen-balloon/schedstat \
	kthread_wakeups=/proc/pid:xen-balloon/status:voluntary_ctxt_switches \
	kthread_invol=/proc/pid:xen-balloon/status:nonvoluntary_ctxt_switches

#!/bin/busybox sh
# /init for a Xen dom0 run (tests/xen-dom0.sh): ballast on a real hypervisor.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
echo 7 > /proc/sys/kernel/printk
say() { echo "BALLAST-MARK: $*"; }
D=/sys/devices/system/ballast/ballast0
memtotal() { awk '/^MemTotal:/ {print $2}' /proc/meminfo; }
say "start"
insmod /ballast.ko || say "insmod-failed"
x0=$(cat $D/info/xen_current_kb); m0=$(memtotal); c0=$(cat $D/info/current_kb)
for mib in 64 256; do
	echo $((c0 - mib * 1024)) > $D/target_kb
	i=0; while [ $i -lt 100 ] && [ "$(cat $D/info/current_kb)" != "$((c0 - mib * 1024))" ]; do sleep 0.1; i=$((i+1)); done
	say "out $mib MiB: xen_drop_kb=$((x0 - $(cat $D/info/xen_current_kb))) memtotal_drop_kb=$((m0 - $(memtotal))) low_kb=$(cat $D/info/low_kb)"
	echo $c0 > $D/target_kb
	i=0; while [ $i -lt 100 ] && [ "$(cat $D/info/current_kb)" != "$c0" ]; do sleep 0.1; i=$((i+1)); done
	say "back $mib MiB: xen_drop_kb=$((x0 - $(cat $D/info/xen_current_kb))) memtotal_drop_kb=$((m0 - $(memtotal))) low_kb=$(cat $D/info/low_kb)"
done
echo $((c0 - 32768)) > $D/target_kb; sleep 2
say "before-rmmod xen_drop_kb=$((x0 - $(cat $D/info/xen_current_kb)))"
rmmod ballast || say "rmmod-failed"
insmod /ballast.ko || say "insmod-failed"
say "after-rmmod xen_drop_kb=$((x0 - $(cat $D/info/xen_current_kb))) memtotal_drop_kb=$((m0 - $(memtotal)))"
rmmod ballast
say "end"
poweroff -f

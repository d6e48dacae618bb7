#!/bin/busybox sh
# /init of the ballast test initramfs (busybox-static). Prints BALLAST-MARK
# lines that tests/qemu-selftest.sh decides from; it never relies on QEMU's
# exit code.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo 7 > /proc/sys/kernel/printk

# MemFree plus the pages free in the per-CPU lists (/proc/zoneinfo "count:"),
# which MemFree does not count: since 6.7 the lists grow with bursts of
# frees (the 2 MiB extent run frees blocks the buddy allocator gave whole).
memfree() {
	awk '/^MemFree:/ {print $2}' /proc/meminfo
	awk '$1 == "count:" { n += $2 } END { print n * 4 }' /proc/zoneinfo
}
say() { echo "BALLAST-MARK: $*"; }
REPEATS=20
D=/sys/devices/system/ballast/ballast0

say "start kernel=$(uname -r)"
sync; echo 3 > /proc/sys/vm/drop_caches
set -- $(memfree); say "memfree-before $(($1 + $2)) (MemFree $1, per-CPU lists $2)"

# The mode must fit the kernel (Debian's has the built-in driver): a wrong
# or unknown mode fails the load with a message, and loads nothing.
sys_ok() { echo "BALLAST-SYSFS: ok $1"; }
sys_fail() { echo "BALLAST-SYSFS: not ok $1 ${2:-}"; }
refused() { # refused NAME PATTERN ARGS...: insmod fails, dmesg has PATTERN
	_n=$1; _p=$2; shift 2
	if insmod /ballast.ko "$@" 2>/dev/null; then rmmod ballast; sys_fail "$_n" "loaded with $*"
	elif dmesg | grep -q "$_p"; then sys_ok "$_n"; else sys_fail "$_n" "no message '$_p'"; fi
}
refused mode-own-beside-builtin "mode=own refused: this kernel's built-in balloon driver" mode=own
refused mode-unknown "mode=sideways: expected auto, own or coexist" mode=sideways
refused mode-with-selftest "mode=coexist: selftest=1 takes no mode" selftest=1 mode=coexist
refused superpages-bad "superpages=2: expected -1, 0 or 1" selftest=1 superpages=2
[ -d /sys/module/ballast ] && sys_fail mode-nothing-loaded || sys_ok mode-nothing-loaded

insmod /ballast.ko selftest=1 || say "insmod-failed"

# --- the sysfs interface, driven by the simulated hypervisor ---
check() { if eval "$2"; then sys_ok "$1"; else sys_fail "$1" "($2)"; fi; }
rejects() { # rejects NAME FILE VALUE: the write fails and FILE is unchanged
	before=$(cat "$D/$2")
	if printf '%s' "$3" > "$D/$2" 2>/dev/null; then sys_fail "$1" "accepted '$3'"; return; fi
	after=$(cat "$D/$2")
	[ "$before" = "$after" ] && sys_ok "$1" || sys_fail "$1" "changed $before -> $after"
}
if [ -d "$D" ]; then
	for a in target_kb target schedule_delay max_schedule_delay retry_count max_retry_count \
		 info/current_kb info/low_kb info/high_kb counters/pages_out counters/ev_hostile_reply; do
		check "attr-$a" "[ -r $D/$a ]"
	done
	check mode-target_kb "[ \$(stat -c %a $D/target_kb) = 644 ] && [ \$(stat -c %u $D/target_kb) = 0 ]"
	check mode-schedule_delay "[ \$(stat -c %a $D/schedule_delay) = 444 ]"
	check mode-counters "[ \$(stat -c %a $D/counters/pages_out) = 444 ]"
	rejects garbage target_kb "12abc"
	rejects newline-only target_kb "
"
	rejects negative target_kb "-4096"
	rejects overflow target_kb "99999999999999999999999"
	rejects overflow-shift target_kb "18446744073709551615"
	rejects above-max target_kb "$(( $(cat $D/info/current_kb) + 1048576 ))"
	rejects garbage-bytes target "1Q"
	rejects negative-bytes target "-1M"
	rejects overflow-bytes target "17179869184G"
	rejects above-max-bytes target "$(( $(cat $D/info/current_kb) + 1048576 ))K"
	rejects readonly schedule_delay "3"
	rejects garbage-delay max_schedule_delay "x"
	rejects negative-retry max_retry_count "-1"
	cur=$(cat $D/info/current_kb)
	low=$(cat $D/info/low_kb)
	want=$((cur - 16384))
	if echo "$want" > $D/target_kb; then
		i=0; while [ $i -lt 50 ] && [ "$(cat $D/info/current_kb)" != "$want" ]; do sleep 0.1; i=$((i+1)); done
	fi
	say "sysfs current_kb=$(cat $D/info/current_kb) low_kb=$(cat $D/info/low_kb) target_kb=$(cat $D/target_kb) want=$want"
	check balloon-out-16M "[ \$(cat $D/info/current_kb) = $want ] && [ \$(cat $D/info/low_kb) = $((low + 16384)) ]"
	if echo "$((cur * 1024))" > $D/target; then
		i=0; while [ $i -lt 50 ] && [ "$(cat $D/info/current_kb)" != "$cur" ]; do sleep 0.1; i=$((i+1)); done
	fi
	say "sysfs current_kb=$(cat $D/info/current_kb) low_kb=$(cat $D/info/low_kb) target_kb=$(cat $D/target_kb)"
	check balloon-in-bytes "[ \$(cat $D/info/current_kb) = $cur ] && [ \$(cat $D/info/low_kb) = $low ]"
	echo "$want" > $D/target_kb	# leave 16 MiB ballooned: rmmod must give it back
	sleep 1
	say "sysfs-done"
else
	sys_fail sysfs-dir "$D missing"
fi

rmmod ballast || say "rmmod-failed"

i=1
while [ $i -le $REPEATS ]; do
	insmod /ballast.ko selftest=1 || say "insmod-failed $i"
	rmmod ballast || say "rmmod-failed $i"
	i=$((i + 1))
done
say "cycles $REPEATS"
# The 2 MiB extent cases (a KTAP run of their own): superpages=1.
insmod /ballast.ko selftest=1 superpages=1 || say "insmod-failed superpages"
rmmod ballast || say "rmmod-failed superpages"
say "superpages run"

sync; echo 3 > /proc/sys/vm/drop_caches
set -- $(memfree); say "memfree-after $(($1 + $2)) (MemFree $1, per-CPU lists $2)"
say "end"
poweroff -f

#!/bin/busybox sh
# /init of dom0 for tests/xen-domu.sh: Xen 4.17 under QEMU, Debian's kernel
# as dom0 with the Xen toolstack (xenstored, xl), and one PV domU at a time:
#   ballast   the project's guest kernel (no built-in balloon), ballast.ko
#   builtin   Debian's kernel, its built-in balloon driver
# Each guest (memory=256, maxmem=1024) gets the same sequence from dom0:
#   xl mem-set down 64 and 128 MiB, back, up to maxmem; xl mem-max 1280 and
#   xl mem-set 1280 (past the memory map it booted with: hotplug); xl mem-set
#   above the maximum (xl refuses); memory/target above Xen's maximum written
#   directly (idle cost, 60 s); a burst of targets as Qubes' qmemman writes
#   them; a target the host cannot give (out of memory; idle cost, 60 s);
#   back down; for ballast, rmmod and reload; xl destroy. Then both guests at
#   once for the timed side by side (side_by_side below).
# After each step: Xen's count for the domain (XENMEM_current_reservation)
# against the target, and the guest's own figures (guest-agent, data/).
# Every assertion prints "BALLAST-CHECK <name> PASS|FAIL <detail>"; moves
# print "BALLAST-SXS ..." and idle phases "BALLAST-IDLE ...".
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin:/usr/sbin:/usr/lib/xen-4.17/bin
export LD_LIBRARY_PATH=/usr/lib/xen-4.17/lib:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /run/xen /run/xenstored /tmp /var/lib/xen /var/log/xen/console
ln -s /run /var/run
mount -t devpts devpts /dev/pts
echo 4 > /proc/sys/kernel/printk
say() { echo "BALLAST-MARK: $*"; }
ck() { _n=$1; _d=$2; shift 2; if "$@"; then echo "BALLAST-CHECK $_n PASS $_d"; else echo "BALLAST-CHECK $_n FAIL $_d"; fi; }
eq() { [ "$1" = "$2" ]; }
IDLE_S=${IDLE_S:-60}

say "start dom0 $(uname -r)"
for m in xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc; do insmod /mod/$m.ko || say "insmod-$m-failed"; done
mount -t xenfs xenfs /proc/xen
XENSTORED_ROOTDIR=/run/xenstored xenstored --pid-file /run/xenstored.pid
i=0; while ! xenstore-read -s / >/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
xen-init-dom0 >/dev/null
xenconsoled --log=guest --log-dir=/var/log/xen/console --timestamp=guest
say "toolstack up"

free_mib() { xl info | awk '/^free_memory/ {print $3}'; }
xen_kb() { xen-tool pages $D; }
# ask <seq> [command]: the guest runs the command, publishes data/, answers <seq>
ask() {
	xenstore-write /local/domain/$D/data/ask "$*"
	_i=0
	while [ "$(xenstore-read /local/domain/$D/data/answer 2>/dev/null)" != "$1" ]; do
		sleep 0.1; _i=$((_i + 1))
		[ $_i -lt ${ASK_TRIES:-600} ] || { say "guest did not answer $1"; return 1; }
	done
}
SEQ=0
figures() { SEQ=$((SEQ + 1)); ask $SEQ "$@"; }
fig() { xenstore-read /local/domain/$D/data/$1 2>/dev/null || echo "?"; }
# move <name> <target MiB> <command...>: Xen's count must reach the target
# The SXS line also has the worker's own figures for the move: runs and time
# (ballast: counters/worker_runs, worker_ns; built-in: its kthread's
# voluntary context switches and schedstat run time).
num() { case "$1" in '' | *[!0-9]*) echo 0 ;; *) echo "$1" ;; esac; }
busy() {
	if [ $G = ballast ]; then echo "$(num $(fig worker_runs)) $(num $(fig worker_ns))"
	else echo "$(num $(fig kthread_wakeups)) $(num $(fig kthread_ns))"; fi
}
move() {
	_name=$1; _mib=$2; shift 2
	figures
	set -- $(busy) "$@"; _w0=$1; _n0=$2; shift 2
	_r=$(xen-tool wait $D $((_mib * 1024)) 60000 "$@")
	figures
	set -- $(busy); _w1=$1; _n1=$2
	echo "BALLAST-SXS drv=$G move=$_name to_mib=$_mib $_r worker_runs=$((_w1 - _w0)) worker_ms=$(((_n1 - _n0) / 1000000)) guest_current_kb=$(fig current_kb) guest_memtotal_kb=$(fig memtotal_kb)"
	ck "${G}_${_name}" "$_r guest_current_kb=$(fig current_kb)" \
		eq "$(echo "$_r" | sed -n 's/.*reached=\([01]\).*/\1/p') $(xen_kb) $(fig current_kb)" "1 $((_mib * 1024)) $((_mib * 1024))"
}
# idle <name>: worker wake-ups and time over IDLE_S seconds while a target
# Xen will not grant is held
idle() {
	figures
	w0=$(num $(fig worker_runs)); n0=$(num $(fig worker_ns)); kw0=$(num $(fig kthread_wakeups)); kn0=$(num $(fig kthread_ns)); x0=$(xen_kb)
	sleep $IDLE_S
	figures
	w1=$(num $(fig worker_runs)); n1=$(num $(fig worker_ns)); kw1=$(num $(fig kthread_wakeups)); kn1=$(num $(fig kthread_ns)); x1=$(xen_kb)
	if [ $G = ballast ]; then wake=$((w1 - w0)); ns=$((n1 - n0)); else wake=$((kw1 - kw0)); ns=$((kn1 - kn0)); fi
	echo "BALLAST-IDLE drv=$G case=$1 seconds=$IDLE_S wakeups=$wake cpu_us=$((ns / 1000)) xen_kb_before=$x0 xen_kb_after=$x1 target_kb=$(fig target_kb) current_kb=$(fig current_kb) passive_kthread_wakeups=$((kw1 - kw0))"
	[ $G = ballast ] && ck "${G}_idle_$1_nothing_moved" "xen_kb $x0 -> $x1" eq "$x0" "$x1"
}

# Memory Xen freed is scrubbed in its idle loop; a guest created before that
# ends would populate dirty pages, scrubbed on the spot: each guest starts
# with everything clean, so both drivers get the same kind of memory.
scrubbed() {
	i=0
	while :; do
		s=$(xen-tool physinfo); case "$s" in *scrub_kb=0) break ;; esac
		sleep 1; i=$((i + 1)); [ $i -lt 300 ] || { say "scrub did not finish: $s"; break; }
	done
	say "xen memory clean after ${i}s: $s"
}

run_guest() { # <name>
	G=$1
	scrubbed
	F0=$(free_mib)
	say "$G: create (free_memory ${F0} MiB)"
	xl create /etc/xen/$G.cfg >/tmp/create.log 2>&1 || { cat /tmp/create.log; say "$G-create-failed"; return; }
	D=$(xl domid $G)
	ASK_TRIES=1200 figures || { say "$G-no-agent"; return; }
	X0=$(xen_kb)
	say "$G: domid $D up, xen_kb=$X0 guest current_kb=$(fig current_kb) memtotal_kb=$(fig memtotal_kb) low_kb=$(fig low_kb) borrowed_kb=$(fig borrowed_kb)"
	ck "${G}_start" "xen_kb=$X0 guest_current_kb=$(fig current_kb)" eq "$X0 $(fig current_kb)" "262144 262144"
	[ $G = ballast ] && ck ballast_wrong_mode_refused "insmod mode=coexist on a kernel without the built-in driver: refused=$(fig mode_refused)" \
		eq "$(fig mode_refused)" 1
	[ $G = ballast ] && ck ballast_owns_extra_region "borrowed_kb=$(fig borrowed_kb) low_kb=$(fig low_kb)" \
		eval "[ $(fig borrowed_kb) -gt 0 ] && [ $(fig borrowed_kb) = $(fig low_kb) ]"
	move down64 192 xl mem-set $D 192m
	move down128 128 xl mem-set $D 128m
	move back 256 xl mem-set $D 256m
	move up_maxmem 1024 xl mem-set $D 1024m
	M1=$(fig memtotal_kb)
	xl mem-max $D 1280m
	move hotplug 1280 xl mem-set $D 1280m
	ck "${G}_hotplug_memtotal" "memtotal_kb $M1 -> $(fig memtotal_kb)" eval "[ $(fig memtotal_kb) -ge $((M1 + 262144 - 4096)) ]"

	# xl refuses a target above the maximum; nothing moves
	xb=$(xen_kb)
	if xl mem-set $D 2048m >/tmp/above.log 2>&1; then rc=0; else rc=1; fi
	sleep 2
	ck "${G}_above_max_xl_refuses" "xl_failed=$rc xen_kb $xb -> $(xen_kb)" eq "$rc $(xen_kb)" "1 $xb"

	# memory/target above Xen's maximum, written directly; held IDLE_S s
	xenstore-write /local/domain/$D/memory/target $((1400 * 1024))
	sleep 2
	idle above_max

	# a burst, as qmemman writes targets
	for t in 900 700 1100 500; do xenstore-write /local/domain/$D/memory/target $((t * 1024)); done
	move burst 800 xenstore-write /local/domain/$D/memory/target $((800 * 1024))

	# the host runs out of memory before the target is reached; held IDLE_S s
	F=$(free_mib); OOM=$((800 + F + 256))
	xl mem-max $D ${OOM}m
	xenstore-write /local/domain/$D/memory/target $((OOM * 1024))
	p=0; while :; do a=$(xen_kb); sleep 3; b=$(xen_kb); [ "$a" = "$b" ] && break; p=$((p + 1)); [ $p -lt 40 ] || break; done
	say "$G: out of memory at xen_kb=$b (target $((OOM * 1024)), free $(free_mib) MiB)"
	ck "${G}_oom_grew" "xen_kb=$b free_mib=$(free_mib)" eval "[ $b -gt $((800 * 1024)) ] && [ $b -lt $((OOM * 1024)) ]"
	idle host_oom
	move after_oom 256 xl mem-set $D 256m

	if [ $G = ballast ]; then
		# rmmod hands every ballooned page to the kernel's balloon, unpopulated:
		# Xen's count does not move; a new insmod takes them all again.
		figures
		xb=$(xen_kb); lb=$(fig low_kb); cb=$(fig current_kb)
		figures rmmod ballast
		xa=$(xen_kb)
		ck ballast_unload "xen_kb $xb -> $xa, balloon_kb=$lb, xen_memory0 after: $(fig current_kb)" \
			eq "$xa $(fig current_kb)" "$xb -"
		figures insmod /ballast.ko
		say "ballast: reloaded: xen_kb=$(xen_kb) current_kb=$(fig current_kb) low_kb=$(fig low_kb) borrowed_kb=$(fig borrowed_kb)"
		ck ballast_reload_takes_all_back "balloon_kb $lb -> $(fig low_kb), current_kb $cb -> $(fig current_kb)" \
			eq "$(fig low_kb) $(fig borrowed_kb) $(fig current_kb)" "$lb $lb $xa"
		move after_reload 320 xl mem-set $D 320m
	fi
	grep -E 'Oops|BUG:|WARNING:|Call Trace|Kernel panic|insmod-failed' /var/log/xen/console/guest-$G.log && say "$G-guest-kernel-complained"
	xl destroy $D
	i=0; while [ "$(free_mib)" != "$F0" ] && [ $i -lt 60 ]; do sleep 0.5; i=$((i + 1)); done
	ck "${G}_destroy_frees_all" "free_memory $(free_mib) MiB, before create $F0 MiB" eq "$(free_mib)" "$F0"
	echo "--- $G console (tail) ---"; tail -n 25 /var/log/xen/console/guest-$G.log
}

# Side by side: both guests at once, at 512 MiB, moves of 64 and 256 MiB out
# and back through memory/target (as qmemman writes it; xl costs 0.4-0.9 s
# of process start under emulation, as much as a move), alternated between
# the drivers and the order swapped every repetition, so that the load of a
# shared machine falls on both alike. 3 repetitions.
side_by_side() {
	scrubbed
	F0=$(free_mib)
	say "side by side: create both guests (free_memory ${F0} MiB)"
	for G in ballast builtin; do
		xl create /etc/xen/$G.cfg >/tmp/create.log 2>&1 || { cat /tmp/create.log; say "sxs-$G-create-failed"; return; }
		eval "D_$G=$(xl domid $G)"
	done
	for G in ballast builtin; do
		eval "D=\$D_$G"
		ASK_TRIES=1200 figures || { say "sxs-$G-no-agent"; return; }
	done
	for G in ballast builtin; do # both booted: neither move shares the CPU with a boot
		eval "D=\$D_$G"
		move sxs_start 512 xl mem-set $D 512m
	done
	for rep in 1 2 3; do
		if [ $rep = 2 ]; then order="builtin ballast"; else order="ballast builtin"; fi
		for mib in 64 256; do
			for dir in out in; do
				for G in $order; do
					eval "D=\$D_$G"
					t=512; [ $dir = out ] && t=$((512 - mib))
					move $dir$mib $t xenstore-write /local/domain/$D/memory/target $((t * 1024))
				done
			done
		done
	done
	for G in ballast builtin; do eval "xl destroy \$D_$G"; done
	i=0; while [ "$(free_mib)" != "$F0" ] && [ $i -lt 60 ]; do sleep 0.5; i=$((i + 1)); done
	ck sxs_destroy_frees_all "free_memory $(free_mib) MiB, before create $F0 MiB" eq "$(free_mib)" "$F0"
}

SEQ=0
run_guest ballast
run_guest builtin
side_by_side
say "end"
poweroff -f

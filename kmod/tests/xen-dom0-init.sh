#!/bin/busybox sh
# /init for the Xen dom0 run (tests/xen-dom0.sh): ballast.ko on a real
# hypervisor (Xen 4.17, this kernel as PV dom0, dom0_mem=1024M,max:2048M),
# beside the built-in balloon driver. One boot, phases:
#   A  side by side: 64/256 MiB out and back, built-in driver vs ballast, 3 reps
#      (time to target polled every 10 ms, hypercalls counted by kprobes on
#      xenmem_reservation_{increase,decrease}, Xen's count after each move)
#   C  Xen refuses part of an increase (domain at its maximum reservation):
#      backoff, bounded worker wake-ups
#   E  a target below what the guest can free: allocation stops, backoff,
#      no OOM kill, no page lost
#   F  fault injection (module parameters) on the real hypervisor
#   D  raise above the start up to the domain's maximum (pages taken from
#      the built-in driver's balloon), target above the maximum rejected
#   G  unload: every page back, Xen's count where it started
#   H  (first) 2 MiB extents (superpages, ballast's default): 512 MiB out
#      and back, built-in driver vs ballast, 2 reps; every hypercall of each
#      move counted, per GiB
# Phases A-G load ballast with superpages=0: they compare the 4 KiB
# machinery with the built-in driver batch by batch.
# Every assertion prints "BALLAST-CHECK <name> PASS|FAIL <detail>"; the host
# script decides from these lines and the end marker only.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
echo 7 > /proc/sys/kernel/printk
say() { echo "BALLAST-MARK: $*"; }
ck() { _n=$1; _d=$2; shift 2; if "$@"; then echo "BALLAST-CHECK $_n PASS $_d"; else echo "BALLAST-CHECK $_n FAIL $_d"; fi; }
D=/sys/devices/system/ballast/ballast0
B=/sys/devices/system/xen_memory/xen_memory0
P=/sys/module/ballast/parameters
T=/sys/kernel/tracing
BATCH_KB=2048          # one batch: 512 pages
REPS=3
rd() { cat "$1"; }
xen() { cat $D/info/xen_current_kb; }
cur() { cat $D/info/current_kb; }
memtotal() { awk '/^MemTotal:/ {print $2}' /proc/meminfo; }
abs() { if [ "$1" -lt 0 ]; then echo $((-$1)); else echo "$1"; fi; }
near() { [ "$(abs $(($1 - $2)))" -le $BATCH_KB ]; }   # within one batch
eq() { [ "$1" = "$2" ]; }
le() { [ "$1" -le "$2" ]; }
ctr() { cat $D/counters/$1; }
# move <write-file> <value> <poll-file> <timeout-ms>: sets MS, REACHED
move() {
	_r=$(xen-tool move "$1" "$2" "$3" "$2" "$4")
	MS=${_r#ms=}; MS=${MS%% *}
	case "$_r" in *reached=1*) REACHED=1;; *) REACHED=0;; esac
}
kp_reset() { echo > $T/trace; }
kp_count() { grep -c " $1:" $T/trace; }
kprobes_on() {
	echo 'p:ballast_xinc xenmem_reservation_increase nr=%di:s32' > $T/kprobe_events
	echo 'p:ballast_xdec xenmem_reservation_decrease nr=%di:s32' >> $T/kprobe_events
	echo 4096 > $T/buffer_size_kb
	echo 1 > $T/events/kprobes/enable || say "kprobe-failed"
}

say "start"
insmod /xen-privcmd.ko 2>/dev/null

# ---------------------------------------------------------------- H
# 2 MiB extents: the built-in driver and ballast (superpages by default)
# side by side, 512 MiB out and back from the same start, 2 reps each. Every hypercall of a move is counted: the 4 KiB reservation
# calls (kprobes on xenmem_reservation_{increase,decrease}), the per-page
# mapping updates (kprobes on __xenmem_reservation_va_mapping_{update,reset},
# which both drivers call with one page), the built-in driver's TLB flush
# (kprobe on flush_tlb_all: one MMUEXT per flush with one vCPU), and the
# hypercalls ballast's glue issues itself (counters/hypercalls_direct:
# reservations of order 9, one multicall per 2 MiB block's mapping updates,
# TLB flushes). Xen's own count (XENMEM_current_reservation) must move by
# exactly the target, and ballast's extents must add up to it.
# H runs first, on the freshly booted dom0: a PV guest's 2 MiB block can
# be one extent only if its machine frames are consecutive, as Xen built
# dom0's memory; after phases A-G have moved 4 KiB pages out and back, Xen
# has repopulated them frame by frame and no block is (measured: every
# block fell back to 4 KiB, the same counts as the built-in driver).
say "H: superpages"
kprobes_on
for f in __xenmem_reservation_va_mapping_update:ballast_vup __xenmem_reservation_va_mapping_reset:ballast_vrs flush_tlb_all:ballast_ftl; do
	echo "p:${f#*:} ${f%%:*}" >> $T/kprobe_events || say "kprobe-${f%%:*}-failed"
	echo 1 > $T/events/kprobes/${f#*:}/enable
done
hits() { awk -v e="$1" '$1 == e { print $2 }' $T/kprobe_profile; }
insmod /ballast.ko || say "insmod-failed"
CH=$(cur); XH=$(xen); BH=$(rd $B/target_kb)
ck H_superpages_default "superpages=$(cat $P/superpages) ballast=$CH xen=$XH" eq "$(cat $P/superpages) $CH" "-1 $XH"
h_move() { # <driver> <dir> <mib> <rep>
	drv=$1; dir=$2; mib=$3; rep=$4; kb=$((mib * 1024))
	if [ $drv = builtin ]; then base=$BH; W=$B/target_kb; R=$B/info/current_kb
	else base=$CH; W=$D/target_kb; R=$D/info/current_kb; fi
	if [ $dir = out ]; then tgt=$((base - kb)); want=$((-kb)); else tgt=$base; want=$kb; fi
	xb=$(xen); mb=$(memtotal)
	i0=$(hits ballast_xinc); d0=$(hits ballast_xdec); u0=$(hits ballast_vup); r0=$(hits ballast_vrs); f0=$(hits ballast_ftl)
	o0=$(( $(ctr hypercalls_increase) + $(ctr hypercalls_decrease) )); g0=$(ctr hypercalls_direct)
	x0=$(( $(ctr extents_out_2m) + $(ctr extents_in_2m) )); k0=$(( $(ctr extents_out_4k) + $(ctr extents_in_4k) ))
	move $W $tgt $R 60000
	xa=$(xen); ma=$(memtotal)
	res=$(( $(hits ballast_xinc) - i0 + $(hits ballast_xdec) - d0 ))
	va=$(( $(hits ballast_vup) - u0 + $(hits ballast_vrs) - r0 )); ftl=$(( $(hits ballast_ftl) - f0 ))
	if [ $drv = ballast ]; then
		own=$(( $(ctr hypercalls_increase) + $(ctr hypercalls_decrease) - o0 )); direct=$(( $(ctr hypercalls_direct) - g0 ))
		ext2m=$(( $(ctr extents_out_2m) + $(ctr extents_in_2m) - x0 )); ext4k=$(( $(ctr extents_out_4k) + $(ctr extents_in_4k) - k0 ))
		# reservation calls: the core counts all (4 KiB ones are also the kprobes')
		resall=$own; all=$((res + va + direct)); ftl=-
		ck "H_ballast_extents_${dir}_r$rep" "2m=$ext2m 4k=$ext4k xen_delta_kb=$((xa - xb))" \
			eq "$((ext2m * 2048 + ext4k * 4)) $([ $ext2m -gt 0 ] && echo 1)" "$(abs $((xa - xb))) 1"
	else
		own=-; direct=-; ext2m=-; ext4k=-; resall=$res; all=$((res + va + ftl))
	fi
	echo "drv=$drv dir=$dir mib=$mib ms=$MS res=$resall all=$all" >> /super.log
	echo "BALLAST-SUPER drv=$drv dir=$dir mib=$mib rep=$rep ms=$MS reached=$REACHED res_hc=$resall all_hc=$all kprobe_res=$res kprobe_va=$va kprobe_tlb=$ftl ballast_direct=$direct extents_2m=$ext2m extents_4k=$ext4k xen_delta_kb=$((xa - xb)) memtotal_delta_kb=$((ma - mb))"
	ck "H_${drv}_${dir}_r$rep" "reached=$REACHED xen_delta_kb=$((xa - xb)) want=$want memtotal_delta_kb=$((ma - mb))" \
		eq "$REACHED $((xa - xb)) $((ma - mb))" "1 $want $want"
}
# ballast's reps first: the built-in driver's 4 KiB moves leave the memory
# they repopulate machine-fragmented (Xen hands out single frames), and a
# PV block is one extent only if its machine frames are consecutive.
for drv in ballast builtin; do
	for rep in 1 2; do
		h_move $drv out 512 $rep
		h_move $drv back 512 $rep
	done
done
ck H_back_at_start "xen=$(xen) start=$XH" eq "$(xen)" "$XH"
# Per GiB (the moves are 512 MiB: x2), out and back together, both reps
# averaged: reservation hypercalls, all hypercalls, ms; ballast/built-in.
awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
       d = f["drv"]; g = 1024 / f["mib"] / 2; t[d] += f["ms"] * g; r[d] += f["res"] * g; a[d] += f["all"] * g }
     END { printf "BALLAST-SUMMARY super reps=2 per_gib_out_and_back builtin_res_hc=%.0f ballast_res_hc=%.0f res_hc_ratio=%.5f builtin_all_hc=%.0f ballast_all_hc=%.0f all_hc_ratio=%.5f builtin_ms=%.1f ballast_ms=%.1f time_ratio=%.3f\n",
             r["builtin"], r["ballast"], r["ballast"] / r["builtin"], a["builtin"], a["ballast"], a["ballast"] / a["builtin"],
             t["builtin"], t["ballast"], t["ballast"] / t["builtin"] }' /super.log
rmmod ballast || say "rmmod-failed"
for e in ballast_vup ballast_vrs ballast_ftl; do echo 0 > $T/events/kprobes/$e/enable; done
insmod /ballast.ko superpages=0 || say "insmod-failed"
ck H_unload_exact "xen=$(xen) want=$XH" eq "$(xen)" "$XH"

X0=$(xen); C0=$(cur); M0=$(memtotal); MAX=$(cat $D/info/xen_max_kb)
BT0=$(rd $B/target_kb); BL0=$(rd $B/info/low_kb)
say "initial xen_kb=$X0 ballast_current_kb=$C0 memtotal_kb=$M0 xen_max_kb=$MAX builtin_target_kb=$BT0 builtin_balloon_kb=$BL0"
ck p0_start_matches_xen "ballast=$C0 xen=$X0" eq "$C0" "$X0"

# ---------------------------------------------------------------- A
# built-in vs ballast, same amounts from the same starting point.
one_move() { # <driver> <dir> <mib> <rep>
	drv=$1; dir=$2; mib=$3; rep=$4; kb=$((mib * 1024))
	if [ $drv = builtin ]; then base=$BT0; W=$B/target_kb; R=$B/info/current_kb
	else base=$C0; W=$D/target_kb; R=$D/info/current_kb; fi
	if [ $dir = out ]; then tgt=$((base - kb)); else tgt=$base; fi
	xb=$(xen); mb=$(memtotal); hi0=$(ctr hypercalls_increase); hd0=$(ctr hypercalls_decrease)
	kp_reset
	move $W $tgt $R 30000
	xa=$(xen); ma=$(memtotal)
	kpi=$(kp_count ballast_xinc); kpd=$(kp_count ballast_xdec)
	hc=$((kpi + kpd))
	own=$(( $(ctr hypercalls_increase) - hi0 + $(ctr hypercalls_decrease) - hd0 ))
	[ $drv = builtin ] && own=-
	echo "BALLAST-SXS drv=$drv dir=$dir mib=$mib ms=$MS hc=$hc" >> /sxs.log
	echo "BALLAST-SXS drv=$drv dir=$dir mib=$mib rep=$rep ms=$MS reached=$REACHED hc_kprobe=$hc hc_own=$own xen_delta_kb=$((xa - xb)) xen_after_kb=$xa memtotal_delta_kb=$((ma - mb))"
	if [ $dir = out ]; then want=$((-kb)); else want=$kb; fi
	ck "A_${drv}_${dir}_${mib}_r$rep" "reached=$REACHED xen_delta_kb=$((xa - xb)) want=$want memtotal_delta_kb=$((ma - mb))" \
		eq "$REACHED $((xa - xb)) $((ma - mb))" "1 $want $want"
	if [ $drv = ballast ]; then
		ck "A_ballast_hc_${dir}_${mib}_r$rep" "own=$own kprobe=$hc" eq "$own" "$hc"
	fi
	eval "XAFTER_${drv}_${dir}_${mib}=$xa"
}
rep=1
while [ $rep -le $REPS ]; do
	for mib in 64 256; do
		if [ $((rep % 2)) = 1 ]; then order="builtin ballast"; else order="ballast builtin"; fi
		for drv in $order; do
			one_move $drv out $mib $rep
			eval "xo_$drv=\$XAFTER_${drv}_out_${mib}"
			one_move $drv back $mib $rep
		done
		ck "A_same_count_${mib}_r$rep" "xen_after_out builtin=$xo_builtin ballast=$xo_ballast" eq "$xo_builtin" "$xo_ballast"
	done
	rep=$((rep + 1))
done
ck A_back_at_start "xen=$(xen) start=$X0" eq "$(xen)" "$X0"
# Ratios ballast/built-in: time summed over the reps, per move and in all;
# hypercalls (kprobe counts) in all.
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
       k = f["dir"] f["mib"]; t[f["drv"], k] += f["ms"]; T[f["drv"]] += f["ms"]; H[f["drv"]] += f["hc"] }
     END { line = sprintf("BALLAST-SUMMARY sxs reps='$REPS' builtin_ms=%.1f ballast_ms=%.1f time_ratio=%.3f builtin_hc=%d ballast_hc=%d hc_ratio=%.3f",
                          T["builtin"], T["ballast"], T["ballast"] / T["builtin"], H["builtin"], H["ballast"], H["ballast"] / H["builtin"])
           n = split("out64 back64 out256 back256", ks, " ")
           for (j = 1; j <= n; j++) line = line sprintf(" %s=%.1f/%.1f=%.3f", ks[j], t["ballast", ks[j]], t["builtin", ks[j]], t["ballast", ks[j]] / t["builtin", ks[j]])
           print line }' /sxs.log

# ---------------------------------------------------------------- C
# Xen refuses part of an increase: ballast gives 256 MiB back, the built-in
# driver takes 192 MiB of that room, the domain's maximum is lowered to the
# initial size (XEN_DOMCTL_max_mem, as `xl mem-max`), then ballast's target
# goes back to its start (still <= the maximum, so sysfs accepts it): Xen
# populates 64 MiB and refuses the rest.
say "C: refusal"
move $D/target_kb $((C0 - 262144)) $D/info/current_kb 30000
move $B/target_kb $((BT0 + 196608)) $B/info/current_kb 30000
xen-tool maxmem 0 $X0
ck C_maxmem_lowered "xen_max_kb=$(cat $D/info/xen_max_kb) want=$X0" eq "$(cat $D/info/xen_max_kb)" "$X0"
if echo $((X0 + 4)) > $D/target_kb 2>/dev/null; then rej=0; else rej=1; fi
ck C_target_above_max_rejected "rejected=$rej target_kb=$(cat $D/target_kb)" eq "$rej $(cat $D/target_kb)" "1 $((C0 - 262144))"
MRC=$(cat $D/max_retry_count); MSD=$(cat $D/max_schedule_delay)
w0=$(ctr worker_runs); hi0=$(ctr hypercalls_increase); kp_reset
echo $C0 > $D/target_kb
# backoff 2+4+8 s (max_retry_count=4: 4 runs, then the worker gives up)
sleep 17
w1=$(ctr worker_runs); sleep 5; w2=$(ctr worker_runs)
runs=$((w1 - w0)); hic=$(( $(ctr hypercalls_increase) - hi0 )); kpi=$(kp_count ballast_xinc)
xc=$(xen); cc=$(cur)
say "C: worker_runs=$runs (then +$((w2 - w1)) in 5 s) hypercalls_increase=$hic kprobe_increase=$kpi xen_kb=$xc max_kb=$X0 ballast_current_kb=$cc low_kb=$(cat $D/info/low_kb) retry_count=$(cat $D/retry_count) schedule_delay=$(cat $D/schedule_delay) max_retry_count=$MRC max_schedule_delay=$MSD ev_hang_spin=$(ctr ev_hang_spin)"
# Bound from the schedule: one run per retry (delays 1<<1, 1<<2, ... capped
# at max_schedule_delay), max_retry_count runs in all, +1 for a coincident kick.
ck C_worker_runs_bounded "runs=$runs bound=$((MRC + 1)) idle_after=$((w2 - w1))" eval "[ $runs -le $((MRC + 1)) ] && [ $runs -ge 2 ] && [ $((w2 - w1)) = 0 ]"
ck C_xen_at_max "xen=$xc max=$X0" eq "$xc" "$X0"
ck C_no_page_lost "xen=$xc expected=$((X0 - 65536 + cc - (C0 - 262144)))" eq "$xc" "$((X0 - 65536 + cc - (C0 - 262144)))"
ck C_partial_then_refused "populated_kb=$((cc - (C0 - 262144))) want=65536 low_kb=$(cat $D/info/low_kb)" eq "$((cc - (C0 - 262144))) $(cat $D/info/low_kb)" "65536 196608"
ck C_hypercalls "ballast=$hic kprobe=$kpi want=$((65536 / BATCH_KB + runs))" eq "$hic $kpi" "$((65536 / BATCH_KB + runs)) $((65536 / BATCH_KB + runs))"
ck C_no_spin "ev_hang_spin=$(ctr ev_hang_spin)" eq "$(ctr ev_hang_spin)" 0
xen-tool maxmem 0 $MAX
move $B/target_kb $BT0 $B/info/current_kb 30000
move $D/target_kb $C0 $D/info/current_kb 30000
ck C_restored "reached=$REACHED xen=$(xen) start=$X0 max=$(cat $D/info/xen_max_kb)" eq "$REACHED $(xen) $(cat $D/info/xen_max_kb)" "1 $X0 $MAX"

# ---------------------------------------------------------------- E
# A target below what the guest can free (64 MiB): ballast takes what the
# allocator gives without reclaim, then backs off; nothing is OOM-killed.
say "E: starve"
w0=$(ctr worker_runs); af0=$(ctr alloc_failures); po0=$(ctr pages_out)
echo 65536 > $D/target_kb
# Wait for the backoff to end: max_retry_count runs, retry_count back to 1
# (the first run does the bulk of the work, so the end time varies).
i=0
while [ $i -lt 60 ]; do
	sleep 1; i=$((i + 1))
	read -r w1 < $D/counters/worker_runs; read -r rc < $D/retry_count
	[ $((w1 - w0)) -ge $MRC ] && [ "$rc" = 1 ] && break
done
sleep 5; read -r w2 < $D/counters/worker_runs
read -r xe < $D/info/xen_current_kb; read -r ce < $D/info/current_kb; read -r le_ < $D/info/low_kb
read -r af < $D/counters/alloc_failures; read -r ma < /proc/meminfo
echo 20 > /proc/sys/kernel/printk_ratelimit_burst 2>/dev/null
echo $C0 > $D/target_kb
say "E: after ${i}s worker_runs=$((w1 - w0)) (then +$((w2 - w1)) in 5 s) alloc_failures=$((af - af0)) xen_kb=$xe ballast_current_kb=$ce low_kb=$le_ ballooned_kb=$((C0 - ce)) $ma"
sleep 3
ck E_target_not_reached "current=$ce target=65536" eval "[ $ce -gt 65536 ]"
ck E_no_page_lost "xen=$xe expected=$((X0 - (C0 - ce))) low_kb=$le_" eq "$xe $le_" "$((X0 - (C0 - ce))) $((C0 - ce))"
ck E_worker_runs_bounded "runs=$((w1 - w0)) bound=$((MRC + 1)) idle_after=$((w2 - w1))" eval "[ $((w1 - w0)) -le $((MRC + 1)) ] && [ $((w2 - w1)) = 0 ]"
ck E_no_oom "$(dmesg | grep -ciE 'out of memory|oom-kill|invoked oom-killer') oom lines" eval "! dmesg | grep -qiE 'out of memory|oom-kill|invoked oom-killer'"
move $D/target_kb $C0 $D/info/current_kb 30000
ck E_restored "reached=$REACHED xen=$(xen) start=$X0" eq "$REACHED $(xen)" "1 $X0"

# ---------------------------------------------------------------- F
say "F: fault injection"
perm_ok=1
for p in fail_increase fail_decrease partial_increase partial_decrease fail_alloc; do
	[ "$(stat -c '%a %u' $P/$p)" = "644 0" ] || perm_ok=0
done
ck F_params_root_only "modes: $(stat -c '%n=%a' $P/fail_increase $P/partial_decrease)" eq $perm_ok 1
bad=0
for v in -1 +1 abc 1x '' ' 1' 0x10 1000001 99999999999; do
	echo "$v" > $P/fail_increase 2>/dev/null && bad=$((bad + 1))
done
for v in 512 1000 -3; do echo "$v" > $P/partial_decrease 2>/dev/null && bad=$((bad + 1)); done
ck F_params_strict "accepted_bad=$bad values=$(cat $P/fail_increase),$(cat $P/partial_decrease)" eq "$bad $(cat $P/fail_increase) $(cat $P/partial_decrease)" "0 0 0"
fi0=$(ctr faults_injected); rb0=$(ctr ev_decrease_rollback)
# F1: Xen really releases only 100 of the first 512 frames: the core remaps
# the other 412, backs off, then goes on to the target.
echo 100 > $P/partial_decrease
move $D/target_kb $((C0 - 65536)) $D/info/current_kb 30000
ck F1_partial_decrease "reached=$REACHED ms=$MS rollbacks=$(( $(ctr ev_decrease_rollback) - rb0)) xen=$(xen) want=$((X0 - 65536)) low_kb=$(cat $D/info/low_kb)" \
	eq "$REACHED $(( $(ctr ev_decrease_rollback) - rb0)) $(xen) $(cat $D/info/low_kb)" "1 1 $((X0 - 65536)) 65536"
# F2: two populate hypercalls fail: backoff 2 s + 4 s, then it completes.
echo 2 > $P/fail_increase
w0=$(ctr worker_runs)
move $D/target_kb $C0 $D/info/current_kb 30000
ck F2_failed_increase "reached=$REACHED ms=$MS runs=$(( $(ctr worker_runs) - w0)) xen=$(xen) want=$X0 low_kb=$(cat $D/info/low_kb)" \
	eq "$REACHED $(( $(ctr worker_runs) - w0)) $(xen) $(cat $D/info/low_kb)" "1 3 $X0 0"
# F3: decrease keeps failing (fault held): every batch is rolled back, the
# worker gives up after max_retry_count runs, nothing is lost; cleared, the
# target is reached. (max_schedule_delay=1 keeps this short.)
echo 1 > $D/max_schedule_delay
echo 1000 > $P/fail_decrease
w0=$(ctr worker_runs); rb0=$(ctr ev_decrease_rollback)
echo $((C0 - 16384)) > $D/target_kb
sleep 5
runs=$(( $(ctr worker_runs) - w0)); rbs=$(( $(ctr ev_decrease_rollback) - rb0))
ck F3_held_fault "runs=$runs rollbacks=$rbs xen=$(xen) current=$(cur) low_kb=$(cat $D/info/low_kb)" \
	eq "$runs $rbs $(xen) $(cur) $(cat $D/info/low_kb)" "$MRC $MRC $X0 $C0 0"
echo 0 > $P/fail_decrease
move $D/target_kb $((C0 - 16384)) $D/info/current_kb 30000
ck F3_cleared "reached=$REACHED xen=$(xen) want=$((X0 - 16384))" eq "$REACHED $(xen)" "1 $((X0 - 16384))"
# F4: a genuine partial populate (Xen gets 100 frames of the first batch).
echo 100 > $P/partial_increase
move $D/target_kb $C0 $D/info/current_kb 30000
ck F4_partial_increase "reached=$REACHED xen=$(xen) want=$X0" eq "$REACHED $(xen) $(cat $P/partial_increase)" "1 $X0 0"
# F5: page allocations fail three times: backoff, then the target.
af0=$(ctr alloc_failures)
echo 3 > $P/fail_alloc
move $D/target_kb $((C0 - 8192)) $D/info/current_kb 30000
ck F5_failed_alloc "reached=$REACHED alloc_failures=$(( $(ctr alloc_failures) - af0)) xen=$(xen) want=$((X0 - 8192))" \
	eq "$REACHED $(( $(ctr alloc_failures) - af0)) $(xen)" "1 3 $((X0 - 8192))"
move $D/target_kb $C0 $D/info/current_kb 30000
echo $MSD > $D/max_schedule_delay
ck F_all_faults_counted "faults_injected=$(( $(ctr faults_injected) - fi0)) want=$((1 + 2 + MRC + 1 + 3))" eq "$(( $(ctr faults_injected) - fi0))" "$((1 + 2 + MRC + 1 + 3))"
ck F_end_consistent "xen=$(xen) start=$X0 current=$(cur) low_kb=$(cat $D/info/low_kb)" eq "$(xen) $(cur) $(cat $D/info/low_kb)" "$X0 $C0 0"

# ---------------------------------------------------------------- D
# Above the start, up to the domain's maximum: ballast takes the built-in
# driver's unpopulated pages and populates them. On 6.1 the built-in balloon
# holds the PV extra region (the room up to max:) and ballast reaches the
# maximum; since 6.10 CONFIG_XEN_UNPOPULATED_ALLOC takes the extra region at
# boot, so ballast can grow by what the built-in balloon holds now (what
# phase C left there), no more: the target is the start plus that.
say "D: grow to the maximum"
mb=$(memtotal); bb=$(rd $B/info/low_kb)
GT=$((C0 + bb)); [ $GT -gt $MAX ] && GT=$MAX
ck D_borrowable "builtin_balloon_kb=$bb start=$C0 max=$MAX growth_target_kb=$GT" eval "[ $bb -gt 0 ]"
move $D/target_kb $GT $D/info/current_kb 60000
xd=$(xen); md=$(memtotal)
say "D: ms=$MS xen_kb=$xd max_kb=$MAX growth_target_kb=$GT borrowed_kb=$(cat $D/info/borrowed_kb) builtin_balloon_kb=$(rd $B/info/low_kb) (was $bb) memtotal_delta_kb=$((md - mb))"
ck D_grown_to_target "reached=$REACHED xen=$xd target=$GT" eval "[ $REACHED = 1 ] && near $xd $GT"
ck D_memtotal "memtotal_delta_kb=$((md - mb)) want=$((GT - C0))" near "$((md - mb))" "$((GT - C0))"
if echo $((MAX + 4)) > $D/target_kb 2>/dev/null; then rej=0; else rej=1; fi
ck D_above_max_rejected "rejected=$rej target_kb=$(cat $D/target_kb) xen=$(xen)" eq "$rej $(cat $D/target_kb) $(xen)" "1 $GT $xd"

# ---------------------------------------------------------------- G
say "G: unload"
move $D/target_kb $((C0 - 32768)) $D/info/current_kb 60000
ck G_before_rmmod "reached=$REACHED xen=$(xen) want=$((X0 - 32768)) low_kb=$(cat $D/info/low_kb)" eq "$REACHED $(xen)" "1 $((X0 - 32768))"
rmmod ballast || say "rmmod-failed"
insmod /ballast.ko superpages=0 || say "insmod-failed"
xg=$(xen); mg=$(memtotal)
say "G: after rmmod xen_kb=$xg (start $X0) memtotal_kb=$mg (start $M0) builtin_balloon_kb=$(rd $B/info/low_kb) (before D $bb, at boot $BL0) builtin_current_kb=$(rd $B/info/current_kb)"
ck G_xen_back_at_start "xen=$xg start=$X0" eq "$xg" "$X0"
ck G_memtotal_back "memtotal=$mg start=$M0" eq "$mg" "$M0"
ck G_builtin_balloon_back "builtin_balloon_kb=$(rd $B/info/low_kb) before_D=$bb" eq "$(rd $B/info/low_kb)" "$bb"
# The pages returned to the built-in driver are usable by it.
move $B/target_kb $((BT0 + 131072)) $B/info/current_kb 30000
ck G_builtin_grows_after "reached=$REACHED xen=$(xen) want=$((X0 + 131072))" eq "$REACHED $(xen)" "1 $((X0 + 131072))"
move $B/target_kb $BT0 $B/info/current_kb 30000
rmmod ballast
ck G_no_oom "" eval "! dmesg | grep -qiE 'out of memory|oom-kill|invoked oom-killer'"

dmesg | grep -E 'ballast' | tail -n 12
say "end"
poweroff -f

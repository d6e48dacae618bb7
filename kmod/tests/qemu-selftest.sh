#!/bin/sh
# qemu-selftest.sh [workdir] [series]
# series: the kernel series to use (6.1, 6.12; kver.sh --boot SERIES), default the newest.
# Boots the installed Debian kernel under QEMU (TCG, no KVM), loads ballast.ko
# with selftest=1, checks its KTAP output, the sysfs interface, 20 more
# load/unload cycles, a run of the 2 MiB extent cases (superpages=1) and
# free memory (MemFree and the per-CPU lists) before/after. Decides from markers in the
# serial log only, never from QEMU's exit code.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kmod=$(dirname "$here")
work=${1:-$(mktemp -d /tmp/ballast-qemu.XXXXXX)}
mkdir -p "$work"
# Tolerance for MemFree(after) vs MemFree(before), KiB. One selftest run
# balloons thousands of pages; a leak of even 1 page per run would be caught
# exactly by the module's own allocated==freed check; this bound catches
# gross leaks the module cannot see (slab, sysfs, page tables) and absorbs
# page-cache/slab noise of the busybox userland.
MEMFREE_TOLERANCE_KB=${MEMFREE_TOLERANCE_KB:-2048}
REPEATS=20
TIMEOUT=${QEMU_TIMEOUT:-240}

kver=$("$here/kver.sh" --boot ${2:-})
vmlinuz=/boot/vmlinuz-$kver
echo "kernel: $kver ($vmlinuz)"
[ -r "$vmlinuz" ] || { echo "FAIL: $vmlinuz not readable"; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { echo "FAIL: qemu-system-x86_64 missing (qemu-system-x86)"; exit 1; }

# 1. Build the module against exactly that kernel's headers.
make -s -C "$kmod" KVER="$kver" BUILD="$work/mod" modules >"$work/build.log" 2>&1 ||
	{ cat "$work/build.log"; echo "FAIL: module build"; exit 1; }
ko="$work/mod/ballast.ko"
[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$kver" ] || { echo "FAIL: vermagic mismatch"; exit 1; }

# 2. busybox-static initramfs (newc cpio + gzip).
bb=$(command -v busybox || true)
[ -n "$bb" ] && file -L "$bb" | grep -q 'statically linked' ||
	{ echo "FAIL: a static busybox is needed (busybox-static)"; exit 1; }
root="$work/root"
rm -rf "$root"
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$bb" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$here/initramfs-init.sh" "$root/init"
cp "$ko" "$root/ballast.ko"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.cpio.gz"

# 3. Boot.
log="$work/serial.log"
start=$(date +%s.%N)
timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
	-kernel "$vmlinuz" -initrd "$work/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 quiet loglevel=7 printk.time=0" \
	</dev/null >"$log" 2>&1 || true
end=$(date +%s.%N)
boot_s=$(echo "$end - $start" | bc)
tr -d '\r' <"$log" >"$log.clean"
L="$log.clean"

# 4. Decide from markers.
fail=0
bad() { echo "FAIL: $*"; fail=1; }
grep -q 'BALLAST-MARK: start' "$L" || bad "init never started"
grep -q 'BALLAST-MARK: end' "$L" || bad "end marker missing (hang, crash or timeout after ${TIMEOUT}s)"
grep -q 'BALLAST-MARK: .*-failed' "$L" && bad "$(grep 'BALLAST-MARK: .*-failed' "$L" | head -3)"
for pat in 'Oops' 'BUG:' 'kernel BUG' 'WARNING:' 'Call Trace' 'general protection' 'Kernel panic' \
	'UBSAN' 'KASAN' 'list_add corruption' 'list_del corruption' 'Bad page'; do
	grep -q "$pat" "$L" && bad "kernel reported '$pat': $(grep -m1 "$pat" "$L")"
done

# KTAP: the first run in detail, every run's totals.
awk '
/^KTAP version 1$/ { run++; next }
run == 1 && /^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0 }
run == 1 && /^(not )?ok [0-9]+ / {
	n = ($1 == "not") ? $3 : $2
	seen[n]++; cases++
	if ($1 == "not") nok++
}
END {
	printf "ktap: runs=%d plan=%d cases=%d not_ok=%d\n", run, plan, cases, nok
	if (plan == 0) { print "FAIL: no KTAP plan"; bad = 1 }
	for (i = 1; i <= plan; i++) if (seen[i] != 1) { print "FAIL: KTAP case " i " missing or repeated"; bad = 1 }
	if (cases != plan) { print "FAIL: " cases " cases for plan " plan; bad = 1 }
	exit bad
}' "$L" || fail=1
grep '^not ok' "$L" | sed 's/^/FAIL: /' | sort -u | head -20
grep -q '^not ok' "$L" && fail=1
# Runs: the first, REPEATS cycles, and the 2 MiB extent run (superpages=1).
nruns=$((REPEATS + 2))
runs=$(grep -c '^KTAP version 1$' "$L" || true)
[ "$runs" -eq $nruns ] || bad "expected $nruns selftest runs, saw $runs"
totals_ok=$(grep -c '^# Totals: pass:[0-9]* fail:0 ' "$L" || true)
[ "$totals_ok" -eq $nruns ] || bad "only $totals_ok of $nruns runs report fail:0"
balanced=$(grep -c 'ballast-selftest: unload: pages balanced' "$L" || true)
[ "$balanced" -eq $nruns ] || bad "only $balanced of $nruns unloads gave every page back"
grep -q "BALLAST-MARK: cycles $REPEATS" "$L" || bad "load/unload cycles incomplete"
grep -q "BALLAST-MARK: superpages run" "$L" || bad "the superpages=1 run is incomplete"
sp_ok=$(grep -cE '^ok [0-9]+ superpages_' "$L" || true)
[ "$sp_ok" -eq 6 ] || bad "only $sp_ok of 6 superpage cases ok"
grep -E '^    # out: [0-9]+ extents of 2 MiB' "$L" | head -n1

# sysfs interface checks done by /init
sys_ok=$(grep -c '^BALLAST-SYSFS: ok ' "$L" || true)
grep '^BALLAST-SYSFS: not ok' "$L" | sed 's/^/FAIL: /'
grep -q '^BALLAST-SYSFS: not ok' "$L" && fail=1
[ "$sys_ok" -ge 20 ] || bad "only $sys_ok sysfs checks passed"

before=$(sed -n 's/^BALLAST-MARK: memfree-before \([0-9]*\).*/\1/p' "$L")
after=$(sed -n 's/^BALLAST-MARK: memfree-after \([0-9]*\).*/\1/p' "$L")
if [ -n "$before" ] && [ -n "$after" ]; then
	delta=$((before - after))
	echo "memfree: before=${before}KiB after=${after}KiB drop=${delta}KiB (tolerance ${MEMFREE_TOLERANCE_KB}KiB)"
	[ "$delta" -le "$MEMFREE_TOLERANCE_KB" ] || bad "MemFree dropped by ${delta} KiB"
else
	bad "MemFree markers missing"
fi
plan=$(grep -m1 '^1\.\.' "$L" || true)
echo "summary: kernel=$kver boot+run=${boot_s}s ktap_plan=${plan#1..} runs=$runs sysfs_ok=$sys_ok log=$log"
if [ $fail = 0 ]; then echo "PASS"; else echo "--- serial log tail ---"; tail -40 "$L"; fi
exit $fail

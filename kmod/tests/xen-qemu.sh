# xen-qemu.sh: sourced by the real-Xen tests (xen-dom0.sh, xen-domu.sh).
#
# xen_qemu_boot WORK MEM_MB TIMEOUT_S XEN_CMDLINE INITRAMFS
#   boots Xen (WORK/xen.bin) under QEMU TCG with Debian's /boot kernel
#   ($kver) as dom0 and INITRAMFS; the serial log goes to WORK/serial.log,
#   without carriage returns to WORK/serial.clean. Guest RAM is allocated up
#   front (-mem-prealloc): memory Xen hands out for the first time then costs
#   the same as memory it hands out again, so the order of measurements in
#   a boot does not favour the later ones. QEMU's exit code is not used: it
#   exits 0 after a clean poweroff and after a crash alike.
# xen_qemu_judge LOG EXPECTED_CHECKS
#   0 if the log has the end marker, no kernel complaint, no failed check and
#   exactly EXPECTED_CHECKS passed "BALLAST-CHECK" lines; prints each problem.
xen_qemu_boot() {
	_work=$1 _mem=$2 _timeout=$3 _cmdline=$4 _initrd=$5
	_start=$(date +%s)
	timeout "$_timeout" qemu-system-x86_64 -machine pc -accel tcg -cpu qemu64 -m "$_mem" -mem-prealloc \
		-smp 1 -nographic -no-reboot -kernel "$_work/xen.bin" -append "$_cmdline" \
		-initrd "/boot/vmlinuz-$kver console=hvc0 earlyprintk=xen rdinit=/init,$_initrd" \
		</dev/null >"$_work/serial.log" 2>&1 || true
	echo "boot took $(($(date +%s) - _start)) s"
	tr -d '\r' <"$_work/serial.log" >"$_work/serial.clean"
}

xen_qemu_judge() {
	_log=$1 _expected=$2 _bad=0
	grep -q 'BALLAST-MARK: end' "$_log" || { echo "FAIL: no end marker"; _bad=1; }
	if grep -E 'Oops|BUG:|WARNING:|Call Trace|Kernel panic|-failed|complained|did not answer|no-agent' "$_log"; then
		echo "FAIL: a kernel or the test complained (above)"; _bad=1
	fi
	grep 'BALLAST-CHECK .* FAIL' "$_log" && _bad=1
	_npass=$(grep -c 'BALLAST-CHECK .* PASS' "$_log" || true)
	echo "checks passed: $_npass/$_expected (log: $_log)"
	[ "$_npass" = "$_expected" ] || { echo "FAIL: $_npass checks passed, $_expected expected"; _bad=1; }
	return $_bad
}

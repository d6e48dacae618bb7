# domu-summary.awk: the side-by-side and idle figures of tests/xen-domu.sh,
# from its serial log (BALLAST-SXS and BALLAST-IDLE lines).
# Per move: time from the command to Xen's count at the target (ms), MiB/s
# over the move, the slowest 3 s window (Qubes' rule: at least 100 MiB/s of
# progress over any 3 s of a move), the worker's runs and busy time, and the
# ratio ballast/built-in. Moves "out*"/"in*" write memory/target directly
# (the drivers' own speed); the others go through `xl mem-set` (its 0.4-0.9 s
# of process start under emulation included). Totals over the direct moves.
/BALLAST-SXS/ {
	delete f
	for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	k = f["move"]; d = f["drv"]
	if (!(k in seen)) { seen[k] = 1; order[++n] = k }
	ms[d, k] = f["ms"]; mibs[d, k] = f["mibs"]; m3[d, k] = f["min3s_mibs"]
	runs[d, k] = f["worker_runs"]; busy[d, k] = f["worker_ms"]
}
/BALLAST-IDLE/ {
	delete f
	for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	idle[++ni] = sprintf("%-8s %-10s %4s s  wake-ups %3d (%5.1f/min)  worker CPU %7.1f ms (%6.2f ms/min)", \
		f["drv"], f["case"], f["seconds"], f["wakeups"], f["wakeups"] * 60 / f["seconds"], \
		f["cpu_us"] / 1000, f["cpu_us"] / 1000 * 60 / f["seconds"])
}
END {
	printf "%-10s %9s %9s %6s %8s %8s %8s %8s %9s %9s\n", "move", "ballast", "built-in", "ratio", \
		"MiB/s", "MiB/s", "3s MiB/s", "3s MiB/s", "runs/ms", "runs/ms"
	for (j = 1; j <= n; j++) {
		k = order[j]
		if (!(("ballast" SUBSEP k) in ms) || !(("builtin" SUBSEP k) in ms))
			continue
		r = (ms["builtin", k] > 0) ? ms["ballast", k] / ms["builtin", k] : 0
		if (k ~ /^(out|in)[0-9]/) {
			tb += ms["ballast", k]; tu += ms["builtin", k]
			if (m3["ballast", k] + 0 < 100) slow_b = slow_b " " k
			if (m3["builtin", k] + 0 < 100) slow_u = slow_u " " k
		}
		printf "%-10s %7.0fms %7.0fms %6.2f %8.1f %8.1f %8.1f %8.1f %4d/%-4d %4d/%-4d\n", k, \
			ms["ballast", k], ms["builtin", k], r, mibs["ballast", k], mibs["builtin", k], \
			m3["ballast", k], m3["builtin", k], runs["ballast", k], busy["ballast", k], \
			runs["builtin", k], busy["builtin", k]
	}
	printf "BALLAST-SUMMARY domu direct_moves ballast_ms=%.1f builtin_ms=%.1f time_ratio=%.3f", tb, tu, (tu > 0 ? tb / tu : 0)
	printf " ballast_below_100mibs=%s builtin_below_100mibs=%s\n", (slow_b == "" ? "none" : slow_b), (slow_u == "" ? "none" : slow_u)
	print "idle (a target Xen will not grant, held):"
	for (j = 1; j <= ni; j++) print "  " idle[j]
}

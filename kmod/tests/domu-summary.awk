# domu-summary.awk: the side-by-side and idle figures of tests/xen-domu.sh,
# from its serial log (BALLAST-SXS and BALLAST-IDLE lines).
# Per move and driver: mean time from the command to Xen's count at the
# target, MiB/s (all MiB moved / all time), the slowest 3 s window over the
# repetitions (Qubes' rule: at least 100 MiB/s of progress over any 3 s of a
# move; a move shorter than 3 s counts as a whole), the worker's runs and
# busy ms per move, and the ratio of mean times ballast/built-in.
# "out*"/"in*" are the side-by-side moves: both guests up at once, memory/
# target written directly, drivers alternated (totals over these); the
# others are the per-guest xl mem-set sequence (xl's 0.4-0.9 s of process
# start under emulation included), one run each.
/BALLAST-SXS/ {
	delete f
	for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	k = f["move"]; d = f["drv"]
	if (!(k in seen)) { seen[k] = 1; order[++n] = k }
	cnt[d, k]++; ms[d, k] += f["ms"]; mib[d, k] += (f["end_kb"] > f["start_kb"] ? f["end_kb"] - f["start_kb"] : f["start_kb"] - f["end_kb"]) / 1024
	if (!((d SUBSEP k) in m3) || f["min3s_mibs"] + 0 < m3[d, k]) m3[d, k] = f["min3s_mibs"] + 0
	runs[d, k] += f["worker_runs"]; busy[d, k] += f["worker_ms"]
}
/BALLAST-IDLE/ {
	delete f
	for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	idle[++ni] = sprintf("%-8s %-10s %4s s  wake-ups %3d (%5.1f/min)  worker CPU %7.1f ms (%6.2f ms/min)%s", \
		f["drv"], f["case"], f["seconds"], f["wakeups"], f["wakeups"] * 60 / f["seconds"], \
		f["cpu_us"] / 1000, f["cpu_us"] / 1000 * 60 / f["seconds"], \
		f["drv"] == "ballast" ? "  (the passive core's kthread: " f["passive_kthread_wakeups"] " wake-ups)" : "")
}
function rate(d, k) { return ms[d, k] > 0 ? mib[d, k] / (ms[d, k] / 1000) : 0 }
END {
	printf "%-10s %3s %9s %9s %6s %8s %8s %8s %8s %10s %10s\n", "move", "n", "ballast", "built-in", "ratio", \
		"MiB/s", "MiB/s", "3s MiB/s", "3s MiB/s", "runs/ms", "runs/ms"
	for (j = 1; j <= n; j++) {
		k = order[j]
		if (!(("ballast" SUBSEP k) in ms) || !(("builtin" SUBSEP k) in ms))
			continue
		b = ms["ballast", k] / cnt["ballast", k]; u = ms["builtin", k] / cnt["builtin", k]
		if (k ~ /^(out|in)[0-9]/) {
			tb += ms["ballast", k]; tu += ms["builtin", k]
			if (m3["ballast", k] < 100) slow_b = slow_b " " k
			if (m3["builtin", k] < 100) slow_u = slow_u " " k
		}
		printf "%-10s %3d %7.0fms %7.0fms %6.2f %8.1f %8.1f %8.1f %8.1f %4.1f/%-5.0f %4.1f/%-5.0f\n", k, cnt["ballast", k], \
			b, u, (u > 0 ? b / u : 0), rate("ballast", k), rate("builtin", k), m3["ballast", k], m3["builtin", k], \
			runs["ballast", k] / cnt["ballast", k], busy["ballast", k] / cnt["ballast", k], \
			runs["builtin", k] / cnt["builtin", k], busy["builtin", k] / cnt["builtin", k]
	}
	printf "BALLAST-SUMMARY domu side_by_side ballast_ms=%.1f builtin_ms=%.1f time_ratio=%.3f", tb, tu, (tu > 0 ? tb / tu : 0)
	printf " ballast_below_100mibs=%s builtin_below_100mibs=%s\n", (slow_b == "" ? "none" : slow_b), (slow_u == "" ? "none" : slow_u)
	print "idle (a target Xen will not grant, held):"
	for (j = 1; j <= ni; j++) print "  " idle[j]
}

#!/usr/bin/env bash
# ./ballast bench: exec/s of every fuzz target and of the no-op target, all built
# with the same flags (preset fuzz: clang-19, libFuzzer, ASan+UBSan), one core,
# measured in one run; plus the diff engine's scenarios/s when diff_bench exists.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECS=${BENCH_SECONDS:-10}
cmake --preset fuzz >/dev/null
targets=()
for t in core_invariants scenario_parser diff_upstream; do
  ninja -C build/fuzz -t targets all 2>/dev/null | grep -q "^fuzz/$t:" && targets+=("$t")
done
cmake --build build/fuzz --target "${targets[@]}" fuzz_noop ballast_fuzz_tool -j "$(nproc)" >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
build/fuzz/fuzz/ballast_fuzz_tool export corpus "$tmp/bin" 2>/dev/null
find corpus -name '*.scn' -exec cp -t "$tmp/bin" {} + 2>/dev/null || true
eps() {  # target -> exec/s over SECS seconds, fuzzing from the seed corpus, one process
  (cd "$tmp" && "$ROOT/build/fuzz/fuzz/$1" -max_total_time="$SECS" -print_final_stats=1 -close_fd_mask=1 \
     "$tmp/work-$1" "$tmp/bin" 2>&1) | awk '/average_exec_per_sec/ {print $2}' | tail -1
}
noop=$(mkdir -p "$tmp/work-fuzz_noop" && eps fuzz_noop)
printf '%-18s %12s %10s\n' target exec/s vs-noop
printf '%-18s %12s %10s\n' fuzz_noop "$noop" 1.00
for t in "${targets[@]}"; do
  mkdir -p "$tmp/work-$t"
  e=$(eps "$t")
  printf '%-18s %12s %10s\n' "$t" "${e:-crash}" "$(awk -v a="${e:-0}" -v b="$noop" 'BEGIN{printf "%.3f", b ? a/b : 0}')"
done
if [ -x build/fuzz/diff/diff_bench ] || cmake --build build/fuzz --target diff_bench >/dev/null 2>&1; then
  echo "== diff engine (diff_bench)"
  build/fuzz/diff/diff_bench 2>&1 | tail -5
fi

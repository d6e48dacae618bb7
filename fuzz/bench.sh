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
eps() {  # target -> exec/s over SECS seconds, fuzzing from the seed corpus, one core
  # -fork=1 -ignore_crashes: an open finding (corpus/findings) must not end the
  # measurement early; the figure is libFuzzer's own execs/elapsed of the fork
  # loop (child restarts included, so slightly below a single process's rate).
  (cd "$tmp" && "$ROOT/build/fuzz/fuzz/$1" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -timeout=10 \
     -max_total_time="$SECS" -close_fd_mask=1 "$tmp/work-$1" "$tmp/bin" 2>&1) \
    | sed -n 's/^#[0-9]*:.* exec\/s: \([0-9]*\).*/\1/p' | tail -1
}
noop=$(mkdir -p "$tmp/work-fuzz_noop" && eps fuzz_noop)
printf '%-18s %12s %10s\n' target exec/s vs-noop
printf '%-18s %12s %10s\n' fuzz_noop "$noop" 1.00
for t in "${targets[@]}"; do
  mkdir -p "$tmp/work-$t"
  e=$(eps "$t")
  printf '%-18s %12s %10s\n' "$t" "${e:-crash}" "$(awk -v a="${e:-0}" -v b="$noop" 'BEGIN{printf "%.3f", b ? a/b : 0}')"
done
echo "(vs-noop: the no-op target does nothing per input, so its rate is libFuzzer's own per-input"
echo " overhead -- mutation, coverage bookkeeping, ASan allocator; a target that runs a scenario of"
echo " up to 64 steps with an invariant check after each cannot approach it; what matters is exec/s itself and its growth per change)"
if [ -x build/fuzz/diff/diff_bench ] || cmake --build build/fuzz --target diff_bench >/dev/null 2>&1; then
  echo "== diff engine (diff_bench)"
  build/fuzz/diff/diff_bench 2>&1 | tail -5
fi

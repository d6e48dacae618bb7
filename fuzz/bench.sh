#!/usr/bin/env bash
# ./ballast bench: exec/s of every fuzz target and of the no-op target, all built
# with the same flags (preset fuzz: clang-19, libFuzzer, ASan+UBSan), one core
# each, measured in one run; plus the diff engine's scenarios/s when diff_bench
# exists.
#
# Each target fuzzes in-process (no -fork: the fork loop's child restarts and
# corpus merges made the figure swing by 50% on 2 cores) for BENCH_SECONDS
# (default 10) from the exported seed corpus, BENCH_RUNS times (default 2),
# and the best run is printed. A target that crashes (an open finding) is
# measured again with -fork=1 -ignore_crashes=1 and marked "(fork)".
# Then core_invariants' cost per input over the committed corpus (mean, median,
# tail), which does not depend on what the fuzzer happens to pick.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/args.sh
source "$ROOT/scripts/args.sh"
[ $# -eq 0 ] || { echo "bench: no arguments (BENCH_SECONDS, BENCH_RUNS in the environment), got '$1'" >&2; exit 2; }
SECS=$(ballast_number bench BENCH_SECONDS "${BENCH_SECONDS:-10}" 1 3600)
RUNS=$(ballast_number bench BENCH_RUNS "${BENCH_RUNS:-2}" 1 100)
cmake --preset fuzz >/dev/null
targets=()
all_targets=$(ninja -C build/fuzz -t targets all 2>/dev/null || true)  # once: grep -q on a pipe races with pipefail
for t in core_invariants scenario_parser diff_upstream; do
  if grep -q "^fuzz/$t:" <<<"$all_targets"; then targets+=("$t"); fi
done
cmake --build build/fuzz --target "${targets[@]}" fuzz_noop ballast_fuzz_tool -j "$(nproc)" >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
build/fuzz/fuzz/ballast_fuzz_tool export --fitting corpus/seeds corpus/fuzzed corpus/regressions corpus/findings "$tmp/bin" >/dev/null 2>&1
cp corpus/binary/*/* "$tmp/bin"/
find corpus -name '*.scn' -exec cp -t "$tmp/bin" {} + 2>/dev/null || true

# The campaign's libFuzzer options (fuzz/libfuzzer.options), for every target and the no-op.
mapfile -t LIBFUZZER_OPTS < <(bash "$ROOT/fuzz/libfuzzer_flags.sh" "$ROOT/fuzz/libfuzzer.options")

# run TARGET MODE -> "execs exec/s" of one run (libFuzzer's own final counts)
run() {
  local t=$1 mode=$2 work
  work=$(mktemp -d "$tmp/work-$t.XXXX")
  local flags=(-max_total_time="$SECS" -timeout=10 -close_fd_mask=1 -print_final_stats=1 "${LIBFUZZER_OPTS[@]}")
  [ "$mode" = fork ] && flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1)
  (cd "$work" && "$ROOT/build/fuzz/fuzz/$t" "${flags[@]}" "$work" "$tmp/bin" 2>&1) >"$work.log" || true
  if [ "$mode" = fork ]; then
    sed -n 's/^#\([0-9]*\):.* exec\/s: \([0-9]*\).*/\1 \2/p' "$work.log" | tail -1
  elif grep -q '^stat::number_of_executed_units' "$work.log"; then
    local n e
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log")
    e=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work.log")
    echo "$n $e"
  fi  # no final stats: it crashed
}
best() {  # TARGET -> "exec/s execs mode"
  local t=$1 b=0 bn=0 mode=in-process r
  for _ in $(seq "$RUNS"); do
    r=$(run "$t" in-process)
    if [ -z "$r" ]; then mode=fork; break; fi
    set -- $r
    if [ "$2" -gt "$b" ]; then b=$2; bn=$1; fi
  done
  if [ "$mode" = fork ]; then
    r=$(run "$t" fork); set -- ${r:-0 0}; b=$2; bn=$1
  fi
  echo "$b $bn $mode"
}
read -r noop noop_n _ < <(best fuzz_noop)
printf '%-18s %10s %12s %9s  %s\n' target exec/s execs vs-noop mode
printf '%-18s %10s %12s %9s  %s\n' fuzz_noop "$noop" "$noop_n" 1.000 in-process
for t in "${targets[@]}"; do
  read -r e n mode < <(best "$t")
  printf '%-18s %10s %12s %9s  %s\n' "$t" "$e" "$n" \
    "$(awk -v a="$e" -v b="$noop" 'BEGIN{printf "%.3f", b ? a/b : 0}')" "$mode"
done
echo "(best of $RUNS runs of ${SECS}s per target, one core each, from the committed corpus, with"
echo " fuzz/libfuzzer.options; aims: core_invariants >= 50000 exec/s and >= 0.5x no-op,"
echo " diff_upstream >= 0.25x no-op. The no-op's rate is libFuzzer's own per-input cost (~0.6 us:"
echo " mutation, one edge to collect); a scenario step with its invariant check costs more than"
echo " that, so the ratio aims are out of reach by construction -- see fuzz/README.md, Speed)"
echo "== core_invariants per input, same build without libFuzzer (ballast_fuzz_tool time: the committed corpus)"
build/fuzz/fuzz/ballast_fuzz_tool time 5 corpus/seeds corpus/fuzzed 2>&1
if [ -x build/fuzz/diff/diff_bench ] || cmake --build build/fuzz --target diff_bench >/dev/null 2>&1; then
  echo "== diff engine (diff_bench)"
  build/fuzz/diff/diff_bench 2>&1 | tail -5
fi

#!/usr/bin/env bash
# ./ballast afl [--seconds N] [--target T] [--build-dir DIR] [--allow-known]
#
# AFL++ (Debian afl++ 4.04c, LLVM 14): builds the fuzz targets with
# afl-clang-fast++ and libAFLDriver.a (persistent mode; preset afl, build/afl),
# their seed directories from corpus/ (target afl_seeds) and runs afl-fuzz with
# the target's dictionary (fuzz/<target>.dict) for N seconds (default 60) on
# each target T (repeatable; default: core_invariants scenario_parser
# diff_upstream, those that are built). Findings: DIR/out/<target>/default/
# {crashes,hangs,queue}; replay a crash with the target binary, e.g.
#   build/afl/fuzz/core_invariants build/afl/out/core_invariants/default/crashes/id:...
# Each run starts afresh from the seeds (the output directory is replaced).
# Every crash is replayed and compared with the open findings of its target
# (corpus/findings/open-<target>-*.scn): same violation message, step numbers
# and values aside, means "known". --allow-known: known crashes do not fail.
# Exit status: 0 every target executed inputs and saved no (unknown) crash;
# 1 a crash, or a target that did not run; 2 setup failure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=60
TARGETS=()
BUILD="$ROOT/build/afl"
ALLOW_KNOWN=0
# shellcheck source=scripts/args.sh
source "$ROOT/scripts/args.sh"
opts=$(ballast_getopt afl seconds:,target:,build-dir:,allow-known,help "$@") || exit 2
eval set -- "$opts"
while true; do
  case "$1" in
    --seconds) SECS=$(ballast_number afl --seconds "$2" 1 2592000); shift 2 ;;
    --target)
      case "$2" in
        core_invariants|diff_upstream|scenario_parser) TARGETS+=("$2") ;;
        *) echo "afl: --target is one of core_invariants, diff_upstream, scenario_parser, got '$2'" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --build-dir) BUILD=$2; shift 2 ;;
    --allow-known) ALLOW_KNOWN=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    --) shift; break ;;
  esac
done
[ $# -eq 0 ] || { echo "afl: unexpected argument '$1'" >&2; exit 2; }

for tool in afl-fuzz afl-clang-fast afl-clang-fast++; do
  command -v "$tool" >/dev/null || { echo "afl: $tool not found (apt-get install afl++)" >&2; exit 2; }
done
DRIVER=/usr/lib/afl/libAFLDriver.a
[ -f "$DRIVER" ] || { echo "afl: $DRIVER not found (Debian afl++)" >&2; exit 2; }

mkdir -p "$BUILD"
LOG="$BUILD/afl-build.log"
echo "== afl: build (afl-clang-fast++ + libAFLDriver, $BUILD)"
# Preset afl; -B lets the ctest use its own build directory.
if ! (cd "$ROOT" && cmake --preset afl -B "$BUILD" >"$LOG" 2>&1); then
  cat "$LOG" >&2; exit 2
fi
if [ ${#TARGETS[@]} -eq 0 ]; then
  # (Captured first: grep -q closing the pipe early would fail the pipeline under pipefail.)
  all_targets=$(ninja -C "$BUILD" -t targets all 2>/dev/null || true)
  for t in core_invariants scenario_parser diff_upstream; do
    if grep -q "^fuzz/$t:" <<<"$all_targets"; then TARGETS+=("$t"); fi
  done
fi
if ! AFL_QUIET=1 cmake --build "$BUILD" --target "${TARGETS[@]}" afl_seeds -j "$(nproc)" >>"$LOG" 2>&1; then
  tail -40 "$LOG" >&2; exit 2
fi

# CI and containers: no cpufreq governor to check, core_pattern may pipe to a
# crash handler (no crash is lost for us: afl-fuzz sees the abort), no free
# core to bind to when other fuzzers run.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_NO_UI=1 AFL_FAST_CAL=1 AFL_NO_WARN_INSTABILITY=1
# Sanitizer-free build: an abort() (invariant violation, divergence) is the crash.

# A crash's signature (fuzz/campaign/signature.py, as the campaign's triage
# computes it): what target T prints for input F, without step numbers,
# operations and values. Empty when it prints no failure.
signature() {
  timeout 60 "$BUILD/fuzz/$1" "$2" >"$BUILD/signature.log" 2>&1 </dev/null || true
  python3 "$ROOT/fuzz/campaign/signature.py" "$1" "$BUILD/signature.log"
}

status=0
printf '%-16s %12s %10s %8s %8s %6s\n' target execs_done exec/s corpus crashes hangs
for t in "${TARGETS[@]}"; do
  bin="$BUILD/fuzz/$t"
  seeds="$BUILD/afl-seeds/$t"
  out="$BUILD/out/$t"
  [ -x "$bin" ] || { echo "afl: $t was not built" >&2; status=1; continue; }
  rm -rf "$out"; mkdir -p "$out"
  dict=()
  [ -f "$ROOT/fuzz/$t.dict" ] && dict=(-x "$ROOT/fuzz/$t.dict")
  # -V: stop after N seconds; -t: per-input timeout (ms); a scenario (256 ops at most) runs in well under 1 ms.
  afl-fuzz -V "$SECS" -t 250 -i "$seeds" -o "$out" "${dict[@]}" -- "$bin" >"$out/afl-fuzz.log" 2>&1 || true
  stats="$out/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "afl: $t: afl-fuzz did not start; its log:" >&2
    tail -30 "$out/afl-fuzz.log" >&2
    status=1; continue
  fi
  get() { awk -v k="$1" '$1 == k { print $3 }' "$stats"; }
  execs=$(get execs_done); eps=$(get execs_per_sec); corpus=$(get corpus_count)
  crashes=$(get saved_crashes); [ -n "$crashes" ] || crashes=$(get unique_crashes)
  hangs=$(get saved_hangs); [ -n "$hangs" ] || hangs=$(get unique_hangs)
  printf '%-16s %12s %10s %8s %8s %6s\n' "$t" "${execs:-?}" "${eps:-?}" "${corpus:-?}" "${crashes:-?}" "${hangs:-?}"
  if [ -z "$execs" ] || [ "$execs" -le 0 ]; then
    echo "afl: $t: no executions" >&2; status=1
  fi
  mapfile -t crash_files < <(find "$out/default/crashes" -type f -name 'id:*' 2>/dev/null | sort)
  if [ "${crashes:-0}" != 0 ] && [ ${#crash_files[@]} -eq 0 ]; then
    echo "afl: $t: fuzzer_stats reports $crashes crash(es) but none is saved" >&2; status=1
  fi
  if [ ${#crash_files[@]} -gt 0 ]; then
    # Signatures of the open findings of this target.
    declare -A known=()
    for f in "$ROOT"/corpus/findings/open-"$t"-*.scn; do
      [ -f "$f" ] || continue
      if [ "$t" = scenario_parser ]; then cp "$f" "$out/finding.bin"
      else "$BUILD/fuzz/ballast_fuzz_tool" to-bin "$f" "$out/finding.bin" >/dev/null 2>&1 || continue; fi
      s=$(signature "$t" "$out/finding.bin")
      if [ -n "$s" ]; then known["$s"]=$(basename "$f"); fi
    done
    nknown=0
    for c in "${crash_files[@]}"; do
      sig=$(signature "$t" "$c")
      if [ -n "$sig" ] && [ -n "${known[$sig]:-}" ]; then
        nknown=$((nknown + 1))
      else
        echo "afl: $t: NEW crash $c" >&2
        echo "     $sig" >&2
        status=1
      fi
    done
    if [ "$nknown" -gt 0 ]; then
      echo "afl: $t: $nknown crash(es) reproduce open findings (${known[*]})" >&2
      [ "$ALLOW_KNOWN" = 1 ] || status=1
    fi
    unset known
  fi
done
exit $status

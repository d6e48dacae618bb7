#!/usr/bin/env bash
# ./ballast campaign [--seconds N] [--jobs J] [--upstream PATH]
#
# The fuzzing campaign: installs what is missing, builds the fuzz targets with
# clang-19 + libFuzzer + ASan/UBSan (preset fuzz, build/fuzz), runs every target
# for N seconds (default 60) on J cores (default: all; libFuzzer -fork), shows
# progress, merges new corpus entries into corpus/fuzzed/, measures line and
# branch coverage of core/ (and of the upstream driver when diff_upstream
# exists) with a coverage build (preset fuzz-cov, build/fuzz-cov), and writes
# report/index.html and report/summary.json.
# Exit status: 0 clean; 1 a crash, invariant violation or unexplained divergence; 2 setup failure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_PER_TARGET=60
JOBS=$(nproc)
UPSTREAM=""
COVERAGE_ONLY=0  # --coverage-only: as --report-only, but keep report/crashes and skip the merge
REPORT_ONLY=0  # --report-only: redo crashes/merge/coverage/report from the last run's build/fuzz/campaign
# shellcheck source=scripts/args.sh
source "$ROOT/scripts/args.sh"
opts=$(ballast_getopt campaign seconds:,jobs:,upstream:,report-only,coverage-only,help "$@") || exit 2
eval set -- "$opts"
while true; do
  case "$1" in
    --seconds) SECONDS_PER_TARGET=$(ballast_number campaign --seconds "$2" 1 2592000); shift 2 ;;
    --jobs) JOBS=$(ballast_number campaign --jobs "$2" 1 1024); shift 2 ;;
    --upstream) UPSTREAM=$2; shift 2 ;;
    --report-only) REPORT_ONLY=1; shift ;;
    --coverage-only) REPORT_ONLY=1; COVERAGE_ONLY=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    --) shift; break ;;
  esac
done
[ $# -eq 0 ] || { echo "campaign: unexpected argument '$1'" >&2; exit 2; }
if [ -n "$UPSTREAM" ] && [ ! -e "$UPSTREAM" ]; then
  echo "campaign: --upstream $UPSTREAM: no such file or directory" >&2; exit 2
fi

CMAKE_EXTRA=()
if [ -n "$UPSTREAM" ]; then
  if [ -d "$UPSTREAM" ]; then
    # A kernel tree: its Makefile says whether it stands for 6.1 or 6.12.
    ver=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p' "$UPSTREAM/Makefile" 2>/dev/null | paste -sd.)
    case "$ver" in
      6.1) CMAKE_EXTRA+=("-DBALLAST_UPSTREAM_61=$UPSTREAM/drivers/xen/balloon.c") ;;
      6.12) CMAKE_EXTRA+=("-DBALLAST_UPSTREAM_612=$UPSTREAM/drivers/xen/balloon.c") ;;
      *) echo "campaign: --upstream $UPSTREAM: a Linux 6.1 or 6.12 tree (its Makefile says '${ver:-nothing}')" >&2; exit 2 ;;
    esac
  else
    CMAKE_EXTRA+=("-DBALLAST_UPSTREAM_SEED=$UPSTREAM")
  fi
fi

# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"
ballast_install_deps || echo "campaign: continuing with what is installed" >&2

say() { printf '\n== %s\n' "$*"; }
WORK="$ROOT/build/fuzz/campaign"
REPORT="$ROOT/report"
[ "$REPORT_ONLY" = 1 ] || rm -rf "$WORK"
mkdir -p "$WORK" "$REPORT"


say "build: libFuzzer + ASan/UBSan (clang-19, build/fuzz)"
cmake --preset fuzz "${CMAKE_EXTRA[@]}" >"$WORK/configure.log" 2>&1 || { cat "$WORK/configure.log"; exit 2; }
TARGETS=()
# Read the target list once: `ninja ... | grep -q` under pipefail fails at
# random (grep exits early, ninja dies of SIGPIPE), which once dropped
# diff_upstream from a whole campaign.
all_targets=$(ninja -C build/fuzz -t targets all 2>/dev/null || true)
for t in core_invariants scenario_parser diff_upstream; do
  if grep -q "^fuzz/$t:" <<<"$all_targets"; then TARGETS+=("$t"); fi
done
if { [ -n "$UPSTREAM" ] || [ -f "$ROOT/../shared/upstream/balloon-seed.c" ]; } &&
   [[ " ${TARGETS[*]} " != *" diff_upstream "* ]]; then
  echo "campaign: the upstream driver is there but diff_upstream was not configured" >&2
  exit 2
fi
cmake --build build/fuzz --target "${TARGETS[@]}" fuzz_noop ballast_fuzz_tool -j "$(nproc)" >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log"; exit 2; }
TOOL="$ROOT/build/fuzz/fuzz/ballast_fuzz_tool"
echo "targets: ${TARGETS[*]}"

# Seeds: readable scenarios -> binary inputs; the parser reads the text itself.
seed_dir() {
  local t=$1 d="$WORK/$1/seeds"
  mkdir -p "$d"
  if [ "$t" = scenario_parser ]; then
    find "$ROOT/corpus" -type f \( -name '*.scn' -o -path '*/parser/*' \) -exec cp -t "$d" {} + 2>/dev/null || true
  else
    # The fuzz corpus and the target's own fixed findings; regressions and
    # findings outside the fuzz limits cannot be fuzz inputs (export says how many).
    "$TOOL" export --fitting "$ROOT/corpus/seeds" "$ROOT/corpus/fuzzed" "$ROOT/corpus/regressions" \
      $(find "$ROOT/corpus/findings" -name "fixed-$t-*.scn") "$d" >&2
    find "$ROOT/corpus" -type f -path "*/binary/$t/*" -exec cp -t "$d" {} + 2>/dev/null || true
  fi
  echo "$d"
}

status=0
# All targets fuzz at the same time, the cores shared between them
# (-fork=max(1, J/targets)); -timeout: an input running longer is a hang (a crash).
if [ "$REPORT_ONLY" = 0 ]; then
NT=${#TARGETS[@]}
PER=$(( JOBS / NT )); [ "$PER" -ge 1 ] || PER=1
say "fuzz: ${TARGETS[*]} for ${SECONDS_PER_TARGET}s each, concurrently, -fork=$PER each ($JOBS job(s) in all)"
# libFuzzer options shared with ./ballast bench and OSS-Fuzz (fuzz/libfuzzer.options).
mapfile -t LIBFUZZER_OPTS < <(bash "$ROOT/fuzz/libfuzzer_flags.sh" "$ROOT/fuzz/libfuzzer.options")
say "libFuzzer options: ${LIBFUZZER_OPTS[*]}"
pids=()
for t in "${TARGETS[@]}"; do
  bin="$ROOT/build/fuzz/fuzz/$t"
  seeds=$(seed_dir "$t")
  mkdir -p "$WORK/$t/corpus" "$WORK/$t/artifacts"
  dict=()
  [ -f "$ROOT/fuzz/$t.dict" ] && dict=("-dict=$ROOT/fuzz/$t.dict")
  echo "  $t: $(ls "$seeds" | wc -l) seeds"
  (cd "$WORK/$t" && "$bin" -fork="$PER" -ignore_crashes=1 -ignore_timeouts=1 -timeout=10 \
      -max_total_time="$SECONDS_PER_TARGET" \
      -artifact_prefix="$WORK/$t/artifacts/" -print_final_stats=1 "${dict[@]}" "${LIBFUZZER_OPTS[@]}" \
      "$WORK/$t/corpus" "$seeds" >"$WORK/$t/fuzz.log" 2>&1) &
  pids+=($!)
done
running() { for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
while running; do
  sleep 10
  for t in "${TARGETS[@]}"; do
    line=$(grep -aE '^#[0-9]+' "$WORK/$t/fuzz.log" | tail -1 || true)
    [ -n "$line" ] && printf '  %-16s %s\n' "$t" "$line"
  done
done
for p in "${pids[@]}"; do wait "$p" || true; done
for t in "${TARGETS[@]}"; do
  ncrash=$(find "$WORK/$t/artifacts" -type f | wc -l)
  echo "  $t: done, $(ls "$WORK/$t/corpus" | wc -l) corpus entries, $ncrash crash/timeout artifact(s)"
done
fi

if [ "$COVERAGE_ONLY" = 0 ]; then
say "crashes: minimize and explain"
mkdir -p "$REPORT/crashes"
rm -f "$REPORT/crashes/"*
for t in "${TARGETS[@]}"; do
  bin="$ROOT/build/fuzz/fuzz/$t"
  for c in "$WORK/$t/artifacts/"*; do
    [ -f "$c" ] || continue
    name="$t-$(basename "$c")"
    "$bin" -timeout=10 "$c" >"$REPORT/crashes/$name.log" 2>&1 || true
    if [ "$t" = core_invariants ]; then
      "$TOOL" minimize "$c" "$REPORT/crashes/$name.scn" >/dev/null 2>&1 \
        || "$TOOL" to-scn "$c" "$REPORT/crashes/$name.scn" || true
    else
      (cd "$WORK/$t" && timeout 120 "$bin" -minimize_crash=1 -runs=20000 -timeout=10 -exact_artifact_path="$REPORT/crashes/$name.min" "$c" >/dev/null 2>&1) \
        || cp "$c" "$REPORT/crashes/$name.min"
      [ -f "$REPORT/crashes/$name.min" ] || cp "$c" "$REPORT/crashes/$name.min"
    fi
    status=1
    echo "  $name"
  done
done

say "merge: new corpus entries -> corpus/"
for t in "${TARGETS[@]}"; do
  bin="$ROOT/build/fuzz/fuzz/$t"
  base="$WORK/$t/merged"; rm -rf "$base" "$WORK/$t/new"; mkdir -p "$base"
  cp "$WORK/$t/seeds/"* "$base/" 2>/dev/null || true
  before=$(ls "$base" | wc -l)
  (cd "$WORK/$t" && "$bin" -merge=1 -timeout=10 "$base" "$WORK/$t/corpus" >"$WORK/$t/merge.log" 2>&1) || true
  mkdir -p "$WORK/$t/new"
  # Only entries that add coverage over the seeds (-merge=1 keeps those), at most
  # MAX_NEW per target (the largest coverage gain comes first in merge order).
  comm -13 <(ls "$WORK/$t/seeds" | sort) <(ls "$base" | sort) | head -n "${MAX_NEW:-40}" \
    | while read -r f; do cp "$base/$f" "$WORK/$t/new/"; done || true  # head closes the pipe early
  if [ "$t" = scenario_parser ]; then
    mkdir -p "$ROOT/corpus/parser"
    n=0; for f in "$WORK/$t/new/"*; do [ -f "$f" ] || continue; cp "$f" "$ROOT/corpus/parser/"; n=$((n+1)); done
  elif [ "$t" = core_invariants ]; then
    n=$("$TOOL" import "$WORK/$t/new" "$ROOT/corpus/fuzzed" fuzz)
  else
    mkdir -p "$ROOT/corpus/binary/$t"
    n=0; for f in "$WORK/$t/new/"*; do [ -f "$f" ] || continue; cp "$f" "$ROOT/corpus/binary/$t/"; n=$((n+1)); done
  fi
  echo "  $t: $before seeds, +$n new entries kept"
done

fi  # COVERAGE_ONLY

say "coverage: clang-19 source-based coverage (build/fuzz-cov)"
cmake --preset fuzz-cov "${CMAKE_EXTRA[@]}" >"$WORK/cov-configure.log" 2>&1 || { cat "$WORK/cov-configure.log"; exit 2; }
cmake --build build/fuzz-cov --target "${TARGETS[@]}" -j "$(nproc)" >"$WORK/cov-build.log" 2>&1 || { tail -40 "$WORK/cov-build.log"; exit 2; }
PROF="$WORK/prof"; mkdir -p "$PROF"; rm -f "$PROF"/*
objs=()
for t in "${TARGETS[@]}"; do
  b="$ROOT/build/fuzz-cov/fuzz/$t"
  objs+=("-object=$b")
  # corpus/findings holds open crashers: an abort loses the profile, so leave them out.
  # One process per input with a time limit: an input that hangs (a livelock the
  # fuzzer reported as a timeout) or aborts must not lose the other inputs' profile.
  find "$ROOT/corpus/seeds" "$ROOT/corpus/regressions" "$ROOT/corpus/fuzzed" "$ROOT/corpus/parser" \
       "$WORK/$t/merged" -type f -print0 2>/dev/null \
    | LLVM_PROFILE_FILE="$PROF/$t-%p.profraw" xargs -0 -n 1 -P "$JOBS" timeout -s KILL 20 "$b" >/dev/null 2>&1 || true
done
llvm-profdata-19 merge -sparse "$PROF"/*.profraw -o "$PROF/all.profdata"
first=${objs[0]#-object=}
llvm-cov-19 export -summary-only -instr-profile="$PROF/all.profdata" "$first" "${objs[@]:1}" \
  "$ROOT/core" >"$WORK/cov-core.json"
UPSRC=""
if [[ " ${TARGETS[*]} " == *" diff_upstream "* ]]; then
  UPSRC=$(llvm-cov-19 export -summary-only -instr-profile="$PROF/all.profdata" "$first" "${objs[@]:1}" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(f["filename"] for f in d["data"][0]["files"] if ("balloon" in f["filename"].rsplit("/",1)[-1] and f["filename"].endswith(".c"))))' || true)
  if [ -n "$UPSRC" ]; then
    # shellcheck disable=SC2086
    llvm-cov-19 export -summary-only -instr-profile="$PROF/all.profdata" "$first" "${objs[@]:1}" $UPSRC >"$WORK/cov-upstream.json"
    # The figure that matters: lines of the upstream driver outside __init functions.
    # shellcheck disable=SC2086
    python3 "$ROOT/fuzz/upstream_cov.py" "$WORK/cov-upstream-noninit.json" $UPSRC -- \
      llvm-cov-19 show -instr-profile="$PROF/all.profdata" "$first" "${objs[@]:1}" || true
  fi
fi
rm -rf "$REPORT/coverage"
llvm-cov-19 show -format=html -show-branches=count -instr-profile="$PROF/all.profdata" "$first" "${objs[@]:1}" \
  -output-dir="$REPORT/coverage" "$ROOT/core" $UPSRC >/dev/null 2>&1 || true

say "report"
python3 "$ROOT/fuzz/report.py" --work "$WORK" --report "$REPORT" --seconds "$SECONDS_PER_TARGET" --jobs "$JOBS" \
  --targets "${TARGETS[@]}" || status=1
echo "report: $REPORT/index.html  $REPORT/summary.json"
exit $status

#!/usr/bin/env bash
# ./ballast campaign [--seconds N] [--jobs J] [--upstream PATH] [--state DIR] [--report DIR]
#                    [--target T]... [--plant] [--merge N] [--corpus DIR] [--findings DIR]
#                    [--build-dir DIR] [--report-only]
#
# Continuous fuzzing, one run at a time. Each run builds the fuzz targets
# (clang-19, libFuzzer, ASan+UBSan; DIR/fuzz, default build/fuzz), fuzzes them
# all at once for N seconds (default 60) on J cores (default all; libFuzzer
# -fork), resuming from the working corpus of the state directory (default
# build/campaign; keep it between runs, e.g. in a CI cache), then
#   - distills the working corpus (libFuzzer -merge=1),
#   - triages every crash (fuzz/campaign/triage.py): signature, match against
#     corpus/findings, minimized reproducer, the command that shows it,
#   - measures coverage of core/ and of each upstream driver (DIR/fuzz-cov),
#   - replays the diff_upstream corpus on its pairs and counts the divergences
#     each switch explains (ballast-diff corpus),
#   - appends the run to the history (STATE/history.jsonl) and writes the
#     report (default report/: index.html, a page per finding, summary.json).
# The checkout is not written to: --merge N copies at most N new inputs per
# target from the working corpus into corpus/ (after the run; with
# --report-only, without fuzzing). --plant also fuzzes core_planted and
# diff_planted, twins of core_invariants and diff_upstream with a planted bug.
# --target T (repeatable): only these of core_invariants, scenario_parser,
# diff_upstream. --corpus DIR: the corpus to seed from and merge into (default
# corpus/); --findings DIR: match against DIR (default CORPUS/findings).
# --report-only: no fuzzing; triage, coverage and report again for the last run.
# Exit status: 0 nothing new; 1 a new finding, a regression of a fixed finding,
# or a target that did not run; 2 a bad argument or a failed build.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_PER_TARGET=60
JOBS=$(nproc)
UPSTREAM=""
STATE="$ROOT/build/campaign"
REPORT="$ROOT/report"
BUILD_DIR="$ROOT/build"
CORPUS="$ROOT/corpus"
FINDINGS=""
MERGE=0
PLANT=0
REPORT_ONLY=0
ONLY=()
KEEP_RUNS=20  # run directories kept in the state (the history keeps every run)
REAL_TARGETS=(core_invariants scenario_parser diff_upstream)
# shellcheck source=scripts/args.sh
source "$ROOT/scripts/args.sh"
opts=$(ballast_getopt campaign seconds:,jobs:,upstream:,state:,report:,target:,plant,merge:,corpus:,findings:,build-dir:,report-only,help "$@") || exit 2
eval set -- "$opts"
while true; do
  case "$1" in
    --seconds) SECONDS_PER_TARGET=$(ballast_number campaign --seconds "$2" 1 2592000); shift 2 ;;
    --jobs) JOBS=$(ballast_number campaign --jobs "$2" 1 1024); shift 2 ;;
    --upstream) UPSTREAM=$2; shift 2 ;;
    --state) STATE=$2; shift 2 ;;
    --report) REPORT=$2; shift 2 ;;
    --target)
      case "$2" in
        core_invariants|scenario_parser|diff_upstream) ONLY+=("$2") ;;
        *) echo "campaign: --target is one of ${REAL_TARGETS[*]}, got '$2'" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --plant) PLANT=1; shift ;;
    --merge) MERGE=$(ballast_number campaign --merge "$2" 1 100000); shift 2 ;;
    --findings) FINDINGS=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --report-only) REPORT_ONLY=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ {print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    --) shift; break ;;
  esac
done
[ $# -eq 0 ] || { echo "campaign: unexpected argument '$1'" >&2; exit 2; }
if [ -n "$UPSTREAM" ] && [ ! -e "$UPSTREAM" ]; then
  echo "campaign: --upstream $UPSTREAM: no such file or directory" >&2; exit 2
fi
[ -d "$CORPUS/seeds" ] || { echo "campaign: --corpus $CORPUS: no seeds/ in it" >&2; exit 2; }
FINDINGS=${FINDINGS:-$CORPUS/findings}
[ -d "$FINDINGS" ] || { echo "campaign: --findings $FINDINGS: not a directory" >&2; exit 2; }
STATE=$(realpath -m "$STATE"); REPORT=$(realpath -m "$REPORT")
BUILD_DIR=$(realpath -m "$BUILD_DIR"); FINDINGS=$(realpath "$FINDINGS"); CORPUS=$(realpath "$CORPUS")
# The report and the state are replaced in part on every run: never a folder
# that holds anything else (the repository, or a folder of the user's).
for d in "$REPORT" "$STATE"; do
  prefix=${d%/}  # "/" -> "": every path starts with "$prefix/"
  case "$ROOT/" in "$prefix"/*) echo "campaign: $d contains the repository; choose another folder" >&2; exit 2 ;; esac
done
if [ -d "$REPORT" ] && [ -n "$(ls -A "$REPORT")" ] && [ ! -f "$REPORT/summary.json" ] && [ ! -f "$REPORT/index.html" ]; then
  echo "campaign: --report $REPORT is a folder that is not a campaign report; choose an empty or new one" >&2; exit 2
fi
if [ -d "$STATE" ] && [ -n "$(ls -A "$STATE")" ] && [ ! -d "$STATE/runs" ]; then
  echo "campaign: --state $STATE is a folder that is not a campaign state; choose an empty or new one" >&2; exit 2
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
started=$(date +%s)
mkdir -p "$STATE/runs" "$STATE/corpus" "$STATE/seeds"
if [ "$REPORT_ONLY" = 1 ]; then
  RUN_ID=$(ls "$STATE/runs" | sort | tail -1)
  [ -n "$RUN_ID" ] || { echo "campaign: --report-only: no run in $STATE yet" >&2; exit 2; }
else
  n=$(( $(cat "$STATE/run-counter" 2>/dev/null || echo 0) + 1 ))
  echo "$n" >"$STATE/run-counter"
  RUN_ID=$(printf '%04d-%s' "$n" "$(date -u +%Y%m%dT%H%M%SZ)")
fi
RUN="$STATE/runs/$RUN_ID"
mkdir -p "$RUN"
echo "campaign: run $RUN_ID, state $STATE"


FUZZ_BUILD="$BUILD_DIR/fuzz"
COV_BUILD="$BUILD_DIR/fuzz-cov"
say "build: libFuzzer + ASan/UBSan (clang-19, $FUZZ_BUILD)"
cmake --preset fuzz -B "$FUZZ_BUILD" "${CMAKE_EXTRA[@]}" >"$RUN/configure.log" 2>&1 || { cat "$RUN/configure.log"; exit 2; }
# Read the target list once: `ninja ... | grep -q` under pipefail fails at
# random (grep exits early, ninja dies of SIGPIPE).
all_targets=$(ninja -C "$FUZZ_BUILD" -t targets all 2>/dev/null || true)
built() { grep -q "^fuzz/$1:" <<<"$all_targets"; }
TARGETS=()
for t in "${REAL_TARGETS[@]}"; do
  if built "$t" && { [ ${#ONLY[@]} -eq 0 ] || [[ " ${ONLY[*]} " == *" $t "* ]]; }; then TARGETS+=("$t"); fi
done
if { [ -n "$UPSTREAM" ] || [ -f "$ROOT/../shared/upstream/balloon-seed.c" ]; } && ! built diff_upstream; then
  echo "campaign: the upstream driver is there but diff_upstream was not configured" >&2
  exit 2
fi
for t in "${ONLY[@]}"; do built "$t" || { echo "campaign: --target $t was not configured" >&2; exit 2; }; done
COV_TARGETS=("${TARGETS[@]}")
if [ "$PLANT" = 1 ]; then
  for t in core_planted diff_planted; do built "$t" && TARGETS+=("$t"); done
fi
tools=(ballast_fuzz_tool)
built diff_upstream && tools+=(ballast-diff)
cmake --build "$FUZZ_BUILD" --target "${TARGETS[@]}" "${tools[@]}" -j "$(nproc)" >"$RUN/build.log" 2>&1 \
  || { tail -40 "$RUN/build.log"; exit 2; }
TOOL="$FUZZ_BUILD/fuzz/ballast_fuzz_tool"
echo "targets: ${TARGETS[*]}"

# A planted twin fuzzes from the seeds and the corpus of the target it copies.
base_of() { case "$1" in core_planted) echo core_invariants ;; diff_planted) echo diff_upstream ;; *) echo "$1" ;; esac; }

# Seeds, made afresh from corpus/ each run: readable scenarios -> binary inputs
# (the parser reads the text itself), plus each target's binary corpus.
make_seeds() {
  local t=$1 d="$STATE/seeds/$1"
  rm -rf "$d"; mkdir -p "$d"
  if [ "$t" = scenario_parser ]; then
    find "$CORPUS" -type f \( -name '*.scn' -o -path '*/parser/*' \) ! -name .keep -exec cp -t "$d" {} +
  else
    # The fuzz corpus and the target's own fixed findings; regressions and
    # findings outside the fuzz limits cannot be fuzz inputs (export counts them).
    "$TOOL" export --fitting "$CORPUS/seeds" "$CORPUS/fuzzed" "$CORPUS/regressions" \
      $(find "$FINDINGS" -name "fixed-$t-*.scn") "$d" 2>&1 | sed 's/^/  /'
    if [ -d "$CORPUS/binary/$t" ]; then find "$CORPUS/binary/$t" -type f -exec cp -t "$d" {} +; fi
  fi
}

if [ "$REPORT_ONLY" = 0 ]; then
  say "seeds from corpus/"
  for t in "${COV_TARGETS[@]}"; do make_seeds "$t"; echo "  $t: $(ls "$STATE/seeds/$t" | wc -l) seeds"; done

  # All targets fuzz at the same time, the cores shared between them
  # (-fork=max(1, J/targets)); -timeout: an input running longer is a hang (a crash).
  NT=${#TARGETS[@]}
  PER=$(( JOBS / NT )); [ "$PER" -ge 1 ] || PER=1
  # libFuzzer options shared with ./ballast bench and OSS-Fuzz (fuzz/libfuzzer.options).
  mapfile -t LIBFUZZER_OPTS < <(bash "$ROOT/fuzz/libfuzzer_flags.sh" "$ROOT/fuzz/libfuzzer.options")
  say "fuzz: ${TARGETS[*]} for ${SECONDS_PER_TARGET}s each, concurrently, -fork=$PER each ($JOBS job(s) in all; ${LIBFUZZER_OPTS[*]})"
  python3 - "$RUN/run.json" "$RUN_ID" "$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)" \
    "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | head -1)" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(clang-19 --version | head -1)" "$(nproc)" "$JOBS" \
    "$SECONDS_PER_TARGET" "$PLANT" "${LIBFUZZER_OPTS[*]}" "${TARGETS[@]}" <<'PY'
import json, sys
out, run, commit, dirty, date, compiler, cores, jobs, secs, plant, opts, *targets = sys.argv[1:]
json.dump(dict(run=run, commit=commit, dirty=bool(dirty), date=date, compiler=compiler, cores=int(cores),
               jobs=int(jobs), seconds_per_target=int(secs), plant=plant == '1', libfuzzer_options=opts.split(),
               targets=targets), open(out, 'w'), indent=2)
PY
  pids=()
  for t in "${TARGETS[@]}"; do
    b=$(base_of "$t")
    mkdir -p "$STATE/corpus/$t" "$RUN/artifacts/$t" "$RUN/$t"
    dict=()
    [ -f "$ROOT/fuzz/$b.dict" ] && dict=("-dict=$ROOT/fuzz/$b.dict")
    # Fork mode goes on after a crash; a planted twin runs in-process and
    # stops at the first one (its bug is the point, not its coverage).
    mode=(-fork="$PER" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    [ "$b" = "$t" ] || mode=()
    (cd "$RUN/$t" && "$FUZZ_BUILD/fuzz/$t" "${mode[@]}" \
        -timeout=10 -max_total_time="$SECONDS_PER_TARGET" -artifact_prefix="$RUN/artifacts/$t/" \
        -print_final_stats=1 "${dict[@]}" "${LIBFUZZER_OPTS[@]}" \
        "$STATE/corpus/$t" "$STATE/seeds/$b" >"$RUN/$t/fuzz.log" 2>&1) &
    pids+=($!)
  done
  running() { for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
  while running; do
    sleep 10
    for t in "${TARGETS[@]}"; do
      line=$(grep -aE '^#[0-9]+' "$RUN/$t/fuzz.log" | tail -1 || true)
      [ -n "$line" ] && printf '  %-16s %s\n' "$t" "$line"
    done
  done
  for p in "${pids[@]}"; do wait "$p" || true; done

  say "distill the working corpus (libFuzzer -merge=1)"
  for t in "${TARGETS[@]}"; do
    before=$(ls "$STATE/corpus/$t" | wc -l)
    rm -rf "$STATE/corpus/$t.new"; mkdir -p "$STATE/corpus/$t.new"
    if (cd "$RUN/$t" && "$FUZZ_BUILD/fuzz/$t" -merge=1 -timeout=10 "$STATE/corpus/$t.new" "$STATE/corpus/$t" \
          >"$RUN/$t/distill.log" 2>&1); then
      rm -rf "$STATE/corpus/$t"; mv "$STATE/corpus/$t.new" "$STATE/corpus/$t"
    else
      rm -rf "$STATE/corpus/$t.new"; echo "  $t: distilling failed (kept as is; $RUN/$t/distill.log)"
    fi
    echo "  $t: $before -> $(ls "$STATE/corpus/$t" | wc -l) inputs, $(find "$RUN/artifacts/$t" -type f | wc -l) crash file(s)"
  done
fi

rm -rf "$REPORT"; mkdir -p "$REPORT"
say "triage"
python3 "$ROOT/fuzz/campaign/triage.py" --root "$ROOT" --build "$FUZZ_BUILD" --run "$RUN" --state "$STATE" \
  --findings "$FINDINGS" --report "$REPORT" --minimize-seconds $(( SECONDS_PER_TARGET < 60 ? SECONDS_PER_TARGET : 60 ))

say "coverage: clang-19 source-based coverage ($COV_BUILD)"
cmake --preset fuzz-cov -B "$COV_BUILD" "${CMAKE_EXTRA[@]}" >"$RUN/cov-configure.log" 2>&1 || { cat "$RUN/cov-configure.log"; exit 2; }
cmake --build "$COV_BUILD" --target "${COV_TARGETS[@]}" -j "$(nproc)" >"$RUN/cov-build.log" 2>&1 || { tail -40 "$RUN/cov-build.log"; exit 2; }
cov_args=()
for t in "${COV_TARGETS[@]}"; do cov_args+=(--corpus "$t=$STATE/seeds/$t:$STATE/corpus/$t"); done
python3 "$ROOT/fuzz/campaign/coverage.py" --root "$ROOT" --build "$COV_BUILD" --out "$RUN/coverage.json" \
  --html "$REPORT/coverage" --jobs "$JOBS" "${cov_args[@]}"

if [[ " ${COV_TARGETS[*]} " == *" diff_upstream "* ]]; then
  say "differential: the diff_upstream corpus on its pairs (ballast-diff corpus)"
  "$FUZZ_BUILD/diff/ballast-diff" corpus --binary --stats-json "$RUN/diff.json" --examples "$REPORT/diff" \
    "$STATE/seeds/diff_upstream" "$STATE/corpus/diff_upstream" >"$RUN/diff.log" 2>&1 \
    || echo "  ballast-diff corpus: unattributed divergences (the findings above)"
  sed 's/^/  /' "$RUN/diff.log"
fi

say "history and report"
if [ "$REPORT_ONLY" = 0 ]; then
  python3 - "$RUN/run.json" "$(( $(date +%s) - started ))" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d['duration_s'] = int(sys.argv[2]); json.dump(d, open(sys.argv[1], 'w'), indent=2)
PY
fi
python3 "$ROOT/fuzz/campaign/history.py" --state "$STATE" --run "$RUN"
status=0
python3 "$ROOT/fuzz/campaign/report.py" --root "$ROOT" --state "$STATE" --run "$RUN" --report "$REPORT" || status=1
# Old run directories go; the history keeps their records.
ls "$STATE/runs" | sort | head -n -"$KEEP_RUNS" | while read -r old; do rm -rf "${STATE:?}/runs/$old"; done

if [ "$MERGE" -gt 0 ]; then
  say "merge: at most $MERGE new input(s) per target from the working corpus into corpus/"
  for t in "${COV_TARGETS[@]}"; do
    m="$RUN/merge/$t"; rm -rf "$m"; mkdir -p "$m/all" "$m/new"
    cp "$STATE/seeds/$t/"* "$m/all/" 2>/dev/null || true
    # Inputs that add coverage over the seeds (-merge=1 keeps those), the largest gain first.
    (cd "$m" && "$FUZZ_BUILD/fuzz/$t" -merge=1 -timeout=10 "$m/all" "$STATE/corpus/$t" >"$m/merge.log" 2>&1) || true
    comm -13 <(ls "$STATE/seeds/$t" | sort) <(ls "$m/all" | sort) | head -n "$MERGE" \
      | while read -r f; do cp "$m/all/$f" "$m/new/"; done || true  # head closes the pipe early
    case "$t" in
      scenario_parser) mkdir -p "$CORPUS/parser"; cp "$m/new/"* "$CORPUS/parser/" 2>/dev/null || true
                       n=$(ls "$m/new" | wc -l) ;;
      core_invariants) n=$("$TOOL" import "$m/new" "$CORPUS/fuzzed" fuzz) ;;
      *) mkdir -p "$CORPUS/binary/$t"; cp "$m/new/"* "$CORPUS/binary/$t/" 2>/dev/null || true
         n=$(ls "$m/new" | wc -l) ;;
    esac
    echo "  $t: +$n input(s)"
  done
fi
echo "report: $REPORT/index.html  $REPORT/summary.json"
exit $status

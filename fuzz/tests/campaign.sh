#!/usr/bin/env bash
# ctest campaign.continuous: two short campaigns (scripts/campaign.sh, 10 s of
# fuzzing each, with the planted targets) in one state directory, as a cron
# job would run them. Fails unless
#   - the first run finds the planted crash (core_planted: an AddressSanitizer
#     heap-buffer-overflow in planted_overflow) and the planted divergence
#     (diff_planted: stats.balloon_low), each new, minimized, with its page,
#     and its command reproduces it (run here again: the crash through the
#     target, the divergence through the gcc ballast-diff as ./ballast diff runs it);
#   - the second run, matched against findings made from the first run's
#     reproducers (the crash as an open finding without a signature line, so
#     its signature is computed; the divergence as a fixed finding with one),
#     reports the crash as known and the divergence as a regression;
#   - the history holds both runs; --report-only --merge 3 into a copy of corpus/
#     adds at most 3 inputs per target (and some), and no run;
#   - git status is what it was before.
# The report of the second run stays in OUT/report for campaign.report_in_browser.
# usage: campaign.sh REPO BUILD_DIR OUT BALLAST_DIFF
set -euo pipefail
REPO=$1 BUILD=$2 OUT=$3 DIFF=$4
status=0
fail() { echo "FAIL: $*"; status=1; }
rm -rf "$OUT"; mkdir -p "$OUT/findings-none" "$OUT/findings"
before=$(git -C "$REPO" status --porcelain --untracked-files=all)

campaign() {  # expected exit status, then the campaign's options
  local want=$1 rc=0
  shift
  bash "$REPO/scripts/campaign.sh" --seconds 10 --plant --state "$OUT/state" --build-dir "$BUILD" "$@" \
    >"$OUT/campaign.log" 2>&1 || rc=$?
  sed 's/^/  | /' "$OUT/campaign.log" | grep -v '^  |   \(core_\|diff_\|scenario_\).*#[0-9]' || true
  [ "$rc" = "$want" ] || fail "campaign $* exited $rc, expected $want"
}
# finding TARGET FIELD: a field of the run's finding of TARGET (summary.json).
finding() {
  python3 - "$OUT/report/summary.json" "$1" "$2" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
f = [f for f in s['finding_list'] if f['target'] == sys.argv[2]]
v = f[0] if f else {}
for k in sys.argv[3].split('.'):
    v = v.get(k, '') if isinstance(v, dict) else ''
print(v)
PY
}

echo "== run 1: nothing known"
campaign 1 --report "$OUT/report" --findings "$OUT/findings-none"
[ "$(finding core_planted kind)" = "asan heap-buffer-overflow WRITE" ] || fail "no planted crash found"
crash_sig=$(finding core_planted signature)
div_sig=$(finding diff_planted signature)
echo "  planted crash:      $crash_sig"
echo "  planted divergence: $div_sig"
[[ "$crash_sig" == *"planted_overflow"* ]] || fail "the crash's signature names no frame of planted_overflow"
[[ "$div_sig" == *"| divergence | planted:"*"| stats.balloon_low" ]] || fail "no planted divergence found"
for t in core_planted diff_planted; do
  [ "$(finding $t status)" = new ] || fail "$t: status $(finding $t status), expected new"
  [ "$(finding $t reproduced)" = True ] || fail "$t: its command did not reproduce it"
  id=$(finding $t id)
  [ -s "$OUT/report/findings/$id/index.html" ] || fail "$t: no page findings/$id/index.html"
  [ -s "$OUT/report/findings/$id/repro.scn" ] || fail "$t: no readable reproducer"
done
# The crash: the command the page gives, as it is (the sanitizer build of the target).
cmd=$(finding core_planted command)
(cd "$REPO" && eval "$cmd") >"$OUT/crash.out" 2>&1 && fail "'$cmd' did not crash"
grep -q "heap-buffer-overflow" "$OUT/crash.out" || fail "'$cmd' did not show the heap-buffer-overflow"
# The divergence: its reproducer on its own, through another build's ballast-diff.
repro="$OUT/report/findings/$(finding diff_planted id)/repro.scn"
rc=0; "$DIFF" run "$repro" --no-minimize >"$OUT/divergence.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "UNATTRIBUTED divergence" "$OUT/divergence.out" && grep -q "field stats.balloon_low" "$OUT/divergence.out" \
  || fail "ballast-diff run $repro (exit $rc) did not show the divergence"
[ "$(grep -vc '^#' "$repro")" -le 3 ] || fail "the divergence's reproducer is not minimized: $repro"

echo "== run 2: the crash is an open finding, the divergence a fixed one"
grep -v '^# signature:' "$OUT/report/findings/$(finding core_planted id)/repro.scn" \
  >"$OUT/findings/open-core_planted-odd-lend.scn"
cp "$repro" "$OUT/findings/fixed-diff_planted-balloon-low.scn"
campaign 1 --report "$OUT/report" --findings "$OUT/findings"
[ "$(finding core_planted status)" = known ] || fail "core_planted: status $(finding core_planted status), expected known"
[ "$(finding core_planted finding)" = open-core_planted-odd-lend.scn ] || fail "core_planted matched $(finding core_planted finding)"
[ "$(finding diff_planted status)" = regression ] || fail "diff_planted: status $(finding diff_planted status), expected regression"
runs=$(wc -l <"$OUT/state/history.jsonl")
[ "$runs" = 2 ] || fail "history.jsonl has $runs runs, expected 2"
grep -q 'History (2 run(s))' "$OUT/report/index.html" || fail "the page does not show a history of 2 runs"

echo "== merge: at most 3 new inputs per target, into a copy of corpus/"
cp -r "$REPO/corpus" "$OUT/corpus"
count() { find "$OUT/corpus/$1" -type f | wc -l; }
declare -A had=([fuzzed]=$(count fuzzed) [parser]=$(count parser) [binary/diff_upstream]=$(count binary/diff_upstream))
campaign 1 --report-only --merge 3 --corpus "$OUT/corpus" --findings "$OUT/findings" --report "$OUT/report"
for d in fuzzed parser binary/diff_upstream; do
  added=$(( $(count "$d") - ${had[$d]} ))
  echo "  corpus/$d: +$added"
  [ "$added" -le 3 ] || fail "--merge 3 added $added inputs to corpus/$d"
  [ "$d" = parser ] || [ "$added" -ge 1 ] || fail "--merge 3 added nothing to corpus/$d"
done
[ "$(wc -l <"$OUT/state/history.jsonl")" = 2 ] || fail "--report-only added a run to the history"

after=$(git -C "$REPO" status --porcelain --untracked-files=all)
[ "$before" = "$after" ] || { fail "git status changed:"; diff <(echo "$before") <(echo "$after") || true; }
[ "$status" = 0 ] && echo "campaign.continuous: ok"
exit $status

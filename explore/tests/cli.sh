#!/usr/bin/env bash
# ballast-explore's command line: bad arguments are refused with exit status
# 2 and the problem named; the result does not depend on --jobs; a finding is
# written as a scenario file that `ballast-diff run` and the core's replay
# reproduce.
# usage: cli.sh BALLAST_EXPLORE BALLAST_DIFF BALLAST_FUZZ_TOOL
set -uo pipefail
B=$1 D=$2 F=$3
status=0
fail() { echo "FAIL: $*"; status=1; }
refuse() { # expected message, then the arguments
  local want=$1; shift
  out=$("$B" "$@" 2>&1 >/dev/null); rc=$?
  [ $rc -eq 2 ] || fail "'$*' exited $rc, not 2"
  grep -q -- "$want" <<<"$out" || fail "'$*' did not say '$want': $out"
}
refuse "--depth wants a whole number" --depth x
refuse "--depth wants a whole number" --depth 65
refuse "--jobs wants a whole number" --jobs 0
refuse "unknown world 'nope'" --world nope
refuse "world 'frames=x'" --world frames=x
refuse "--left" --left core:nonsense
refuse "unknown alphabet 'x'" --alphabet x
refuse "--plant wants a whole number" --plant 7
refuse "unexpected argument 'extra'" extra
refuse "unknown option '--bogus'" --bogus
refuse "--depth needs a value" --depth
refuse "--out: cannot write" --out /nonexistent/dir

# --jobs 1 and --jobs 2: the same states, levels and claim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for j in 1 2; do
  "$B" --world pv --world hvm --alphabet small --depth 3 --jobs $j --progress 0 --json "$tmp/j$j.json" >/dev/null 2>&1 ||
    fail "--jobs $j exited non-zero"
  grep -v -e '"seconds"' -e '_per_second' -e '"jobs"' "$tmp/j$j.json" | sed 's/"seconds": [0-9.]*, //g' >"$tmp/j$j.cmp"
done
cmp -s "$tmp/j1.cmp" "$tmp/j2.cmp" || { fail "--jobs 1 and --jobs 2 differ"; diff "$tmp/j1.cmp" "$tmp/j2.cmp" | head; }

# A planted subject's divergence: written as a scenario that the lock-step
# engine reproduces on the same pair (exit 1: an unattributed divergence).
"$B" --left planted:linux-2019 --world pv --alphabet small --depth 3 --jobs 2 --progress 0 \
  --max-findings 1 --out "$tmp" >"$tmp/planted.txt" 2>&1
[ $? -eq 1 ] || fail "planted:linux-2019: no finding"
f="$tmp/finding-1.scn"
[ -f "$f" ] || fail "no finding file"
grep -q '^# pair: planted:linux-2019 upstream:seed' "$f" || fail "the finding has no pair line"
"$D" run "$f" --no-minimize >/dev/null 2>&1
[ $? -eq 1 ] || fail "ballast-diff run does not reproduce $f"
# A planted audit fault: a scenario the core's replay runs without it (ok)
"$B" --plant 2 --world pv --alphabet small --depth 3 --progress 0 --max-findings 1 --out "$tmp" \
  >/dev/null 2>&1
"$F" replay "$tmp/finding-1.scn" >/dev/null 2>&1 || fail "replay of the planted finding's scenario fails without the plant"
"$D" run "$tmp/finding-1.scn" --no-minimize >/dev/null 2>&1 || fail "ballast-diff run of it diverges"
exit $status

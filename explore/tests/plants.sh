#!/usr/bin/env bash
# Each audit fault (fuzz/audit_plants.cpp), planted once in the core-alone
# runs, must be found by exhaustive exploration; kind 5 (a ballooned page
# lent without raising target_unpopulated) keeps every invariant and must be
# found by the accounting oracle. Prints, side by side, the depth and
# time exploration needed and how many random scenarios of the differential
# campaign's generator (and how long) the sampling comparison needed for the
# same fault; and checks that exploration without state deduplication finds
# the same first finding at the same depth (the dedup loses nothing here).
# usage: plants.sh BALLAST_EXPLORE
set -euo pipefail
B=$1
W=(--world pv --world hvm --alphabet small --jobs 2 --progress 0 --max-findings 1)
status=0
printf '%-4s %-52s %-24s %s\n' kind "fault" "explore (depth, time)" "campaign generator (scenarios, time)"
for k in 0 1 2 3 4 5 6; do
  name=$(grep -A8 'names\[kPlants\]' "$(dirname "$0")/../../fuzz/audit_plants.cpp" | grep -o '"[^"]*"' | sed -n "$((k + 1))p")
  set +e
  out=$("$B" "${W[@]}" --depth 4 --plant "$k" 2>/dev/null); rc=$?
  nd=$("$B" "${W[@]}" --depth 3 --plant "$k" --no-dedup 2>/dev/null | grep -m1 '^FINDING' | sed 's/, [0-9.]* s, [0-9]* transitions//')
  sm=$("$B" --sample 10000 --seconds 10 --plant "$k" 2>/dev/null); src=$?
  sm=$(head -1 <<<"$sm")
  set -e
  first=$(grep -m1 '^FINDING' <<<"$out" || true)
  depth=$(sed -n 's/^FINDING ([a-z]*, depth \([0-9]*\), \([0-9.]*\) s.*/\1 \2 s/p' <<<"$first")
  sdepth=$(sed -n 's/^sample: .*, \([0-9]*\) random scenarios (the campaign.s generator) in \([0-9.]*\) s: .*/\1 \2 s/p' <<<"$sm")
  printf '%-4s %-52s %-24s %s\n' "$k" "$name" "${depth:-not found}" "$([ $src -eq 1 ] && echo "$sdepth" || echo "not found")"
  if [ "$k" = 5 ] && ! grep -q 'accounting: ' <<<"$first"; then
    echo "  FAIL: planted fault 5 was not found by the accounting oracle: $first"; status=1; continue
  fi
  if [ $rc -ne 1 ] || [ -z "$first" ]; then
    echo "  FAIL: exploration did not find planted fault $k (exit $rc)"; status=1; continue
  fi
  # depth <= 3 findings: the same first finding without dedup
  d=${depth%% *}
  if [ "$d" -le 3 ] && [ "$(sed 's/, [0-9.]* s, [0-9]* transitions//' <<<"$first")" != "$nd" ]; then
    echo "  FAIL: without dedup the first finding differs:"; echo "    dedup:    $first"; echo "    no dedup: $nd"; status=1
  fi
done
# The planted cores of the differential harness (diff/core_subject.h): a
# divergence from upstream the engine must report.
for spec in planted:linux-2019 planted-target:linux-2019; do
  set +e
  out=$("$B" "${W[@]}" --depth 4 --left "$spec" 2>/dev/null); rc=$?
  sm=$("$B" --sample 10000 --seconds 10 --left "$spec" 2>/dev/null); src=$?
  set -e
  sm=$(head -1 <<<"$sm")
  first=$(grep -m1 '^FINDING' <<<"$out" || true)
  depth=$(sed -n 's/^FINDING ([a-z]*, depth \([0-9]*\), \([0-9.]*\) s.*/\1 \2 s/p' <<<"$first")
  sdepth=$(sed -n 's/^sample: .*, \([0-9]*\) random scenarios (the campaign.s generator) in \([0-9.]*\) s: .*/\1 \2 s/p' <<<"$sm")
  printf '%-4s %-52s %-24s %s\n' "-" "--left $spec" "${depth:-not found}" "$([ $src -eq 1 ] && echo "$sdepth" || echo "not found")"
  if [ $rc -ne 1 ] || ! grep -q '^FINDING (divergence' <<<"$first"; then
    echo "  FAIL: exploration did not find the divergence of $spec (exit $rc)"; status=1
  fi
done
exit $status

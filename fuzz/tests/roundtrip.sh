#!/usr/bin/env bash
# One input, one scenario, whichever tool reads it. For every file in corpus/
# (scenario text and binary fuzz inputs; corpus/parser holds parser inputs,
# not scenarios):
#  - ballast_fuzz_tool to-scn (what replay and minimize run) and ballast-diff
#    print (what diff runs) print the same canonical scenario;
#  - the fuzz targets (core_invariants --print-scenario: what every target
#    decodes) print it too, or, for a text scenario outside the fuzz limits,
#    refuse it with exit status 2 and the limit -- never run something else;
#  - the fuzz corpus (seeds/, fuzzed/, binary/) is all within the fuzz limits,
#    and text -> binary -> text is the identity on it.
# usage: roundtrip.sh FUZZ_TOOL BALLAST_DIFF FUZZ_TARGET CORPUS
set -uo pipefail
tool=$1 diff=$2 target=$3 corpus=$4
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0 fuzz=0 refused=0 fail=0
bad() { echo "FAIL: $*"; fail=1; }
while IFS= read -r -d '' f; do
  n=$((n + 1))
  "$tool" to-scn "$f" "$tmp/a.scn" 2>"$tmp/err" || { bad "$f: to-scn: $(cat "$tmp/err")"; continue; }
  "$diff" print "$f" >"$tmp/b.scn" 2>"$tmp/err" || { bad "$f: ballast-diff print: $(cat "$tmp/err")"; continue; }
  cmp -s "$tmp/a.scn" "$tmp/b.scn" || { bad "$f: replay and diff read different scenarios"; diff "$tmp/a.scn" "$tmp/b.scn"; }
  "$target" --print-scenario "$f" >"$tmp/c.scn" 2>"$tmp/err"; rc=$?
  case "$f" in
    */seeds/*|*/fuzzed/*|*/binary/*) in_fuzz_corpus=1 ;;
    *) in_fuzz_corpus=0 ;;
  esac
  if [ $rc -eq 0 ]; then
    fuzz=$((fuzz + 1))
    cmp -s "$tmp/a.scn" "$tmp/c.scn" || { bad "$f: the fuzz targets read a different scenario"; diff "$tmp/a.scn" "$tmp/c.scn"; }
    "$tool" to-bin "$tmp/a.scn" "$tmp/a.bin" 2>"$tmp/err" || bad "$f: to-bin: $(cat "$tmp/err")"
    "$tool" to-scn "$tmp/a.bin" "$tmp/d.scn" && cmp -s "$tmp/a.scn" "$tmp/d.scn" || bad "$f: text -> binary -> text changed it"
  elif [ $rc -eq 2 ] && grep -q "not a fuzz input as written: " "$tmp/err"; then
    refused=$((refused + 1))
    [ $in_fuzz_corpus = 0 ] || bad "$f: in the fuzz corpus but outside the fuzz limits: $(cat "$tmp/err")"
  else
    bad "$f: fuzz target replay exit $rc: $(cat "$tmp/err")"
  fi
done < <(find -L "$corpus" -type f ! -path '*/parser/*' ! -name README.md ! -name '.*' -print0 | sort -z)
echo "$n corpus files: the same scenario in every tool; $fuzz are fuzz inputs (round trip ok), $refused run as written but refused as fuzz inputs"
[ "$n" -gt 200 ] && [ "$fuzz" -gt 200 ] && [ $fail = 0 ]

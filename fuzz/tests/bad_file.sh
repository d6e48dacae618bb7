#!/usr/bin/env bash
# A malformed scenario gets "error: FILE: line L, column C: ..." and exit status 2.
set -uo pipefail
tool=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'world frames=64\ntarget 10\nrun\nfrobnicate 3\n' > "$tmp/bad.scn"
out=$("$tool" replay "$tmp/bad.scn" 2>&1); rc=$?
echo "$out"
[ $rc -eq 2 ] || { echo "expected exit 2, got $rc"; exit 1; }
grep -q "line 4, column 1: unknown operation 'frobnicate" <<<"$out" || exit 1
printf '# profile: linux-2020\nworld\n' > "$tmp/bad2.scn"
out=$("$tool" replay "$tmp/bad2.scn" 2>&1); rc=$?
echo "$out"
[ $rc -eq 2 ] && grep -q "line 1" <<<"$out"

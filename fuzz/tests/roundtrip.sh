#!/usr/bin/env bash
# Every .scn in the corpus converts to the binary fuzz input and back to the same scenario.
set -euo pipefail
tool=$1 corpus=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0
while IFS= read -r -d '' f; do
  "$tool" to-scn "$f" "$tmp/a.scn"          # canonical text
  "$tool" to-bin "$tmp/a.scn" "$tmp/a.bin"
  "$tool" to-scn "$tmp/a.bin" "$tmp/b.scn"
  cmp -s "$tmp/a.scn" "$tmp/b.scn" || { echo "round trip changed $f"; diff "$tmp/a.scn" "$tmp/b.scn"; exit 1; }
  n=$((n + 1))
done < <(find -L "$corpus" -name '*.scn' -print0)
echo "$n corpus files round-trip"
[ "$n" -gt 0 ]

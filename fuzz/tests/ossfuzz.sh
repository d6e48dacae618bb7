#!/usr/bin/env bash
# ctest fuzz.ossfuzz_build: runs fuzz/build.sh as OSS-Fuzz would (clang-19,
# ASan + libFuzzer, OUT and WORK temporary directories, SRC = the repository's
# parent), then checks every expected fuzzer is in $OUT with its dictionary and
# seed corpus zip and options, and runs each fuzzer once over its unzipped seed corpus
# (-runs=0) with those options: any crash, sanitizer report, unknown option or
# missing file fails the test.
# usage: ossfuzz.sh REPO [WORK]   (WORK given: reuse it across runs, for speed)
set -euo pipefail
REPO=$(cd "$1" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export OUT=$TMP/out
export WORK=${2:-$TMP/work}
export SRC=$(dirname "$REPO")
export CC=clang-19 CXX=clang++-19
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64
mkdir -p "$OUT" "$WORK"

expected=(core_invariants scenario_parser)
# The upstream drivers are here (../shared, linux-source-6.1): diff_upstream must be built too.
if [ -f "$SRC/shared/upstream/balloon-seed.c" ]; then
  expected+=(diff_upstream)
  export BALLAST_REQUIRE_UPSTREAM=1
fi

if ! bash "$REPO/fuzz/build.sh" >"$TMP/build.log" 2>&1; then
  tail -40 "$TMP/build.log"; echo "FAIL: fuzz/build.sh failed"; exit 1
fi
status=0
for t in "${expected[@]}"; do
  for f in "$OUT/$t" "$OUT/$t.dict" "$OUT/$t.options" "$OUT/${t}_seed_corpus.zip"; do
    [ -s "$f" ] || { echo "FAIL: $f missing"; status=1; }
  done
  [ -x "$OUT/$t" ] || continue
  mkdir -p "$TMP/seeds/$t"
  unzip -q -o "$OUT/${t}_seed_corpus.zip" -d "$TMP/seeds/$t"
  n=$(ls "$TMP/seeds/$t" | wc -l)
  [ "$n" -gt 0 ] || { echo "FAIL: $t: empty seed corpus"; status=1; }
  # -dict= also checks the dictionary parses; -timeout: a seed that hangs fails in 25 s, not at the ctest timeout.
  # The .options file's [libfuzzer] lines are passed as OSS-Fuzz passes them; libFuzzer must know each one.
  mapfile -t opts < <(bash "$REPO/fuzz/libfuzzer_flags.sh" "$OUT/$t.options" 2>/dev/null)
  [ "${#opts[@]}" -gt 0 ] || { echo "FAIL: $OUT/$t.options: no [libfuzzer] option"; status=1; }
  if (cd "$TMP" && "$OUT/$t" -runs=0 -timeout=25 -dict="$OUT/$t.dict" "${opts[@]}" "$TMP/seeds/$t" >"$TMP/$t.log" 2>&1) \
     && ! grep -q "WARNING: unrecognized flag" "$TMP/$t.log" \
     && grep -q "Dictionary: [1-9][0-9]* entries" "$TMP/$t.log" \
     && grep -q "INITED\|DONE" "$TMP/$t.log"; then
    echo "ok: $t: $n seeds ran, $(grep -o 'Dictionary: [0-9]* entries' "$TMP/$t.log")"
  else
    tail -30 "$TMP/$t.log"; echo "FAIL: $t on its seed corpus"; status=1
  fi
done
exit $status

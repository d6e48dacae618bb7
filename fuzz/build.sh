#!/bin/bash -eu
# fuzz/build.sh: the OSS-Fuzz / ClusterFuzzLite build script.
#
# Honours the OSS-Fuzz build environment:
#   CC CXX CFLAGS CXXFLAGS   compilers and flags (sanitizer + -fsanitize=fuzzer-no-link)
#   LIB_FUZZING_ENGINE       link flag or archive of the engine (-fsanitize=fuzzer, libAFLDriver.a, ...)
#   OUT                      where the fuzzers, <target>_seed_corpus.zip, <target>.dict and .options go
#   WORK                     scratch space (the CMake build lives in $WORK/ballast-build)
#   SRC                      where sources are checked out (default: this repository's parent)
# Builds every fuzz target (core_invariants, scenario_parser, and diff_upstream
# when the upstream drivers are found; not the fuzz_noop benchmark baseline).
#
# The upstream drivers are inputs, never committed here (diff/upstream.cmake):
#   BALLAST_UPSTREAM_SEED  the late-2019 drivers/xen/balloon.c
#                          (default: <repo>/../shared/upstream/balloon-seed.c, i.e. $SRC/shared/... when
#                          the repository is checked out as $SRC/<name>)
#   BALLAST_UPSTREAM_61    Linux 6.1 drivers/xen/balloon.c (default: $SRC/shared/upstream/balloon-6.1.c if
#                          present, else extracted from Debian's /usr/src/linux-source-6.1.tar.xz)
#   BALLAST_UPSTREAM_612   Linux 6.12 drivers/xen/balloon.c (default: $SRC/shared/upstream/balloon-6.12.c
#                          if present, else extracted from Debian's /usr/src/linux-source-6.12.tar.xz)
# An OSS-Fuzz project fetches them in its Dockerfile (see .clusterfuzzlite/Dockerfile). Without
# them diff_upstream is not built and this script says so (BALLAST_REQUIRE_UPSTREAM=1 makes it an error).
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${SRC:=$(dirname "$REPO")}"
: "${WORK:=$REPO/build/ossfuzz-work}"
: "${OUT:?set OUT (where the fuzzers go)}"
: "${CC:=clang}" "${CXX:=clang++}"
: "${CFLAGS:=}" "${CXXFLAGS:=}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${BALLAST_UPSTREAM_SEED:=$REPO/../shared/upstream/balloon-seed.c}"
if [ -z "${BALLAST_UPSTREAM_61:-}" ] && [ -f "$SRC/shared/upstream/balloon-6.1.c" ]; then
  BALLAST_UPSTREAM_61=$SRC/shared/upstream/balloon-6.1.c
fi
: "${BALLAST_UPSTREAM_61:=}"
if [ -z "${BALLAST_UPSTREAM_612:-}" ] && [ -f "$SRC/shared/upstream/balloon-6.12.c" ]; then
  BALLAST_UPSTREAM_612=$SRC/shared/upstream/balloon-6.12.c
fi
: "${BALLAST_UPSTREAM_612:=}"
mkdir -p "$OUT" "$WORK"
BUILD=$WORK/ballast-build

GEN=()
command -v ninja >/dev/null && GEN=(-G Ninja)
# The engine may be several words: a CMake list.
ENGINE=${LIB_FUZZING_ENGINE// /;}
# Coverage/instrumented helper runs below must not litter profiles.
export LLVM_PROFILE_FILE=/dev/null

echo "build.sh: CC=$CC CXX=$CXX LIB_FUZZING_ENGINE=$LIB_FUZZING_ENGINE OUT=$OUT WORK=$WORK"
cmake -S "$REPO" -B "$BUILD" "${GEN[@]}" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" -DCMAKE_BUILD_TYPE= \
  -DBALLAST_FUZZ_ENGINE="$ENGINE" -DBALLAST_WERROR=OFF -DBALLAST_SUBDIRS="world;scenario;diff;fuzz" \
  -DBALLAST_UPSTREAM_SEED="$BALLAST_UPSTREAM_SEED" -DBALLAST_UPSTREAM_61="$BALLAST_UPSTREAM_61" \
  -DBALLAST_UPSTREAM_612="$BALLAST_UPSTREAM_612"

TARGETS=(core_invariants scenario_parser)
if grep -q '^diff_upstream\b\|^fuzz/diff_upstream\b' <(cmake --build "$BUILD" --target help 2>/dev/null | sed 's/^[^a-z]*//; s/:.*//'); then
  TARGETS+=(diff_upstream)
elif [ "${BALLAST_REQUIRE_UPSTREAM:-0}" = 1 ]; then
  echo "build.sh: diff_upstream not configured (upstream drivers not found)" >&2; exit 1
else
  echo "build.sh: upstream drivers not found: diff_upstream is not built" >&2
fi
cmake --build "$BUILD" --target "${TARGETS[@]}" ballast_fuzz_tool -j "$(nproc)"

TOOL=$BUILD/fuzz/ballast_fuzz_tool
CORPUS=$REPO/corpus
# Seeds: the readable corpus and the target's own fixed findings (another
# target's finding may hang this one); open findings crash by design.
SEEDS=$WORK/seeds
for t in "${TARGETS[@]}"; do
  INPUTS=("$CORPUS/seeds" "$CORPUS/regressions" "$CORPUS/fuzzed")
  for f in "$CORPUS"/findings/fixed-"$t"-*.scn; do [ -f "$f" ] && INPUTS+=("$f"); done
  cp "$BUILD/fuzz/$t" "$OUT/$t"
  cp "$REPO/fuzz/$t.dict" "$OUT/$t.dict"
  cp "$REPO/fuzz/libfuzzer.options" "$OUT/$t.options"
  rm -rf "${SEEDS:?}/$t"; mkdir -p "$SEEDS/$t"
  if [ "$t" = scenario_parser ]; then
    # The parser reads text: .scn files as they are, plus corpus/parser/.
    find "$CORPUS" -type f \( -name '*.scn' -o -path '*/parser/*' \) ! -name README.md ! -name .keep -exec cp -t "$SEEDS/$t" {} +
  else
    "$TOOL" export --fitting "${INPUTS[@]}" "$SEEDS/$t" >/dev/null
    if [ -d "$CORPUS/binary/$t" ]; then cp "$CORPUS/binary/$t"/* "$SEEDS/$t/"; fi
  fi
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "$SEEDS/$t" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
  echo "build.sh: $OUT/$t ($(ls "$SEEDS/$t" | wc -l) seeds, dictionary, options)"
done

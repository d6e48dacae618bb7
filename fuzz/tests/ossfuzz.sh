#!/usr/bin/env bash
# ctest fuzz.ossfuzz_build: runs fuzz/build.sh as OSS-Fuzz / ClusterFuzzLite
# would, once for every configuration .clusterfuzzlite/project.yaml asks for:
# each sanitizer with libFuzzer, and AFL++ with AddressSanitizer (AFL++ builds
# take no other sanitizer there). Each gets the compilers and flags the
# base-builder image sets (SANITIZER_FLAGS_<sanitizer>, -O1
# -fno-omit-frame-pointer -gline-tables-only, the engine's
# LIB_FUZZING_ENGINE; libstdc++ here, libc++ there), OUT a temporary directory,
# WORK a directory of its own (kept between runs: a rerun only rebuilds what
# changed), SRC the repository's parent. Then every expected fuzzer must be in
# $OUT with its dictionary, options and seed corpus zip -- diff_upstream too
# when the upstream drivers are beside the repository, and its zip must hold
# the diff_upstream corpus (corpus/binary/diff_upstream) -- and each fuzzer
# runs over its unzipped seeds (libFuzzer: -runs=0 with the dictionary and the
# [libfuzzer] options; AFL++'s driver: every seed file as an argument). Any
# crash, sanitizer report, unknown option or missing file fails the test.
# usage: ossfuzz.sh REPO [WORK]   (WORK given: reuse it across runs, for speed)
set -euo pipefail
REPO=$(cd "$1" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
WORKROOT=${2:-$TMP/work}
export SRC
SRC=$(dirname "$REPO")
export ARCHITECTURE=x86_64
COMMON="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
SAN_address="-fsanitize=address -fsanitize-address-use-after-scope"
UB=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr
SAN_undefined="-fsanitize=$UB,unsigned-integer-overflow -fno-sanitize-recover=$UB"
# As ClusterFuzz runs them: stop at the first report; unsigned wrap-around is
# reported only where it is recoverable, and ClusterFuzz silences it.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:silence_unsigned_overflow=1

# The configurations: project.yaml's lists, each name checked.
yaml_list() { awk -v k="$1:" '$1 == k {on=1; next} on && $1 == "-" {print $2; next} on {exit}' "$REPO/.clusterfuzzlite/project.yaml"; }
mapfile -t sanitizers < <(yaml_list sanitizers)
mapfile -t engines < <(yaml_list fuzzing_engines)
[ ${#sanitizers[@]} -gt 0 ] && [ ${#engines[@]} -gt 0 ] || { echo "FAIL: project.yaml lists no sanitizer or engine"; exit 1; }
configs=()
for e in "${engines[@]}"; do
  case "$e" in
    libfuzzer) for s in "${sanitizers[@]}"; do configs+=("libfuzzer-$s"); done ;;
    afl) configs+=("afl-address") ;;
    *) echo "FAIL: project.yaml: engine '$e' is not built by this test"; exit 1 ;;
  esac
done
for s in "${sanitizers[@]}"; do
  v=SAN_$s; [ -n "${!v:-}" ] || { echo "FAIL: project.yaml: sanitizer '$s' is not built by this test"; exit 1; }
done

expected=(core_invariants scenario_parser)
# The upstream drivers are here (../shared, linux-source-6.1 and -6.12): diff_upstream must be built too.
if [ -f "$SRC/shared/upstream/balloon-seed.c" ]; then
  expected+=(diff_upstream)
  export BALLAST_REQUIRE_UPSTREAM=1
fi

status=0
for cfg in "${configs[@]}"; do
  engine=${cfg%%-*} SANITIZER=${cfg#*-}
  export SANITIZER FUZZING_ENGINE=$engine
  san=SAN_$SANITIZER
  export OUT=$TMP/out-$cfg WORK=$WORKROOT/$cfg
  if [ "$engine" = afl ]; then
    export CC=afl-clang-fast CXX=afl-clang-fast++ LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a
    export AFL_QUIET=1
  else
    export CC=clang-19 CXX=clang++-19 LIB_FUZZING_ENGINE=-fsanitize=fuzzer
  fi
  export CFLAGS="$COMMON ${!san} $([ "$engine" = libfuzzer ] && echo -fsanitize=fuzzer-no-link)"
  export CXXFLAGS="$CFLAGS"
  mkdir -p "$OUT" "$WORK"
  echo "== $cfg: CC=$CC LIB_FUZZING_ENGINE=$LIB_FUZZING_ENGINE"
  if ! bash "$REPO/fuzz/build.sh" >"$TMP/build-$cfg.log" 2>&1; then
    tail -40 "$TMP/build-$cfg.log"; echo "FAIL: $cfg: fuzz/build.sh failed"; status=1; continue
  fi
  # The PR workflow must start on a change to any file this build read.
  if [ "$cfg" = "${configs[0]}" ] && ! python3 - "$REPO" "$WORK/ballast-build" "${expected[@]}" ballast_fuzz_tool <<'PY'
import fnmatch, glob, os, re, subprocess, sys
repo, build = (os.path.realpath(p) for p in sys.argv[1:3])
def ninja(*tool):
    return subprocess.run(['ninja', '-C', build, '-t'] + list(tool), capture_output=True, text=True,
                          check=True).stdout.splitlines()
read = {l.strip(' |') for l in ninja('query', 'build.ninja') if l.startswith('    ')}  # CMake's inputs
read |= {l.strip() for l in ninja('deps') if l.startswith(' ')}                        # headers
read |= set(ninja('inputs', *('fuzz/' + t for t in sys.argv[3:])))                    # sources
read |= {os.path.join(repo, f) for f in ('fuzz/build.sh', '.clusterfuzzlite/build.sh', 'fuzz/libfuzzer.options')}
read |= set(glob.glob(os.path.join(repo, 'fuzz', '*.dict'))) | set(glob.glob(os.path.join(repo, 'corpus', '**'), recursive=True))
mine = {os.path.relpath(os.path.realpath(p), repo) for p in read}
mine = {p for p in mine if not p.startswith(('..', 'build/')) and os.path.isfile(os.path.join(repo, p))}
wf = open(os.path.join(repo, '.github', 'workflows', 'cflite_pr.yml')).read()
patterns = re.findall(r"^\s+- '([^']+)'\s*$", wf.split('paths:', 1)[1].split('permissions:', 1)[0], re.M)
missing = sorted(p for p in mine if not any(fnmatch.fnmatch(p, pat) for pat in patterns))
print(f'workflow paths: {len(patterns)} patterns cover the {len(mine)} files the build read'
      if not missing else 'FAIL: .github/workflows/cflite_pr.yml does not start on: ' + ', '.join(missing[:20]))
sys.exit(1 if missing else 0)
PY
  then status=1; fi
  for t in "${expected[@]}"; do
    for f in "$OUT/$t" "$OUT/$t.dict" "$OUT/$t.options" "$OUT/${t}_seed_corpus.zip"; do
      [ -s "$f" ] || { echo "FAIL: $cfg: $f missing"; status=1; }
    done
    [ -x "$OUT/$t" ] || continue
    seeds=$TMP/seeds-$cfg/$t
    mkdir -p "$seeds"
    unzip -q -o "$OUT/${t}_seed_corpus.zip" -d "$seeds"
    n=$(ls "$seeds" | wc -l)
    [ "$n" -gt 0 ] || { echo "FAIL: $cfg: $t: empty seed corpus"; status=1; }
    if [ -d "$REPO/corpus/binary/$t" ]; then
      missing=$(comm -23 <(ls "$REPO/corpus/binary/$t" | sort) <(ls "$seeds" | sort) | wc -l)
      [ "$missing" = 0 ] || { echo "FAIL: $cfg: $t: $missing input(s) of corpus/binary/$t not in its seed zip"; status=1; }
    fi
    log=$TMP/$cfg-$t.log
    if [ "$engine" = afl ]; then
      # AFL++'s driver runs each file given as an argument once, outside afl-fuzz.
      if (cd "$TMP" && find "$seeds" -type f -print0 | xargs -0 timeout 300 "$OUT/$t" >"$log" 2>&1) \
         && ! grep -q "ERROR: AddressSanitizer\|runtime error" "$log"; then
        echo "ok: $cfg: $t: $n seeds ran"
      else
        tail -30 "$log"; echo "FAIL: $cfg: $t on its seed corpus"; status=1
      fi
      continue
    fi
    # -dict= also checks the dictionary parses; -timeout: a seed that hangs fails in 25 s, not at the ctest timeout.
    # The .options file's [libfuzzer] lines are passed as OSS-Fuzz passes them; libFuzzer must know each one.
    mapfile -t opts < <(bash "$REPO/fuzz/libfuzzer_flags.sh" "$OUT/$t.options" 2>/dev/null)
    [ "${#opts[@]}" -gt 0 ] || { echo "FAIL: $OUT/$t.options: no [libfuzzer] option"; status=1; }
    if (cd "$TMP" && "$OUT/$t" -runs=0 -timeout=25 -dict="$OUT/$t.dict" "${opts[@]}" "$seeds" >"$log" 2>&1) \
       && ! grep -q "WARNING: unrecognized flag" "$log" \
       && ! grep -q "runtime error" "$log" \
       && grep -q "Dictionary: [1-9][0-9]* entries" "$log" \
       && grep -q "INITED\|DONE" "$log"; then
      echo "ok: $cfg: $t: $n seeds ran, $(grep -o 'Dictionary: [0-9]* entries' "$log")"
    else
      tail -30 "$log"; echo "FAIL: $cfg: $t on its seed corpus"; status=1
    fi
  done
done
exit $status

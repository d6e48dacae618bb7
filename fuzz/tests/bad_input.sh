#!/usr/bin/env bash
# Every input a person gives is run as written or refused: a bad file or a bad
# argument, through every verb of the tools and of ./ballast, gets a one-line
# error that names the problem and exit status 2 -- never a crash, never a
# default or a different scenario in its place.
# usage: bad_input.sh FUZZ_TOOL BALLAST_DIFF REPO
set -uo pipefail
tool=$1 diff=$2 repo=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
# expect2 NEEDLE CMD...: exit status 2 and NEEDLE in the output
expect2() {
  local needle=$1; shift
  n=$((n + 1))
  local out rc
  out=$(timeout 120 "$@" 2>&1 </dev/null); rc=$?
  if [ $rc -ne 2 ] || ! grep -qF -- "$needle" <<<"$out"; then
    echo "FAIL: $* -> exit $rc, wanted 2 and '$needle'; output:"; echo "$out" | head -5; fail=1
  fi
}

printf 'world frames=64\ntarget 10\nrun\nfrobnicate 3\n' >"$tmp/unknown-op.scn"
printf 'world frames=64\ntarget 99999999999999999999999\n' >"$tmp/huge-number.txt"
printf 'world frames=-5\nrun\n' >"$tmp/negative-frames"
printf 'world frames=70000\n' >"$tmp/frames-out-of-range.scn"
printf '# profile: linux-2020\nworld\n' >"$tmp/bad-profile.scn"
printf '# profile: linux-6.1\n# profile: ballast\nrun\n' >"$tmp/two-profiles.scn"
printf '# pair: core:ballast upstream:4.19\nrun\n' >"$tmp/bad-pair.scn"
: >"$tmp/empty.scn"
mkdir "$tmp/a-directory"
head -c $((3 << 20)) /dev/zero | tr '\0' 'r' >"$tmp/three-megabytes.scn"
printf 'world frames=256 populated=256 host_pool=512 iomem_limit=1536 pps=128\nlend 2000\n' >"$tmp/beyond-fuzz-limits.scn"

for f in unknown-op.scn:"line 4, column 1: unknown operation 'frobnicate" \
         huge-number.txt:"line 2, column 8: bad number" \
         negative-frames:"line 1, column 14: bad number '-5'" \
         frames-out-of-range.scn:"frames=70000 out of range" \
         bad-profile.scn:"line 1, column 12: unknown profile 'linux-2020'" \
         two-profiles.scn:"line 2, column 1: second profile line" \
         bad-pair.scn:"upstream versions are seed, 6.1" \
         empty.scn:"empty file" \
         a-directory:"is a directory" \
         missing.scn:"No such file or directory" \
         three-megabytes.scn:"inputs are at most"; do
  file=$tmp/${f%%:*} needle=${f#*:}
  expect2 "$needle" "$tool" replay "$file"
  expect2 "$needle" "$tool" to-scn "$file"
  expect2 "$needle" "$tool" minimize "$file" "$tmp/out.scn"
  [ "${f%%:*}" = a-directory ] || expect2 "$needle" "$tool" check "$file"
  expect2 "$needle" "$diff" run "$file"
  expect2 "$needle" "$diff" print "$file"
  expect2 "$needle" "$diff" encode "$file" "$tmp/out.bin"
done
# Text is text whatever the file is called; a text that is not a scenario is an
# error that says how to read the file as a fuzz input instead.
expect2 "--binary reads it as a fuzz input" "$tool" replay "$tmp/huge-number.txt"
# Outside the fuzz limits: runs as written, but is no fuzz input.
expect2 "lend 2000 is above the fuzz limit 1024" "$tool" to-bin "$tmp/beyond-fuzz-limits.scn" "$tmp/out.bin"
expect2 "lend 2000 is above the fuzz limit 1024" "$diff" encode "$tmp/beyond-fuzz-limits.scn" "$tmp/out.bin"
expect2 "lend 2000 is above the fuzz limit 1024" "$tool" export "$tmp/beyond-fuzz-limits.scn" "$tmp/export"
printf 'world frames=4096 populated=4096\nlend 2000\n' >"$tmp/big-lend.scn"
"$tool" replay "$tmp/big-lend.scn" | grep -q "^\[1\] lend 2000 .* -> 0" ||
  { echo "FAIL: a text beyond the fuzz limits did not run as written"; fail=1; }
# Random bytes are a binary fuzz input (any byte string is one): they run, and
# the tools say that is how they read them.
head -c 64 /dev/urandom >"$tmp/random.bin"; printf '\001\377' >>"$tmp/random.bin"
"$tool" replay "$tmp/random.bin" | grep -q "binary fuzz input (" ||
  { echo "FAIL: replay of random bytes does not say it read a binary fuzz input"; fail=1; }
"$diff" run "$tmp/random.bin" --no-minimize | grep -q "binary fuzz input (" ||
  { echo "FAIL: diff of random bytes does not say it read a binary fuzz input"; fail=1; }

# Numbers and options of the C++ tools.
for v in abc -1 "" 0x 1.5 99999999999999999999; do
  expect2 "--count wants a whole number" "$diff" random --count "$v"
  expect2 "--seed wants a whole number" "$diff" random --seed "$v"
  [ "$v" = -1 ] || expect2 "audit N wants a whole number" "$tool" audit "$v" "$repo/corpus/seeds"
done
expect2 "unknown option '-1'" "$tool" audit -1 "$repo/corpus/seeds"
expect2 "no input files under" "$tool" check "$tmp/a-directory"
expect2 "--count wants a whole number in [1," "$diff" random --count 0
expect2 "time R wants a whole number in [1," "$tool" time 0 "$repo/corpus/seeds"
expect2 "--count needs a value" "$diff" random --count
expect2 "unknown option '--frobnicate'" "$diff" run "$repo/corpus/seeds/inflate.scn" --frobnicate
expect2 "--count is not an option of run" "$diff" run "$repo/corpus/seeds/inflate.scn" --count 3
expect2 "run takes 1 file argument(s), got 0" "$diff" run
expect2 "subject 'core:2019': profiles are ballast, linux-2019, linux-6.1" "$diff" run "$repo/corpus/seeds/inflate.scn" --left core:2019
expect2 "takes =0 or =1" "$diff" run "$repo/corpus/seeds/inflate.scn" --left core:ballast+validate_inputs=yes
expect2 "unknown option '--frobnicate'" "$tool" replay --frobnicate "$repo/corpus/seeds/inflate.scn"
expect2 "--fitting is for export" "$tool" replay --fitting "$repo/corpus/seeds/inflate.scn"
expect2 "bad verb or arguments" "$tool" replay

# ./ballast and the scripts behind it: refused before any work starts.
cd "$repo" || exit 1
expect2 "--seconds wants a whole number in [1," ./ballast campaign --seconds abc
expect2 "option '--seconds' requires an argument" ./ballast campaign --seconds
expect2 "--jobs wants a whole number in [1," ./ballast campaign --jobs 0
expect2 "--jobs wants a whole number in [1," ./ballast campaign --jobs -3
expect2 "unrecognized option '--frobnicate'" ./ballast campaign --frobnicate
expect2 "--merge wants a whole number in [1," ./ballast campaign --merge 0
expect2 "--target is one of" ./ballast campaign --target core_planted
expect2 "contains the repository; choose another folder" ./ballast campaign --report "$repo"
expect2 "contains the repository; choose another folder" ./ballast campaign --state /
mkdir "$tmp/not-a-state" && touch "$tmp/not-a-state/notes.txt"
expect2 "is a folder that is not a campaign state" ./ballast campaign --state "$tmp/not-a-state"
expect2 "is a folder that is not a campaign report" ./ballast campaign --report "$tmp/not-a-state"
expect2 "no seeds/ in it" ./ballast campaign --corpus "$tmp/a-directory"
expect2 "--findings $tmp/nowhere: not a directory" ./ballast campaign --findings "$tmp/nowhere"
expect2 "--seconds wants a whole number in [1," ./ballast afl --seconds ""
expect2 "--target is one of" ./ballast afl --target nonsense
expect2 "BENCH_RUNS wants a whole number in [1," env BENCH_RUNS=0 ./ballast bench
expect2 "BENCH_SECONDS wants a whole number in [1," env BENCH_SECONDS=abc ./ballast bench
expect2 "takes no arguments" ./ballast build extra
expect2 "usage: ./ballast minimize FILE" ./ballast minimize a b
expect2 "unknown verb 'frobnicate'" ./ballast frobnicate
# The front door reads files as the tools do: no guessing from the name, no
# fallback to another format.
expect2 "line 4, column 1: unknown operation 'frobnicate" ./ballast diff "$tmp/unknown-op.scn"
expect2 "line 2, column 8: bad number" ./ballast diff "$tmp/huge-number.txt"
expect2 "line 2, column 8: bad number" ./ballast replay "$tmp/huge-number.txt"
expect2 "is a directory" ./ballast replay "$tmp/a-directory"
expect2 "is a directory" ./ballast diff "$tmp/a-directory"
expect2 "empty file" ./ballast minimize "$tmp/empty.scn"

echo "$n bad inputs and arguments checked"
[ $fail = 0 ]

#!/usr/bin/env bash
# Freestanding proof: compile a core translation unit with kernel-like flags
# and fail if the object needs any symbol outside the environment contract.
#   check.sh COMPILER SOURCE [--expect-reject PATTERN]
# With --expect-reject the check must reject SOURCE with a message matching
# PATTERN (planted faults prove the check can fail); a compile error is no pass.
# Allowed undefined symbols: ballast_env_* (core/ballast_env.h) and the four
# functions every freestanding C/C++ compiler may emit calls to (memcpy,
# memmove, memset, memcmp; the kernel exports them). Also refused: global
# constructors (.init_array/.ctors), RTTI, exception tables, C++ runtime calls.
set -euo pipefail
if [ "${3:-}" = --expect-reject ]; then
  out=$(bash "$0" "$1" "$2" 2>&1) && { echo "$out"; echo "FAIL: planted fault in $2 was not caught"; exit 1; }
  echo "$out"
  echo "$out" | grep -q -E "$4" || { echo "FAIL: rejected, but not for /$4/"; exit 1; }
  echo "OK: planted fault caught"; exit 0
fi
cxx=$1 src=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
obj=$(mktemp --suffix=.o)
trap 'rm -f "$obj"' EXIT
flags=(-std=gnu++17 -O2 -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics
       -fno-use-cxa-atexit -nostdinc -nostdinc++ -fno-builtin -mcmodel=kernel -fno-pic -fno-pie
       -mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-80387 -fno-asynchronous-unwind-tables
       -fno-stack-protector -fno-common -Wall -Wextra -Werror -I"$root/core")
"$cxx" "${flags[@]}" -c "$src" -o "$obj"
bad=$(nm -u "$obj" | awk '{print $2}' | grep -v -E '^(ballast_env_[a-z0-9_]+|memcpy|memmove|memset|memcmp)$' || true)
fail=0
if [ -n "$bad" ]; then
  echo "FAIL: $src needs symbols outside the environment contract:"; echo "$bad" | sed 's/^/  /'; fail=1
fi
if objdump -h "$obj" | grep -q -E '\.(init_array|ctors|gcc_except_table|eh_frame)\b'; then
  echo "FAIL: $src has constructor or exception sections:"; objdump -h "$obj" | grep -E 'init_array|ctors|except|eh_frame'; fail=1
fi
if nm "$obj" | grep -q -E '(_ZTI|_ZTS|_ZTV|__cxa_|__gxx_personality)'; then
  echo "FAIL: $src uses RTTI, vtables or the C++ runtime"; fail=1
fi
n=$(nm -u "$obj" | grep -c ballast_env_ || true)
[ "$n" -gt 0 ] || { echo "FAIL: no ballast_env_ calls at all: wrong source?"; fail=1; }
[ $fail = 0 ] && echo "OK: $src with $cxx: $n contract symbols, nothing else"
exit $fail
